"""``--format junit``: parses with xml.etree, counts match, mapping of operations-puppet.md §6.4."""

import json
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
from helpers import KEY_PATH

from mwlint.formats import render


def _parse(text):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "mwlint"
    return root, suites[0]


def _counts(suite):
    cases = suite.findall("testcase")
    return {"tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None)}


def test_mapping_and_counts():
    root, suite = _parse(render("junit", sample_report()))
    counts = _counts(suite)
    assert counts == {"tests": 5, "failures": 2, "skipped": 2}
    for el in (root, suite):
        assert {k: int(el.get(k)) for k in counts} == counts
        assert el.get("errors") == "0"
    rows = [(c.get("classname"), c.get("name"),
             "failure" if c.find("failure") is not None else
             "skipped" if c.find("skipped") is not None else "pass")
            for c in suite.findall("testcase")]
    assert rows == [
        (OTHER_PATH, "MW103 line 1", "skipped"),  # info: below the threshold
        (CLEAN_PATH, "mwlint", "pass"),  # a clean linted file is one passing testcase
        (KEY_PATH, "MW102 mw_releases[0]", "failure"),
        (KEY_PATH, "MW206 mw_releases[0].releases.main", "skipped"),  # warning
        (KEY_PATH, "MW105 mw_releases[0].releases.main.stage", "failure"),
    ]
    fail = suite.find("testcase/failure")
    assert fail.get("type") == "MW102 missing-key"
    assert fail.get("message") == f"{KEY_PATH}:2:5: entry 'mw-misc' lacks web_flavour"
    assert fail.text.startswith(f"{KEY_PATH}:2:5: error MW102 missing-key: ")
    assert "YAML path: mw_releases[0]" in fail.text


def test_threshold_moves_warnings_to_failures():
    _, suite = _parse(render("junit", sample_report(fail_on="warning")))
    assert _counts(suite) == {"tests": 5, "failures": 3, "skipped": 1}


def test_text_is_escaped_and_control_characters_neutralised():
    text = render("junit", sample_report())
    assert "\x1b" not in text and "<script>" not in text
    _, suite = _parse(text)
    skipped = [c.find("skipped") for c in suite.findall("testcase")
               if c.get("name").startswith("MW206")][0]
    assert "<script>alert(1)</script>" in skipped.text  # round-trips as text, not markup
    assert "\\x1b[31mred" in skipped.text


def test_same_name_testcases_are_kept_apart():
    report = sample_report()
    dup = [f._replace(line=9, column=3) for f in report.findings if f.code == "MW105"]
    report = report._replace(findings=sorted(report.findings + dup, key=lambda f: f.sort_key()))
    _, suite = _parse(render("junit", report))
    names = [c.get("name") for c in suite.findall("testcase") if c.get("classname") == KEY_PATH]
    assert len(names) == len(set(names)) == 4
    assert "MW105 mw_releases[0].releases.main.stage (9:3)" in names


def test_clean_run_is_a_non_empty_report(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: CLEAN})
    p = mwlint("--select", "MW1", "--format", "junit", str(repo), cwd=str(repo))
    assert p.returncode == 0, p.stderr
    _, suite = _parse(p.stdout)
    assert _counts(suite) == {"tests": 1, "failures": 0, "skipped": 0}
    assert suite.find("testcase").get("classname") == KEY_PATH


@pytest.mark.parametrize("select", ["MW1", "MW102", "MW2"])
def test_counts_match_the_json_findings_of_the_same_run(tmp_path, select):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN, "hieradata/hosts/deploy1003.yaml": CLEAN})
    j = tmp_path / "j.xml"
    p = mwlint("--select", select, "--format", "json", "--output", f"junit={j}", str(repo))
    doc = json.loads(p.stdout)
    _, suite = _parse(j.read_text(encoding="utf-8"))
    errors = sum(1 for f in doc["findings"] if f["severity"] == "error")
    clean = doc["summary"]["linted"] - len({f["path"] for f in doc["findings"]})
    assert _counts(suite) == {"tests": len(doc["findings"]) + clean, "failures": errors,
                              "skipped": len(doc["findings"]) - errors}
    assert p.returncode == (1 if errors else 0)


def test_real_broken_config_gives_one_failure_at_mw_misc(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    p = mwlint("--select", "MW102", "--format", "junit", KEY_PATH, cwd=str(repo))
    _, suite = _parse(p.stdout)
    (case,) = suite.findall("testcase")
    assert (case.get("classname"), case.get("name")) == (KEY_PATH, "MW102 mw_releases[5]")
    assert case.find("failure").get("message").startswith(f"{KEY_PATH}:297:5: entry 'mw-misc' ")


def test_deterministic():
    assert render("junit", sample_report()) == render("junit", sample_report())
    assert NASTY  # the sample carries the nasty message
