"""Text edits by character offsets, and the unified diff of a rewrite.

An edit (:class:`mwlint.findings.Edit`) replaces the text between two positions of the
decoded text; everything outside the edited spans stays as it was: comments, quoting,
indentation, blank lines, line endings and the unrelated keys around the value.
"""

from __future__ import annotations

from mwlint.findings import Edit
from mwlint.safe_text import c_quote
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, List, Sequence

__all__ = ["Edit", "OverlapError", "apply_edits", "check_disjoint", "unified_diff"]


class OverlapError(ValueError):
    """Two edits touch the same text."""


def check_disjoint(edits: Iterable[Edit]) -> List[Edit]:
    """The edits sorted by position; :class:`OverlapError` when two touch the same text."""
    out = sorted(edits, key=lambda e: (e.start.offset, e.end.offset))
    for a, b in zip(out, out[1:]):
        if b.start.offset < a.end.offset or b.start.offset == a.start.offset:
            raise OverlapError(f"edits overlap at line {b.start.line}")
    return out


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit applied (positions refer to the original text)."""
    parts: List[str] = []
    pos = 0
    for e in check_disjoint(edits):
        if not 0 <= e.start.offset <= e.end.offset <= len(text):
            raise OverlapError(f"an edit lies outside the text (line {e.start.line})")
        parts.append(text[pos:e.start.offset])
        parts.append(e.content)
        pos = e.end.offset
    parts.append(text[pos:])
    return "".join(parts)


def _lines(t: str) -> List[str]:
    """``t`` cut after each ``\n``, as ``diff`` and ``patch`` count lines: a CRLF line
    keeps its ``\r\n``; a lone CR or a Unicode line break (YAML counts them) stays inside
    its line, so the diff applies with ``patch`` and ``git apply``."""
    out = [line + "\n" for line in t.split("\n")]
    last = out.pop()
    if last != "\n":
        out.append(last[:-1])
    return out


def unified_diff(old: str, new: str, path: str) -> str:
    """A ``git diff``-style unified diff (``a/PATH`` -> ``b/PATH``), empty when equal.

    Lines are cut as ``diff -u`` cuts them (see :func:`_lines`): a CRLF file's lines keep
    their ``\\r\\n``, and ``patch`` applies the diff to the file as it is."""
    if old == new:
        return ""
    import difflib

    a, b = _lines(old), _lines(new)
    rel = path.lstrip("/")  # a name with a newline could forge "+++" or "@@": quoted like git
    out = [f"--- {c_quote('a/' + rel)}\n", f"+++ {c_quote('b/' + rel)}\n"]

    def emit(prefix: str, line: str) -> None:
        if line.endswith("\n"):
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
