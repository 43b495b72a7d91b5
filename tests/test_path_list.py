"""``--files-from LIST``: the paths to lint from a file, for lists no command line holds."""

import json
import os
import shutil

import pytest
from format_cases import BROKEN, CLEAN, mwlint

from mwlint.source.path_list import read_name_list, read_path_list


@pytest.mark.parametrize("data, want", [
    (b"a.yaml\nb c.yaml\n", ["a.yaml", "b c.yaml"]),
    (b"a.yaml\r\nb.yaml", ["a.yaml", "b.yaml"]),
    (b"a\nb.yaml\0c.yaml\0", ["a\nb.yaml", "c.yaml"]),  # git diff -z: a newline in a name
    (b"\n\n", []),
])
def test_read_path_list(tmp_path, data, want):
    listing = tmp_path / "list"
    listing.write_bytes(data)
    assert read_path_list(str(listing)) == want


def test_names_that_are_not_utf8_compare_as_the_formats_write_them(tmp_path):
    listing = tmp_path / "list"
    listing.write_bytes(b"k\xff.yaml\0")
    assert read_path_list(str(listing)) == [os.fsdecode(b"k\xff.yaml")]
    assert read_name_list(str(listing)) == ["k\\xff.yaml"]


def test_files_from_lints_the_listed_files(tmp_path):
    for name, src in (("broken.yaml", BROKEN), ("clean.yaml", CLEAN)):
        shutil.copyfile(src, tmp_path / name)
    (tmp_path / "list").write_bytes(b"broken.yaml\0clean.yaml\0")
    p = mwlint("--select", "MW102", "--format", "json", "--files-from", "list",
               cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    doc = json.loads(p.stdout)
    assert doc["summary"]["linted"] == 2
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [("broken.yaml", 297)]


@pytest.mark.parametrize("content, words", [
    (None, "No such file or directory"),
    ("fifo", "not a regular file (a FIFO, device or socket)"),
    (b"", "names no path"),
    (b"-\n", "lists -, which only the command line can name"),
])
def test_bad_lists_are_exit_2(tmp_path, content, words):
    listing = tmp_path / "list"
    if content == "fifo":
        os.mkfifo(listing)
    elif content is not None:
        listing.write_bytes(content)
    p = mwlint("--files-from", str(listing), cwd=str(tmp_path))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == f"mwlint: error: --files-from {listing}: {words}\n"
