"""Find ``# mwlint: ...`` directives in comments of a YAML text.

A ``#`` starts a comment only outside scalars (``url: "a#b"`` and block scalars hold no
comments). To know where the scalars are, the text is run through PyYAML's *scanner*
(tokens with positions, no parsing into nodes); this happens only for files whose text
contains ``mwlint:`` at all, so ordinary files pay one substring search.
"""

from __future__ import annotations

import re

from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple, Type, Union

MARKER = "mwlint:"
# after the '#': "mwlint: disable=MW203,MW204 -- reason" (the directive may follow other
# comment text: "# noqa  # mwlint: disable=...")
_DIRECTIVE = re.compile(r"(?:^|[\s#])mwlint:[ \t]*(?P<kind>[A-Za-z_-]*)[ \t]*(?P<eq>=?)"
                        r"(?P<rest>.*)$")
KINDS = ("disable", "disable-file")


class Item(NamedTuple):
    """One code, prefix or rule name of a directive, with its columns (1-based, end
    exclusive)."""

    text: str
    column: int
    end_column: int


class Directive(NamedTuple):
    line: int  # 1-based line of the comment
    column: int  # 1-based column of the '#'
    end_column: int  # end of the line (exclusive)
    kind: str  # "disable", "disable-file", or "" when not understood
    items: Tuple[Item, ...]
    reason: str
    own_line: bool  # the comment is alone on its line
    target: int  # the line a "disable" applies to
    problem: str = ""  # why it was not understood


def _scalar_spans(text: str, lines: List[int]) -> Dict[int, List[Tuple[int, int]]]:
    """For each line in ``lines``: (start, end) 0-based column ranges covered by scalars.
    A multi-line scalar covers its inner lines entirely."""
    import yaml

    Loader: Union[Type[yaml.CSafeLoader], Type[yaml.SafeLoader]] = getattr(
        yaml, "CSafeLoader", yaml.SafeLoader)  # the C scanner when PyYAML has it
    wanted = set(lines)
    lowest, highest = min(wanted), max(wanted)
    out: Dict[int, List[Tuple[int, int]]] = {ln: [] for ln in lines}
    loader = Loader(text)
    try:
        while loader.check_token():
            tok = loader.get_token()
            if tok is None or type(tok).__name__ != "ScalarToken":
                continue
            s, e = tok.start_mark, tok.end_mark
            if e.line < lowest or s.line > highest:
                continue
            if e.line - s.line < len(wanted):
                lines_of = [ln for ln in range(s.line, e.line + 1) if ln in wanted]
            else:
                lines_of = [ln for ln in wanted if s.line <= ln <= e.line]
            for ln in lines_of:
                start = s.column if ln == s.line else 0
                end = e.column if ln == e.line else 1 << 30
                out[ln].append((start, end))
    except yaml.YAMLError:
        pass  # the tokens up to the error are known; later lines are read as plain text
    finally:
        try:
            loader.dispose()
        except Exception:  # pragma: no cover
            pass
    return out


def _comment_start(line: str, covered: List[Tuple[int, int]]) -> Optional[int]:
    """0-based column of the ``#`` that starts the line's comment, if any."""
    i = line.find("#")
    while i >= 0:
        inside = any(a <= i < b for a, b in covered)
        if not inside and (i == 0 or line[i - 1] in " \t"):
            return i
        i = line.find("#", i + 1)
    return None


def _items(rest: str, offset: int) -> Tuple[Tuple[Item, ...], str]:
    """Split ``MW203, debug-image-stage -- reason``; columns are relative to ``offset``."""
    reason = ""
    m = re.search(r"\s--(?:\s|$)", rest)
    if m:
        reason = rest[m.end():].strip()
        rest = rest[:m.start()]
    # a second comment on the same line ends the list
    hash_at = rest.find("#")
    if hash_at >= 0:
        rest = rest[:hash_at]
    items = []
    for m in re.finditer(r"[^,\s]+", rest):
        items.append(Item(m.group(), offset + m.start() + 1, offset + m.end() + 1))
    return tuple(items), reason


def scan(text: str) -> List[Directive]:
    """Every ``mwlint:`` directive in the comments of ``text``."""
    if MARKER not in text:
        return []
    lines = text.splitlines()
    candidates = [i for i, ln in enumerate(lines) if MARKER in ln and "#" in ln]
    if not candidates:
        return []
    spans = _scalar_spans(text, candidates)
    out: List[Directive] = []
    for i in candidates:
        line = lines[i]
        start = _comment_start(line, spans.get(i, []))
        if start is None:
            continue
        comment = line[start:]
        m = _DIRECTIVE.search(comment)
        if m is None:
            continue
        own_line = not line[:start].strip()
        target = i + 1
        if own_line:
            target = _next_code_line(lines, i)
        kind = m.group("kind")
        if not _directive_shaped(kind, m.group("eq")):
            continue  # prose that mentions mwlint ("# Fixture for mwlint: the two ...")
        rest_offset = start + m.start("rest")
        items, reason = _items(m.group("rest"), rest_offset)
        problem = ""
        if kind not in KINDS:
            problem = (f"unknown directive {kind!r}" if kind else "no directive") + \
                      ": write 'mwlint: disable=CODE' or 'mwlint: disable-file=CODE'"
        elif not m.group("eq") or not items:
            problem = f"'{kind}' needs '=' and at least one code, prefix or rule name"
        out.append(Directive(i + 1, start + 1, len(line) + 1, kind if not problem else "",
                             items, reason, own_line, target, problem))
    return out


def _directive_shaped(kind: str, eq: str) -> bool:
    """Whether ``mwlint: KIND`` is meant as a directive: a ``disable``/``enable`` form, a
    word followed by ``=``, or a close misspelling of a directive (``disabel``). Anything
    else is prose that mentions mwlint, and stays a comment."""
    low = kind.lower()
    if low.startswith(("disable", "enable")) or eq:
        return True
    if not kind:
        return False
    import difflib  # only for a comment that mentions mwlint

    return bool(difflib.get_close_matches(low, KINDS + ("enable",), n=1, cutoff=0.75))


def _next_code_line(lines: List[str], i: int) -> int:
    """1-based number of the first line after ``i`` (0-based) that is neither blank nor a
    comment; a comment alone on its line applies to it."""
    for j in range(i + 1, len(lines)):
        s = lines[j].strip()
        if s and not s.startswith("#"):
            return j + 1
    return 0
