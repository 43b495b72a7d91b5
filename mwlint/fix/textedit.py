"""Text edits at node positions.

PyYAML marks carry a character offset (``mark.index``) into the composed text, for libyaml
and the pure-Python parser alike, so an edit is a (start, end, replacement) triple on the
decoded text. Everything outside the edited spans stays byte for byte: comments, quoting,
indentation, blank lines, line endings and the unrelated keys around the value.
"""

from __future__ import annotations

from typing import List, Sequence

from mwlint.model.migration import Cut, OverlapError, check_disjoint
from mwlint.safe_text import c_quote

# YAML 1.1 line breaks (what libyaml counts as a new line).
_BREAK_CHARS = "\r\n\x85\u2028\u2029"

Edit = Cut  # (start, end, text) by character offsets

__all__ = ["Edit", "OverlapError", "apply_edits", "unified_diff"]


def apply_edits(text: str, edits: Sequence[Cut]) -> str:
    """``text`` with every edit applied (positions refer to the original text)."""
    parts = []
    pos = 0
    for e in check_disjoint(edits):
        parts.append(text[pos:e.start])
        parts.append(e.text)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def unified_diff(old: str, new: str, path: str) -> str:
    """A ``git diff``-style unified diff (``a/PATH`` → ``b/PATH``), empty when equal."""
    if old == new:
        return ""
    import difflib

    def lines(t: str) -> List[str]:
        out = []
        start = 0
        n = len(t)
        i = 0
        while i < n:
            c = t[i]
            if c in _BREAK_CHARS:
                j = i + 2 if t.startswith("\r\n", i) else i + 1
                out.append(t[start:j])
                start = i = j
                continue
            i += 1
        if start < n:
            out.append(t[start:])
        return out

    a, b = lines(old), lines(new)
    rel = path.lstrip("/")  # a name with a newline could forge "+++" or "@@": quoted like git
    out = [f"--- {c_quote('a/' + rel)}\n", f"+++ {c_quote('b/' + rel)}\n"]

    def emit(prefix: str, line: str) -> None:
        if line.endswith(tuple(_BREAK_CHARS)):
            out.append(prefix + line)
        else:
            out.append(prefix + line + "\n\\ No newline at end of file\n")

    # autojunk off: in a hiera file the same line (mw_flavour: ...) recurs often, and
    # difflib's popularity heuristic would otherwise show unchanged lines as changed
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                for line in a[x1:x2]:
                    emit(" ", line)
                continue
            for line in a[x1:x2]:
                emit("-", line)
            for line in b[y1:y2]:
                emit("+", line)
    return "".join(out)


def _range(start: int, stop: int) -> str:
    """A hunk range as ``diff -u`` writes it (1-based start; ``,0`` for an empty side)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"
