"""Text from outside (file names, values of linted files) made safe for where it goes.

Kept at the bottom of the import graph, so the formats, the one-line errors of the command
line, ``plan``, ``--fix``/``--diff`` and ``--show-settings`` all share one neutraliser.

- :func:`neutralise`: for a terminal or a log; control characters, escape sequences,
  line separators, bidi controls and undecodable bytes become visible, inert escapes.
- :func:`safe_name`: for documents that must be valid UTF-8 (JSON, SARIF, baselines); a
  file name whose bytes are not UTF-8 (held by Python as lone surrogates) gets ``\\xNN``
  for each such byte, the same text :func:`neutralise` shows, every time.
- :func:`c_quote`: for a patch; a name with unsafe characters is quoted the way git does
  (``"a\\nb.yaml"``), so it cannot forge ``+++`` or ``@@`` lines.
"""

from __future__ import annotations

import re

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Match

# C0 controls but the tab (including newline and carriage return: a finding is one line, so
# a value cannot forge another finding line or a workflow command), DEL, C1 controls (CSI
# \x9b starts an escape sequence on its own), line/paragraph separators, the bidi controls
# that can make displayed text differ from the bytes (Trojan Source), and lone surrogates
# (the bytes of a file name that are not UTF-8, which no UTF-8 output can hold).
# (Patterns as text, compiled by ``re`` on first use and kept in its cache: these classes
# take a millisecond to compile, which every start-up would pay; most text is printable
# ASCII and never needs them.)
_CONTROL = ("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
            "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = "[\ud800-\udfff]"
# what git quotes in a path (core.quotePath=false): controls, '"' and '\\'; and here also the
# characters the neutraliser escapes
_UNQUOTED = ("[\x00-\x1f\"\\\\\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
             "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
              "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _escape(ch: str) -> str:
    o = ord(ch)
    if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return "\\x%02x" % (o - 0xDC00)
    return "\\x%02x" % o if o < 0x100 else "\\u%04x" % o


def neutralise(text: str) -> str:
    """Make control characters and escape sequences from linted files visible and inert."""
    if text.isascii() and text.isprintable():
        return text  # nothing to escape (the common case; a tab goes the long way)
    return re.compile(_CONTROL).sub(lambda m: _escape(m.group()), text)


def safe_name(name: str) -> str:
    """``name`` as valid UTF-8 text: each undecodable byte as ``\\xNN`` (unchanged when the
    name is UTF-8 already, which is every name but a rare one)."""
    if name.isascii():
        return name
    return re.compile(_SURROGATE).sub(lambda m: _escape(m.group()), name)


def c_quote(name: str) -> str:
    """``name`` for a patch header: as is when safe, else C-quoted like git does."""
    if name.isprintable() and name.isascii() and '"' not in name and "\\" not in name \
            or not re.compile(_UNQUOTED).search(name):
        return name

    def quote(m: Match[str]) -> str:
        ch = m.group()
        if ch in _C_ESCAPES:
            return _C_ESCAPES[ch]
        raw = ch.encode("utf-8", "surrogateescape") if 0xDC80 <= ord(ch) <= 0xDCFF \
            else ch.encode("utf-8", "surrogatepass")
        return "".join("\\%03o" % b for b in raw)

    return '"' + re.compile(_UNQUOTED).sub(quote, name) + '"'
