"""``--format gitlab``: GitLab Code Quality, checked against a schema written from GitLab's
documentation, for ``check`` and ``check-report``."""

import json
import os
import shutil

import pytest
from format_cases import BROKEN, CLEAN, NASTY, OTHER_PATH, make_repo, mwlint, sample_report
from helpers import FIXTURES, KEY_PATH, REAL

from mwlint.formats import FORMATS, render

jsonschema = pytest.importorskip("jsonschema")

# GitLab, "Code Quality" > "Code Quality report format" (docs.gitlab.com/ci/testing/
# code_quality/#code-quality-report-format): the report is a JSON array of objects, each with
# description (string), check_name (string), fingerprint (string, unique per issue),
# severity (one of info, minor, major, critical, blocker), location.path (relative to the
# repository) and location.lines.begin (integer) or location.positions.begin.line. The fields
# are documented as required; mwlint writes no others.
CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False,
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "additionalProperties": False,
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|[A-Za-z]:)"}},
                    "lines": {"type": "object", "additionalProperties": False,
                              "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def _valid(text):
    doc = json.loads(text)
    jsonschema.validate(doc, CODE_QUALITY_SCHEMA)
    fps = [i["fingerprint"] for i in doc]
    assert len(fps) == len(set(fps))  # GitLab shows one issue per fingerprint
    return doc


def test_registered_as_a_format():
    assert "gitlab" in FORMATS


def test_sample_report_maps_every_field():
    doc = _valid(render("gitlab", sample_report()))
    got = [(i["check_name"], i["severity"], i["location"]["path"],
            i["location"]["lines"]["begin"]) for i in doc]
    assert got == [("MW103", "info", OTHER_PATH, 1), ("MW102", "major", KEY_PATH, 2),
                   ("MW206", "minor", KEY_PATH, 4), ("MW105", "major", KEY_PATH, 4)]
    assert doc[1]["description"] == "MW102 missing-key: entry 'mw-misc' lacks web_flavour"
    assert doc[2]["description"] == f"MW206 null-override: {NASTY}"  # JSON carries it as text
    sarif = json.loads(render("sarif", sample_report()))
    assert [i["fingerprint"] for i in doc] == [  # the same identity as SARIF's
        r["partialFingerprints"]["mwlint/v1"] for r in sarif["runs"][0]["results"]]


def test_fingerprints_survive_line_moves_and_stay_distinct():
    report = sample_report()
    moved = report._replace(findings=[f._replace(line=f.line + 10) for f in report.findings])
    a, b = _valid(render("gitlab", report)), _valid(render("gitlab", moved))
    assert [i["fingerprint"] for i in a] == [i["fingerprint"] for i in b]
    dup = report._replace(findings=report.findings + [report.findings[-1]._replace(line=9)])
    _valid(render("gitlab", dup))  # the same finding twice: two fingerprints


def test_check_in_a_repository(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN, "hieradata/hosts/deploy1003.yaml": CLEAN})
    out = tmp_path / "gl-code-quality-report.json"
    p = mwlint("--format", "gitlab", "--output", f"gitlab={out}", str(repo))
    assert p.returncode == 1, p.stderr
    doc = _valid(p.stdout)
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    assert {i["location"]["path"] for i in doc} == {KEY_PATH}
    mw102 = [i["location"]["lines"]["begin"] for i in doc if i["check_name"] == "MW102"]
    assert mw102 == [297]
    j = json.loads(mwlint("--format", "json", str(repo)).stdout)
    assert len(doc) == len(j["findings"])
    assert [i["severity"] for i in doc] == [
        {"error": "major", "warning": "minor", "info": "info"}[f["severity"]]
        for f in j["findings"]]


def test_clean_run_is_an_empty_array(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: CLEAN})
    p = mwlint("--select", "MW1", "--format", "gitlab", str(repo))
    assert p.returncode == 0, p.stderr
    assert _valid(p.stdout) == []


def test_outside_a_repository_paths_are_relative_to_the_working_directory(tmp_path):
    assert not any(os.path.exists(os.path.join(d, ".git"))
                   for d in [str(tmp_path), *map(str, tmp_path.parents)])
    (tmp_path / "hiera").mkdir()
    key = tmp_path / "hiera" / "kubernetes.yaml"
    shutil.copyfile(BROKEN, key)
    p = mwlint("--select", "MW102", "--format", "gitlab", str(key), cwd=str(tmp_path))
    (issue,) = _valid(p.stdout)
    assert issue["location"] == {"path": "hiera/kubernetes.yaml", "lines": {"begin": 297}}


def test_check_report_writes_code_quality_for_the_release_repository(tmp_path):
    """The build report's producer runs its CI on GitLab: check-report speaks it too."""
    report = os.path.join(FIXTURES, "build-report", "report-illustrative.json")
    hiera = os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml")
    p = mwlint("check-report", report, "--hiera", hiera, "--format", "gitlab")
    assert p.returncode == 1, p.stderr
    doc = _valid(p.stdout)
    assert {i["check_name"][:3] for i in doc} == {"MW4"}
    j = json.loads(mwlint("check-report", report, "--hiera", hiera, "--format", "json").stdout)
    assert [(i["check_name"], i["location"]["lines"]["begin"]) for i in doc] == [
        (f["code"], max(1, f["line"])) for f in j["findings"]]


def test_schema_refuses_what_gitlab_would_not_read():
    bad = [{"description": "x", "check_name": "MW1", "fingerprint": "f", "severity": "error",
            "location": {"path": "a.yaml", "lines": {"begin": 1}}}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, CODE_QUALITY_SCHEMA)  # 'error' is not a GitLab severity
    bad[0].update(severity="major", location={"path": "/abs/a.yaml", "lines": {"begin": 1}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, CODE_QUALITY_SCHEMA)


def test_file_name_that_is_not_utf8_is_escaped():
    report = sample_report()
    odd = "hieradata/k" + os.fsdecode(b"\xff") + ".yaml"
    report = report._replace(findings=[f._replace(path=odd) for f in report.findings],
                             linted_paths=(odd,), sources={})
    text = render("gitlab", report, root=".")
    text.encode("utf-8")  # strict: GitLab reads UTF-8
    assert {i["location"]["path"] for i in _valid(text)} == {"hieradata/k\\xff.yaml"}
