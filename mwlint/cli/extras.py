"""What ``--statistics`` and ``--show-fixes`` print: views of a run's findings, as ruff's
``check --statistics`` and ``--show-fixes`` show them.

They see findings only (code, name, path, fix), never the pipeline.
"""

from __future__ import annotations

import json

from mwlint.findings import SAFE, Finding
from mwlint.safe_text import neutralise
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Sequence, Tuple

# the formats --statistics prints in (the others are the findings themselves)
STATISTICS_FORMATS = ("text", "json")


class Count(NamedTuple):
    code: str
    name: str
    total: int
    fixable: int


def applies(f: Finding) -> bool:
    """True when ``--fix`` would repair ``f``: a safe fix (its own edits, or repaired by
    another finding's)."""
    return f.fix is not None and f.fixable and f.fix.applicability == SAFE


def statistics(findings: Iterable[Finding]) -> List[Count]:
    """Per code: how many findings, how many of them ``--fix`` repairs; most frequent
    first, then by code (ruff's order)."""
    names: Dict[str, str] = {}
    total: Dict[str, int] = {}
    fixable: Dict[str, int] = {}
    for f in findings:
        names.setdefault(f.code, f.name)
        total[f.code] = total.get(f.code, 0) + 1
        fixable[f.code] = fixable.get(f.code, 0) + (1 if applies(f) else 0)
    rows = [Count(code, names[code], total[code], fixable[code]) for code in total]
    rows.sort(key=lambda r: (-r.total, r.code))
    return rows


def statistics_text(rows: Sequence[Count]) -> str:
    """``3  MW201  [*] deprecated-debug``: count, code, ``[*]`` when every one is fixable
    (``[-]`` and ``(1 of 3 fixable)`` when some are), name; one row per code."""
    if not rows:
        return ""
    width = max(len(str(r.total)) for r in rows)
    out = []
    for r in rows:
        mark = "[*]" if r.fixable == r.total else "[-]" if r.fixable else "[ ]"
        some = f" ({r.fixable} of {r.total} fixable)" if 0 < r.fixable < r.total else ""
        out.append(f"{r.total:>{width}}  {r.code}  {mark} {neutralise(r.name)}{some}")
    return "\n".join(out) + "\n"


def statistics_json(rows: Sequence[Count]) -> str:
    return json.dumps([{"code": r.code, "name": r.name, "count": r.total,
                        "fixable": r.fixable > 0, "fixable_count": r.fixable}
                       for r in rows], indent=2) + "\n"


def fixes_by_file(findings: Iterable[Finding]) -> Dict[str, Dict[Tuple[str, str], int]]:
    """path -> (code, name) -> how many, in the findings' order."""
    out: Dict[str, Dict[Tuple[str, str], int]] = {}
    for f in findings:
        per = out.setdefault(f.path, {})
        per[(f.code, f.name)] = per.get((f.code, f.name), 0) + 1
    return out


def fixes_text(findings: Sequence[Finding], applied: bool) -> str:
    """ruff's fix summary::

        Fixed 3 findings:
        - hieradata/k.yaml:
            2 × MW201 (deprecated-debug)
            1 × MW203 (debug-image-stage)

    ``applied``: the fixes ``--fix`` wrote, else those it would apply ("Would fix"). Empty
    when there are none."""
    if not findings:
        return ""
    n = len(findings)
    noun = "finding" if n == 1 else "findings"
    head = f"Fixed {n} {noun}:" if applied else f"Would fix {n} {noun} with `mwlint --fix`:"
    out = [head]
    for path, per in fixes_by_file(findings).items():
        out.append(f"- {neutralise(path)}:")
        for (code, name), count in sorted(per.items()):
            out.append(f"    {count} × {code} ({neutralise(name)})")
    return "\n".join(out) + "\n"


def fixed_findings(before: Iterable[Finding], after: Iterable[Finding]) -> List[Finding]:
    """The findings of ``before`` (the run before ``--fix`` wrote) that had a fix and that
    ``after`` (the run on the fixed files) no longer reports: what the fix repaired. A
    finding is the same when its file, code and YAML path are (positions move when a fix
    shortens the lines above)."""
    left: Dict[Tuple[str, str, str], int] = {}
    for f in after:
        key = (f.path, f.code, f.yaml_path)
        left[key] = left.get(key, 0) + 1
    out = []
    for f in before:
        if not applies(f):
            continue
        key = (f.path, f.code, f.yaml_path)
        if left.get(key):
            left[key] -= 1
            continue
        out.append(f)
    return out
