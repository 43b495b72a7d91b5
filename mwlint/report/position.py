"""Line and column of a node of a JSON document, recovered on demand.

The report is parsed with the standard :mod:`json` module, which keeps no positions. Only
the few nodes that get a finding need one, so this module walks the text of an
already-parsed (hence well-formed) document along one key path at a time, skipping every
value it does not need without building it. Each object's member table is cached, so many
findings in one large report cost one pass over the objects they sit in.
"""

from __future__ import annotations

import bisect
import json
import re

from mwlint.findings import Span
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SCALAR = re.compile(r"[^\s,\]}]+")
# a whole string, or one bracket: what matters when skipping a container
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)

# (key start, key end, value start, value end), character offsets, ends exclusive
if TYPE_CHECKING:
    Member = Tuple[int, int, int, int]


class JsonPositions:
    """Positions in one JSON text. ``text`` must be valid JSON (it was parsed first)."""

    def __init__(self, text: str):
        self.text = text
        self._line_starts: Optional[List[int]] = None
        self._members: Dict[int, Dict[str, Member]] = {}
        self._root: Optional[Tuple[int, int]] = None

    # -- offsets ---------------------------------------------------------------------
    def _ws(self, i: int) -> int:
        m = _WS.match(self.text, i)  # matches at every offset (possibly nothing)
        return m.end() if m is not None else i

    def _value_end(self, i: int) -> int:
        text = self.text
        if i >= len(text):
            return i
        c = text[i]
        if c == '"':
            m = _STRING.match(text, i)
            return m.end() if m else len(text)
        if c in "{[":
            depth = 0
            for m in _TOKEN.finditer(text, i):
                ch = text[m.start()]
                if ch == '"':
                    continue
                depth += 1 if ch in "{[" else -1
                if depth == 0:
                    return m.end()
            return len(text)
        m = _SCALAR.match(text, i)
        return m.end() if m and m.end() > i else i + 1

    def _object_members(self, start: int) -> Dict[str, Member]:
        """Members of the object whose ``{`` is at ``start``; a repeated key keeps the
        last occurrence, as :func:`json.loads` does."""
        cached = self._members.get(start)
        if cached is not None:
            return cached
        text = self.text
        members: Dict[str, Member] = {}
        i = self._ws(start + 1)
        while i < len(text) and text[i] != "}":
            m = _STRING.match(text, i)
            if m is None:  # not reached for valid JSON
                break
            ks, ke = m.span()
            try:
                key = json.loads(m.group())
            except ValueError:
                key = m.group()[1:-1]
            i = self._ws(ke)
            if i < len(text) and text[i] == ":":
                i = self._ws(i + 1)
            vs = i
            ve = self._value_end(vs)
            members[key] = (ks, ke, vs, ve)
            i = self._ws(ve)
            if i < len(text) and text[i] == ",":
                i = self._ws(i + 1)
        self._members[start] = members
        return members

    def root(self) -> Tuple[int, int]:
        if self._root is None:
            start = self._ws(0)
            self._root = (start, self._value_end(start))
        return self._root

    def find(self, path: Sequence[str]) -> Optional[Member]:
        """Offsets of the member at ``path`` (object keys from the root); for the empty
        path, the root value (key offsets equal to the value start)."""
        if not path:
            vs, ve = self.root()
            return (vs, vs, vs, ve)
        vs = self._ws(0)
        found: Optional[Member] = None
        for key in path:
            if vs >= len(self.text) or self.text[vs] != "{":
                return None
            member = self._object_members(vs).get(key)
            if member is None:
                return None
            found = member
            vs = member[2]
        return found

    # -- positions -------------------------------------------------------------------
    def line_col(self, offset: int) -> Tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        n = bisect.bisect_right(self._line_starts, offset) - 1
        return n + 1, offset - self._line_starts[n] + 1

    def span_between(self, start: int, end: int) -> Span:
        line, col = self.line_col(start)
        end_line, end_col = self.line_col(max(end, start + 1))
        return Span(line, col, end_line, end_col)

    def span(self, path: Sequence[str], where: str = "value") -> Optional[Span]:
        """Span of the node at ``path``: ``value`` (the whole value), ``key`` (its key
        string; the value's first character for the root) or ``start`` (the value's first
        character, e.g. the ``{`` of an object that lacks a member)."""
        m = self.find(path)
        if m is None:
            return None
        ks, ke, vs, ve = m
        if where == "key" and ke > ks:
            return self.span_between(ks, ke)
        if where in ("start", "key"):
            return self.span_between(vs, vs + 1)
        return self.span_between(vs, ve)
