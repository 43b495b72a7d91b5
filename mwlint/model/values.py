"""What a rule sees of one YAML value: its kind, its text, where it is written and how it
was reached. Only the model touches the parser's nodes; a :class:`Value` keeps its node
private and answers every question a rule asks about it."""

from __future__ import annotations

from yaml.nodes import Node

from mwlint.findings import Position, Span, span_of
from mwlint.locate.locator import yaml_key
from mwlint.parse.resolve import Resolver, is_map, is_scalar, is_seq, scalar_value
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator, List, Optional, Tuple

# kinds of value
STR, INT, FLOAT, BOOL, NULL, MAP, SEQ, OTHER = (
    "str", "int", "float", "bool", "null", "map", "seq", "other")
_KIND_OF_TAG = {
    "tag:yaml.org,2002:str": STR,
    "tag:yaml.org,2002:int": INT,
    "tag:yaml.org,2002:float": FLOAT,
    "tag:yaml.org,2002:bool": BOOL,
    "tag:yaml.org,2002:null": NULL,
}

# How much of a long value a message quotes (``describe``, ``quote``).
CLIP_AT = 40  # longer than this is clipped ...
CLIP_TO = 30  # ... to this many characters, an ellipsis and the length


def clip(text: str) -> Tuple[str, str]:
    """``(shown, tail)``: a long text's first characters with an ellipsis, and the
    ``" (N characters)"`` to put after it; short text unchanged with an empty tail."""
    if len(text) <= CLIP_AT:
        return text, ""
    return text[:CLIP_TO] + "\u2026", f" ({len(text):,} characters)"


def quote(value: object) -> str:
    """A user value quoted into a message, as ``repr`` does, clipped when long
    (``'0xffffff…' (3,602 characters)``)."""
    if not isinstance(value, str):  # a number, a boolean, None: as ``repr`` shows it
        return _plain(repr(value))
    shown, tail = clip(value)
    return repr(shown) + tail


def _plain(text: str) -> str:
    shown, tail = clip(text)
    return shown + tail


# How many items a list in a message or a help shows (``cap_list``), and the longest an
# item may be there (items are normally already quoted through :func:`quote`).
LIST_LIMIT = 5
ITEM_LIMIT = 80


def cap_list(items: Iterable[str], limit: int = LIST_LIMIT, sep: str = ", ",
             last_sep: Optional[str] = None) -> str:
    """``items`` joined by ``sep`` (``last_sep`` before the last, when given), at most
    ``limit`` of them followed by ``"…and N more"``: every list a message or a help shows
    goes through here, so the output stays linear in the findings whatever the input.
    Items should come quoted (:func:`quote`); one longer than ``ITEM_LIMIT`` is clipped."""
    shown: List[str] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item if len(item) <= ITEM_LIMIT
                         else item[:ITEM_LIMIT - 1] + "\u2026")
        else:
            more += 1
    if more:
        return sep.join(shown) + f" \u2026and {more:,} more"
    if last_sep is not None and len(shown) > 1:
        return sep.join(shown[:-1]) + last_sep + shown[-1]
    return sep.join(shown)


# The last guard (:func:`bound_text`): no field of a finding is longer than this, whatever
# a rule put in it (a message is meant to be <= 120 characters, a help one sentence).
FIELD_LIMIT = 600


def bound_text(text: str, limit: int = FIELD_LIMIT) -> str:
    """``text`` when short; else its first characters, an ellipsis, its length and a short
    digest of the whole (two long texts that differ stay different: a finding's identity
    and :func:`mwlint.rules.base.subject` compare them)."""
    if len(text) <= limit:
        return text
    import hashlib  # only for an over-long field

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{text[:limit - 60]}\u2026 ({len(text):,} characters, {digest})"


def kind_of(node: Node) -> str:
    if is_map(node):
        return MAP
    if is_seq(node):
        return SEQ
    return _KIND_OF_TAG.get(node.tag, OTHER)


class Value:
    """One YAML value (a scalar, a list or a mapping) with its position and provenance.

    ``origin`` is ``"release"``, ``"namespace"`` or ``"default"`` for an effective value,
    else ``""``; ``via_alias`` tells that the value was reached through an alias or a merge
    key (an edit there would change other places too)."""

    __slots__ = ("_node", "path", "via_alias", "origin", "_resolver")

    def __init__(self, node: Node, path: str = "", via_alias: bool = False, origin: str = "",
                 resolver: Optional[Resolver] = None) -> None:
        self._node = node
        self.path = path
        self.via_alias = via_alias
        self.origin = origin
        self._resolver = resolver

    # -- what it is ----------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return kind_of(self._node)

    @property
    def is_scalar(self) -> bool:
        return is_scalar(self._node)

    @property
    def text(self) -> Optional[str]:
        """A scalar's text as written (without quotes); ``None`` for a list or a mapping."""
        return self._node.value if is_scalar(self._node) else None

    @property
    def value(self) -> Any:
        """What Ruby's YAML loader (and so scap) reads: a str, int, float, bool, None; a
        list or a mapping is ``None`` here (look at :meth:`items`)."""
        return scalar_value(self._node)

    @property
    def span(self) -> Span:
        return span_of(self._node)

    @property
    def line(self) -> int:
        return self._node.start_mark.line + 1

    @property
    def identity(self) -> int:
        """Equal for two Values of the same written value (an anchor used twice)."""
        return id(self._node)

    @property
    def style(self) -> Optional[str]:
        """A scalar's quoting as written: ``"'"``, ``'"'``, ``None`` when plain (or not a
        scalar)."""
        return getattr(self._node, "style", None) if is_scalar(self._node) else None

    def positions(self) -> Tuple[Position, Position]:
        """Where the value is written, for an edit: (start, exclusive end)."""
        s, e = self._node.start_mark, self._node.end_mark
        return (Position(s.line + 1, s.column + 1, s.index),
                Position(e.line + 1, e.column + 1, e.index))

    def written(self, text: str) -> str:
        """The value's source text in ``text`` (the file it was read from)."""
        return text[self._node.start_mark.index:self._node.end_mark.index]

    # -- what it holds -------------------------------------------------------------------
    def __len__(self) -> int:
        """Items of a list, pairs of a mapping as written (merge keys count as one);
        0 for a scalar."""
        return 0 if is_scalar(self._node) else len(self._node.value)

    def items(self) -> Tuple["Value", ...]:
        """A list's items, with their YAML paths; empty for anything else."""
        if not is_seq(self._node):
            return ()
        base = self.path
        return tuple(Value(n, f"{base}[{i}]", self.via_alias, "", self._resolver)
                     for i, n in enumerate(self._node.value))

    def pairs(self) -> List[Tuple["Value", "Value"]]:
        """A mapping's ``(key, value)`` pairs as scap reads them (merge keys resolved, the
        last of a repeated key kept); empty for anything else."""
        if not is_map(self._node):
            return []
        resolver = self._resolver if self._resolver is not None else Resolver()
        out: List[Tuple[Value, Value]] = []
        for k, v, merged in resolver.pairs(self._node):
            name = _key_name(k)
            out.append((Value(k, f"{self.path}.{name}", self.via_alias or merged, "",
                              resolver),
                        Value(v, f"{self.path}.{name}", self.via_alias or merged, "",
                              resolver)))
        return out

    def __iter__(self) -> Iterator["Value"]:
        return iter(self.items())

    # -- how a message shows it ----------------------------------------------------------
    def describe(self) -> str:
        """'null', 'a list', 'the integer 3', "the string 'x'"...; long text clipped."""
        return describe_node(self._node)

    def __repr__(self) -> str:
        return f"<Value {self.kind} {self.path}>"


def _key_name(node: Node) -> str:
    """A key as a YAML path piece."""
    return yaml_key(node.value) if is_scalar(node) else "<complex key>"


def describe_node(node: Node) -> str:
    if is_map(node):
        return "a mapping"
    if is_seq(node):
        return "a list"
    kind = kind_of(node)
    text = node.value
    if kind == NULL:
        return "null"
    if kind == BOOL:
        return f"the boolean {_plain(text)}"
    if kind == INT:
        return f"the integer {_plain(text)}"
    if kind == FLOAT:
        return f"the number {_plain(text)}"
    if kind == STR:
        return "an empty string" if text == "" else f"the string {quote(text)}"
    return f"{quote(text)} (tagged {_plain(node.tag)})"
