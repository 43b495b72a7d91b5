"""Issue 12's done-when: on the sixteen real configs, examples/ and the build-report
fixtures, every rule's message is one short sentence (at most 120 characters) and neither the
message nor the help line carries an internal label (V6, G3) or a commit id; the why lives in
`mwlint rule CODE`. Also: what `mwlint rule CODE` says about fixes is what `--fix` does."""

from __future__ import annotations

import glob
import os
import re

import pytest
from helpers import FIXTURES, HERE, REAL

from mwlint.engine import check_report_text, lint_paths
from mwlint.rules import all_rules
from mwlint.settings import Settings

ROOT = os.path.dirname(HERE)
CONFIGS = sorted(glob.glob(os.path.join(REAL, "*.yaml")))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.yaml"), recursive=True))
REPORTS = sorted(glob.glob(os.path.join(FIXTURES, "build-report", "*.json")))
CHARTS = os.path.join(FIXTURES, "deployment-charts")
MAX_MESSAGE = 120
LABEL = re.compile(r"\bV[1-7]\b|\bG[1-5]\b|\b[0-9a-f]{8}\b")

assert len(CONFIGS) == 16 and EXAMPLES and len(REPORTS) >= 10


def _read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _every_finding():
    """Every finding of every rule on the fixtures: the configs and examples with the
    default settings, with a deployment-charts checkout (MW301 existence, MW308, MW309) and
    with require-mw-kind; every report alone and against every config."""
    found = []
    for settings in (Settings(), Settings(deployment_charts=CHARTS),
                     Settings(require_mw_kind=True)):
        found += lint_paths(CONFIGS + EXAMPLES, settings).findings
    for report in REPORTS:
        text = _read(report)
        for config in CONFIGS + [None]:
            found += check_report_text(text, _read(config) if config else None,
                                       report_path=report, hiera_path=config or "k.yaml")
    return found


FINDINGS = _every_finding()


def test_the_fixtures_exercise_the_rules_they_can():
    codes = {f.code for f in FINDINGS}
    assert {"MW102", "MW103", "MW104", "MW105", "MW201", "MW202", "MW203", "MW205", "MW209",
            "MW301", "MW302", "MW401", "MW402", "MW403", "MW404", "MW405", "MW406"} <= codes


@pytest.mark.parametrize("code", sorted({f.code for f in FINDINGS}))
def test_messages_are_short_one_sentence_and_free_of_internal_labels(code):
    for f in (f for f in FINDINGS if f.code == code):
        where = f"{os.path.basename(f.path)}:{f.line}:{f.column} {f.code}"
        assert len(f.message) <= MAX_MESSAGE, (where, len(f.message), f.message)
        assert "\n" not in f.message and not f.message.endswith("."), (where, f.message)
        assert not LABEL.search(f.message), (where, f.message)
        assert f.help is None or (f.help and not LABEL.search(f.help)), (where, f.help)


def _example_findings():
    """The findings of each rule's documented bad example (the rules the fixtures do not
    reach: MW204, MW206-MW208, MW303-MW307, MW5xx, ...)."""
    import textwrap

    from helpers import deployments_doc, lint, releases_doc

    out = []
    for r in all_rules():
        bad = textwrap.dedent(r.bad).strip("\n")
        if bad.startswith("- namespace"):
            text = releases_doc(bad)
        elif bad.startswith(("deployment_targets", "supervision_rules")):
            text = deployments_doc(bad)
        elif bad.startswith("profile::"):
            text = bad + "\n"
        else:
            continue
        out += lint(text, known_dirs=("services", "dse-k8s-services"))
    return out


def test_the_documented_examples_give_short_messages_too():
    found = _example_findings()
    assert len({f.code for f in found}) >= 20
    for f in found:
        assert len(f.message) <= MAX_MESSAGE, (f.code, f.message)
        assert not LABEL.search(f.message + " " + (f.help or "")), (f.code, f.message, f.help)


def test_the_why_moved_to_the_rule_docs():
    """No finding repeats the history; the docs that `mwlint rule` prints carry it."""
    for f in FINDINGS:
        for text in (f.message, f.help or ""):
            assert "T389499" not in text and "T299648" not in text, (f.code, text)
            assert "since V" not in text, (f.code, text)
    docs = {r.code: r.doc() for r in all_rules()}
    assert "1140ee83" in docs["MW201"] and "T389499" in docs["MW201"]
    assert "T299648" in docs["MW205"] and "391609c1" in docs["MW205"]


# -- `mwlint rule CODE` states the truth about fixes ----------------------------------------

def _fix_outcome(path):
    from mwlint.engine import lint_text
    from mwlint.fix import fix_text

    text = _read(path)
    before = lint_text(text, path, Settings())
    result = fix_text(text, path, unsafe=True)  # every fix: the unsafe ones too
    after = lint_text(result.fixed, path, Settings())
    return before, after


@pytest.mark.parametrize("path", CONFIGS + EXAMPLES,
                         ids=[os.path.basename(p)[:40] for p in CONFIGS + EXAMPLES])
def test_a_finding_marked_fixable_is_gone_after_fix_and_only_documented_rules_are(path):
    before, after = _fix_outcome(path)
    remaining = {(f.code, f.context) for f in after}
    documented = {r.code for r in all_rules() if r.fixable}
    for f in before:
        if f.fixable:
            assert f.code in documented, f.code
            assert (f.code, f.context) not in remaining, (f.code, f.line, f.message)
    # and a finding --fix removes was marked fixable (its rule documents a fix)
    gone = {(f.code, f.context) for f in before} - remaining
    for f in before:
        if (f.code, f.context) in gone:
            assert f.code in documented, (f.code, f.line, f.message)


def test_rule_docs_of_mw202_and_mw203_say_fix_repairs_them():
    from mwlint.rules import by_code

    for code in ("MW202", "MW203"):
        doc = by_code()[code].doc()
        assert "No automatic fix" not in doc
        assert "Part of MW201's recipe" in doc and "fixable" in doc.splitlines()[0]
