"""``mwlint --fix`` / ``--diff``: apply the edits that the findings' fixes carry, prove the
result by linting it again, and (:mod:`mwlint.fix.command`) write it.

Nothing here knows a rule: a finding's :class:`mwlint.findings.Fix` says what to change
(its ``edits``), how sure it is (``applicability``: ``--fix`` applies ``safe`` fixes,
``--fix --unsafe-fixes`` the ``unsafe`` ones too) and, for a finding that another finding's
fix repairs, which one (``repaired_by``).

Library use (no file I/O)::

    from mwlint.fix import fix_text
    result = fix_text(yaml_text, "hieradata/role/common/deployment_server/kubernetes.yaml")
    result.fixed      # the rewritten text (== yaml_text when nothing applies)
    result.diff()     # unified diff
    result.repaired   # the findings it repairs (what --fix counts as fixed)
    result.refused    # the fixes left alone, each with the reason

The steps for one file: take the findings whose fix applies, in the order of their first
edit; a fix whose edits overlap those of a fix taken before is refused (the next run of
``--fix`` can apply it); apply the edits; lint the new text (:data:`Relint`) and accept it
only when it parses, still holds configuration keys, no longer has the findings the fixes
repair, and has no error the old text did not have. When the whole set fails, it is cut in
halves until the fixes at fault are found (at most :data:`PROOF_BUDGET` lints), and the
ones that pass are combined and proven once more.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from mwlint.engine import NO_KEYS, relinter
from mwlint.findings import Edit, Finding, fixable, repairs
from mwlint.fix.textedit import apply_edits, unified_diff
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

# new text -> its findings (after the run's selection, suppressions and severities), or why
# it cannot be linted (it does not parse, or holds no configuration key any more)
if TYPE_CHECKING:
    Relint = Callable[[str], Union[str, Sequence[Finding]]]


class Refused(NamedTuple):
    """A fix that was not applied, and why."""

    finding: Finding  # the finding whose fix it is
    reason: str


class FixResult(NamedTuple):
    path: str
    text: str  # the original text
    fixed: str  # the rewritten text (equal to ``text`` when nothing applies)
    applied: Tuple[Finding, ...] = ()  # the findings whose fix is applied
    repaired: Tuple[Finding, ...] = ()  # the findings those fixes repair (``applied`` too)
    refused: Tuple[Refused, ...] = ()
    error: Optional[str] = None  # why the file could not be considered at all
    findings_seen: Tuple[Finding, ...] = ()  # the findings of ``text`` it was given

    @property
    def changed(self) -> bool:
        return self.fixed != self.text

    @property
    def edits(self) -> Tuple[Edit, ...]:
        return tuple(sorted((e for f in self.applied if f.fix is not None
                             for e in f.fix.edits), key=lambda e: e.start.offset))

    def diff(self) -> str:
        return unified_diff(self.text, self.fixed, self.path)


def key(f: Finding) -> Tuple[str, str, str, int, int]:
    """A finding's place in its run: (path, code, YAML path, line, column)."""
    return (f.path, f.code, f.yaml_path, f.line, f.column)


def _identity(f: Finding) -> Tuple[str, str]:
    """What a finding is about, whatever lines an edit above it added or removed."""
    return (f.code, f.yaml_path)


def _prove(old: Sequence[Finding], fixed: Sequence[Finding],
           new: Union[str, Sequence[Finding]]) -> Optional[str]:
    """``None`` when ``new`` (the findings of the rewritten text, or why it has none) has
    none of the ``fixed`` findings and no error that ``old`` did not have; otherwise why
    not. A new warning or info may appear: a fix can make a finding visible that the
    broken value hid (ruff applies such fixes too)."""
    if isinstance(new, str):
        return new
    allowed = Counter(_identity(f) for f in old)
    allowed.subtract(Counter(_identity(f) for f in fixed))
    seen = Counter(_identity(f) for f in new)
    for f in new:
        ident = _identity(f)
        if seen[ident] > allowed[ident]:
            if any(_identity(g) == ident for g in fixed):
                return f"the {f.code} finding it repairs would remain"
            if f.severity == "error":
                return f"it would bring a new {f.code} error: {f.message}"
    return None


def fix_findings(text: str, path: str, findings: Sequence[Finding], relint: Relint,
                 unsafe: bool = False, old: Optional[Sequence[Finding]] = None) -> FixResult:
    """The fixes of ``findings`` (those reported on ``text``) applied to ``text`` and proven
    by ``relint``; ``old``: ``relint(text)``, when the caller has it (the proof compares
    like with like: a run's findings may have passed a baseline or a cross-check that
    ``relint`` does not apply). Never raises for bad input."""
    findings = tuple(findings)
    res = _fix(text, path, findings, relint, unsafe, old)
    return res._replace(findings_seen=findings)


# how many times one file's rewrite may be linted while looking for the fixes at fault
PROOF_BUDGET = 64


def _fix(text: str, path: str, findings: Sequence[Finding], relint: Relint, unsafe: bool,
         old: Optional[Sequence[Finding]]) -> FixResult:
    refused: List[Refused] = []
    carriers = [f for f in findings if f.fix is not None and f.fix.edits
                and f.fix.applies(unsafe)]
    carriers.sort(key=lambda f: (min(e.start.offset for e in f.fix.edits)
                                 if f.fix is not None else 0, f.line, f.column, f.code))
    chosen = _disjoint(text, carriers, refused)
    if not chosen:
        return FixResult(path, text, text, refused=tuple(refused))
    if old is None:
        before = relint(text)
        if isinstance(before, str):
            return FixResult(path, text, text, error=f"not fixed: {before}")
        old = before
    baseline: Sequence[Finding] = old
    followers: Dict[Tuple[str, int, int], List[Finding]] = {}
    for g in findings:
        if g.fix is not None and g.fix.repaired_by is not None:
            followers.setdefault(g.fix.repaired_by, []).append(g)

    def attempt(fixes: Sequence[Finding]) -> Tuple[str, List[Finding], Optional[str],
                                                    Union[str, Sequence[Finding]]]:
        edits = [e for f in fixes if f.fix is not None for e in f.fix.edits]
        new_text = apply_edits(text, edits)
        fixed = [g for f in fixes
                 for g in [f] + followers.get((f.code, f.line, f.column), [])]
        new = relint(new_text)
        return new_text, fixed, _prove(baseline, fixed, new), new

    # the whole set; when it fails, halves until the fixes at fault are found (a bounded
    # number of lints: a file with thousands of failing fixes costs no more)
    passing: List[Finding] = []
    budget = PROOF_BUDGET
    stack = [chosen]
    outcome = None
    while stack:
        group = stack.pop()
        if budget <= 0:
            refused.extend(Refused(f, "not tried: too many fixes in this file failed the "
                                      "proof (edit it by hand)") for f in group)
            continue
        budget -= 1
        result = attempt(group)
        if result[2] is None:
            passing.extend(group)
            if group is chosen:
                outcome = result
        elif len(group) == 1:
            refused.append(Refused(group[0], _refusal(result[2])))
        else:
            mid = len(group) // 2
            stack += [group[mid:], group[:mid]]
    if passing and outcome is None:  # the ones that pass alone, together once more
        outcome = attempt(passing)
        if outcome[2] is not None:
            refused.extend(Refused(f, _refusal(outcome[2])) for f in passing)
            passing = []
    refused.sort(key=lambda r: (r.finding.line, r.finding.column, r.finding.code))
    if not passing or outcome is None:
        return FixResult(path, text, text, refused=tuple(refused))
    new_text, fixed, _why, _new = outcome
    passing.sort(key=lambda f: (f.line, f.column, f.code))
    return FixResult(path, text, new_text, tuple(passing), tuple(_unique(fixed)),
                     tuple(refused))


def _disjoint(text: str, carriers: Sequence[Finding], refused: List[Refused]) -> List[Finding]:
    """The fixes whose edits are well formed and touch no text of a fix taken before (in
    order); the others go to ``refused``. Sorted intervals and bisection: linear-log in the
    number of edits."""
    starts: List[int] = []  # the taken edits, disjoint, sorted by start
    spans: List[Tuple[int, int, Finding]] = []
    chosen: List[Finding] = []
    n = len(text)
    for f in carriers:
        assert f.fix is not None
        edits = sorted((e.start.offset, e.end.offset) for e in f.fix.edits)
        if any(not 0 <= a <= b <= n for a, b in edits) or any(
                b2[0] < b1[1] or b2[0] == b1[0] for b1, b2 in zip(edits, edits[1:])):
            refused.append(Refused(f, "its edits are not well formed (they overlap or lie "
                                      "outside the text)"))
            continue
        other = next((o for a, b in edits for o in [_touching(starts, spans, a, b)]
                      if o is not None), None)
        if other is not None:
            refused.append(Refused(f, f"its edits overlap those of the {other.code} fix at "
                                      f"line {other.line}: run --fix again"))
            continue
        chosen.append(f)
        for a, b in edits:
            i = bisect_right(starts, a)
            starts.insert(i, a)
            spans.insert(i, (a, b, f))
    return chosen


def _touching(starts: List[int], spans: List[Tuple[int, int, Finding]], a: int,
              b: int) -> Optional[Finding]:
    """The fix of a taken edit that touches [a, b) (two insertions at one offset do: their
    order would be a guess), or ``None``."""
    i = bisect_right(starts, a)
    if i > 0:
        s, t, owner = spans[i - 1]
        if s == a or a < t:
            return owner
    if i < len(spans):
        s, _t, owner = spans[i]
        if s < b or s == a:
            return owner
    return None


def _unique(findings: Sequence[Finding]) -> List[Finding]:
    seen = set()
    out = []
    for f in findings:
        if key(f) not in seen:
            seen.add(key(f))
            out.append(f)
    return out


def _refusal(why: str) -> str:
    return f"the rewritten text does not pass the proof ({why})"


def fix_text(text: str, path: str = "<string>", settings: Optional[Settings] = None,
             unsafe: Optional[bool] = None) -> FixResult:
    """The fixed text of one file (``unsafe``: apply the unsafe fixes too, default
    ``settings.unsafe_fixes``), proven by linting it again; never raises for bad input."""
    settings = settings or Settings()
    lint = relinter(path, settings)
    first = lint(text)
    if first == NO_KEYS:
        return FixResult(path, text, text)
    if isinstance(first, str):
        return FixResult(path, text, text, error=f"not fixed: {first}")
    if unsafe is None:
        unsafe = settings.unsafe_fixes
    return fix_findings(text, path, first, lint, unsafe, first)


__all__ = ["fix_text", "fix_findings", "FixResult", "Refused", "Relint", "Edit", "fixable",
           "repairs"]
