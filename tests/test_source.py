"""Step 1: reading bytes (pre-filter, BOMs, size, NUL, UTF-8, depth pre-scan)."""

import codecs
import os

import pytest

from mwlint.source import InputProblem, SourceText, read_bytes, read_file

KEY = b"profile::kubernetes::deployment_server::mediawiki::release::mw_releases: []\n"
BIG = 10 * 1024 * 1024


def test_file_without_the_key_is_skipped_before_decoding():
    assert read_bytes(b"\xff\xfe\x00 binary junk", "x.yaml", BIG) is None
    assert read_bytes(b"foo: bar\n", "x.yaml", BIG) is None


def test_rendered_file_is_never_skipped():
    out = read_bytes(b"- namespace: mw-web\n", "mediawiki-deployments.yaml", BIG, force=True)
    assert isinstance(out, SourceText)


def test_plain_utf8_with_key():
    out = read_bytes(KEY, "k.yaml", BIG)
    assert isinstance(out, SourceText) and out.text.startswith("profile::")


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_boms_are_decoded_first(bom, enc):
    out = read_bytes(bom + KEY.decode().encode(enc), "k.yaml", BIG)
    assert isinstance(out, SourceText), out
    assert out.text.startswith("profile::")


def test_utf16_without_key_is_skipped():
    assert read_bytes(codecs.BOM_UTF16_LE + "a: b\n".encode("utf-16-le"), "k.yaml", BIG) is None


def test_nul_byte_is_mw003_with_position():
    out = read_bytes(KEY + b"x: a\x00b\n", "k.yaml", BIG)
    assert isinstance(out, InputProblem)
    assert (out.code, out.line, out.column) == ("MW003", 2, 5)
    assert "NUL" in out.message


def test_invalid_utf8_is_mw003_with_position():
    out = read_bytes(KEY + b"x: caf\xe9\n", "k.yaml", BIG)
    assert isinstance(out, InputProblem)
    assert (out.code, out.line, out.column) == ("MW003", 2, 7)
    assert "0xe9" in out.message
    assert out.help == "re-encode the file as UTF-8, the only encoding hiera and scap read"


def test_input_problems_say_how_to_fix_in_their_help_line(tmp_path):
    """Issue 12: the message says what is wrong, the help how to fix it."""
    from mwlint.engine import lint_text

    p = tmp_path / "big.yaml"
    p.write_bytes(KEY + b" " * 2048)
    out = read_file(str(p), "big.yaml", 1024)
    assert out.message.endswith("so it is not read") and "--max-file-size" in out.help
    (f,) = lint_text(KEY.decode() + "x: \"a\x07b\"\n", "k.yaml")  # a BEL, raw in the file
    assert f.code == "MW001" and f.message.startswith("YAML cannot hold character U+0007")
    assert f.help == "remove it, or write it as an escape inside a double-quoted string"


def test_size_limit_is_checked_from_metadata(tmp_path):
    p = tmp_path / "big.yaml"
    with open(p, "wb") as f:
        f.truncate(2048)
    out = read_file(str(p), "big.yaml", 1024)
    assert isinstance(out, InputProblem) and out.code == "MW003"
    assert "max-file-size" in out.message


def test_vanished_file_is_mw003(tmp_path):
    out = read_file(str(tmp_path / "gone.yaml"), "gone.yaml", BIG)
    assert isinstance(out, InputProblem) and "vanished" in out.message


def test_unreadable_file_is_mw003(tmp_path, monkeypatch):
    p = tmp_path / "k.yaml"
    p.write_bytes(KEY)
    real_open = open

    def deny(path, *a, **kw):
        if os.fspath(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **kw)

    monkeypatch.setattr("builtins.open", deny)
    out = read_file(str(p), "k.yaml", BIG)
    assert isinstance(out, InputProblem) and out.code == "MW003"
    assert "Permission denied" in out.message


def test_fifo_is_not_opened(tmp_path):
    p = tmp_path / "pipe.yaml"
    os.mkfifo(p)
    out = read_file(str(p), "pipe.yaml", BIG)
    assert isinstance(out, InputProblem) and "regular file" in out.message


@pytest.mark.parametrize("text,what", [
    ("[" * 101 + "]" * 101, "flow"),
    ("{a: " * 101 + "}" * 101, "flow"),
    ("a:\n" + " " * 401 + "b: c\n", "indentation"),
])
def test_depth_prescan_is_mw001(text, what):
    out = read_bytes(KEY + text.encode(), "k.yaml", BIG)
    assert isinstance(out, InputProblem) and out.code == "MW001"
    assert what in out.message


def test_brackets_inside_quotes_and_comments_do_not_count():
    text = "x: '" + "[" * 200 + "'\ny: \"" + "{" * 200 + "\"\n# " + "[" * 200 + "\n"
    assert isinstance(read_bytes(KEY + text.encode(), "k.yaml", BIG), SourceText)


def test_100_deep_is_still_parsed():
    text = "x: " + "[" * 100 + "]" * 100 + "\n"
    assert isinstance(read_bytes(KEY + text.encode(), "k.yaml", BIG), SourceText)
