"""Keys close to a key of either family (MW007): what the locator compares top-level keys
with, and the pre-filter's cheap look at a text's key lines before anything is parsed."""

from __future__ import annotations

import re

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Optional

_SHARED = "profile::kubernetes::deployment_server::"
# Every hiera key mwlint knows, of either family (the locator's names for them).
KNOWN_KEYS = (_SHARED + "mediawiki::release::mw_releases",
              _SHARED + "mediawiki::release::mw_deployments",
              _SHARED + "deploy_service::cluster_groups",
              _SHARED + "deploy_service::service_catalog")
# What both families' keys share: only a key holding one of these is compared.
NEAR_MARKERS = ("deployment_server", "::mediawiki::release", "::deploy_service::")
# How close a key must be to a known one: the difflib ratio over the whole key, and over
# its last ``::`` piece.
NEAR_RATIO = 0.9
NEAR_LAST_RATIO = 0.75
_LONGEST = 2 * max(len(k) for k in KNOWN_KEYS)
_KNOWN_LOW = {k.lower(): k for k in KNOWN_KEYS}  # lower-cased -> as written
# a line holding a key with the shared piece: the key itself, without indent and quotes
# (bounded repeats: a long line costs at most a few hundred steps, whatever it holds)
_KEY_LINE = re.compile(r"^[ \t]{0,40}[\"']?([^\s\"'#][^\n]{0,100}?deployment_server::"
                       r"\S{0,100}?)[\"']?:(?:[ \t]|$)", re.M)
_PIECE = "deployment_server::"  # what every line _KEY_LINE matches holds
# how many such lines the pre-filter looks at in one text
LINE_BUDGET = 200


def near_key(name: str) -> Optional[str]:
    """The known key ``name`` is a likely misspelling of, or None (also for a known key)."""
    if len(name) > _LONGEST or name in KNOWN_KEYS:
        return None  # no typo of a key is twice as long: no comparison
    low = name.lower()
    # difflib's cheapest bound (its real_quick_ratio) first, without difflib: most keys that
    # hold a marker are other parameters of the same profile, of another length
    candidates = [k for k in _KNOWN_LOW if _length_ratio(len(low), len(k)) >= NEAR_RATIO]
    if not candidates:
        return None
    import difflib  # only for a key that holds a marker and is about as long as a known one

    best, best_ratio = None, 0.0
    for known in candidates:
        m = difflib.SequenceMatcher(None, low, known)
        if m.real_quick_ratio() < NEAR_RATIO or m.quick_ratio() < NEAR_RATIO:
            continue
        r = m.ratio()
        if r < NEAR_RATIO or r <= best_ratio or _variant(low, known):
            continue  # not close, or a deliberate variant (``..._old``)
        last = difflib.SequenceMatcher(None, low.rsplit("::", 1)[-1],
                                       known.rsplit("::", 1)[-1]).ratio()
        if last >= NEAR_LAST_RATIO:
            best, best_ratio = _KNOWN_LOW[known], r
    return best


def _length_ratio(a: int, b: int) -> float:
    """difflib's ``real_quick_ratio`` of two strings of lengths ``a`` and ``b``."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0


def _variant(name: str, known: str) -> bool:
    """``known`` followed by a separated word (``mw_releases_old``): kept on purpose."""
    return name.startswith(known) and name[len(known):len(known) + 1] in ("_", "-", ".", ":")


def has_near_key(text: str) -> bool:
    """Whether a line of ``text`` starts with a key close to a known one: the pre-filter's
    look at a file that holds ``deployment_server::`` but no key of either family (most
    such files set other ``profile::kubernetes::deployment_server`` parameters). Only the
    lines holding that piece are matched (a scan of every line of a large file cost more
    than reading it)."""
    found = 0
    at = text.find(_PIECE)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        m = _KEY_LINE.match(text, start, end)
        if m is not None:
            if found >= LINE_BUDGET:
                return True  # too many to look at cheaply: let the locator decide
            found += 1
            if near_key(m.group(1)) is not None:
                return True
        at = text.find(_PIECE, end)
    return False
