"""The rule reference, rendered from the registry: ``docs/rules.md``.

    python -m mwlint.docs > docs/rules.md
    python -m mwlint.docs --check docs/rules.md  exit 1 when the file is stale

Every rule's documentation lives in its module (:mod:`mwlint.rules`); this module only
renders it, with the same sections as ``mwlint rule CODE``: what it does, why it matters,
example, use instead, options, fix. The SARIF and HTML formats use :func:`rule_markdown`.
"""

from __future__ import annotations

import sys
import textwrap

from mwlint.rules import all_rules
from mwlint.rules.base import Rule
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List, Optional, Sequence, Tuple

REGENERATE = "python -m mwlint.docs > docs/rules.md"
_SCOPES = {"check": ("mwlint check",), "report": ("mwlint check-report", "mwlint check --report")}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _para(text: str) -> str:
    return textwrap.dedent(text).strip("\n").strip()


def _block(yaml_text: str) -> List[str]:
    body = textwrap.dedent(yaml_text).strip("\n")
    fence = "```"
    while fence in body:
        fence += "`"
    return [fence + _language(body), body, fence]


def _language(body: str) -> str:
    """``json`` for the build report examples, ``yaml`` for everything else."""
    if body.lstrip()[:1] in ("{", "["):
        import json

        try:
            json.loads(body)
        except ValueError:
            return "yaml"
        return "json"
    return "yaml"


def anchor(rule: Rule) -> str:
    """The heading id GitHub/Gitiles give ``## MW102 missing-key``."""
    return f"{rule.code} {rule.name}".lower().replace(" ", "-")


def rule_markdown(rule: Rule, level: int = 2) -> str:
    """One rule as Markdown, headed at ``level``."""
    h = "#" * level
    sub = "#" * (level + 1)
    fix = ("no automatic fix" if not rule.fixable else "fixable with `mwlint --fix "
           "--unsafe-fixes`" if rule.unsafe_fix else "fixable with `mwlint --fix`")
    out = [f"{h} {rule.code} {rule.name}", "",
           f"Severity: **{rule.severity}** · {fix}"
           + (" · runs in " + ", ".join(f"`{cmd}`" for s in rule.scope for cmd in _SCOPES.get(s, (s,)))
              if tuple(rule.scope) != ("check",) else ""),
           "", f"{sub} What it does", "", _para(rule.summary),
           "", f"{sub} Why it matters", "", _para(rule.rationale)]
    if rule.bad:
        out += ["", f"{sub} Example", ""] + _block(rule.bad)
    if rule.good:
        out += ["", f"{sub} Use instead", ""] + _block(rule.good)
    if rule.options:
        out += ["", f"{sub} Options", ""] + [f"- `{o}`" for o in rule.options]
    if rule.supersedes:
        out += ["", f"{sub} Supersedes", "",
                _para(f"{', '.join(rule.supersedes)} on the same namespace (its entry), when "
                      f"both run: one problem, one finding.")]
    out += ["", f"{sub} Fix", "", _para(rule.fix) if rule.fix else
            "No automatic fix: a person decides."]
    return "\n".join(out) + "\n"


# below this many columns for the summary, it goes under the row instead of beside it
_MIN_SUMMARY = 30


def rule_list(rows: Sequence[Tuple[str, str, str, bool, str]],
              width: Optional[int]) -> List[str]:
    """The lines of ``mwlint rule``: ``(code, name, severity, fixable, summary)`` per rule,
    each row ``MW201  deprecated-debug  error    [*] summary``, the summary wrapped to
    ``width`` columns under its own column; on a terminal too narrow for that, under the
    row, indented by four. A long word is broken rather than overflowing. ``width=None``:
    one line per rule, however long (for grep)."""
    if not rows:
        return []
    name_w = max(len(r[1]) for r in rows)
    sev_w = max(len(r[2]) for r in rows)
    out: List[str] = []
    for code, name, severity, fixable, summary in rows:
        head = f"{code}  {name:<{name_w}}  {severity:<{sev_w}} {'[*]' if fixable else '   '} "
        if width is None:
            out.append(head + summary)
            continue
        room = width - len(head)
        if room >= _MIN_SUMMARY:
            lines = textwrap.wrap(summary, room, break_on_hyphens=False) or [""]
            out.append(head + lines[0])
            out += [" " * len(head) + line for line in lines[1:]]
        else:
            out.append(head.rstrip())
            out += ["    " + line for line in textwrap.wrap(summary, max(width - 4, 10),
                                                          break_on_hyphens=False)]
    return out


def rules_markdown(rules: Optional[Sequence[Rule]] = None) -> str:
    """The whole rule reference (what ``docs/rules.md`` holds)."""
    if rules is None:
        rules = all_rules()
    out = [
        "# mwlint rule reference",
        "",
        f"<!-- Generated from the rule registry by `{REGENERATE}`. Do not edit by hand: "
        "change the rule's module in mwlint/rules/ and regenerate. -->",
        "",
        f"{len(rules)} rules. `mwlint rule CODE` prints the same text in a terminal. "
        "Severity is the default; `--fail-on` sets which severities fail a run.",
        "",
        "| code | name | severity | fix | what |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        out.append(f"| [{r.code}](#{anchor(r)}) | {r.name} | {r.severity} | "
                   f"{'yes' if r.fixable else ''} | {_cell(r.summary)} |")
    text = "\n".join(out) + "\n"
    for r in rules:
        text += "\n" + rule_markdown(r)
    return text


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m mwlint.docs",
                                description="Render the rule reference (docs/rules.md).")
    p.add_argument("--check", metavar="FILE",
                   help="compare with FILE instead of printing; exit 1 when it is stale")
    args = p.parse_args(argv)
    text = rules_markdown()
    if args.check:
        try:
            with open(args.check, encoding="utf-8") as fh:
                current = fh.read()
        except OSError as e:
            sys.stderr.write(f"mwlint.docs: cannot read {args.check}: {e.strerror}\n")
            return 2
        if current != text:
            sys.stderr.write(f"{args.check} is stale: regenerate it with `{REGENERATE}`\n")
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
