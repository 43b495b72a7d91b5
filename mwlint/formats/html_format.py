"""``--format html``: one self-contained page (no external resources, no script).

Counts by severity and by rule, findings grouped by file with a few source lines around
each (long lines as a window around the column), and every rule's documentation in the same page (findings link to it). Rendered with
jinja2 (imported only here, only when this format is asked for) with autoescaping on;
control characters and escape sequences from the linted file are shown as ``\\x1b``.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from mwlint import __version__
from mwlint.findings import Finding
from mwlint.formats.source_lines import clip, source_lines
from mwlint.formats.terminal import neutralise
from mwlint.formats.text_format import summary_line
from mwlint.rules import all_rules
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List

if TYPE_CHECKING:
    import jinja2

    from mwlint.formats import Report

CONTEXT = 2  # source lines shown before and after a finding
MAX_SNIPPET = 12


def _template() -> jinja2.Template:
    import os

    import jinja2

    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(here), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["t"] = lambda v: neutralise(str(v))
    return env.get_template("report.html.j2")


def _snippet(f: Finding, lines: List[str]) -> List[Dict[str, object]]:
    if not lines or not 1 <= f.line <= len(lines):
        return []
    last = min(max(f.line, f.end_line), f.line + MAX_SNIPPET)
    if f.end_line > f.line and f.end_column <= 1:
        last = max(f.line, last - 1)  # the end mark sits at the start of the next line
    first = max(1, f.line - CONTEXT)
    stop = min(len(lines), last + CONTEXT)
    # long lines are shown as the same window around the finding's column
    return [{"number": n, "text": clip(lines[n - 1], f.column)[0].expandtabs(4),
             "hit": f.line <= n <= last}
            for n in range(first, stop + 1)]


def render(report: Report, **_options: object) -> str:
    rules = all_rules()
    rule_by_code = {r.code: r for r in rules}
    groups: List[Dict[str, Any]] = []
    cache: Dict[str, List[str]] = {}
    for f in report.findings:
        if not groups or groups[-1]["path"] != f.path:
            groups.append({"path": f.path, "index": len(groups) + 1, "findings": []})
        lines = cache.get(f.path)
        if lines is None and report.sources and f.path in report.sources:
            lines = cache[f.path] = source_lines(report.sources[f.path])
        item = f._asdict()
        item["snippet"] = _snippet(f, lines or [])
        item["path_label"] = f.path_label
        groups[-1]["findings"].append(item)
    counted = Counter(f.code for f in report.findings)
    by_rule = []
    for code in sorted(counted):
        r = rule_by_code.get(code)
        sev = Counter(f.severity for f in report.findings if f.code == code).most_common(1)[0][0]
        by_rule.append({"code": code, "name": r.name if r else "", "severity": sev,
                        "count": counted[code]})
    docs = [{"code": r.code, "name": r.name, "severity": r.severity, "fixable": r.fixable,
             "summary": " ".join(r.summary.split()), "rationale": " ".join(r.rationale.split()),
             "bad": textwrap.dedent(r.bad).strip("\n"), "good": textwrap.dedent(r.good).strip("\n"),
             "options": list(r.options), "fix": r.fix} for r in rules]
    return _template().render(
        version=__version__, summary=summary_line(report), failed=report.failed,
        files=report.files, linted=report.linted, fail_on=report.fail_on,
        counts=report.counts(), by_rule=by_rule, groups=groups, rules=docs)
