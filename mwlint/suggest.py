"""Did-you-mean suggestions.

A hint is a courtesy, so the work spent on it is bounded here, for every caller: a
suggestion looks at no more than :data:`MAX_CANDIDATES` names (the first ones given), and a
caller that asks for many hints (one per bad reference of a file) passes a :class:`Budget`
that caps the comparisons of all of them; once it is spent, no more hints are given.
"""

from __future__ import annotations

from itertools import islice

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, List, Optional, Sequence

MAX_CANDIDATES = 100  # names one suggestion compares the word with, at most
BUDGET = 5_000  # comparisons of a Budget(): 25 hints over 100 names, more over fewer


class Budget:
    """The comparisons a series of suggestions may still make (one per candidate)."""

    __slots__ = ("left",)

    def __init__(self, comparisons: int = BUDGET) -> None:
        self.left = comparisons

    def take(self, n: int) -> bool:
        """Spend ``n`` comparisons; False (and nothing spent) when fewer are left."""
        if n > self.left:
            self.left = 0
            return False
        self.left -= n
        return True


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6,
            budget: Optional[Budget] = None) -> Optional[str]:
    """The candidate ``word`` most likely means (a case-insensitive equal one first), or
    None; only the first :data:`MAX_CANDIDATES` candidates are looked at, and none when
    ``budget`` is spent."""
    cands = list(islice(candidates, MAX_CANDIDATES))
    if budget is not None and not budget.take(2 * len(cands)):
        return None
    import difflib  # only when a suggestion is wanted: it costs a millisecond at start-up

    word = word[:200]  # a long word's hint is no better, and difflib is quadratic in it
    lowered = {c.lower(): c for c in cands}
    if word.lower() in lowered:
        return lowered[word.lower()]
    m = difflib.get_close_matches(word, cands, n=1, cutoff=cutoff)
    if m:
        return m[0]
    m = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[m[0]] if m else None


def only_match(word: str, candidates: Iterable[str],
               budget: Optional[Budget] = None) -> Optional[str]:
    """The candidate ``word`` means when exactly one is close (a case-insensitive equal
    one counts as the only one), else None: what a fix may write (still a guess)."""
    cands = list(islice(candidates, MAX_CANDIDATES))
    if budget is not None and not budget.take(len(cands)):
        return None
    import difflib

    low = word.lower()[:200]
    equal = [c for c in cands if c.lower() == low]
    if equal:
        return equal[0] if len(equal) == 1 else None
    m = difflib.get_close_matches(low, [c.lower() for c in cands], n=2, cutoff=0.6)
    if len(m) != 1:
        return None
    return next(c for c in cands if c.lower() == m[0])


def did_you_mean(word: str, candidates: Iterable[str],
                 budget: Optional[Budget] = None) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    c = closest(word, candidates, budget=budget)
    return f" (did you mean {c!r}?)" if c and c != word else ""


def quoted_list(items: Iterable[str]) -> str:
    items = sorted({str(i) for i in items})
    return ", ".join(repr(i) for i in items) if items else "none"


def ranked(word: str, candidates: Iterable[str], n: int = 3) -> List[str]:
    """Up to ``n`` candidates ``word`` may mean, closest first: the case-insensitive equal
    one alone, else those that contain it (``debug`` in ``deprecated-debug``, for a word of
    three characters or more) and those difflib finds close."""
    import difflib

    cands = list(islice(dict.fromkeys(candidates), MAX_CANDIDATES))
    low = word.lower()[:200]
    for c in cands:
        if c.lower() == low:
            return [c]

    def ratio(c: str) -> float:
        return difflib.SequenceMatcher(None, low, c.lower()).ratio()

    scored = {}
    for c in cands:
        r = ratio(c)
        if r >= 0.6 or (len(low) >= 3 and low in c.lower()):
            scored[c] = r
    return sorted(scored, key=lambda c: (-scored[c], cands.index(c)))[:n]


def one_of(items: Sequence[str], quote: bool = True) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``."""
    shown = [repr(i) if quote else str(i) for i in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def unknown_value(what: str, value: str, choices: Sequence[str]) -> str:
    """``unknown format 'jsn' (did you mean 'json'? choose from text, json, ...)``: one line
    for an option value that is none of ``choices``."""
    c = closest(value, choices)
    hint = f"did you mean {c!r}? " if c and c != value else ""
    return f"unknown {what} {value!r} ({hint}choose from {', '.join(choices)})"


def few(names: Iterable[str], limit: int = 2) -> str:
    """``a, b`` or ``a, b and 3 more``: a long list would drown the message."""
    shown = list(names)
    if len(shown) <= limit + 1:
        return ", ".join(shown)
    return f"{', '.join(shown[:limit])} and {len(shown) - limit} more"
