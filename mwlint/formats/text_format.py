"""``--format text``: ``path:line:col: severity CODE name: message``, greppable.

A finding ``mwlint --fix`` can repair is marked as ruff marks one, ``[*]`` before its message
(``path:line:col: error MW201 deprecated-debug: [*] ...``), so every first line still starts
``path:line:col: severity CODE name:``; the summary says how many there are. An indented
``  help: ...`` line follows when the finding says how to fix it, then, with ``show_source``,
the offending line (a window of it around the column when it is long) and a caret.
``concise`` keeps the first lines only. Colour never touches the ``path:line:col:`` prefix.
"""

from __future__ import annotations

from mwlint.findings import Finding, fixable
from mwlint.formats.source_lines import clip, source_lines
from mwlint.formats.terminal import neutralise
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, List, Sequence, Set

if TYPE_CHECKING:
    from mwlint.formats import Report

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"
_HELP = "\033[1;32m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_line(report: Report) -> str:
    c = report.counts()
    parts = []
    if c["error"]:
        parts.append(_plural(c["error"], "error"))
    if c["warning"]:
        parts.append(_plural(c["warning"], "warning"))
    if c["info"]:
        parts.append(_plural(c["info"], "info"))
    status = "FAILED" if report.failed else "OK"
    summary = ", ".join(parts)
    if not report.linted and report.files:
        # nothing of either family was checked: say so (ruff: "No Python files found"), so
        # a run pointed at the wrong directory does not read as a checked file
        nothing = f"no deployments key in {report.files:,} {'file' if report.files == 1 else 'files'}"
        summary = f"{summary}; {nothing}" if summary else nothing
    return f"mwlint: {status}" + (f" ({summary})" if summary else "")


FIX_MARK = "[*] "


def fixable_note(report: "Report", unsafe: bool = False) -> str:
    """``; 2 fixable with `mwlint --fix``` for the summary line, and how many more
    ``--unsafe-fixes`` would repair (as ruff counts them: the findings ``--fix``, with
    ``--unsafe-fixes`` when ``unsafe``, repairs), or nothing."""
    if not any(f.fix is not None for f in report.findings):
        return ""
    n = len(fixable(report.findings, unsafe))
    hidden = 0 if unsafe else len(fixable(report.findings, True)) - n
    flag = "--fix --unsafe-fixes" if unsafe else "--fix"
    out = f"; {n} fixable with `mwlint {flag}`" if n else ""
    if hidden:
        out += (f"; {hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the "
                "`--unsafe-fixes` option")
    return out


def _marked(findings: Sequence[Finding], unsafe: bool) -> Set[int]:
    """``id()`` of the findings ``--fix`` repairs (``[*]``): ruff marks only those."""
    if not any(f.fix is not None for f in findings):
        return set()
    return {id(f) for f in fixable(findings, unsafe)}


def render(report: Report, show_source: bool = False, colour: bool = False, concise: bool = False,
           unsafe_fixes: bool = False, **_options: object) -> str:
    out: List[str] = []
    to_mark = _marked(report.findings, unsafe_fixes)
    lines_cache: Dict[str, List[str]] = {}
    for f in report.findings:
        sev = f.severity
        if colour:
            sev = f"{_COLOURS[f.severity]}{f.severity}{_RESET}"
        mark = FIX_MARK if id(f) in to_mark else ""
        out.append(f"{neutralise(f.path)}:{f.line}:{f.column}: {sev} {f.code} {f.name}: "
                   f"{mark}{neutralise(f.message)}")
        if concise:
            continue
        if f.help:
            label = f"{_HELP}help:{_RESET}" if colour else "help:"
            out.append(f"  {label} {neutralise(f.help)}")
        if show_source and report.sources and f.path in report.sources:
            lines = lines_cache.get(f.path)
            if lines is None:
                lines = lines_cache[f.path] = source_lines(report.sources[f.path])
            if 1 <= f.line <= len(lines):
                end = f.end_column if f.end_line == f.line else None
                # a long line is shown as a window around the column, cut before anything
                # else touches it (a tab is one column, one space)
                src, column, end = clip(lines[f.line - 1], f.column, end)
                src = src.expandtabs(1)
                width = end - column
                # the caret sits under the neutralised text, which may be wider than the source
                lead = len(neutralise(src[: column - 1]))
                marked = len(neutralise(src[column - 1: column - 1 + width]))
                caret = " " * lead + "^" * max(1, min(marked, len(neutralise(src)) - lead))
                out.append(f"    {f.line:>4} | {neutralise(src)}")
                out.append(f"         | {_DIM if colour else ''}{caret}{_RESET if colour else ''}")
    summary = summary_line(report)
    note = fixable_note(report, unsafe_fixes)
    if note:  # inside the parentheses: the summary stays one line, and the last
        summary = summary[:-1] + note + ")"
    out.append(summary)
    return "\n".join(out) + "\n"
