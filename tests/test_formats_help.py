"""The help line of a finding (how to fix it) in every format: text (an indented `help:` line
after the greppable first line, before the source; `--concise` for first lines only), JSON,
SARIF, JUnit, GitHub, Gerrit and HTML."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest
from format_cases import BROKEN, NASTY, SOURCE, finding, mwlint
from helpers import FIXTURES, KEY_PATH

from mwlint.findings import Finding
from mwlint.formats import Report, render

HELP = "set stage: canaries"
FIRST = (f"{KEY_PATH}:4:21: error MW105 invalid-stage: stage 'canary' of 'mw-misc/main' is "
         "not testservers, canaries or production")


def report():
    findings = [
        finding(message="stage 'canary' of 'mw-misc/main' is not testservers, canaries or "
                        "production", help=HELP),
        finding("MW102", "missing-key", "error", "entry 'mw-misc' has no web_flavour", line=2,
                column=5, end_line=2, end_column=14, yaml_path="mw_releases[0]"),  # no help
        finding("MW206", "null-override", "warning", "null kind", line=4, column=7,
                end_line=4, end_column=11, yaml_path="mw_releases[0].releases.main",
                help=NASTY),
    ]
    findings.sort(key=Finding.sort_key)
    return Report(findings, files=1, linted=1, sources={KEY_PATH: SOURCE}, failed=True,
                  linted_paths=(KEY_PATH,))


def test_text_first_line_then_help_then_source():
    out = render("text", report(), show_source=True).splitlines()
    i = out.index(FIRST)
    assert out[i + 1] == f"  help: {HELP}"
    assert out[i + 2] == "       4 |       main: {stage: canary}"
    assert out[i + 3] == "         | " + " " * 20 + "^^^^^^"
    # a finding without help goes straight to its source
    j = [n for n, line in enumerate(out) if " MW102 " in line][0]
    assert out[j + 1].startswith("       2 |")


def test_text_without_source_and_concise():
    lines = render("text", report()).splitlines()
    assert lines[lines.index(FIRST) + 1] == f"  help: {HELP}"
    concise = render("text", report(), show_source=True, concise=True).splitlines()
    assert len(concise) == 3 + 1 and FIRST in concise  # three first lines and the summary
    assert not [line for line in concise if line.startswith(" ")]


def test_text_help_is_neutralised_and_only_its_label_coloured():
    out = render("text", report(), colour=True)
    assert "\x1b[31m" not in out and "\r" not in out
    assert "\nforged:1:1" not in out
    assert "  \x1b[1;32mhelp:\x1b[0m set stage: canaries" in out
    assert f"\n{KEY_PATH}:4:21: " in "\n" + out  # the greppable prefix is never coloured


def test_json_help_is_a_string_or_null():
    doc = json.loads(render("json", report()))
    by_code = {f["code"]: f for f in doc["findings"]}
    assert by_code["MW105"]["help"] == HELP and by_code["MW102"]["help"] is None


def test_sarif_result_properties_carry_help_and_stay_valid():
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(FIXTURES, "schemas", "sarif-schema-2.1.0.json"),
              encoding="utf-8") as fh:
        schema = json.load(fh)
    doc = json.loads(render("sarif", report(), root="."))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert not list(validator.iter_errors(doc))
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    assert results["MW105"]["properties"]["help"] == HELP
    assert results["MW105"]["message"]["text"].startswith("stage 'canary'")  # message only
    assert "help" not in results["MW102"]["properties"]
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert "Why it matters" in rules["MW105"]["help"]["text"]  # the why: in the rule docs


def test_junit_failure_text_has_the_help_line():
    root = ET.fromstring(render("junit", report(), root="."))
    texts = [el.text for el in root.iter("failure")]
    assert any(t.splitlines()[1] == f"help: {HELP}" for t in texts)


def test_github_help_is_the_second_line_of_the_annotation():
    lines = render("github", report(), root=".").splitlines()
    (mw105,) = [line for line in lines if "MW105" in line]
    assert mw105.endswith(f"production%0Ahelp: {HELP}")
    (mw206,) = [line for line in lines if "MW206" in line]
    assert "\r" not in mw206 and "\\x0d\\x0aforged" in mw206  # neutralised: no forged command
    assert len(lines) == 4


def test_gerrit_comment_has_the_help_paragraph():
    doc = json.loads(render("gerrit", report(), root="."))
    (comments,) = doc["comments"].values()
    (mw105,) = [c for c in comments if c["message"].startswith("[MW105")]
    assert f"\n\nhelp: {HELP}\n\n" in mw105["message"]


def test_html_shows_the_help_escaped():
    pytest.importorskip("jinja2")
    html = render("html", report())
    assert f'<div class="help">help: {HELP}</div>' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_cli_concise_and_help_lines_on_a_real_file():
    full = mwlint("--no-show-source", BROKEN).stdout.splitlines()
    concise = mwlint("--concise", BROKEN).stdout.splitlines()
    assert [line for line in full if not line.startswith("  help: ")] == concise
    assert len(full) > len(concise)
    p = mwlint("check-report", os.path.join(FIXTURES, "build-report", "report-empty.json"),
               "--concise")
    assert p.stdout.splitlines()[0].endswith("the report is empty: the image build did not "
                                             "finish writing it, so scap aborts the sync")
    assert "help:" not in p.stdout
