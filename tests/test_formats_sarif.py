"""``--format sarif``: valid against the official SARIF 2.1.0 schema, rules from the registry."""

import json
import os
import re
from urllib.parse import urlsplit

import pytest
from format_cases import BROKEN, NASTY, make_repo, mwlint, sample_report
from helpers import FIXTURES, KEY_PATH

from mwlint import __version__
from mwlint.formats import render
from mwlint.rules import all_rules

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    with open(os.path.join(FIXTURES, "schemas", "sarif-schema-2.1.0.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _artifact_locations(node):
    if isinstance(node, dict):
        if "artifactLocation" in node:
            yield node["artifactLocation"]
        if "location" in node and "uri" in node["location"]:
            yield node["location"]
        for v in node.values():
            yield from _artifact_locations(v)
    elif isinstance(node, list):
        for v in node:
            yield from _artifact_locations(v)


def _valid(validator, text):
    doc = json.loads(text)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    # SARIF §3.4.4 (SARIF1004): a uriBaseId only with a relative reference, and it is declared
    bases = set(doc["runs"][0].get("originalUriBaseIds", {}))
    for loc in _artifact_locations(doc):
        if "uriBaseId" in loc:
            assert not urlsplit(loc["uri"]).scheme and not loc["uri"].startswith("/"), loc
            assert loc["uriBaseId"] in bases
        else:
            assert urlsplit(loc["uri"]).scheme == "file", loc
    return doc


def test_sample_report_validates_and_maps_fields(validator):
    doc = _valid(validator, render("sarif", sample_report()))
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    got = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"])
           for r in run["results"]]
    assert got == [("MW103", "note", 1, 1), ("MW102", "error", 2, 5),
                   ("MW206", "warning", 4, 7), ("MW105", "error", 4, 21)]
    mw105 = run["results"][3]
    region = mw105["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 21, "endLine": 4, "endColumn": 27,
                      "snippet": {"text": "      main: {stage: canary}"}}
    assert rules[mw105["ruleIndex"]]["id"] == "MW105"
    assert mw105["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == \
        "mw_releases[0].releases.main.stage"
    uri = mw105["locations"][0]["physicalLocation"]["artifactLocation"]
    assert run["artifacts"][uri["index"]]["location"]["uri"] == uri["uri"] == KEY_PATH
    assert run["results"][2]["message"]["text"] == NASTY  # JSON carries it verbatim


def test_rule_descriptors_have_all_help(validator):
    doc = json.loads(render("sarif", sample_report()))
    by_id = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    for rule in all_rules():
        d = by_id[rule.code]
        assert d["name"] == rule.name
        assert d["shortDescription"]["text"].startswith(f"{rule.code} {rule.name}: ")
        assert d["fullDescription"]["text"]
        assert d["help"]["text"] == rule.doc()
        assert d["help"]["markdown"].startswith(f"## {rule.code} {rule.name}\n")
        assert d["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning",
                                                      "info": "note"}[rule.severity]
        assert d["properties"]["fixable"] is rule.fixable
        if rule.fix:
            assert d["properties"]["fix"]


def test_fingerprints_are_stable_across_line_moves_and_distinct():
    report = sample_report()
    moved = report._replace(findings=[f._replace(line=f.line + 10, end_line=f.end_line + 10)
                                      for f in report.findings])

    def prints(r):
        return [x["partialFingerprints"]["mwlint/v1"]
                for x in json.loads(render("sarif", r))["runs"][0]["results"]]

    assert prints(report) == prints(moved)
    assert len(set(prints(report))) == len(report.findings)


def test_odd_paths_are_uri_encoded(validator):
    report = sample_report()
    odd = "hieradata/role/a b/ü#x.yaml"
    report = report._replace(findings=[f._replace(path=odd) for f in report.findings],
                             linted_paths=(odd,), sources={})
    doc = _valid(validator, render("sarif", report))
    uris = {a["location"]["uri"] for a in doc["runs"][0]["artifacts"]}
    assert uris == {"hieradata/role/a%20b/%C3%BC%23x.yaml"}


def test_file_name_that_is_not_utf8_is_escaped(validator):
    """Bytes of a name that are not UTF-8 (lone surrogates in Python) used to make SARIF
    unencodable; they are written as \\xNN, the same in every format."""
    report = sample_report()
    odd = "hieradata/k" + os.fsdecode(b"\xff") + ".yaml"
    report = report._replace(findings=[f._replace(path=odd) for f in report.findings],
                             linted_paths=(odd,), sources={odd: "x\n"})
    text = render("sarif", report)
    text.encode("utf-8")
    doc = _valid(validator, text)
    uris = {a["location"]["uri"] for a in doc["runs"][0]["artifacts"]}
    assert uris == {"hieradata/k%5Cxff.yaml"}


def test_empty_report_validates(validator):
    report = sample_report()._replace(findings=[], failed=False)
    doc = _valid(validator, render("sarif", report))
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["invocations"][0]["exitCode"] == 0


def test_real_run_validates(validator, tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    p = mwlint("--format", "sarif", str(repo))
    assert p.returncode == 1, p.stderr
    doc = _valid(validator, p.stdout)
    results = doc["runs"][0]["results"]
    assert results
    mw102 = [r for r in results if r["ruleId"] == "MW102"]
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in mw102] \
        == [(297, 5)]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results} == {KEY_PATH}


REAL_DEBUG = os.path.join(os.path.dirname(BROKEN), "puppet-2024-10-17-cf184ede-kubernetes.yaml")


def test_fixable_findings_carry_the_edits_of_mwlint_fix(validator, tmp_path):
    from mwlint.fix import fix_text

    repo = make_repo(tmp_path, {KEY_PATH: REAL_DEBUG})
    p = mwlint("--format", "sarif", "--select", "MW201", str(repo))
    doc = _valid(validator, p.stdout)
    results = doc["runs"][0]["results"]
    assert results and all(r["ruleId"] == "MW201" for r in results)
    with open(REAL_DEBUG, encoding="utf-8") as fh:
        text = fh.read()
    lines = text.split("\n")
    edits = set()
    for r in results:
        assert ("fixes" in r) is r["properties"]["fixable"], r["message"]["text"]
        for fix in r.get("fixes", []):
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"]["uri"] == KEY_PATH
            for rep in change["replacements"]:
                d = rep["deletedRegion"]
                # the line/column region and the character offsets agree
                offset = sum(len(x) + 1 for x in lines[: d["startLine"] - 1]) + d["startColumn"] - 1
                assert offset == d["charOffset"]
                edits.add((d["charOffset"], d["charLength"],
                           rep.get("insertedContent", {}).get("text", "")))
    fixed = text
    for start, length, new in sorted(edits, reverse=True):
        fixed = fixed[:start] + new + fixed[start + length:]
    assert fixed == fix_text(text, KEY_PATH).fixed != text


def test_no_fixes_without_sources_or_for_unfixable_findings(validator):
    report = sample_report()
    report = report._replace(findings=[f._replace(fixable=True) for f in report.findings])
    doc = _valid(validator, render("sarif", report))  # the engine finds nothing to fix here
    assert not any("fixes" in r for r in doc["runs"][0]["results"])
    doc = _valid(validator, render("sarif", report._replace(sources=None)))
    assert not any("fixes" in r for r in doc["runs"][0]["results"])


def test_findings_repaired_by_another_fix_name_it(validator, tmp_path):
    """SARIF fixes need a replacement: MW202/MW203, repaired by MW201's fix, name it in
    properties.repairedBy instead, and the document still validates."""
    repo = make_repo(tmp_path, {KEY_PATH: REAL_DEBUG})
    p = mwlint("--format", "sarif", str(repo))
    results = _valid(validator, p.stdout)["runs"][0]["results"]
    at = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r
          for r in results}
    repaired = [r for r in results if r["ruleId"] in ("MW202", "MW203")]
    assert repaired
    for r in repaired:
        assert r["properties"]["fixable"] and "fixes" not in r
        by = r["properties"]["repairedBy"]
        assert by["ruleId"] == "MW201" and "fixes" in at[("MW201", by["line"])]


def _github_anchors(markdown):
    """The heading ids GitHub (and Gitiles' lowercase twin) give the headings of a document."""
    out = set()
    for line in markdown.splitlines():
        m = re.match(r"#{1,6} (.*)", line)
        if m:
            text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
            out.add(text.replace(" ", "-"))
    return out


def test_every_rule_has_a_help_uri_to_its_section_at_the_release(validator):
    doc = _valid(validator, render("sarif", sample_report()))
    driver = doc["runs"][0]["tool"]["driver"]
    tree = ("https://gerrit.wikimedia.org/r/plugins/gitiles/operations/software/mwlint/+/"
            f"refs/tags/v{__version__}/")
    assert driver["informationUri"] == tree
    with open(os.path.join(os.path.dirname(FIXTURES), os.pardir, "docs", "rules.md"),
              encoding="utf-8") as fh:
        anchors = _github_anchors(fh.read())
    assert len(driver["rules"]) == len(all_rules())
    for r in driver["rules"]:
        base, _, anchor = r["helpUri"].partition("#")
        assert base == tree + "docs/rules.md"
        assert anchor == f"{r['id']} {r['name']}".lower().replace(" ", "-")
        assert anchor in anchors, r["id"]  # the section exists in docs/rules.md


def test_outside_a_repository_no_absolute_uri_has_a_base(validator, tmp_path):
    """No git repository above the files and no --root: 0.2.0 wrote the absolute path as a
    uri against SRCROOT (SARIF1004 on every result)."""
    assert not any(os.path.exists(os.path.join(d, ".git"))
                   for d in [str(tmp_path), *map(str, tmp_path.parents)])
    key = tmp_path / "hieradata" / "kubernetes.yaml"
    key.parent.mkdir()
    key.write_bytes(open(REAL_DEBUG, "rb").read())
    p = mwlint("--format", "sarif", str(key))
    assert p.returncode == 1, p.stderr
    doc = _valid(validator, p.stdout)
    run = doc["runs"][0]
    assert {a["location"]["uri"] for a in run["artifacts"]} == {key.as_uri()}
    assert "originalUriBaseIds" not in run
    assert all(f["artifactChanges"][0]["artifactLocation"] == {"uri": key.as_uri(), "index": 0}
               for r in run["results"] for f in r.get("fixes", ()))
    assert any("fixes" in r for r in run["results"])
    p = mwlint("--format", "sarif", "hieradata/kubernetes.yaml", cwd=str(tmp_path))
    doc = _valid(validator, p.stdout)  # a relative path as given stays relative, with the base
    assert {a["location"]["uri"] for a in doc["runs"][0]["artifacts"]} == \
        {"hieradata/kubernetes.yaml"}
