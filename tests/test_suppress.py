"""Inline suppressions: on the line, on the line above, file-wide; MW004 for those that hide
nothing or name no rule; --no-suppressions."""


import pytest
from helpers import RELEASES_KEY, lint, triples

from mwlint.suppress.comments import scan

KEY = RELEASES_KEY + ":\n"
# Three findings: MW104 line 4, MW105 line 5, MW103 line 8.
BODY = """\
  - namespace: mw-web
    releases:
      main: {deploy: "false"}{c4}
      canary: {stage: canary}{c5}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
    owner: x{c8}
"""
ALL = [("MW104", 4, 22), ("MW105", 5, 23), ("MW103", 8, 5)]


def doc(head="", c4="", c5="", c8="", tail=""):
    body = BODY.replace("{c4}", c4).replace("{c5}", c5).replace("{c8}", c8)
    return head + KEY + body + tail


def run(text, **settings):
    settings.setdefault("select", ("MW1", "MW004"))
    return triples(lint(text, **settings))


@pytest.mark.parametrize("text, expected", [
    # at the end of the offending line: codes, names, prefixes, all, several, a reason
    (doc(c4="  # mwlint: disable=MW104"), ALL[1:]),
    (doc(c4="  # mwlint: disable=wrong-type"), ALL[1:]),
    (doc(c4="  # mwlint: disable=MW1"), ALL[1:]),
    (doc(c4="  # mwlint: disable=all"), ALL[1:]),
    (doc(c5="  #mwlint:disable=MW105 -- renamed in T123, fixed next week"), [ALL[0], ALL[2]]),
    (doc(c5="  # mwlint: disable=MW104, MW105 -- both"),
     [ALL[0], ("MW004", 5, 50), ALL[2]]),
    (doc(c8="  # noqa  # mwlint: disable=unknown-key"), ALL[:2]),
    # a suppression for another line hides nothing there
    (doc(c5="  # mwlint: disable=MW104"), [ALL[0], ALL[1], ("MW004", 5, 50), ALL[2]]),
    # file-wide, anywhere in the file
    (doc(head="# mwlint: disable-file=MW103,MW104\n"),
     [(c, ln + 1, col) for c, ln, col in ALL[1:2]]),
    (doc(tail="# mwlint: disable-file=MW1 -- legacy file\n"), []),
    (doc(c8="  # mwlint: disable-file=invalid-stage"), [ALL[0], ALL[2]]),
])
def test_on_the_line_and_file_wide(text, expected):
    assert run(text) == expected


def test_alone_on_the_line_above():
    text = KEY + """\
  - namespace: mw-web
    releases:
      # mwlint: disable=MW104 -- paused on purpose

      # (a blank line and another comment in between are fine)
      main: {deploy: "false"}
      canary: {stage: canary}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
    # mwlint: disable=MW103
    owner: x
"""
    assert run(text) == [("MW105", 8, 23)]
    assert run(text, suppressions=False) == [("MW104", 7, 22), ("MW105", 8, 23),
                                             ("MW103", 12, 5)]


def test_line_above_applies_to_the_next_line_only():
    text = doc().replace('      main: {deploy: "false"}\n',
                         '      # mwlint: disable=MW104,MW105\n      main: {deploy: "false"}\n')
    # MW104 hidden; MW105 is on the line after: not hidden, and its item is unused
    assert run(text) == [("MW004", 4, 31), ("MW105", 6, 23), ("MW103", 9, 5)]


def test_entry_level_finding_suppressed_above_the_dash():
    text = KEY + "  # mwlint: disable=missing-key\n" + \
        "  - namespace: mw-web\n    releases: {main: {}}\n    mw_flavour: publish-83\n"
    assert run(text) == []
    assert run(text, suppressions=False) == [("MW102", 3, 5)]


def test_no_suppressions_ignores_every_comment_and_reports_no_mw004():
    text = doc(head="# mwlint: disable-file=MW1\n# mwlint: disable-file=MW999\n",
               c4="  # mwlint: disable=MW104")
    assert run(text, suppressions=False) == [(c, ln + 2, col) for c, ln, col in ALL]


@pytest.mark.parametrize("value", [
    '"x # mwlint: disable=MW105"',
    "'x # mwlint: disable=MW105'",
    "canary#mwlint:disable=MW105",  # no space before '#': part of the plain scalar
])
def test_hash_inside_a_scalar_is_not_a_comment(value):
    text = doc().replace("stage: canary}", f"stage: {value}}}")
    found = run(text)
    assert ("MW105", 5, 23) in found and not [t for t in found if t[0] == "MW004"]


def test_block_scalar_text_is_not_a_comment():
    text = doc(head="notes: |\n  keep\n  # mwlint: disable-file=MW1\n")
    assert run(text) == [(c, ln + 3, col) for c, ln, col in ALL]


def test_a_file_that_does_not_parse_carries_no_suppressions():
    # MW001 is reported anyway: per-file-ignores or --ignore are the way to hide it
    found = lint(doc(head="# mwlint: disable-file=MW001\n", tail="x: [\n"),
                 select=("MW0", "MW1"))
    assert triples(found) == [("MW001", 11, 1)]


def test_scanner_reads_comments_after_a_syntax_error_as_plain_text():
    directives = scan("a: 1\nb: [\n# mwlint: disable-file=MW1\n")
    assert [(d.line, d.kind) for d in directives] == [(3, "disable-file")]


# -- MW004 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected, words", [
    (doc(c4="  # mwlint: disable=MW105"), ("MW004", 4, 50),
     ["'MW105' hid nothing", "line 4"]),
    (doc(c4="  # mwlint: disable=MW999"), ("MW004", 4, 50),
     ["'MW999', which is no rule code", "did you mean"]),
    (doc(c4="  # mwlint: disable=debug-imge-stage"), ("MW004", 4, 50),
     ["did you mean 'debug-image-stage'"]),
    (doc(head="# mwlint: disable-file=MW107\n"), ("MW004", 1, 24),
     ["file-wide suppression of 'MW107' hid nothing"]),
    (doc(c4="  # mwlint: disabel=MW104"), ("MW004", 4, 32),
     ["not understood", "unknown directive 'disabel'"]),
    (doc(c4="  # mwlint: disable MW104"), ("MW004", 4, 32),
     ["not understood", "needs '='"]),
    (doc(c4="  # mwlint: disable="), ("MW004", 4, 32), ["needs '='"]),
    (doc(tail="# mwlint: disable=MW103\n"), ("MW004", 9, 19), ["the end of the file"]),
])
def test_mw004(text, expected, words):
    found = lint(text, select=("MW1", "MW004"))
    mw004 = [f for f in found if f.code == "MW004"]
    assert [(f.code, f.line, f.column) for f in mw004] == [expected]
    f = mw004[0]
    assert f.severity == "warning" and f.name == "unused-suppression"
    for w in words:
        assert w in f.message


@pytest.mark.parametrize("comment", [
    "# Fixture for mwlint: the two keys as they would sit in hiera",
    "# checked by mwlint: see its README",
    "# mwlint: it reads this file too",
])
def test_prose_that_mentions_mwlint_is_a_comment(comment):
    """Only ``mwlint: disable...`` forms (or a close misspelling, or a word with '=') are
    directives: prose that names mwlint is no MW004 ("unknown directive 'the'")."""
    assert scan(comment + "\na: 1\n") == []
    assert run(doc(head=comment + "\n")) == [(c, ln + 1, col) for c, ln, col in ALL]


@pytest.mark.parametrize("comment, problem", [
    ("# mwlint: enable=MW105", "unknown directive 'enable'"),
    ("# mwlint: disbale MW105", "unknown directive 'disbale'"),
    ("# mwlint: =MW105", "no directive"),
])
def test_directive_shaped_comments_are_still_judged(comment, problem):
    (d,) = scan(comment + "\na: 1\n")
    assert d.kind == "" and d.problem.startswith(problem)


def test_mw004_good_example_is_clean():
    assert run(doc(c4="  # mwlint: disable=MW104")) == ALL[1:]


def test_mw004_not_judged_for_rules_that_did_not_run():
    # MW2 is not selected: whether a MW203 suppression is used cannot be told
    text = doc(c4="  # mwlint: disable=MW203")
    assert run(text) == ALL
    # unknown codes are always reported
    assert ("MW004", 4, 50) in run(doc(c4="  # mwlint: disable=MW2O3"))


def test_mw004_not_reported_when_mw004_is_not_selected():
    assert run(doc(c4="  # mwlint: disable=MW105"), select=("MW1",)) == ALL


def test_mw004_can_itself_be_suppressed():
    text = doc(head="# mwlint: disable-file=MW004\n", c4="  # mwlint: disable=MW105")
    assert run(text) == [(c, ln + 1, col) for c, ln, col in ALL]
    text = doc(c4="  # mwlint: disable=MW105,MW004 -- kept for the next change")
    assert run(text) == ALL


def test_mw004_severity_follows_the_severity_table():
    found = lint(doc(c4="  # mwlint: disable=MW105"), select=("MW105", "MW004"),
                 severity={"MW004": "error"})
    assert [(f.code, f.severity) for f in found] == [("MW004", "error"), ("MW105", "error")]


def test_mw004_rule_documentation():
    from mwlint.rules import find_rule

    r = find_rule("unused-suppression")
    assert r.code == "MW004" and r.severity == "warning"
    assert "mwlint: disable=MW203" in r.bad and "mwlint" not in r.good


# -- the scanner -------------------------------------------------------------------------------

def test_scan_reports_items_reasons_and_targets():
    text = "a: 1  # mwlint: disable=MW104 , MW1 -- why -- really\n# mwlint: disable-file=x\n\nb: 2\n"
    d1, d2 = scan(text)
    assert (d1.kind, [i.text for i in d1.items], d1.reason, d1.own_line, d1.target) == \
        ("disable", ["MW104", "MW1"], "why -- really", False, 1)
    assert [(i.column, i.end_column) for i in d1.items] == [(25, 30), (33, 36)]
    assert (d2.kind, d2.own_line, d2.target) == ("disable-file", True, 4)


def test_scan_ignores_text_without_the_marker():
    assert scan("a: 1  # disable=MW104\n") == []
    assert scan("a: 'mwlint: disable=MW104'\n") == []


def test_readme_suppression_example():
    import os
    import re

    from helpers import HERE

    from mwlint.engine import lint_text
    from mwlint.settings import Settings

    with open(os.path.join(os.path.dirname(HERE), "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    text = re.search(r"```yaml\n(# mwlint: disable-file.*?)```", readme, re.S).group(1)
    assert lint_text(text, "k.yaml") == []
    assert [f.code for f in lint_text(text, "k.yaml", Settings(suppressions=False))] == \
        ["MW207", "MW203", "MW209"]


def test_suppressions_also_hide_the_build_report_findings_of_check_report(tmp_path, capsys,
                                                                           monkeypatch):
    import os

    from helpers import FIXTURES, REAL

    from mwlint.cli import main

    report = os.path.join(FIXTURES, "build-report", "report-2025-late-no-cli-image.json")
    name = "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml"
    with open(os.path.join(REAL, name), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    lines[296] += "  # mwlint: disable=missing-kind -- cli image built elsewhere"
    (tmp_path / "k.yaml").write_text("\n".join(lines))
    monkeypatch.chdir(tmp_path)
    status = main(["--isolated", "--select", "MW4", "--concise", "--report", report, "k.yaml"])
    out = capsys.readouterr().out
    # one missing kind is one finding, at its first node (297): the comment there hides it
    assert status == 0 and out.splitlines()[-1] == "mwlint: OK"
    status = main(["--isolated", "--select", "MW4", "--no-suppressions", "--report", report,
                   "k.yaml"])
    assert "k.yaml:297:16" in capsys.readouterr().out


def test_the_deploy_service_fixture_prose_is_no_directive():
    """Its first line is ``# Fixture for mwlint: the two ...`` (was MW004 "unknown directive
    'the'")."""
    import os

    from helpers import FIXTURES

    path = os.path.join(FIXTURES, "deploy-service", "kubernetes-deploy-service.yaml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert text.startswith("# Fixture for mwlint: the two")
    assert scan(text) == []
    assert [f for f in lint(text, select=("MW004",))] == []
