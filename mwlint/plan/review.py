"""The reviewer's view of a plan difference: what a change does to the deploy, in a few
short lines (``mwlint plan --against REV --format markdown``, and the message of the Gerrit
review ``hooks/gerrit-ci`` writes).

Validity comes first (``scap would refuse the new config: 2 errors``), then one line per
effect, grouped by stage: first the effects that move something to production or change its
image (a flavour bump, a kind change), then the rest (releases added or removed, deploy
toggled, dir, scope and cluster changes, supervision checks). Nothing when the deploy does not
change and the new config has no error. At most :data:`MAX_LINES` effect lines, then how many
more and the command that shows them all.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Sequence, Tuple

from mwlint.plan import STAGE_ORDER, FilePlan, PlanDiff, ReleaseChange
from mwlint.plan.supervision import FALLBACK

MAX_LINES = 40
MAX_ERRORS = 5
NOT_DEPLOYED = "not deployed"
# fields whose change alters what runs in production: the image scap builds and deploys
IMAGE_FIELDS = ("kind", "mw_flavour", "web_flavour")
TIERS = ("Moves to production or changes the image", "Other changes")


class Effect(NamedTuple):
    tier: int  # 0: to production or a new image; 1: the rest
    group: str  # the stage it happens at, or "not deployed"
    name: str  # namespace/release, or "" for a supervision change
    what: str


def _s(v) -> str:
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _group(c: ReleaseChange) -> str:
    if not c.deploy:
        return NOT_DEPLOYED
    if c.stage not in STAGE_ORDER:
        return f"stage {_s(c.stage)}, which is not a stage"
    return str(c.stage)


def _on(clusters) -> str:
    return f" (on {', '.join(clusters)})" if clusters else ""


def effects(d: PlanDiff) -> List[Effect]:
    """The effects of ``d``, most important first (stable within a tier and stage)."""
    out: List[Effect] = []
    for c in d.changes:
        name = f"{c.namespace}/{c.release}"
        g = _group(c)
        if c.change in ("added", "removed"):
            tail = "" if c.deploy else f", not deployed (stage {_s(c.stage)})"
            out.append(Effect(1, g, name, f"{c.change} ({', '.join(c.clusters)}){tail}"))
            continue
        for f in c.fields:
            if f.field == "stage":
                out.append(Effect(0 if f.new == "production" and c.deploy else 1, g, name,
                                  f"moves from {_s(f.old)} to {_s(f.new)}{_on(f.clusters)}"))
            elif f.field == "deploy":
                verb = "deploy turned on" if f.new else "deploy turned off, no longer deployed"
                out.append(Effect(1, g, name, verb + _on(f.clusters)))
            else:
                tier = 0 if f.field in IMAGE_FIELDS and c.deploy else 1
                out.append(Effect(tier, g, name, f"{f.field} {_s(f.old)} → {_s(f.new)}"
                                  + _on(f.clusters)))
        if c.clusters_added:
            out.append(Effect(1, g, name, "clusters added: " + ", ".join(c.clusters_added)))
        if c.clusters_removed:
            out.append(Effect(1, g, name, "clusters removed: " + ", ".join(c.clusters_removed)))
    for ch in d.checks:
        out.append(Effect(1, ch.stage, "", ch.what))
    order = {s: i for i, s in enumerate(STAGE_ORDER + ("all",))}
    return sorted(out, key=lambda e: (e.tier, order.get(e.group, len(order) + (
        e.group == NOT_DEPLOYED))))


def _merged(fx: Sequence[Effect]) -> List[Tuple[Effect, List[str]]]:
    """One line per effect: the releases that undergo the same change at the same stage
    share it (a flavour bump of 20 releases is one line naming them), in order."""
    out: Dict[Tuple[int, str, str], Tuple[Effect, List[str]]] = {}
    for e in fx:
        key = (e.tier, e.group, e.what)
        if key not in out:
            out[key] = (e, [])
        if e.name and e.name not in out[key][1]:
            out[key][1].append(e.name)
    return list(out.values())


def _validity(d: PlanDiff) -> List[str]:
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


def _errors(d: PlanDiff, path: str) -> List[str]:
    lines = []
    for f in d.new.errors[:MAX_ERRORS]:
        lines.append(f"{path}:{f.line}:{f.column}: {f.code} {f.message}")
    more = len(d.new.errors) - MAX_ERRORS
    if more > 0:
        lines.append(f"{more} more error{'' if more == 1 else 's'}: mwlint check {path}")
    return lines


def summary(diffs: Sequence[PlanDiff], markdown: bool = True,
            limit: int = MAX_LINES) -> str:
    """The review summary of ``diffs`` ("" when no deploy changes and nothing is wrong)."""
    def code(t: str) -> str:
        return f"`{t}`" if markdown and t else t

    out: List[str] = []
    shown = 0
    hidden = 0
    commands: List[str] = []
    for d in diffs:
        fx = effects(d)
        if not fx and not d.new.errors and not d.old.refused:
            continue
        if out:
            out.append("")
        head = f"mwlint plan: {code(d.path)}, {d.rev} → this change"
        if not d.existed:
            head += " (a new file)"
        out.append(f"### {head}" if markdown else head)
        out.append("")
        valid = _validity(d)
        out.append(f"**{valid[0]}**" if markdown and d.new.errors else valid[0])
        out += valid[1:]
        out += [f"- {code(e)}" if markdown else f"  {e}" for e in _errors(d, d.path)]
        if not fx:
            out.append("The deploy does not change.")
            continue
        tier = group = None
        left = 0
        for e, names in _merged(fx):
            if shown >= limit:
                left += 1
                continue
            if e.tier != tier:
                tier, group = e.tier, None
                out.append("")
                out.append(f"**{TIERS[e.tier]}**" if markdown else f"{TIERS[e.tier]}:")
            if e.group != group:
                group = e.group
                title = "supervision" if group == "all" else group
                out.append(f"*{title}*" if markdown else f"  {title}:")
            who = ", ".join(code(n) for n in names)
            line = f"{who}: {e.what}" if who else e.what
            out.append(f"- {line}" if markdown else f"  - {line}")
            shown += 1
        if left:
            hidden += left
            commands.append(f"mwlint plan --against {d.rev} {d.path}")
    if hidden:
        out.append("")
        out.append(f"{hidden} more: {' ; '.join(code(c) for c in commands)} lists them all")
    return "\n".join(out) + ("\n" if out else "")


# -- a plan as markdown -------------------------------------------------------------------

def supervision_lines(plan: FilePlan, stage: str) -> List[str]:
    """What runs after ``stage`` (one line per check), and each target no check watches."""
    sup = plan.supervision
    if sup is None:
        return []
    if sup.source == "fallback":
        return [f"check: {FALLBACK[stage]} (no supervision_rules)"]
    lines = [f"check: {c.describe()} ({c.origin()})" for c in sup.at(stage)]
    lines += [f"no check: {u.describe()}" for u in sup.unchecked_at(stage)]
    return lines


def idle_lines(plan: FilePlan) -> List[str]:
    sup = plan.supervision
    if sup is None:
        return []
    return [f"rule {i} (scope {s}) applies to no deployed target" for i, s in sup.idle]


def markdown_plan(plans: Sequence[FilePlan]) -> str:
    out: List[str] = []
    for plan in plans:
        if out:
            out.append("")
        sm = plan.summary()
        out.append(f"### mwlint plan: `{plan.path}`")
        out.append("")
        out.append(f"{sm['records']} records: "
                   + ", ".join(f"{s} {sm[s]}" for s in STAGE_ORDER)
                   + f", not deployed {sm['not_deployed']}")
        groups = [(s, plan.stage(s)) for s in STAGE_ORDER]
        if plan.invalid:
            groups.append(("invalid stage (scap refuses the config)", plan.invalid))
        groups.append((NOT_DEPLOYED, plan.not_deployed))
        for n, (title, records) in enumerate(groups, 1):
            out.append("")
            out.append(f"#### {n}. {title}: {len(records)}")
            releases: dict = {}
            for r in records:
                releases.setdefault((r.namespace, r.release), []).append(r)
            for (ns, rel), rs in releases.items():
                r = rs[0]
                stage = f"stage {_s(r.stage)}, " if title not in STAGE_ORDER else ""
                out.append(f"- `{ns}/{rel}` on {', '.join(x.cluster for x in rs)}: {stage}"
                           f"{r.kind}, {_s(r.mw_flavour)}, {_s(r.web_flavour)}")
            if title in STAGE_ORDER:
                lines = supervision_lines(plan, title)
                if lines:
                    out.append("")
                    out.append(f"Checks after {title}:")
                    out += [f"- {line}" for line in lines]
        idle = idle_lines(plan)
        if idle:
            out.append("")
            out += [f"- {line}" for line in idle]
        if plan.problems:
            out.append("")
            out.append("**scap would not get through:**")
            out += [f"- {p}" for p in plan.problems]
    return "\n".join(out) + "\n"


__all__ = ["summary", "effects", "markdown_plan", "supervision_lines", "idle_lines",
           "MAX_LINES", "Effect"]
