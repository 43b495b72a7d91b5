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
repair, and has no error the old text did not have. When the whole set fails, each fix is
tried alone, the ones that pass are combined and proven once more.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, List, NamedTuple, Optional, Sequence, Tuple, Union

from mwlint.engine import NO_KEYS, relinter
from mwlint.findings import Edit, Finding, fixable, repairs
from mwlint.fix.textedit import OverlapError, apply_edits, overlaps, unified_diff
from mwlint.settings import Settings

# new text -> its findings (after the run's selection, suppressions and severities), or why
# it cannot be linted (it does not parse, or holds no configuration key any more)
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
    remaining: Optional[Tuple[Finding, ...]] = None  # the findings of ``fixed``, if linted
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


def _fix(text: str, path: str, findings: Sequence[Finding], relint: Relint, unsafe: bool,
         old: Optional[Sequence[Finding]]) -> FixResult:
    chosen: List[Finding] = []
    refused: List[Refused] = []
    taken: List[Edit] = []
    carriers = [f for f in findings if f.fix is not None and f.fix.edits
                and f.fix.applies(unsafe)]
    carriers.sort(key=lambda f: (min(e.start.offset for e in f.fix.edits)
                                 if f.fix is not None else 0, f.line, f.column, f.code))
    for f in carriers:
        assert f.fix is not None
        try:
            apply_edits(text, f.fix.edits)
        except OverlapError as e:
            refused.append(Refused(f, f"its edits are not well formed ({e})"))
            continue
        if overlaps(f.fix.edits, taken):
            other = next(g for g in chosen if g.fix is not None
                         and overlaps(f.fix.edits, g.fix.edits))
            refused.append(Refused(f, f"its edits overlap those of the {other.code} fix at "
                                      f"line {other.line}: run --fix again"))
            continue
        chosen.append(f)
        taken.extend(f.fix.edits)
    if not chosen:
        return FixResult(path, text, text, refused=tuple(refused))
    if old is None:
        before = relint(text)
        if isinstance(before, str):
            return FixResult(path, text, text, error=f"not fixed: {before}")
        old = before
    baseline: Sequence[Finding] = old

    def attempt(fixes: Sequence[Finding]) -> Tuple[str, List[Finding], Optional[str],
                                                    Union[str, Sequence[Finding]]]:
        edits = [e for f in fixes if f.fix is not None for e in f.fix.edits]
        new_text = apply_edits(text, edits)
        fixed = [g for f in fixes for g in repairs(findings, f)]
        new = relint(new_text)
        return new_text, fixed, _prove(baseline, fixed, new), new

    new_text, fixed, why, new = attempt(chosen)
    if why is not None and len(chosen) > 1:
        # find the fix at fault: each alone, then the ones that pass together
        passing = []
        for f in chosen:
            why_one = attempt([f])[2]
            if why_one is None:
                passing.append(f)
            else:
                refused.append(Refused(f, _refusal(why_one)))
        if passing:
            new_text, fixed, why, new = attempt(passing)
            chosen = passing
        if why is not None:
            refused.extend(Refused(f, _refusal(why)) for f in chosen)
            chosen = []
    elif why is not None:
        refused.extend(Refused(f, _refusal(why)) for f in chosen)
        chosen = []
    refused.sort(key=lambda r: (r.finding.line, r.finding.column, r.finding.code))
    if not chosen:
        return FixResult(path, text, text, refused=tuple(refused))
    return FixResult(path, text, new_text, tuple(chosen), tuple(_unique(fixed)),
                     tuple(refused), None, tuple(new) if not isinstance(new, str) else None)


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
        unsafe = bool(getattr(settings, "unsafe_fixes", False))
    return fix_findings(text, path, first, lint, unsafe, first)


__all__ = ["fix_text", "fix_findings", "FixResult", "Refused", "Relint", "Edit", "fixable",
           "repairs"]
