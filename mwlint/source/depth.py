"""A cheap scan of the text for nesting that would hurt the YAML parser.

libyaml is quadratic in nesting depth and can exhaust the C stack on very deep input; the
pure-Python composer recurses. So before any parser runs we measure flow-collection depth
(``[``/``{`` outside quoted scalars and comments) and block indentation.
"""

from __future__ import annotations

import re

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Optional, Tuple

MAX_DEPTH = 100
MAX_INDENT = 400

# Tokens that matter for flow depth: brackets, quoted scalars (only where a scalar can
# start), and comments (only after whitespace or at the start of a line).
# (compiled by ``re`` on first use, kept in its cache: only a text with over MAX_DEPTH
# brackets needs it)
_TOKENS = (
    r"""[\[\]{}]"""
    r"""|(?:(?<=[\s\[{,:])|^)(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)"""
    r"""|(?:(?<=\s)|^)\#[^\n]*"""
)
_DEEP_INDENT = re.compile(r"^[ \t-]{%d,}" % (MAX_INDENT + 1), re.MULTILINE)


def _line_col(text: str, index: int) -> Tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def too_deep(text: str) -> Optional[Tuple[str, int, int]]:
    """``(message, line, column)`` when the text nests beyond the limits, else ``None``."""
    m = _DEEP_INDENT.search(text)
    if m:
        line, col = _line_col(text, m.start())
        return (
            f"block indentation beyond {MAX_INDENT} columns: nesting this deep is not a "
            f"deployments config and is not parsed",
            line,
            col,
        )
    # Fast path: fewer opening brackets than the limit cannot nest beyond it.
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in re.finditer(_TOKENS, text, re.MULTILINE):
        tok = m.group()
        c = tok[0]
        if c == "[" or c == "{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _line_col(text, m.start())
                return (
                    f"flow collections nested deeper than {MAX_DEPTH} levels: not parsed "
                    f"(deep nesting can crash the YAML parser)",
                    line,
                    col,
                )
        elif c == "]" or c == "}":
            if depth:
                depth -= 1
    return None


# -- other bracket languages (config files and baselines) -----------------------------------
# Python's JSON and TOML readers recurse once per level and fail with RecursionError (or
# exhaust the stack) on input nested a few thousand deep: measured first, like the YAML.

# strings (their brackets do not count) and brackets
# (patterns as text, compiled by ``re`` on first use: only a deep-looking text needs them)
JSON_TOKENS = r'"(?:[^"\\]|\\.)*"|[\[\]{}]'
# TOML also has literal strings, multi-line strings and comments
TOML_TOKENS = (r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
               r"|'[^'\n]*'|#[^\n]*|[\[\]{}]")


def brackets_deeper_than(text: str, limit: int, tokens: str) -> Optional[int]:
    """The line where ``[``/``{`` outside strings and comments first nest deeper than
    ``limit``, else ``None``."""
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for m in re.finditer(tokens, text):
        c = m.group()[0]
        if c == "[" or c == "{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, m.start()) + 1
        elif (c == "]" or c == "}") and depth:
            depth -= 1
    return None
