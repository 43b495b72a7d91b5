"""Values from the data made harmless for each output of a plan, one function per output
kind, applied to EACH VALUE (never to a whole line, where a value could already have made
structure):

- :func:`text`: terminal text and the Gerrit review message: control characters, newlines
  (``\\r``, U+0085, U+2028 included), escape sequences and bidi controls become visible escapes.
- :func:`md_code`: a value shown as inline code in markdown: neutralised as text, then fenced
  with more backticks than it holds, so nothing in it (``#``, ``[..](..)``, ``<script>``) is
  structure; CommonMark renders code spans literally and escapes ``<``.
- :func:`md_text`: a value inside markdown prose: neutralised, every markdown metacharacter
  backslash-escaped, ``<`` and ``>`` as entities.
- :func:`shell`: a command to be pasted: every word quoted as a POSIX shell needs
  (:func:`shlex.quote`).
"""

from __future__ import annotations

import re
import shlex

from mwlint.safe_text import neutralise
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable

_MD_META = re.compile(r"([\\`*_\[\]#|~<>&])")
_TICKS = re.compile("`+")


def text(value: object) -> str:
    """``value`` for a terminal, a log or the review message: one line, inert."""
    return neutralise(value if isinstance(value, str) else str(value))


def md_text(value: object) -> str:
    """``value`` inside markdown prose: no markdown or HTML structure can come from it."""
    s = text(value)
    s = _MD_META.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(
        m.group(1), "\\" + m.group(1)), s)
    return s


def md_code(value: object) -> str:
    """``value`` as a markdown code span (fenced with enough backticks)."""
    s = text(value)
    if not s:
        return "` `"
    longest = max((len(m.group()) for m in _TICKS.finditer(s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or (
        s.startswith(" ") and s.endswith(" ")) else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def shell(argv: Iterable[str]) -> str:
    """A command line to paste: every word shell-quoted (then neutralised for the output)."""
    return " ".join(shlex.quote(a) for a in argv)


__all__ = ["text", "md_text", "md_code", "shell"]
