"""``--format text``: ``path:line:col: severity CODE name: message``, greppable.

An indented ``  help: ...`` line follows when the finding says how to fix it, then, with
``show_source``, the offending line and a caret. ``concise`` keeps the first lines only.
Colour never touches the ``path:line:col:`` prefix.
"""

from __future__ import annotations

from typing import List

from mwlint.formats.source_lines import source_lines
from mwlint.formats.terminal import neutralise

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"
_HELP = "\033[1;32m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_line(report) -> str:
    c = report.counts()
    parts = []
    if c["error"]:
        parts.append(_plural(c["error"], "error"))
    if c["warning"]:
        parts.append(_plural(c["warning"], "warning"))
    if c["info"]:
        parts.append(_plural(c["info"], "info"))
    status = "FAILED" if report.failed else "OK"
    return f"mwlint: {status}" + (f" ({', '.join(parts)})" if parts else "")


def render(report, show_source: bool = False, colour: bool = False, concise: bool = False,
           **_options) -> str:
    out: List[str] = []
    lines_cache = {}
    for f in report.findings:
        sev = f.severity
        if colour:
            sev = f"{_COLOURS[f.severity]}{f.severity}{_RESET}"
        out.append(f"{neutralise(f.path)}:{f.line}:{f.column}: {sev} {f.code} {f.name}: "
                   f"{neutralise(f.message)}")
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
                src = lines[f.line - 1].expandtabs(1)
                width = 1
                if f.end_line == f.line and f.end_column > f.column:
                    width = f.end_column - f.column
                # the caret sits under the neutralised text, which may be wider than the source
                lead = len(neutralise(src[: f.column - 1]))
                marked = len(neutralise(src[f.column - 1: f.column - 1 + width]))
                caret = " " * lead + "^" * max(1, min(marked, len(neutralise(src)) - lead))
                out.append(f"    {f.line:>4} | {neutralise(src)}")
                out.append(f"         | {_DIM if colour else ''}{caret}{_RESET if colour else ''}")
    out.append(summary_line(report))
    return "\n".join(out) + "\n"
