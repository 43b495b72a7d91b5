"""Proof before writing: the rewritten text must parse, and its model must differ from the
old one exactly by the intended changes.

* Inside each deployments value the comparison is semantic: both values are turned into
  plain data with hiera's (Ruby Psych) merge semantics, the intended operations are applied
  to the old data, and the result must equal the new data. The raw duplicate keys must not
  change either (a dict would hide a new one).
* Outside the values the two node graphs must be identical (tags, scalar texts, mapping
  pairs in order, sequences), compared pair by pair with memoisation, so aliases and even
  cycles cost one visit per node pair.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from mwlint.parse.resolve import Resolver, is_map, is_scalar, is_seq

STR = "tag:yaml.org,2002:str"


def s(value: str) -> tuple:
    """Canonical form of a plain string scalar."""
    return (STR, value)


def canon(node, resolver: Resolver, memo: Optional[Dict[int, object]] = None):
    """Plain data for a node: scalars as ``(tag, text)``, sequences as lists, mappings as
    dicts with Psych merge semantics (keys in frozen canonical form)."""
    if memo is None:
        memo = {}
    if is_scalar(node):
        return (node.tag, node.value)
    hit = memo.get(id(node))
    if hit is not None:
        return hit
    if is_seq(node):
        out: list = []
        memo[id(node)] = out
        for item in node.value:
            out.append(canon(item, resolver, memo))
        return out
    if is_map(node):
        d: dict = {}
        memo[id(node)] = d
        for k, v, _merged in resolver.pairs(node):
            d[frozen(k)] = canon(v, resolver, memo)
        return d
    return ("?", repr(node))


def frozen(node, _depth: int = 0):
    """A hashable canonical form of a key node."""
    if is_scalar(node):
        return (node.tag, node.value)
    if _depth > 50:
        return ("<deep>",)
    if is_seq(node):
        return ("seq", tuple(frozen(i, _depth + 1) for i in node.value))
    if is_map(node):
        return ("map", tuple((frozen(k, _depth + 1), frozen(v, _depth + 1))
                             for k, v in node.value))
    return ("?",)


def same_graph(a, b, skip: Sequence[Tuple[Any, Any]] = ()) -> bool:
    """Whether two composed documents are identical node for node, except for the pairs in
    ``skip`` (compared elsewhere)."""
    skipped: Set[Tuple[int, int]] = {(id(x), id(y)) for x, y in skip}
    seen: Set[Tuple[int, int]] = set()
    stack: List[Tuple[Any, Any]] = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is None or y is None:
            if x is not y:
                return False
            continue
        pair = (id(x), id(y))
        if pair in seen or pair in skipped:
            continue
        seen.add(pair)
        if type(x) is not type(y) or x.tag != y.tag:
            return False
        if is_scalar(x):
            if x.value != y.value:
                return False
        elif is_seq(x):
            if len(x.value) != len(y.value):
                return False
            stack.extend(zip(x.value, y.value))
        elif is_map(x):
            if len(x.value) != len(y.value):
                return False
            for (xk, xv), (yk, yv) in zip(x.value, y.value):
                stack.append((xk, yk))
                stack.append((xv, yv))
        else:
            return False
    return True
