"""Terminal safety: nothing from a linted file can emit control or escape sequences in the
text and github output, forge a finding line, or reorder text with bidi controls."""

import pytest
from format_cases import NASTY, make_repo, mwlint, sample_report
from helpers import KEY_PATH, RELEASES_KEY

from mwlint.formats import render
from mwlint.formats.source_lines import source_lines
from mwlint.formats.terminal import neutralise


@pytest.mark.parametrize("raw, shown", [
    ("plain\ttab ü", "plain\ttab ü"),
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    ("a\nb\rc", "a\\x0ab\\x0dc"),
    ("\x9b31m", "\\x9b31m"),
    ("x\u202eevil\u2066", "x\\u202eevil\\u2066"),
    ("\u200f\u061c\u2028", "\\u200f\\u061c\\u2028"),
    ("\x00\x7f", "\\x00\\x7f"),
])
def test_neutralise(raw, shown):
    assert neutralise(raw) == shown


def test_source_lines_count_like_yaml():
    assert source_lines("a\r\nb\x0cc\rd\x85e\u2028f\n") == ["a", "b\x0cc", "d", "e", "f"]


# Raw bidi controls are printable YAML, so they reach messages and snippets as they are.
BIDI_FILE = RELEASES_KEY + """:
  - namespace: "mw-web\u202e\u2066"
    releases:
      "main\u202e": {}
    mw_flavour: publish
    "mw_fl\\e]0;owned\\aavour\\nforged:1:1: error MW999 x: y": 1
"""
# A raw ESC is not allowed in YAML: MW001.
ESC_FILE = RELEASES_KEY + ":\n  - namespace: mw-web # \x1b]0;owned\x07\x1b[2J\n"


def _check_safe(out, fmt):
    assert "\x07" not in out and "\u202e" not in out and "\u2066" not in out
    assert "\r" not in out
    if fmt == "text":  # colour is ours only: every ESC starts one of mwlint's SGR codes
        assert all(chunk[:2] in ("[1", "[0", "[2") and chunk[2:3] in (";", "m")
                   for chunk in out.split("\x1b")[1:]), out
    else:
        assert "\x1b" not in out
    assert not any(line.startswith("forged") for line in out.splitlines())


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_bidi_controls_and_escapes_in_values_are_neutralised(tmp_path, fmt):
    repo = make_repo(tmp_path, {KEY_PATH: BIDI_FILE})
    p = mwlint("--format", fmt, "--show-source", str(repo / KEY_PATH),
               env={"FORCE_COLOR": "1"} if fmt == "text" else None)
    assert p.returncode == 1, p.stderr
    _check_safe(p.stdout, fmt)
    assert "MW102" in p.stdout and "MW103" in p.stdout
    assert "\\u202e" in p.stdout  # shown, not obeyed
    if fmt == "text":
        assert '       2 |   - namespace: "mw-web\\u202e\\u2066"' in p.stdout
    assert len([line for line in p.stdout.splitlines() if "MW103" in line]) == 1


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_raw_escape_sequence_in_the_source_is_neutralised(tmp_path, fmt):
    repo = make_repo(tmp_path, {KEY_PATH: ESC_FILE})
    p = mwlint("--format", fmt, "--show-source", str(repo / KEY_PATH),
               env={"FORCE_COLOR": "1"} if fmt == "text" else None)
    assert p.returncode == 1, p.stderr
    assert "MW001" in p.stdout
    _check_safe(p.stdout, fmt)


def test_file_name_with_escape_sequence_is_neutralised(tmp_path):
    name = "evil\x1b[2J.yaml"
    repo = make_repo(tmp_path, {name: BIDI_FILE})
    p = mwlint("--select", "MW103", "--format", "text", name, cwd=str(repo))
    assert p.returncode == 1
    assert "\x1b" not in p.stdout
    assert p.stdout.startswith("evil\\x1b[2J.yaml:6:5: error MW103 unknown-key: ")


def test_caret_sits_under_the_neutralised_text():
    report = sample_report()
    src = "  \x1b[1m: {stage: canary}\n"
    f = [x for x in report.findings if x.code == "MW105"][0]._replace(line=1, end_line=1, column=17,
                                                                         end_column=23)
    out = render("text", report._replace(findings=[f], sources={KEY_PATH: src}),
                 show_source=True).splitlines()
    shown, caret = out[1], out[2]
    assert shown == "       1 |   \\x1b[1m: {stage: canary}"
    body = shown[len("       1 | "):]
    marked = caret[len("         | "):]
    assert body[marked.index("^"):marked.index("^") + len(marked.strip())] == "canary"


def test_text_output_of_the_sample_has_no_raw_controls():
    out = render("text", sample_report(), show_source=True)
    assert "\x1b" not in out and "\r" not in out
    assert NASTY.replace("\x1b", "") not in out
    assert len(out.splitlines()) == 4 + 3 * 2 + 1  # 4 findings, 3 with snippets, summary
