"""``--format github``: GitHub Actions workflow commands with the runner's escaping."""

import re

import pytest
from format_cases import BROKEN, OTHER_PATH, finding, make_repo, mwlint, sample_report
from helpers import KEY_PATH

from mwlint.formats import render
from mwlint.formats.github_format import annotation, escape_data, escape_property

# ::command key=value,key=value::message, where values hold no raw , or : and the message
# no raw newline (the workflow-command syntax of the Actions runner)
COMMAND = re.compile(
    r"^::(error|warning|notice) "
    r"file=(?P<file>[^,:\r\n]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[^,:\r\n]+)"
    r"::(?P<message>[^\r\n]*)$")


def _lines(text):
    assert text.endswith("\n")
    return text[:-1].split("\n")


def test_every_finding_is_one_workflow_command_then_the_summary():
    lines = _lines(render("github", sample_report()))
    assert lines[-1] == "mwlint: FAILED (2 errors, 1 warning, 1 info)"
    cmds = [COMMAND.match(line) for line in lines[:-1]]
    assert all(cmds), lines
    got = [(m.group(1), m["file"], m["line"], m["col"], m["end_line"], m["end_col"], m["title"])
           for m in cmds]
    assert got == [
        ("notice", OTHER_PATH, "1", "1", "3", "1", "MW103 unknown-key"),
        ("error", KEY_PATH, "2", "5", "2", "13", "MW102 missing-key"),
        ("warning", KEY_PATH, "4", "7", "4", "10", "MW206 null-override"),
        ("error", KEY_PATH, "4", "21", "4", "26", "MW105 invalid-stage"),
    ]


@pytest.mark.parametrize("raw, data, prop", [
    ("100%", "100%25", "100%25"),
    ("a\r\nb", "a\\x0d\\x0ab", "a\\x0d\\x0ab"),  # neutralised before escaping: one line
    ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
    ("\x1b[31m", "\\x1b[31m", "\\x1b[31m"),
    ("%0A::error::x", "%250A::error::x", "%250A%3A%3Aerror%3A%3Ax"),
])
def test_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_properties_with_comma_and_colon_are_escaped():
    f = finding(path="hieradata/a,b:c %.yaml", message="x")
    line = annotation(f)
    assert line.startswith("::error file=hieradata/a%2Cb%3Ac %25.yaml,line=4,")
    assert COMMAND.match(line)


def test_nasty_message_cannot_forge_a_command_or_colour_the_log():
    text = render("github", sample_report())
    assert "\x1b" not in text and "\r" not in text
    warning = [line for line in _lines(text) if line.startswith("::warning")][0]
    assert warning.endswith("::evil \\x1b[31mred\\x1b[0m <script>alert(1)</script> 100%25 "
                            "a:b,c\\x0d\\x0aforged:1:1: error")
    assert not any(line.startswith("forged") for line in _lines(text))


def test_end_column_is_inclusive_and_never_before_start():
    f = finding(line=3, column=9, end_line=3, end_column=9)  # empty span
    m = COMMAND.match(annotation(f))
    assert (m["col"], m["end_col"]) == ("9", "9")


def test_real_run(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    p = mwlint("--select", "MW102", "--format", "github", str(repo))
    assert p.returncode == 1
    lines = _lines(p.stdout)
    m = COMMAND.match(lines[0])
    assert (m["file"], m["line"], m["col"], m["title"]) == (KEY_PATH, "297", "5",
                                                             "MW102 missing-key")
    assert lines[1:] == ["mwlint: FAILED (1 error)"]
