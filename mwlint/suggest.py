"""Did-you-mean suggestions."""

from __future__ import annotations

from typing import Iterable, Optional


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    import difflib  # only when a suggestion is wanted: it costs a millisecond at start-up

    cands = list(candidates)
    lowered = {c.lower(): c for c in cands}
    if word.lower() in lowered:
        return lowered[word.lower()]
    m = difflib.get_close_matches(word, cands, n=1, cutoff=cutoff)
    if m:
        return m[0]
    m = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[m[0]] if m else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    c = closest(word, candidates)
    return f" (did you mean {c!r}?)" if c and c != word else ""


def quoted_list(items: Iterable[str]) -> str:
    items = sorted({str(i) for i in items})
    return ", ".join(repr(i) for i in items) if items else "none"


def few(names, limit: int = 2) -> str:
    """``a, b`` or ``a, b and 3 more``: a long list would drown the message."""
    names = list(names)
    if len(names) <= limit + 1:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"
