"""Concrete fixes for fixable findings, for the formats that can carry them (SARIF).

``mwlint --fix`` (:mod:`mwlint.fix`) plans its edits per entry and records which ``debug``
key each entry fix removes; a fixable MW201 finding at that key gets that entry's edits as
its fix. The fix engine works on the source text the report already holds for snippets, so
nothing is read again from disk; a file the engine cannot fix simply gets no suggestions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Dict, List

from mwlint.formats import FixSuggestion, Replacement, Report

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class _Positions:
    """Character offset -> 1-based (line, column), counting lines as YAML does."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def __call__(self, offset: int):
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def suggestions(path: str, text: str, findings) -> Dict[tuple, FixSuggestion]:
    from mwlint.fix import fix_text

    result = fix_text(text, path)
    if result.error or not result.fixes:
        return {}
    pos = _Positions(text)
    by_key: Dict[tuple, FixSuggestion] = {}
    for fx in result.fixes:
        reps: List[Replacement] = []
        for e in sorted(fx.edits, key=lambda e: e.start):
            line, col = pos(e.start)
            end_line, end_col = pos(e.end)
            reps.append(Replacement(e.start, e.end, e.text, line, col, end_line, end_col))
        suggestion = FixSuggestion(fx.description, tuple(reps))
        for yaml_path, line, col in fx.fixed:
            by_key[(yaml_path, line, col)] = suggestion
    out = {}
    for f in findings:
        s = by_key.get((f.yaml_path, f.line, f.column))
        if f.fixable and s is not None:
            out[(f.path, f.line, f.column, f.code)] = s
    return out


def with_fixes(report: Report) -> Report:
    """``report`` with ``fixes`` filled in for its fixable findings."""
    fixes: Dict[tuple, FixSuggestion] = {}
    paths = sorted({f.path for f in report.findings if f.fixable})
    for path in paths:
        text = (report.sources or {}).get(path)
        if text is None:
            continue
        mine = [f for f in report.findings if f.path == path]
        try:
            fixes.update(suggestions(path, text, mine))
        except Exception:  # a suggestion is a bonus: never fail the report over it
            continue
    return report._replace(fixes=fixes)
