"""``mwlint --fix`` / ``--diff``: apply the fixes the findings carry (today the T389499
migration off ``debug``: MW201, which also repairs MW202 and MW203), proven by re-parsing.

Library use (no file I/O)::

    from mwlint.fix import fix_text
    result = fix_text(yaml_text, "hieradata/role/common/deployment_server/kubernetes.yaml")
    result.fixed      # the rewritten text (== yaml_text when nothing applies)
    result.diff()     # unified diff
    result.skipped    # debug keys left alone, each with the reason

The steps: lint the text with the engine (:func:`mwlint.engine.lint_source`, the run's
selection and inline suppressions apply); take each finding's :class:`mwlint.findings.Fix`
that has edits and is ``safe`` (one per entry: the MW201 finding of its ``debug`` key; the
MW202/MW203 it repairs and the entry's other ``debug`` keys say "repaired by" it); apply its
edits to the text and prove, by re-parsing, that the new model differs from the old one
exactly as the fix intends (:mod:`mwlint.fix.verify`), dropping any fix that does not; then
prove the combination once more. Writing files is :mod:`mwlint.fix.write`.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.engine import lint_source, load_model, rules_for
from mwlint.findings import SAFE, Finding
from mwlint.fix.textedit import Edit, apply_edits, unified_diff
from mwlint.fix.verify import canon, s, same_graph
from mwlint.model.migration import Cut, EntryFix, Op, Skipped
from mwlint.parse import Resolver
from mwlint.settings import Settings
from mwlint.source import SourceText


class Loaded(NamedTuple):
    root: Any
    hiera: Any  # HieraFile, or None when the document holds no deployments key


class CannotLoad(Exception):
    pass


def load(text: str, path: str, settings) -> Loaded:
    """The engine's parse -> locate -> model stage for ``text``; :class:`CannotLoad` when
    it stops there (MW001: not YAML, over the alias or depth budget), or when the text
    holds no deployments key any more (``hiera`` None)."""
    try:
        model = load_model(text, path, settings)
    except RecursionError:
        raise CannotLoad("nesting too deep") from None
    if isinstance(model, Finding):
        where = f"line {model.line}: " if model.line > 1 or model.column > 1 else ""
        raise CannotLoad(f"{where}{model.message}")
    if model is None:
        return Loaded(None, None)
    return Loaded(model.root, model)


class FixResult(NamedTuple):
    path: str
    text: str  # the original text
    fixed: str  # the rewritten text (equal to ``text`` when nothing applies)
    fixes: Tuple[EntryFix, ...] = ()  # applied, one per entry
    skipped: Tuple[Skipped, ...] = ()  # debug keys left alone, with the reason
    error: Optional[str] = None  # why the file could not be considered at all

    @property
    def changed(self) -> bool:
        return self.fixed != self.text

    @property
    def edits(self) -> Tuple[Edit, ...]:
        return tuple(sorted((e for f in self.fixes for e in f.edits), key=lambda e: e.start))

    @property
    def fixed_keys(self) -> int:
        """How many ``debug`` keys the fix removes."""
        return sum(len(f.fixed_paths) for f in self.fixes)

    def diff(self) -> str:
        return unified_diff(self.text, self.fixed, self.path)

    def notes(self) -> Dict[Tuple[str, str], str]:
        """(code, YAML path) → why that finding is not fixed automatically."""
        out: Dict[Tuple[str, str], str] = {}
        for sk in self.skipped:
            out[("MW201", sk.path)] = sk.reason
        for f in self.fixes:
            for code, path, reason in f.notes:
                out[(code, path)] = reason
        return out


def _settings(settings):
    if settings is None:
        settings = Settings()
    return settings


def fix_text(text: str, path: str = "<string>", settings=None) -> FixResult:
    """The fixed text of one file, proven by re-parsing; never raises for bad input."""
    settings = _settings(settings)
    rules, codes = rules_for(settings)
    models: list = []
    # MW001 always: a file that does not parse is an error here, whatever is selected
    findings = lint_source(SourceText(path, text), path, settings, rules,
                           set(codes) | {"MW001"}, models.append).findings
    if not models:
        for f in findings:
            if f.code == "MW001":
                return FixResult(path, text, text, error=f"not fixed: the file does not "
                                 f"parse (line {f.line}: {f.message})")
        return FixResult(path, text, text)
    hiera = models[0]
    old = Loaded(hiera.root, hiera)
    fixes, skipped = _collect(hiera, findings)
    accepted: List[EntryFix] = []
    why: Optional[str]
    for fx in fixes:
        try:
            new_text = apply_edits(text, fx.edits)
        except ValueError:  # overlapping edits
            why = "two edits would touch the same text"
        else:
            why = verify(old, new_text, [fx], path, settings)
        if why is None:
            accepted.append(fx)
        else:
            skipped.extend(_refused(fx, why))
    if not accepted:
        return FixResult(path, text, text, (), tuple(_sorted(skipped)))
    try:
        fixed = apply_edits(text, [e for fx in accepted for e in fx.edits])
    except ValueError:
        why = "two fixes would touch the same text"
    else:
        why = verify(old, fixed, accepted, path, settings)
    if why is not None:
        for fx in accepted:
            skipped.extend(_refused(fx, why))
        return FixResult(path, text, text, (), tuple(_sorted(skipped)))
    return FixResult(path, text, fixed, tuple(accepted), tuple(_sorted(skipped)))


def _collect(hiera, findings) -> Tuple[List[EntryFix], List[Skipped]]:
    """The fixes the findings carry (their edits, with the entry's plan for what they
    intend and which keys they remove), and the debug keys of reported MW201 findings that
    the migration leaves alone."""
    migration = hiera.migration()
    entries = {(d_index, e.index): e for d_index, d in enumerate(hiera.deployments)
               for e in d.entries}
    # by position: a key shared through an anchor has one finding, where it is written
    mw201 = {(f.line, f.column) for f in findings if f.code == "MW201"}
    fixes: List[EntryFix] = []
    for f in findings:
        fix = f.fix
        if fix is None or not fix.edits or fix.applicability != SAFE or not fix.intent:
            continue
        d_index, e_index, ops = fix.intent
        entry = entries.get((d_index, e_index))
        plan = migration.of(entry).fix if entry is not None else None
        if plan is None:
            continue
        cuts = tuple(Cut(e.start.offset, e.end.offset, e.content) for e in fix.edits)
        fixes.append(plan._replace(edits=cuts, ops=tuple(ops)))
    fixes.sort(key=lambda fx: (fx.deployments, fx.entry))
    skipped = [sk for p in migration.plans() for sk in p.skipped
               if (sk.line, sk.column) in mw201]
    return fixes, skipped


def _sorted(skipped: Sequence[Skipped]) -> List[Skipped]:
    return sorted(skipped, key=lambda sk: (sk.line, sk.column, sk.path))


def _refused(fx: EntryFix, why: str) -> List[Skipped]:
    reason = f"the rewritten text would not give the intended config ({why}): left unchanged"
    return [Skipped(p, line, col, reason) for p, line, col in fx.fixed]


def intended(old_data, form: str, fixes: Sequence[EntryFix]):
    """Apply the planned operations to the old value's plain data (in place)."""
    targets = old_data if form == "list" else old_data[s("deployment_targets")]
    for fx in fixes:
        entry = targets[fx.entry]
        for op in fx.ops:
            if op.release is None:
                target = entry
            else:
                target = entry[s("releases")].get(op.release)
            if op.action == "make":  # a null release becomes {key: value}
                entry[s("releases")][op.release] = {s(op.key): s(str(op.value))}
            elif op.action == "delete":
                del target[s(op.key)]
            else:
                target[s(op.key)] = s(str(op.value))
    return old_data


def verify(old: Loaded, new_text: str, fixes: Sequence[EntryFix], path: str,
           settings) -> Optional[str]:
    """``None`` when ``new_text``'s model is the old model with exactly ``fixes`` applied;
    otherwise what went wrong."""
    try:
        new = load(new_text, path, settings)
    except CannotLoad as e:
        return f"it does not parse: {e}"
    if new.hiera is None:
        return "the deployments key is gone"
    olds, news = old.hiera.deployments, new.hiera.deployments
    if [d.full_name for d in olds] != [d.full_name for d in news]:
        return "the deployments keys changed"
    if not same_graph(old.root, new.root, [(a.node, b.node) for a, b in zip(olds, news)]):
        return "text outside the deployments value changed meaning"
    for di, (a, b) in enumerate(zip(olds, news)):
        if a.form != b.form or len(a.duplicates) != len(b.duplicates):
            return "the shape or the duplicate keys changed"
        mine = [fx for fx in fixes if fx.deployments == di]
        try:
            want = canon(a.node, Resolver(settings.alias_budget))
            if mine:
                want = intended(want, a.form, mine)
            got = canon(b.node, Resolver(settings.alias_budget))
        except (KeyError, IndexError, TypeError):
            return "the planned change does not match the value's structure"
        except Exception as e:  # a budget or recursion problem: refuse, never crash
            return f"it could not be compared ({type(e).__name__})"
        if want != got:
            return "the new value differs from the intended one"
    return None


__all__ = ["fix_text", "FixResult", "EntryFix", "Skipped", "Edit", "Op", "load", "verify"]
