"""docs/rules.md is generated from the rule registry and must not go stale."""

import os
import subprocess
import sys

from format_cases import ROOT

from mwlint.docs import REGENERATE, anchor, rule_markdown, rules_markdown
from mwlint.rules import all_rules
from mwlint.rules.base import Rule

DOC = os.path.join(ROOT, "docs", "rules.md")


def test_docs_rules_md_is_up_to_date():
    with open(DOC, encoding="utf-8") as fh:
        current = fh.read()
    assert current == rules_markdown(), (
        f"docs/rules.md is stale (a rule was added or its documentation changed): "
        f"regenerate it with `{REGENERATE}` and commit it")


def test_every_rule_has_a_row_and_a_section():
    text = rules_markdown()
    rules = all_rules()
    assert f"\n{len(rules)} rules." in text
    for r in rules:
        assert f"| [{r.code}](#{anchor(r)}) | {r.name} | {r.severity} |" in text
        assert f"\n## {r.code} {r.name}\n" in text
    assert text.count("\n## ") == len(rules)


class _Odd(Rule):
    code = "MW999"
    name = "odd-rule"
    severity = "warning"
    summary = "Pipes | in a summary\nand a newline."
    rationale = "Because."
    bad = "a: ```\n"
    good = "a: b\n"
    fix = "Rewrites it."
    options = ("known-kinds",)
    scope = ("check", "report")


def test_markdown_of_an_awkward_rule():
    md = rule_markdown(_Odd())
    assert md.startswith("## MW999 odd-rule\n\nSeverity: **warning** · fixable with "
                         "`mwlint --fix` · runs in `mwlint check`, `mwlint check-report`, "
                         "`mwlint check --report`\n")
    assert "````yaml\na: ```\n````" in md  # the fence outgrows the example's backticks
    assert "### Options\n\n- `known-kinds`\n" in md
    assert "### Fix\n\nRewrites it.\n" in md
    table = rules_markdown([_Odd()])
    assert "| Pipes \\| in a summary and a newline. |" in table


def test_check_option_reports_staleness(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    fresh = tmp_path / "rules.md"
    fresh.write_text(rules_markdown(), encoding="utf-8")
    cmd = [sys.executable, "-m", "mwlint.docs", "--check"]
    p = subprocess.run(cmd + [str(fresh)], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    fresh.write_text("# old\n", encoding="utf-8")
    p = subprocess.run(cmd + [str(fresh)], capture_output=True, text=True, env=env)
    assert p.returncode == 1
    assert REGENERATE in p.stderr
    p = subprocess.run([sys.executable, "-m", "mwlint.docs"], capture_output=True, text=True,
                       env=env)
    assert p.returncode == 0 and p.stdout == rules_markdown()
