"""``--format junit``: valid against Jenkins xunit's schema, counts match, mapping of
operations-puppet.md §6.4, one testsuite per file."""

import json
import os
import xml.etree.ElementTree as ET

import pytest
from format_cases import (
    BROKEN,
    CLEAN,
    CLEAN_PATH,
    NASTY,
    OTHER_PATH,
    make_repo,
    mwlint,
    sample_report,
)
from helpers import HERE, KEY_PATH

from mwlint.formats import render

xmlschema = pytest.importorskip("xmlschema")
XSD = os.path.join(HERE, "fixtures", "schemas", "jenkins-xunit-junit-10.xsd")
_SCHEMA = []


def xunit_schema():
    if not _SCHEMA:
        _SCHEMA.append(xmlschema.XMLSchema(XSD))
    return _SCHEMA[0]


def _parse(text):
    """The document, validated against xunit's schema; ``(root, all testcases)``, after
    checking one testsuite per file, each named by its path, with counts that add up."""
    xunit_schema().validate(text)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == sorted(set(names))  # one per file, in path order
    for s in suites:
        assert s.get("file") in (s.get("name"), None)
        assert {c.get("classname") for c in s.findall("testcase")} == {s.get("name")}
        assert {k: int(s.get(k)) for k in ("tests", "failures", "skipped")} == _counts(s)
    all_cases = [c for s in suites for c in s.findall("testcase")]
    assert int(root.get("tests")) == len(all_cases)
    assert int(root.get("failures")) == sum(1 for c in all_cases if c.find("failure") is not None)
    return root, all_cases


def _counts(suite):
    cases = suite if isinstance(suite, list) else suite.findall("testcase")
    return {"tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None)}


def test_mapping_and_counts():
    root, cases = _parse(render("junit", sample_report()))
    counts = _counts(cases)
    assert counts == {"tests": 5, "failures": 2, "skipped": 2}
    assert [s.get("name") for s in root.findall("testsuite")] == [OTHER_PATH, CLEAN_PATH,
                                                                  KEY_PATH]
    assert root.get("errors") == "0" and root.get("skipped") is None  # xunit refuses it there
    rows = [(c.get("classname"), c.get("name"),
             "failure" if c.find("failure") is not None else
             "skipped" if c.find("skipped") is not None else "pass")
            for c in cases]
    assert rows == [
        (OTHER_PATH, "MW103 line 1", "skipped"),  # info: below the threshold
        (CLEAN_PATH, "mwlint", "pass"),  # a clean linted file is one passing testcase
        (KEY_PATH, "MW102 mw_releases[0]", "failure"),
        (KEY_PATH, "MW206 mw_releases[0].releases.main", "skipped"),  # warning
        (KEY_PATH, "MW105 mw_releases[0].releases.main.stage", "failure"),
    ]
    fail = root.find("testsuite/testcase/failure")
    assert fail.get("type") == "MW102 missing-key"
    assert fail.get("message") == f"{KEY_PATH}:2:5: entry 'mw-misc' lacks web_flavour"
    assert fail.text.startswith(f"{KEY_PATH}:2:5: error MW102 missing-key: ")
    assert "YAML path: mw_releases[0]" in fail.text


def test_threshold_moves_warnings_to_failures():
    _, cases = _parse(render("junit", sample_report(fail_on="warning")))
    assert _counts(cases) == {"tests": 5, "failures": 3, "skipped": 1}


def test_text_is_escaped_and_control_characters_neutralised():
    text = render("junit", sample_report())
    assert "\x1b" not in text and "<script>" not in text
    _, cases = _parse(text)
    skipped = [c.find("skipped") for c in cases
               if c.get("name").startswith("MW206")][0]
    assert "<script>alert(1)</script>" in skipped.text  # round-trips as text, not markup
    assert "\\x1b[31mred" in skipped.text


def test_same_name_testcases_are_kept_apart():
    report = sample_report()
    dup = [f._replace(line=9, column=3) for f in report.findings if f.code == "MW105"]
    report = report._replace(findings=sorted(report.findings + dup, key=lambda f: f.sort_key()))
    _, cases = _parse(render("junit", report))
    names = [c.get("name") for c in cases if c.get("classname") == KEY_PATH]
    assert len(names) == len(set(names)) == 4
    assert "MW105 mw_releases[0].releases.main.stage (9:3)" in names


def test_clean_run_is_a_non_empty_report(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: CLEAN})
    p = mwlint("--select", "MW1", "--format", "junit", str(repo), cwd=str(repo))
    assert p.returncode == 0, p.stderr
    _, cases = _parse(p.stdout)
    assert _counts(cases) == {"tests": 1, "failures": 0, "skipped": 0}
    assert cases[0].get("classname") == KEY_PATH


@pytest.mark.parametrize("select", ["MW1", "MW102", "MW2"])
def test_counts_match_the_json_findings_of_the_same_run(tmp_path, select):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN, "hieradata/hosts/deploy1003.yaml": CLEAN})
    j = tmp_path / "j.xml"
    p = mwlint("--select", select, "--format", "json", "--output", f"junit={j}", str(repo))
    doc = json.loads(p.stdout)
    _, cases = _parse(j.read_text(encoding="utf-8"))
    errors = sum(1 for f in doc["findings"] if f["severity"] == "error")
    clean = doc["summary"]["linted"] - len({f["path"] for f in doc["findings"]})
    assert _counts(cases) == {"tests": len(doc["findings"]) + clean, "failures": errors,
                              "skipped": len(doc["findings"]) - errors}
    assert p.returncode == (1 if errors else 0)


def test_real_broken_config_gives_one_failure_at_mw_misc(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    p = mwlint("--select", "MW102", "--format", "junit", KEY_PATH, cwd=str(repo))
    _, cases = _parse(p.stdout)
    (case,) = cases
    assert (case.get("classname"), case.get("name")) == (KEY_PATH, "MW102 mw_releases[5]")
    assert case.find("failure").get("message").startswith(f"{KEY_PATH}:297:5: entry 'mw-misc' ")


def test_deterministic():
    assert render("junit", sample_report()) == render("junit", sample_report())
    assert NASTY  # the sample carries the nasty message


def test_a_run_without_deployments_keys_still_has_one_passing_testcase(tmp_path):
    """Jenkins' junit step refuses a report with no tests (unless allowEmptyResults)."""
    repo = make_repo(tmp_path, {"hieradata/common.yaml": "foo: 1\n"})
    p = mwlint("--format", "junit", "hieradata/common.yaml", cwd=str(repo))
    assert p.returncode == 0, p.stderr
    root, cases = _parse(p.stdout)
    assert [(c.get("classname"), c.get("name")) for c in cases] == [("mwlint", "mwlint")]
    assert root.find("testsuite").get("file") is None  # no file: the run's own testcase


def test_every_real_fixture_validates(tmp_path):
    """xunit's schema over real runs: findings of every severity, several files."""
    from helpers import REAL

    real = sorted(os.path.join(REAL, n) for n in os.listdir(REAL) if n.endswith(".yaml"))
    dest = tmp_path / "j.xml"
    p = mwlint("--output", f"junit={dest}", "--format", "junit", *real)
    assert p.returncode == 1, p.stderr
    for text in (p.stdout, dest.read_text(encoding="utf-8")):
        root, cases = _parse(text)
        assert len(root.findall("testsuite")) == len(real)
        assert _counts(cases)["failures"] > 0 and _counts(cases)["skipped"] > 0


def test_the_old_single_suite_shape_is_refused_by_the_schema():
    """The schema check can fail: 0.2.0's ``skipped`` on ``<testsuites>``."""
    bad = ('<testsuites name="mwlint" tests="1" failures="0" errors="0" skipped="0">'
           '<testsuite name="mwlint" tests="1" failures="0" errors="0">'
           '<testcase classname="a" name="b"/></testsuite></testsuites>')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xunit_schema().validate(bad)
