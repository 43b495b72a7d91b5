"""Step 6: which rules run and which findings count (select / ignore / severity / threshold)."""

from __future__ import annotations

from mwlint.findings import SEVERITY_RANK, Finding
from mwlint.rules.base import Named
from mwlint.suggest import did_you_mean
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, List, Mapping, Optional, Sequence, Set


class SelectionError(ValueError):
    pass


def expand(items: Iterable[str], rules: Sequence[Named]) -> Set[str]:
    """Codes for a list of codes, code prefixes (``MW2``) or rule names."""
    out: Set[str] = set()
    for raw in items:
        for item in raw.split(","):
            item = item.strip()
            if not item:
                continue
            if item.upper() == "ALL":
                out.update(r.code for r in rules)
                continue
            matched = [r.code for r in rules
                       if r.code.startswith(item.upper()) or r.name == item.lower()]
            if not matched:
                names = [r.code for r in rules] + [r.name for r in rules]
                raise SelectionError(f"unknown rule code or name {item!r}"
                                     + did_you_mean(item, names))
            out.update(matched)
    return out


def selected_codes(rules: Sequence[Named], select: Optional[Sequence[str]], ignore: Sequence[str]) -> Set[str]:
    codes = expand(select, rules) if select else {r.code for r in rules}
    return codes - expand(ignore, rules)


def apply_severity(findings: Iterable[Finding],
                   overrides: Optional[Mapping[str, str]]) -> List[Finding]:
    if not overrides:
        return list(findings)
    return [f._replace(severity=overrides.get(f.code, f.severity)) for f in findings]


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
