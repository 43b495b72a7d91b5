"""The rule registry against the catalogue (spec rules.md), the README table and `mwlint rule`."""

import os
import re

import pytest
from helpers import HERE

from mwlint.findings import SEVERITIES
from mwlint.rules import all_rules, find_rule

ROOT = os.path.dirname(HERE)

# The contract: every code of the catalogue with its name and default severity.
CATALOGUE = {
    "MW001": ("yaml-syntax", "error"), "MW002": ("duplicate-key", "error"),
    "MW003": ("unreadable-file", "error"), "MW004": ("unused-suppression", "warning"),
    "MW006": ("key-in-later-document", "error"),
    "MW005": ("stale-baseline-entry", "info"),
    "MW101": ("invalid-shape", "error"), "MW102": ("missing-key", "error"),
    "MW103": ("unknown-key", "error"), "MW104": ("wrong-type", "error"),
    "MW105": ("invalid-stage", "error"), "MW106": ("empty-flavour", "error"),
    "MW107": ("both-keys", "error"),
    "MW007": ("misspelt-key", "error"),
    "MW201": ("deprecated-debug", "error"), "MW202": ("missing-mw-kind", "error"),
    "MW203": ("debug-image-stage", "error"), "MW204": ("testservers-kind", "warning"),
    "MW205": ("legacy-format", "error"), "MW206": ("null-override", "warning"),
    "MW207": ("inert-stage", "info"), "MW208": ("unknown-kind", "warning"),
    "MW209": ("unexpected-flavour", "warning"),
    "MW301": ("invalid-cluster-dir", "error"), "MW302": ("dir-clusters-mismatch", "warning"),
    "MW303": ("empty-clusters", "warning"), "MW304": ("duplicate-namespace", "error"),
    "MW305": ("values-file-collision", "error"), "MW306": ("invalid-name", "warning"),
    "MW307": ("empty-releases", "warning"), "MW308": ("helmfile-mismatch", "error"),
    "MW309": ("helmfile-unverifiable", "info"),
    "MW401": ("report-invalid", "error"), "MW402": ("missing-flavour", "error"),
    "MW403": ("missing-kind", "error"), "MW404": ("missing-web-image", "error"),
    "MW405": ("unused-report-entry", "info"), "MW406": ("legacy-report-shape", "warning"),
    "MW501": ("invalid-supervision-rule", "error"), "MW502": ("unmatched-scope", "warning"),
    "MW503": ("scope-in-legacy-form", "warning"),
    "MW601": ("service-unknown-key", "error"), "MW602": ("service-missing-key", "error"),
    "MW603": ("service-wrong-type", "error"), "MW604": ("service-invalid-value", "error"),
    "MW605": ("service-duplicate-name", "error"),
    "MW606": ("service-undefined-reference", "error"),
    "MW607": ("service-check-deploys-nothing", "error"),
    "MW608": ("service-groups-not-found", "info"),
    "MW609": ("service-never-production", "warning"),
    "MW610": ("service-unused-stage", "warning"),
    "MW611": ("service-duplicate-command", "warning"),
    "MW612": ("service-helmfile-mismatch", "error"),
    "MW613": ("service-helmfile-unverifiable", "info"),
    "MW614": ("service-invalid-name", "warning"),
}


def test_every_catalogue_code_is_implemented_as_specified():
    rules = {r.code: r for r in all_rules()}
    for code, (name, severity) in CATALOGUE.items():
        assert code in rules, f"{code} is in the catalogue but not implemented"
        assert (rules[code].name, rules[code].severity) == (name, severity), code


def test_codes_and_names_are_unique_and_well_formed():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert re.fullmatch(r"MW\d{3}", r.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        assert r.severity in SEVERITIES


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_is_documented(rule):
    assert len(rule.summary) > 30 and len(rule.rationale) > 30, rule.code
    assert rule.bad.strip() and rule.good.strip() and rule.bad != rule.good, rule.code
    doc = rule.doc()
    for section in ("What it does", "Why it matters", "Example", "Use instead", "Fix"):
        assert section in doc, (rule.code, section)
    assert find_rule(rule.code) is rule and find_rule(rule.name) is rule


def test_readme_table_covers_every_code():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    rows = dict(re.findall(r"^\| (MW\d{3}) \| ([a-z0-9-]+) \|", readme, re.M))
    for r in all_rules():
        assert rows.get(r.code) == r.name, f"README rule table lacks {r.code} {r.name}"


def test_readme_severity_section_names_every_warning_and_info_rule():
    """"Errors, warnings, info" says why each non-error rule is not an error: a severity
    changed in a rule module without that reasoning fails here."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = " ".join(readme.split("### Errors, warnings, info", 1)[1].split("\n\n", 2)[1]
                       .split())
    warning_part = section.split("**warning**", 1)[1].split("**Info**", 1)[0]
    info_part = section.split("**Info**", 1)[1].split(")", 1)[0]
    by_severity = {}
    for r in all_rules():
        by_severity.setdefault(r.severity, set()).add(r.code)
    assert set(re.findall(r"MW\d{3}", info_part)) == by_severity["info"]
    assert by_severity["warning"] <= set(re.findall(r"MW\d{3}", warning_part))
    for code in set(re.findall(r"MW\d{3}", warning_part)) - by_severity["warning"]:
        # an error named among the warnings is the authority for one of them: "MW308 is an error"
        assert code in by_severity["error"] and re.search(
            code + r"[^();]*?(is an error|are errors)", warning_part), code


def _documented_codes(path: str):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"^\| \[?(MW\d{3})\]?", text, re.M))


@pytest.mark.parametrize("path", ["README.md", os.path.join("docs", "rules.md")])
def test_the_rule_catalogue_both_ways(path):
    """Every rule has a row in the README's and docs/rules.md's tables, and every code in
    those tables is a rule (MW005 included): no rule undocumented, no documented rule gone."""
    rules = {r.code for r in all_rules()}
    documented = _documented_codes(path)
    assert "MW005" in rules and "MW005" in documented
    assert rules - documented == set(), f"{path} lacks a row for these rules"
    assert documented - rules == set(), f"{path} documents codes that are no rules"
    assert set(CATALOGUE) == rules  # the catalogue of this test, both ways too


def test_rule_doc_sections_follow_the_rule():
    """``mwlint rule CODE`` shows Options and Supersedes only for rules that have them."""
    rules = all_rules()
    with_options = [r for r in rules if r.options]
    with_supersedes = [r for r in rules if r.supersedes]
    assert with_options and with_supersedes
    for r in rules:
        doc = r.doc()
        assert ("\nOptions\n" in doc) == bool(r.options), r.code
        assert ("\nSupersedes\n" in doc) == bool(r.supersedes), r.code


def test_without_indexes():
    from mwlint.rules.base import without_indexes

    assert without_indexes("mw_releases[3].releases.a[12].b") == "mw_releases[].releases.a[].b"
    assert without_indexes("x") == "x"


# -- the catalogue known without importing, and what a plain check loads -------------------

def test_the_catalogue_names_every_rule_as_its_module_does():
    """A run selects rules by the catalogue (module names) and imports a rule module only
    when a file needs it: the module name must say the rule's code and name."""
    from mwlint.rules import catalogue

    assert [(e.code, e.name) for e in catalogue()] == [(r.code, r.name) for r in all_rules()]
    for r in all_rules():
        module = type(r).__module__.rsplit(".", 1)[1]
        assert module == r.code.lower() + "_" + r.name.replace("-", "_"), module


def test_report_rules_are_exactly_the_mw4xx_and_every_other_rule_runs_in_a_check():
    """The engine knows the report rules by their prefix (REPORT_PREFIX) and gives every
    other selected code to a check's suppressions without importing the rule."""
    from mwlint.rules import REPORT_PREFIX
    from mwlint.rules.report_base import ReportRule

    for r in all_rules():
        assert isinstance(r, ReportRule) == r.code.startswith(REPORT_PREFIX), r.code
        if not isinstance(r, ReportRule):
            assert "check" in r.scope, r.code


LOADED = r"""
import json, sys
from mwlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("mwlint.rules.mw"))),
      file=sys.stderr)
"""


def _rule_modules_loaded(*argv):
    import json
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True,
                       text=True, timeout=60)
    return {m.rsplit(".", 1)[1][:5].upper() for m in json.loads(p.stderr.splitlines()[-1])}


@pytest.mark.parametrize("fixture, loaded, not_loaded", [
    # MediaWiki keys only: the core and MediaWiki rules, no deploy-service or report rule
    ("real/puppet-2024-10-17-cf184ede-kubernetes.yaml",
     {"MW001", "MW006", "MW101", "MW201", "MW309", "MW503"}, {"MW4", "MW6"}),
    # deploy-service keys only: the core and deploy-service rules
    ("deploy-service/puppet-2026-late-d00e53d0-kubernetes-deploy-service.yaml",
     {"MW001", "MW601", "MW614"}, {"MW4"}),
])
def test_a_plain_check_loads_the_rules_of_the_families_its_files_hold(fixture, loaded,
                                                                        not_loaded):
    got = _rule_modules_loaded(os.path.join(HERE, "fixtures", fixture))
    assert loaded <= got
    assert not any(code.startswith(tuple(not_loaded)) for code in got), sorted(got)


def test_a_file_of_no_family_loads_no_family_rule(tmp_path):
    (tmp_path / "common.yaml").write_text("profile::foo::bar: 1\n")
    got = _rule_modules_loaded(str(tmp_path))
    assert not any(c.startswith(("MW1", "MW2", "MW3", "MW4", "MW5", "MW6")) for c in got)


def test_the_report_rules_load_with_a_report():
    report = os.path.join(HERE, "fixtures", "build-report", "report-2025-late.json")
    got = _rule_modules_loaded(
        os.path.join(HERE, "fixtures", "real",
                     "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml"),
        "--report", report)
    assert {"MW401", "MW402", "MW405"} <= got


def test_by_code_and_find_rule_name_every_rule():
    from mwlint.rules import by_code

    table = by_code()
    assert sorted(table) == sorted(CATALOGUE)
    for code, (name, _severity) in CATALOGUE.items():
        assert table[code].name == name
        assert find_rule(code) is table[code] and find_rule(name) is table[code]
    assert find_rule("MW999") is None
