"""Positions between mwlint and the Language Server Protocol.

mwlint counts as YAML does: 1-based lines split at every YAML 1.1 line break (``\\r\\n``,
``\\r``, ``\\n``, ``\\x85``, ``\\u2028``, ``\\u2029``) and 1-based columns in code points, on the
text after a byte-order mark. LSP counts 0-based lines split at ``\\r\\n``, ``\\r`` and ``\\n``
only, and 0-based characters in the negotiated encoding's code units (UTF-16 unless the
client asks for another): a character outside the Basic Multilingual Plane is two UTF-16
units. Every conversion goes through the character offset into the buffer.

No pygls import here: the module is used (and tested) without the ``lsp`` extra.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List, Optional, Tuple

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LSP_BREAK = re.compile("\r\n|[\r\n]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _starts(text: str, breaks: "re.Pattern[str]") -> List[int]:
    return [0] + [m.end() for m in breaks.finditer(text)]


def units(s: str, encoding: str) -> int:
    """How many code units of ``encoding`` the string ``s`` takes."""
    if encoding == UTF32:
        return len(s)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s) + len(_ASTRAL.findall(s))


def chars_for_units(s: str, count: int, encoding: str) -> int:
    """How many characters of ``s`` make up its first ``count`` code units (a unit in the
    middle of a character counts that character as not reached)."""
    if encoding == UTF32:
        return min(max(count, 0), len(s))
    used = 0
    for i, ch in enumerate(s):
        width = len(ch.encode("utf-8", "surrogatepass")) if encoding == UTF8 \
            else (2 if ord(ch) > 0xFFFF else 1)
        if used + width > count:
            return i
        used += width
    return len(s)


class TextIndex:
    """Lines of one buffer, both ways. ``shift`` is the length of the byte-order mark the
    engine dropped (``\\ufeff`` at the start of the buffer): mwlint's positions count from
    after it."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.shift = 1 if text.startswith("\ufeff") else 0
        self._yaml: Optional[List[int]] = None
        self._lsp: Optional[List[int]] = None
        self._last = (-1, 0, 0)  # (LSP line, offset, units) of the last position

    @property
    def yaml_starts(self) -> List[int]:
        if self._yaml is None:
            self._yaml = [self.shift + s for s in _starts(self.text[self.shift:], _YAML_BREAK)]
        return self._yaml

    @property
    def lsp_starts(self) -> List[int]:
        if self._lsp is None:
            self._lsp = _starts(self.text, _LSP_BREAK)
        return self._lsp

    # mwlint -> buffer offset
    def offset_of(self, line: int, column: int) -> int:
        """The buffer offset of mwlint's 1-based (line, column), clamped to the text."""
        starts = self.yaml_starts
        if line < 1:
            return self.shift
        if line > len(starts):
            return len(self.text)
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return min(start + max(column, 1) - 1, end)

    def offset_of_engine(self, offset: int) -> int:
        """The buffer offset of an offset into the engine's text (after the BOM)."""
        return min(max(offset, 0) + self.shift, len(self.text))

    # buffer offset <-> LSP (line, character)
    def position(self, offset: int) -> Tuple[int, int]:
        starts = self.lsp_starts
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(starts, offset) - 1
        # findings come sorted: count on from the last position of the same line, so many
        # findings on one long line (a flow-style config) cost the line once, not each time
        last_line, last_offset, last_units = self._last
        if last_line == line and last_offset <= offset:
            count = last_units + units(self.text[last_offset:offset], self.encoding)
        else:
            count = units(self.text[starts[line]:offset], self.encoding)
        self._last = (line, offset, count)
        return line, count

    def offset(self, line: int, character: int) -> int:
        starts = self.lsp_starts
        if line < 0:
            return 0
        if line >= len(starts):
            return len(self.text)
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        return start + chars_for_units(self.text[start:end], character, self.encoding)

    def span(self, line: int, column: int, end_line: int, end_column: int
             ) -> Tuple[Tuple[int, int], Tuple[int, int]]:
        """LSP (start, end) of a finding's 1-based span (end exclusive). An empty span
        covers one character, so that editors show it."""
        a = self.offset_of(line, column)
        b = max(self.offset_of(end_line, end_column), a)
        if a == b and a < len(self.text) and self.text[a] not in "\r\n":
            b = a + 1
        return self.position(a), self.position(b)
