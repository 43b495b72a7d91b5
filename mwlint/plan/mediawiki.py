"""The MediaWiki deployments as a plan family: its planner (:class:`MediaWikiFamily`, the
plan side of :class:`mwlint.families.mediawiki.MediaWiki`) and the full plan view of its
plans (every stage, then the records that are not deployed, supervision, notes) in text,
JSON, HTML and markdown. The plan renderers (:mod:`mwlint.plan.render`) call it through
the :class:`mwlint.plan.model.PlanFamily` hooks and never name it."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.plan import (
    HELMFILE_ROOT,
    MEDIAWIKI,
    STAGE_ORDER,
    VALUES_DIR,
    FilePlan,
    PlanRecord,
    check_items,
    plan_hiera,
    rank,
    records_of,
)
from mwlint.plan import escape as esc
from mwlint.plan.model import (
    NOT_DEPLOYED,
    CheckChange,
    FamilyPlan,
    Planner,
    PlanOptions,
    fmt_value,
)
from mwlint.plan.supervision import FALLBACK, diff_supervision
from mwlint.safe_text import neutralise, safe_name
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple


def _s(v: object) -> str:
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _table(headers: Sequence[str], rows: List[Sequence[str]], indent: str = "  ") -> List[str]:
    widths = [len(h) for h in headers]
    rows = [[neutralise(c) for c in row] for row in rows]  # widths of what is shown
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    out = []
    for row in [list(headers)] + [list(r) for r in rows]:
        out.append(indent + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return out


def _headers(with_stage: bool, with_images: bool) -> Tuple[str, ...]:
    h = ["NAMESPACE", "RELEASE", "CLUSTER"]
    if with_stage:
        h.append("STAGE")
    h += ["KIND", "MW FLAVOUR", "WEB FLAVOUR", "HELMFILE DIR", "VALUES FILE"]
    if with_images:
        h += ["MW IMAGE", "WEB IMAGE"]
    return tuple(h)


def _row(r: PlanRecord, with_stage: bool, with_images: bool) -> List[str]:
    row = [r.namespace, r.release, r.cluster]
    if with_stage:
        row.append(_s(r.stage))
    row += [r.kind, _s(r.mw_flavour), _s(r.web_flavour), r.helmfile_dir, r.values_file]
    if with_images:
        row += [r.mw_image or "(not in report)", r.web_image or "(not in report)"]
    return row


def _groups(plan: FilePlan) -> List[Tuple[str, List[PlanRecord], bool]]:
    """(title, records, show the stage column) in the order scap works."""
    out = []
    for s in STAGE_ORDER:
        out.append((s, plan.stage(s), False))
    if plan.invalid:
        out.append(("invalid stage (scap refuses the config)", plan.invalid, True))
    out.append(("not deployed (deploy: false; values file written, never applied; STAGE is "
                "where it lands when re-enabled)", plan.not_deployed, True))
    return out


def _origin(plan: FilePlan) -> str:
    where = {"default": "scap's default", "option": "the option"}.get(
        plan.default_clusters_origin, plan.default_clusters_origin)
    return f"default clusters {', '.join(plan.default_clusters)} from {where}"


def _file_text(plan: FilePlan) -> List[str]:
    t = esc.text
    out: List[str] = []
    sm = plan.summary()
    out.append(f"plan: {t(plan.path)} ({', '.join(t(k) for k in plan.keys)}; "
               f"{t(_origin(plan))})")
    out.append(("scap would not get through this config (see below); " if plan.problems
                else "scap would load this config; ")
               + f"{sm['records']} records: "
               + ", ".join(f"{s} {sm[s]}" for s in STAGE_ORDER)
               + f", not deployed {sm['not_deployed']}"
               + (f", invalid stage {sm['invalid_stage']}" if sm["invalid_stage"] else ""))
    if plan.report:
        out.append(f"images from {t(plan.report)}")
    images = plan.report is not None
    for n, (title, records, with_stage) in enumerate(_groups(plan), 1):
        out.append("")
        out.append(f"{n}. {title}: {len(records)}")
        if records:
            out += _table(_headers(with_stage, images),
                          [_row(r, with_stage, images) for r in records])
        if title in STAGE_ORDER:
            checks = supervision_lines(plan, title)
            if checks:
                out.append(f"  after {title}:")
                out += [f"    {t(line)}" for line in checks]
    for title, items in (("supervision", idle_lines(plan)), ("notes", plan.notes),
                         ("not planned", plan.skipped),
                         ("scap would not get through", plan.problems)):
        if items:
            out.append("")
            out.append(f"{title}:")
            out += [f"  {t(x)}" for x in items]
    out.append("")
    out.append(f"helmfile dirs are under {HELMFILE_ROOT}/, values files in {VALUES_DIR}/")
    return out


def _plan_doc(plan: FilePlan) -> Dict[str, Any]:
    images = plan.report is not None
    return {
        "path": safe_name(plan.path),
        "keys": list(plan.keys),
        "default_clusters": list(plan.default_clusters),
        "default_clusters_origin": plan.default_clusters_origin,
        "report": None if plan.report is None else safe_name(plan.report),
        "summary": plan.summary(),
        "stages": [{"stage": s, "records": [r.as_dict(images) for r in plan.stage(s)]}
                   for s in STAGE_ORDER],
        "invalid_stage": [r.as_dict(images) for r in plan.invalid],
        "not_deployed": [r.as_dict(images) for r in plan.not_deployed],
        "notes": list(plan.notes),
        "skipped": list(plan.skipped),
        "problems": list(plan.problems),
        "supervision": plan.supervision.as_dict() if plan.supervision else None,
    }


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


def markdown_plan(plans: Sequence[FilePlan]) -> List[str]:
    """The MediaWiki plans as CommonMark lines: every stage group a heading of its own,
    every value a code span."""
    c = esc.md_code
    out: List[str] = []
    for plan in plans:
        if out:
            out.append("")
        sm = plan.summary()
        out.append(f"### mwlint plan: {c(plan.path)}")
        out.append("")
        out.append(("**scap would not get through this config**" if plan.problems
                    else "scap would load this config") + f": {sm['records']} records: "
                   + ", ".join(f"{s} {sm[s]}" for s in STAGE_ORDER)
                   + f", not deployed {sm['not_deployed']}")
        groups = [(s, plan.stage(s)) for s in STAGE_ORDER]
        if plan.invalid:
            groups.append(("invalid stage (scap refuses the config)", plan.invalid))
        groups.append((NOT_DEPLOYED, plan.not_deployed))
        for n, (title, records) in enumerate(groups, 1):
            out.append("")
            out.append(f"#### {n}. {title}: {len(records)}")
            releases: Dict[Tuple[str, str], List[PlanRecord]] = {}
            for r in records:
                releases.setdefault((r.namespace, r.release), []).append(r)
            if releases:
                out.append("")
            for (ns, rel), rs in releases.items():
                r = rs[0]
                stage = f"stage {c(fmt_value(r.stage))}, " if title not in STAGE_ORDER else ""
                out.append(f"- {c(ns + '/' + rel)} on "
                           f"{', '.join(c(x.cluster) for x in rs)}: {stage}"
                           f"{c(r.kind)}, {c(fmt_value(r.mw_flavour))}, "
                           f"{c(fmt_value(r.web_flavour))}")
            if title in STAGE_ORDER:
                lines = supervision_lines(plan, title)
                if lines:
                    out.append("")
                    out.append(f"Checks after {title}:")
                    out.append("")
                    out += [f"- {c(line)}" for line in lines]
        idle = idle_lines(plan)
        if idle:
            out.append("")
            out += [f"- {c(line)}" for line in idle]
        if plan.problems:
            out.append("")
            out.append("**scap would not get through:**")
            out.append("")
            out += [f"- {c(p)}" for p in plan.problems]
    return out


def _details(plans: Sequence[FamilyPlan]) -> List[FilePlan]:
    return [fp.detail for fp in plans if isinstance(fp.detail, FilePlan)]


_HTML = """{% for p in plans %}
<section>
<h2>{{ p.path }}</h2>
<p class="note">{{ p.key_names|join(", ") }}; {{ p.origin }}{% if p.report %}; images from {{ p.report }}{% endif %}</p>
<p>{{ p.summary.records }} records:
{% for s in stage_order %}{{ s }} {{ p.summary[s] }}, {% endfor %}not deployed {{ p.summary.not_deployed }}</p>
{% for g in p.groups %}
<h3>{{ loop.index }}. {{ g.title }}: {{ g.records|length }}</h3>
{% if g.records %}
<table>
<tr>{% for h in g.headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in g.rows %}<tr>{% for c in row %}<td class="mono">{{ c }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% endif %}
{% if g.checks %}<p>After {{ g.title }}:</p>
<ul>{% for c in g.checks %}<li{% if c.startswith("no check") %} class="problem"{% endif %}>{{ c }}</li>{% endfor %}</ul>{% endif %}
{% endfor %}
{% if p.idle %}<h3>Supervision</h3><ul>{% for s in p.idle %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{% if p.notes %}<h3>Notes</h3><ul>{% for s in p.notes %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{% if p.skipped %}<h3>Not planned</h3><ul>{% for s in p.skipped %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{% if p.problems %}<h3 class="problem">scap would not get through</h3>
<ul>{% for s in p.problems %}<li class="problem">{{ s }}</li>{% endfor %}</ul>{% endif %}
</section>
{% endfor %}
"""


class MediaWikiFamily(Planner):
    """The MediaWiki deployments (``mw_releases``/``mw_deployments``) as a plan family."""

    name = MEDIAWIKI

    def plan(self, model: Any, verdicts: Sequence[Finding], options: PlanOptions
             ) -> Optional[FamilyPlan]:
        deployments = getattr(model, "deployments", None)
        if not deployments:
            return None
        fp = plan_hiera(model, options.report, options.report_path, verdicts)
        return FamilyPlan(MEDIAWIKI, fp.path, records_of(fp), fp.problems, check_items(fp),
                          fp)

    def diff_checks(self, old: Optional[FamilyPlan], new: Optional[FamilyPlan]
                    ) -> List[CheckChange]:
        a = old.detail.supervision if old is not None else None
        b = new.detail.supervision if new is not None else None
        return [CheckChange(c.change, c.stage, c.what, rank(c.stage), MEDIAWIKI)
                for c in diff_supervision(a, b)]

    def problems(self, plans: Sequence[FamilyPlan]) -> int:
        return sum(len(p.problems) for p in _details(plans))

    def text_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions) -> List[str]:
        out: List[str] = []
        for plan in _details(plans):
            out.append("")
            out += _file_text(plan)
        return out

    def markdown_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions
                       ) -> List[str]:
        return markdown_plan(_details(plans))

    def json_fields(self, plans: Sequence[FamilyPlan], options: PlanOptions
                    ) -> Dict[str, Any]:
        return {"plans": [_plan_doc(p) for p in _details(plans)]}

    def html_section(self, plans: Sequence[FamilyPlan], options: PlanOptions, env: Any
                     ) -> str:
        views = []
        for plan in _details(plans):
            images = plan.report is not None
            groups = [{"title": t, "records": rs, "headers": _headers(ws, images),
                       "rows": [_row(r, ws, images) for r in rs],
                       "checks": supervision_lines(plan, t) if t in STAGE_ORDER else []}
                      for t, rs, ws in _groups(plan)]
            views.append({"path": plan.path, "key_names": plan.keys,
                          "origin": _origin(plan), "report": plan.report,
                          "summary": plan.summary(), "groups": groups,
                          "notes": plan.notes, "skipped": plan.skipped,
                          "problems": plan.problems, "idle": idle_lines(plan)})
        page: str = env.from_string(_HTML).render(plans=views, stage_order=STAGE_ORDER)
        return page + "\n"


__all__ = ["MediaWikiFamily", "markdown_plan", "supervision_lines", "idle_lines"]
