"""Unsafe fixes of the deploy-service rules (issue 18 item 4): a misspelt key (MW601),
stage (MW604) or env-ref (MW606) with one close match carries a Fix whose edits write that
match; applying the edits and linting again leaves no MW6xx error. A guess is unsafe."""

import pytest
from helpers import lint
from test_rules_mw6xx import mut


def apply(text, findings):
    edits = sorted({e for f in findings if f.fix is not None for e in f.fix.edits},
                   key=lambda e: e.start.offset, reverse=True)
    for e in edits:
        text = text[:e.start.offset] + e.content + text[e.end.offset:]
    return text


CASES = [
    ("MW601 group key", ("    dir: dse-k8s-services", "    dirs: dse-k8s-services"),
     "MW601", "dirs", "dir"),
    ("MW601 release key", ("canary: {stage: CANARY}", "canary: {stag: CANARY}"),
     "MW601", "stag", "stage"),
    ("MW604 release stage", ("                  stage: CANARY", "                  stage: CANAR"),
     "MW604", "CANAR", "CANARY"),
    ("MW604 quoted release stage",
     ("                  stage: CANARY", "                  stage: 'canry'"),
     "MW604", "'canry'", "'CANARY'"),
    ("MW604 check stage", ("        eqiad:\n          CANARY:", "        eqiad:\n          CANAR:"),
     "MW604", "CANAR", "CANARY"),
    ("MW604 default stage", ("    environment_default_stage: DEFAULT\n  dse-k8s",
                             "    environment_default_stage: DEFALT\n  dse-k8s"),
     "MW604", "DEFALT", "DEFAULT"),
    ("MW606 env-ref", ("            dse-k8s-eqiad: {}", "            dse-k8s-eqaid: {}"),
     "MW606", "dse-k8s-eqaid", "dse-k8s-eqiad"),
    ("MW606 check env-ref", ("        dse-k8s-eqiad:\n          DEFAULT:",
                             "        dse-k8s-eqaid:\n          DEFAULT:"),
     "MW606", "dse-k8s-eqaid", "dse-k8s-eqiad"),
]


@pytest.mark.parametrize("pair,code,old,new", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unsafe_fix_repairs_the_misspelling(pair, code, old, new):
    text = mut(pair)
    found = [f for f in lint(text) if f.code.startswith("MW6")]
    assert [f.code for f in found] == [code]
    fix = found[0].fix
    assert fix is not None and fix.applicability == "unsafe" and found[0].fixable
    (edit,) = fix.edits
    assert text[edit.start.offset:edit.end.offset] == old and edit.content == new
    assert (edit.start.line, edit.start.column) == (found[0].line, found[0].column)
    fixed = apply(text, found)
    assert fixed == mut((pair[0], pair[1].replace(old, new)))
    assert [f for f in lint(fixed) if f.code.startswith("MW6")] == []


@pytest.mark.parametrize("pair", [
    # two stages are as close: a hint, no fix
    ("[CANARY, DEFAULT]", "[CANARY1, CANARY2, DEFAULT]"),
    # no close key at all
    ("    dir: dse-k8s-services", "    zzzz: dse-k8s-services"),
], ids=["ambiguous", "nothing close"])
def test_no_fix_without_one_close_match(pair):
    text = mut(pair)
    if "CANARY1" in text:
        text = text.replace("stage: CANARY}", "stage: CANARY3}")
    found = [f for f in lint(text) if f.code in ("MW601", "MW604")]
    assert found and all(f.fix is None for f in found)


def test_a_fix_keeps_a_value_that_needs_quotes_a_string():
    text = mut(("aliases: [staging]", "aliases: [staging, 'yes']"),
               ("            dse-k8s-eqiad: {}", "            dse-k8s-eqiad: {}"))
    text = text.replace("            staging: {}\n            eqiad:", "            ye: {}\n"
                        "            eqiad:", 1)
    found = [f for f in lint(text) if f.code == "MW606"]
    assert [f.fix.edits[0].content for f in found if f.fix is not None] == ['"yes"']
