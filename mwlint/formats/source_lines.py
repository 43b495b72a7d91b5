"""Split a linted file into lines the way the YAML parser counts them.

``str.splitlines`` also breaks at form feeds, vertical tabs and file/group/record separators,
which YAML does not count as line breaks, so a snippet taken with it could show the wrong
line. YAML breaks lines at ``\\r\\n``, ``\\r``, ``\\n``, NEL, LS and PS.

Every format that shows source text shows a window of a long line (:func:`clip`), never the
whole line: one long flow line with thousands of findings would otherwise repeat it in
full for each of them.
"""

from __future__ import annotations

import re

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List, Optional, Tuple

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def source_lines(text: str) -> List[str]:
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


SNIPPET_WIDTH = 100  # characters of a long line shown around a finding's column
ELLIPSIS = "..."  # marks the side of a clipped line where text was left out


def clip(line: str, column: int, end_column: Optional[int] = None,
         width: int = SNIPPET_WIDTH) -> Tuple[str, int, int]:
    """A window of at most ``width`` characters of ``line`` around the 1-based ``column``
    (as ruff and rustc show long lines), with :data:`ELLIPSIS` where text was cut, so a
    snippet costs a small constant whatever the line's length.

    Returns the shown text and the start and (exclusive) end columns of the marked span
    inside it; the end is clamped to the window. A line that fits is returned as it is."""
    if end_column is None or end_column <= column:
        end_column = column + 1
    if len(line) <= width:
        return line, column, end_column
    start = min(max(column - 1, 0), len(line))
    lo = max(0, start - width // 3)
    hi = min(len(line), lo + width)
    lo = max(0, hi - width)
    before = ELLIPSIS if lo > 0 else ""
    after = ELLIPSIS if hi < len(line) else ""
    shift = len(before) - lo
    end = min(max(end_column - 1, start + 1), hi)
    return before + line[lo:hi] + after, start + 1 + shift, end + 1 + shift
