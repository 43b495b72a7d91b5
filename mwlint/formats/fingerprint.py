"""A finding's stable identity for the systems that track findings across runs (SARIF
``partialFingerprints``, GitLab Code Quality ``fingerprint``).

It is built from the rule, the file and what the finding is about (its context tuple, else
its YAML path, else its message), not from the line: an alert survives unrelated line moves.
Findings that would share an identity are told apart by their order (``occurrence``).
"""

from __future__ import annotations

import hashlib

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Tuple


def fingerprint(f: Any, occurrence: int) -> str:
    identity = "|".join(str(x) for x in f.context) if f.context else f.yaml_path
    if not identity:  # file-level findings (MW001, MW003): the message says what
        identity = f.message
    raw = "\x1f".join((f.code, f.path, identity, str(occurrence)))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprints(findings: Iterable[Any]) -> List[str]:
    """The fingerprint of each finding, in order; distinct within one run."""
    seen: Dict[Tuple[Any, ...], int] = {}
    out = []
    for f in findings:
        key = (f.code, f.path, f.context or f.yaml_path or f.message)
        seen[key] = seen.get(key, 0) + 1
        out.append(fingerprint(f, seen[key]))
    return out
