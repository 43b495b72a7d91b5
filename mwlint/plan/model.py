"""The family-neutral plan model: what every configuration family's plan is made of, and the
one difference between two plans that every renderer shows.

A family (the MediaWiki deployments, scap deploy-service, a third one) contributes
:class:`Record` objects built from its model's facts, the ``refusals`` its rules' findings
carry (never a second judgement), and the checks that run after each stage
(:class:`CheckItem`). :func:`diff_records` compares two sides record by record, keyed by
(family, name, release): clusters and environments are fields like the others, so a cluster
change never hides a deploy toggle, a kind or a flavour change. :func:`effects` orders the
changes the way every format tells them: production moves (deploy turned on included) and
image changes first, then the rest, grouped by stage in the order scap runs them.

How a family plugs in: its :meth:`mwlint.family.Family.planner` returns a
:class:`PlanFamily` (subclass :class:`Planner`: ``plan(model, verdicts, options)`` returning
a :class:`FamilyPlan`, or ``None`` when the model has none of its keys; every other hook has
a default); :func:`mwlint.plan.planners.planners` finds the planner of every registered
family (the built-in ones by name). The renderers in :mod:`mwlint.plan.render` never name a
family: a full plan is each family's planner hooks, a difference the neutral model.
"""

from __future__ import annotations

import argparse

from mwlint.findings import Finding
from mwlint.plan import escape as esc
from mwlint.typehints import TYPE_CHECKING, NamedTuple, Protocol, cast

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

NOT_DEPLOYED = "not deployed"
NOT_DEPLOYED_RANK = 1000
TIERS = ("Moves to production or changes the image", "Other changes")

if TYPE_CHECKING:
    Field = Tuple[str, object]


class Record(NamedTuple):
    """One deployable unit of a family's plan: a MediaWiki release (every cluster it is on)
    or a deploy-service release (every environment it is applied in)."""

    family: str
    name: str  # the namespace (MediaWiki) or the service (deploy-service)
    release: str
    stage: str  # the stage it is applied at (its label when it is not a stage)
    rank: int  # the stage's place in the run order (0 first); NOT_DEPLOYED_RANK when not
    deploy: bool  # scap applies it (``deploy: false`` records are written, never applied)
    production: bool  # applied to production
    # the compared facts, in the order a change lists them; clusters/environments are one
    fields: Tuple[Field, ...]
    image_fields: Tuple[str, ...] = ()  # those of ``fields`` that choose the image run

    @property
    def identity(self) -> Tuple[str, str, str]:
        return (self.family, self.name, self.release)

    @property
    def label(self) -> str:
        return f"{self.name}/{self.release}"

    @property
    def group(self) -> str:
        return self.stage if self.deploy else NOT_DEPLOYED

    def get(self, field: str) -> object:
        for k, v in self.fields:
            if k == field:
                return v
        return None


class CheckItem(NamedTuple):
    """A check that runs after a stage (supervision, a deploy-service check)."""

    family: str
    stage: str  # the stage after which it runs ("all" for the whole plan)
    rank: int
    key: Tuple[object, ...]  # what identifies it across two plans
    what: str  # one short line (values in it are rendered as text)
    value: object = None  # what may change while the key stays (a threshold)


class CheckChange(NamedTuple):
    change: str  # "added", "removed", "changed" (and family-specific ones)
    stage: str
    what: str  # one short line
    rank: int = 0
    family: str = ""

    def as_dict(self) -> Dict[str, object]:
        return {"change": self.change, "stage": self.stage, "what": self.what}


class FamilyPlan(NamedTuple):
    """One family's plan of one file: its records, why scap would not get through it (the
    rules' findings), its checks, and the family's own detail (for the full plan view)."""

    family: str
    path: str
    records: Tuple[Record, ...]
    refusals: Tuple[str, ...] = ()
    checks: Tuple[CheckItem, ...] = ()
    detail: Any = None


class PlanOptions(NamedTuple):
    """What a plan needs beyond the model and the findings."""

    report: Any = None  # a parsed build report
    report_path: Optional[str] = None
    charts: Optional[str] = None
    max_size: int = 10 * 1024 * 1024
    # the run's findings of every file (a family whose parts span files reads them all)
    verdicts: Mapping[str, Sequence[Finding]] = {}
    # each family's own plan options, by family name: what its planner's
    # :meth:`Planner.check_arguments` made of the command line (:meth:`of`)
    families: Mapping[str, Mapping[str, Any]] = {}

    def of(self, family: str) -> Mapping[str, Any]:
        """The plan options of ``family`` (empty when it has none)."""
        return self.families.get(family, {})


class PlanInputs(NamedTuple):
    """What a family's plan options are checked against (:meth:`Planner.check_arguments`):
    the models of the run (both sides with ``--against``) and, once a full plan is made
    (:meth:`Planner.check_plans`), the family's plans."""

    models: Sequence[Any] = ()
    plans: Sequence[FamilyPlan] = ()


class PlanUsageError(Exception):
    """A family's plan option is wrong: ``mwlint plan`` says so as a usage error (exit 2)
    with this message."""


class PlanFamily(Protocol):
    """A configuration family as the plan sees it: the plan side of a
    :class:`mwlint.family.Family` (:func:`mwlint.plan.planners.planner_of`). Subclass
    :class:`Planner` for the defaults of every hook but :meth:`plan`."""

    name: str

    # the family's own options of ``mwlint plan`` (the command line names no family)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the family's options to the ``mwlint plan`` parser."""
        ...

    def check_arguments(self, args: argparse.Namespace, inputs: PlanInputs
                        ) -> Mapping[str, Any]:
        """The family's options in ``args`` checked against the run's models: what its
        plans read as ``options.of(name)``; raises :class:`PlanUsageError`."""
        ...

    def check_plans(self, args: argparse.Namespace, inputs: PlanInputs) -> None:
        """After a full plan (not ``--against``): the checks of its options that need its
        plans; raises :class:`PlanUsageError`."""
        ...

    def plan(self, model: Any, verdicts: Sequence[Finding], options: PlanOptions
             ) -> Optional[FamilyPlan]:
        """The family's plan of one file's model (``None``: none of its keys there)."""
        ...

    def diff_checks(self, old: Optional[FamilyPlan], new: Optional[FamilyPlan]
                    ) -> List[CheckChange]:
        """Checks added, removed or changed."""
        ...

    # the full plan view (``mwlint plan`` without ``--against``) of the family's plans

    def problems(self, plans: Sequence[FamilyPlan]) -> int:
        """How many reasons scap would not get through (the verdict counts them)."""
        ...

    def text_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions) -> List[str]:
        """The plans as text lines (each value escaped; a section starts with ``""``)."""
        ...

    def markdown_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions
                       ) -> List[str]:
        """The plans as CommonMark lines."""
        ...

    def json_fields(self, plans: Sequence[FamilyPlan], options: PlanOptions
                    ) -> Dict[str, Any]:
        """The entries the plans add to the JSON document."""
        ...

    def html_section(self, plans: Sequence[FamilyPlan], options: PlanOptions, env: Any
                     ) -> str:
        """The plans as an HTML fragment rendered (escaped) with the jinja2 ``env``."""
        ...


def shown(fp: FamilyPlan) -> bool:
    """A family plan the full plan view shows: records, or the family's own detail."""
    return bool(fp.records) or bool(fp.detail)


_HTML = """
<section>
<h2>{{ name }}</h2>
{% for p in plans %}<h3>{{ p.path }}</h3>
<ul>{% for r in p.records %}<li><code>{{ r.label }}</code> ({{ r.group }}): {{ r.fields }}</li>{% endfor %}</ul>
{% for s in p.refusals %}<p class="problem">{{ s }}</p>{% endfor %}
{% endfor %}</section>
"""


class Planner:
    """Defaults for a :class:`PlanFamily`: a family's full plan view lists its records by
    path, then its refusals; its checks differ by :func:`diff_checks`."""

    name: str = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        return None  # no options of its own

    def check_arguments(self, args: argparse.Namespace, inputs: PlanInputs
                        ) -> Mapping[str, Any]:
        return {}

    def check_plans(self, args: argparse.Namespace, inputs: PlanInputs) -> None:
        return None

    def plan(self, model: Any, verdicts: Sequence[Finding], options: PlanOptions
             ) -> Optional[FamilyPlan]:
        raise NotImplementedError

    def diff_checks(self, old: Optional[FamilyPlan], new: Optional[FamilyPlan]
                    ) -> List[CheckChange]:
        return diff_checks(old.checks if old is not None else (),
                           new.checks if new is not None else ())

    def problems(self, plans: Sequence[FamilyPlan]) -> int:
        return sum(len(fp.refusals) for fp in plans)

    def _record_line(self, r: Record, value: Callable[[object], str]) -> str:
        fields = "; ".join(f"{k} {value(v)}" for k, v in r.fields)
        return f"{value(r.label)} ({value(r.group)}): {fields}"

    def text_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions) -> List[str]:
        out: List[str] = []
        for fp in plans:
            out += ["", f"{esc.text(self.name)} plan: {esc.text(fp.path)}"]
            out += [f"  {self._record_line(r, lambda v: esc.text(fmt_value(v)))}"
                    for r in fp.records]
            out += [f"  scap would not get through: {esc.text(x)}" for x in fp.refusals]
        return out

    def markdown_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions
                       ) -> List[str]:
        out: List[str] = []
        for fp in plans:
            out += ["", f"### {esc.md_text(self.name)} plan: {esc.md_code(fp.path)}", ""]
            out += [f"- {self._record_line(r, lambda v: esc.md_code(fmt_value(v)))}"
                    for r in fp.records]
            out += [f"- scap would not get through: {esc.md_code(x)}" for x in fp.refusals]
        return out

    def json_fields(self, plans: Sequence[FamilyPlan], options: PlanOptions
                    ) -> Dict[str, Any]:
        if not plans:
            return {}
        return {self.name: [
            {"path": fp.path, "refusals": list(fp.refusals),
             "records": [{"name": r.name, "release": r.release, "stage": r.stage,
                          "deploy": r.deploy, "production": r.production,
                          "fields": {k: _jsonable(v) for k, v in r.fields}}
                         for r in fp.records]} for fp in plans]}

    def html_section(self, plans: Sequence[FamilyPlan], options: PlanOptions, env: Any
                     ) -> str:
        if not plans:
            return ""
        return cast("str", env.from_string(_HTML).render(
            name=self.name,
            plans=[{"path": fp.path, "refusals": fp.refusals,
                    "records": [{"label": r.label, "group": r.group,
                                 "fields": "; ".join(f"{k} {fmt_value(v)}"
                                                     for k, v in r.fields)}
                                for r in fp.records]} for fp in plans]))


# -- differences --------------------------------------------------------------------------

class FieldChange(NamedTuple):
    field: str
    old: object
    new: object


class Change(NamedTuple):
    """What happens to one record (family, name, release) from the old plan to the new."""

    family: str
    name: str
    release: str
    change: str  # "added", "removed" or "changed"
    stage: str  # as the newer side has it (the older for a removed record)
    rank: int
    deploy: bool
    fields: Tuple[FieldChange, ...]  # changed: what changes; added/removed: every field
    to_production: bool = False  # starts reaching production, or deploy turned on
    image: bool = False  # a field that chooses the image changes, on a deployed record
    image_fields: Tuple[str, ...] = ()

    @property
    def tier(self) -> int:
        return 0 if self.to_production or self.image else 1

    @property
    def namespace(self) -> str:
        """The namespace (MediaWiki) or the service (deploy-service): :attr:`name`."""
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name}/{self.release}"

    @property
    def group(self) -> str:
        return self.stage if self.deploy else NOT_DEPLOYED

    def as_dict(self) -> Dict[str, object]:
        return {"family": self.family, "name": self.name, "release": self.release,
                "change": self.change, "stage": self.stage, "deploy": self.deploy,
                "group": self.group, "to_production": self.to_production,
                "image": self.image,
                "fields": [{"field": f.field, "old": _jsonable(f.old),
                            "new": _jsonable(f.new)} for f in self.fields]}


def _jsonable(v: object) -> object:
    return list(v) if isinstance(v, tuple) else v


def _merge(records: Iterable[Record]) -> Dict[Tuple[str, str, str], Record]:
    """One record per identity (the first; a repeated namespace is MW304's business)."""
    out: Dict[Tuple[str, str, str], Record] = {}
    for r in records:
        out.setdefault(r.identity, r)
    return out


def diff_records(old: Iterable[Record], new: Iterable[Record]) -> List[Change]:
    """The changes from ``old`` to ``new`` in the new side's order, removed records last."""
    a = _merge(old)
    b = _merge(new)
    out: List[Change] = []
    for key, now in b.items():
        before = a.get(key)
        if before is None:
            out.append(Change(now.family, now.name, now.release, "added", now.stage,
                              now.rank, now.deploy,
                              tuple(FieldChange(k, None, v) for k, v in now.fields),
                              to_production=now.production and now.deploy,
                              image=False))
            continue
        old_fields = dict(before.fields)
        fields = []
        for k, v in now.fields:
            o = old_fields.get(k)
            if o != v:
                fields.append(FieldChange(k, o, v))
        for k, o in before.fields:
            if k not in dict(now.fields):
                fields.append(FieldChange(k, o, None))
        if not fields:
            continue
        turned_on = now.deploy and not before.deploy
        to_prod = now.deploy and now.production and (turned_on or not before.production)
        image = now.deploy and any(f.field in now.image_fields for f in fields)
        out.append(Change(now.family, now.name, now.release, "changed", now.stage, now.rank,
                          now.deploy, tuple(fields), to_production=to_prod or turned_on,
                          image=image, image_fields=now.image_fields))
    for key, before in a.items():
        if key not in b:
            out.append(Change(before.family, before.name, before.release, "removed",
                              before.stage, before.rank, before.deploy,
                              tuple(FieldChange(k, v, None) for k, v in before.fields)))
    return out


def diff_checks(old: Sequence[CheckItem], new: Sequence[CheckItem]) -> List[CheckChange]:
    """Generic check difference: added, removed, value changed (by key), in stage order."""
    a = {c.key: c for c in old}
    b = {c.key: c for c in new}
    out: List[CheckChange] = []
    for key, c in b.items():
        before = a.get(key)
        if before is None:
            out.append(CheckChange("added", c.stage, f"check added: {c.what}", c.rank,
                                   c.family))
        elif before.value != c.value:
            out.append(CheckChange("changed", c.stage,
                                   f"{c.what} (was {fmt_value(before.value)})", c.rank,
                                   c.family))
    for key, c in a.items():
        if key not in b:
            out.append(CheckChange("removed", c.stage, f"check removed: {c.what}", c.rank,
                                   c.family))
    return sorted(out, key=lambda c: c.rank)


class PlanSide(NamedTuple):
    """One side of a difference: why scap would not get through it (its plans' refusals)
    and the errors of its lint (the findings of severity error, as ``check`` reports)."""

    refusals: Tuple[str, ...] = ()
    errors: Tuple[Finding, ...] = ()
    planned: bool = False  # some family has a plan here

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


class PlanDiff(NamedTuple):
    """How one file's plans (every family) change from revision ``rev`` to the working
    tree."""

    path: str
    rev: str
    existed: bool  # the file is in the revision
    changes: List[Change]
    old: PlanSide = PlanSide()
    new: PlanSide = PlanSide()
    checks: Tuple[CheckChange, ...] = ()


def side_errors(findings: Sequence[Finding]) -> Tuple[Finding, ...]:
    return tuple(f for f in findings if f.severity == "error")


# -- the story every format tells -----------------------------------------------------------

class Effect(NamedTuple):
    tier: int  # 0: to production, deploy turned on or a new image; 1: the rest
    group: str  # the stage it happens at, NOT_DEPLOYED, or "all" (supervision)
    rank: int
    name: str  # name/release ("" for a check change)
    kind: str  # "field", "added", "removed" or "check"
    field: Optional[FieldChange] = None  # kind "field"
    places: object = None  # added/removed: the clusters or environments
    stage: object = None  # added/removed: its stage
    deploy: bool = True
    text: str = ""  # kind "check": the line
    family: str = ""

    def what(self, value: Optional[Callable[[object], str]] = None,
             prose: Optional[Callable[[str], str]] = None) -> str:
        """The effect in words; ``value`` renders each value from the data, ``prose`` a
        line that holds values already (a check change)."""
        v = value if value is not None else fmt_value
        if self.kind == "check":
            return prose(self.text) if prose is not None else self.text
        if self.kind == "field" and self.field is not None:
            return describe(self.field, v)
        tail = "" if self.deploy else f", not deployed (stage {v(self.stage)})"
        return f"{self.kind} ({v(self.places)}){tail}"


def fmt_value(v: object) -> str:
    """A value as the plan shows it (before the output's own escaping)."""
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return ", ".join(fmt_value(x) for x in v) or "none"
    return str(v)


def describe(f: FieldChange, value: Callable[[object], str] = fmt_value) -> str:
    if f.field == "stage":
        return f"moves from {value(f.old)} to {value(f.new)}"
    if f.field == "deploy":
        return "deploy turned on" if f.new else "deploy turned off, no longer deployed"
    return f"{f.field} {value(f.old)} → {value(f.new)}"


def change_effects(c: Change) -> List[Effect]:
    """The lines of one change (a changed record: one per field, its tier by what moves)."""
    rank = NOT_DEPLOYED_RANK if not c.deploy else c.rank
    if c.change in ("added", "removed"):
        side = {f.field: (f.new if c.change == "added" else f.old) for f in c.fields}
        places = next((side[k] for k in ("clusters", "environments") if k in side), None)
        return [Effect(c.tier, c.group, rank, c.label, c.change, places=places,
                       stage=side.get("stage"), deploy=c.deploy, family=c.family)]
    out = []
    for f in c.fields:
        tier = 1
        if f.field == "deploy" and f.new:
            tier = 0
        elif f.field == "stage" and c.to_production:
            tier = 0
        elif c.deploy and f.field in c.image_fields:
            tier = 0
        elif c.to_production and f.field != "deploy":
            tier = 0  # what production gets, beside the move
        out.append(Effect(tier, c.group, rank, c.label, "field", f, deploy=c.deploy,
                          family=c.family))
    return out


def effects(changes: Sequence[Change], checks: Sequence[CheckChange] = ()) -> List[Effect]:
    """Every effect, most important first: tier, then stage in run order (stable)."""
    out: List[Effect] = []
    for c in changes:
        out += change_effects(c)
    for ch in checks:
        out.append(Effect(1, ch.stage, ch.rank, "", "check", text=ch.what, family=ch.family))
    families: Dict[str, int] = {}
    for e in out:
        families.setdefault(e.family, len(families))
    return sorted(out, key=lambda e: (e.tier, families[e.family], e.rank))


def merged(fx: Sequence[Effect]) -> List[Tuple[Effect, List[str]]]:
    """One line per effect: the records that undergo the same change at the same stage
    share it (a flavour bump of 20 releases is one line naming them), in order."""
    out: Dict[Tuple[int, str, str], Tuple[Effect, List[str]]] = {}
    for e in fx:
        key = (e.tier, e.group, e.what())
        if key not in out:
            out[key] = (e, [])
        if e.name and e.name not in out[key][1]:
            out[key][1].append(e.name)
    return list(out.values())


def verdict(d: PlanDiff) -> List[str]:
    """The first lines: would scap take the new config (and was the old one refused)?"""
    out = []
    n = len(d.new.errors)
    count = f"{n} error{'' if n == 1 else 's'}"
    if d.new.refused:
        out.append(f"scap would refuse the new config: {count}")
    elif n:
        out.append(f"the new config has {count} (scap would still load it)")
    else:
        out.append("scap would load the new config (no errors)")
    if d.old.refused:
        out.append(f"scap refuses the config at {d.rev}")
    return out


def counts(changes: Sequence[Change]) -> Dict[str, int]:
    return {k: sum(1 for c in changes if c.change == k) for k in ("changed", "added",
                                                                   "removed")}


__all__ = ["Record", "CheckItem", "CheckChange", "FamilyPlan", "PlanFamily", "Planner",
           "PlanOptions", "PlanInputs", "PlanUsageError", "shown",
           "FieldChange", "Change", "PlanSide", "PlanDiff", "Effect", "diff_records",
           "diff_checks", "effects", "merged", "verdict", "counts", "describe", "fmt_value",
           "side_errors", "NOT_DEPLOYED", "TIERS"]
