"""Mapping resolution with Ruby Psych semantics, duplicate keys, and the alias budget.

Hiera reads YAML with Ruby's Psych: merge keys (``<<``) are applied in document order (a
``<<`` after an explicit key overrides it; in a sequence of merges the first wins), and a
repeated key keeps its first position with the last value. PyYAML's constructor does the
opposite, so merges are resolved here, on the nodes.

Aliases share nodes, so a billion-laughs document composes cheaply but walks
exponentially, and ``&x [*x]`` is a cycle: every visit made through an alias or a merge key
counts against a budget, and exceeding it raises :class:`BudgetExceeded` (MW001).
"""

from __future__ import annotations

import re

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set, Tuple, Union

if TYPE_CHECKING:  # typing.TypeGuard is Python 3.10+; annotations are never evaluated
    from typing import TypeGuard

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"

DEFAULT_ALIAS_BUDGET = 10_000

_constructor = SafeConstructor()


def is_map(node: object) -> TypeGuard[MappingNode]:
    return isinstance(node, MappingNode)


def is_seq(node: object) -> TypeGuard[SequenceNode]:
    return isinstance(node, SequenceNode)


def is_scalar(node: object) -> TypeGuard[ScalarNode]:
    return isinstance(node, ScalarNode)


def scalar_value(node: object) -> Any:
    """The Python value of a scalar node as YAML 1.1 (Psych and PyYAML) reads it.

    Unknown tags give the plain string; collections give ``None``.
    """
    if not isinstance(node, ScalarNode):
        return None
    tag = node.tag
    if tag == STR_TAG:
        return node.value
    if tag == NULL_TAG:
        return None
    if tag == BOOL_TAG:
        return node.value.lower() in ("yes", "true", "on", "y")
    try:
        if tag == INT_TAG:
            return _int_value(node)
        if tag == FLOAT_TAG:
            return _float_value(node)
    except (ConstructorError, ValueError):
        return node.value
    return node.value


# Digits of an integer converted exactly. Python refuses int/str conversions beyond 4300
# decimal digits (ValueError, in any rule that shows the value), and a sexagesimal value
# (1:59:59) costs a big multiplication per part: past this bound the integer is a BigInt.
MAX_INT_DIGITS = 3000
_INSIGNIFICANT = re.compile(r"[-+]?(?:0[bx])?[0_:]*")


class BigInt:
    """An integer too long to convert, kept as its text (what messages show anyway). It is
    never zero (leading zeros do not count towards the bound), so it is true."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BigInt) and other.text == self.text

    def __hash__(self) -> int:
        return hash((BigInt, self.text))


def _int_value(node: ScalarNode) -> Union[int, BigInt]:
    text: str = node.value
    match = _INSIGNIFICANT.match(text)
    assert match is not None  # the pattern matches the empty string
    rest = text[match.end():]
    if len(rest) - rest.count("_") > MAX_INT_DIGITS:
        return BigInt(text)
    return int(_constructor.construct_yaml_int(node))


def _float_value(node: ScalarNode) -> float:
    """PyYAML's float, but a sexagesimal one (1:30.5) summed in floats: PyYAML's integer
    powers of 60 overflow the conversion (OverflowError) and grow quadratically."""
    value = node.value.replace("_", "").lower()
    if ":" not in value:
        return float(_constructor.construct_yaml_float(node))
    sign = -1.0 if value[:1] == "-" else 1.0
    total = 0.0
    for part in value.lstrip("+-").split(":"):
        total = total * 60 + float(part)  # overflows to inf, as Psych's Float does
    return sign * total


def key_identity(node: Node) -> Tuple[str, object]:
    """What makes two keys the same key (tag and text for scalars)."""
    if isinstance(node, ScalarNode):
        return (node.tag, node.value)
    return ("<collection>", id(node))


class BudgetExceeded(Exception):
    def __init__(self, message: str, node: Optional[Node] = None,
                 help: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.node = node
        self.help = help  # how to fix it (MW001's help line)


class Resolver:
    """Resolved views of the nodes of one value, with duplicate keys and alias tracking."""

    def __init__(self, budget: int = DEFAULT_ALIAS_BUDGET) -> None:
        self.budget = budget
        self.alias_visits = 0
        self._pairs: Dict[int, List[Tuple[Node, Node, bool]]] = {}
        self._resolving: Set[int] = set()
        # (duplicate key node, first key node) for keys repeated inside one mapping
        self.duplicates: List[Tuple[Node, Node]] = []

    def charge(self, n: int = 1, node: Optional[Node] = None) -> None:
        self.alias_visits += n
        if self.alias_visits > self.budget:
            raise BudgetExceeded(
                f"aliases and merge keys expand past the budget of {self.budget} node visits "
                f"(an alias bomb or a self-referencing anchor)",
                node,
                "write the values out, or alias them less deeply: hiera and scap expand every "
                "alias, and a deployments config needs a few at most",
            )

    def pairs(self, node: Node) -> List[Tuple[Node, Node, bool]]:
        """Effective ``(key, value, via_merge)`` pairs of a mapping node, Psych order.

        ``via_merge`` is true for pairs that come from a merge key.
        """
        cached = self._pairs.get(id(node))
        if cached is not None:
            return cached
        values = node.value
        if len(values) <= 1:  # most mappings ({}, {stage: x}): nothing to merge or repeat
            out: Optional[List[Tuple[Node, Node, bool]]]
            if not values:
                out = []
            else:
                k, v = values[0]
                if isinstance(k, ScalarNode) and k.tag == MERGE_TAG:
                    out = None
                else:
                    out = [(k, v, False)]
            if out is not None:
                self._pairs[id(node)] = out
                return out
        if id(node) in self._resolving:
            raise BudgetExceeded(
                "a merge key refers to the mapping that contains it (a cycle)", node,
                "remove that merge key (<<), or merge another mapping's anchor",
            )
        self._resolving.add(id(node))
        try:
            result: Dict[Tuple[str, object], List[Any]] = {}
            seen_explicit: Dict[Tuple[str, object], Node] = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.tag == MERGE_TAG:
                    merged = self._merge_source(v)
                    if merged is None:
                        ident = key_identity(k)
                        result[ident] = [k, v, False]
                        continue
                    for mk, mv, _ in merged:
                        self.charge(1, mv)
                        result[key_identity(mk)] = [mk, mv, True]
                    continue
                ident = key_identity(k)
                first = seen_explicit.get(ident)
                if first is not None:
                    self.duplicates.append((k, first))
                else:
                    seen_explicit[ident] = k
                if ident in result:
                    result[ident][0] = k
                    result[ident][1] = v
                    result[ident][2] = False
                else:
                    result[ident] = [k, v, False]
            out = [(p[0], p[1], p[2]) for p in result.values()]
        finally:
            self._resolving.discard(id(node))
        self._pairs[id(node)] = out
        return out

    def _merge_source(self, v: Node) -> Optional[List[Tuple[Node, Node, bool]]]:
        """Pairs merged by ``<<: v``; ``None`` when ``v`` is not mergeable (then Psych keeps
        ``<<`` as an ordinary key)."""
        if isinstance(v, MappingNode):
            return self.pairs(v)
        if isinstance(v, SequenceNode):
            if not all(isinstance(item, MappingNode) for item in v.value):
                return None
            acc: Dict[Tuple[str, object], Tuple[Node, Node, bool]] = {}
            for item in reversed(v.value):
                for mk, mv, _ in self.pairs(item):
                    acc[key_identity(mk)] = (mk, mv, True)
            return list(acc.values())
        return None

    def get(self, node: Node, name: str) -> Optional[Node]:
        """Value node of key ``name`` in a mapping node, or ``None``."""
        for k, v, _ in self.pairs(node):
            if isinstance(k, ScalarNode) and k.value == name and k.tag == STR_TAG:
                return v
        return None
