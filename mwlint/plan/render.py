"""Plans and plan differences as text, JSON and HTML (jinja2, imported only for HTML)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint import __version__
from mwlint.plan import HELMFILE_ROOT, STAGE_ORDER, VALUES_DIR, FilePlan, PlanRecord
from mwlint.plan import escape as esc
from mwlint.plan import services as service_plan
from mwlint.plan.model import TIERS, PlanDiff, PlanSide, counts, effects, merged, verdict
from mwlint.plan.review import (
    TEXT,
    error_line,
    group_title,
    idle_lines,
    markdown_plan,
    story,
    summary,
    supervision_lines,
)
from mwlint.safe_text import neutralise, safe_name


class PlanSet(NamedTuple):
    """Everything one ``mwlint plan`` shows: the plans of every family, and what it assumed
    (the primary datacenter)."""

    files: Sequence[FilePlan] = ()
    services: Sequence[Any] = ()  # mwlint.plan.services.ServicePlan
    assumed: str = ""  # e.g. "primary datacenter eqiad (--primary-dc)"

    @property
    def refused(self) -> bool:
        return any(p.problems for p in self.files) or any(
            s.problem for s in self.services)

    def verdict(self) -> str:
        n = sum(len(p.problems) for p in self.files) + sum(
            1 for s in self.services if s.problem)
        if n:
            return (f"scap would not get through the config: {n} problem"
                    f"{'' if n == 1 else 's'} (listed below)")
        return "scap would load the config"


def _s(v) -> str:
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


def _groups(plan: FilePlan):
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


def text(plans: Sequence[FilePlan] = (), services: Sequence[Any] = (), assumed: str = ""
         ) -> str:
    """The plans as text: the verdict, then each file's MediaWiki plan, then the
    deploy-service plans."""
    ps = PlanSet(plans, services, assumed)
    out: List[str] = [f"mwlint plan: {ps.verdict()}"]
    for plan in plans:
        out.append("")
        out += _file_text(plan)
    if services:
        out.append("")
        out.append(f"deploy-service plan, {esc.text(assumed)}:" if assumed
                   else "deploy-service plan:")
        out.append("")
        out += service_plan.text_lines(services)
    return _lines(out)


def _lines(out: List[str]) -> str:
    """The text output (every value in it was escaped on its own; this pass only keeps a
    line from ever carrying a control character, whatever a future line holds)."""
    return "\n".join(neutralise(line) for line in out) + "\n"


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


def as_json(plans: Sequence[FilePlan] = (), services: Sequence[Any] = (),
            assumed: str = "") -> str:
    ps = PlanSet(plans, services, assumed)
    doc: Dict[str, Any] = {"tool": "mwlint", "version": __version__,
                           "verdict": {"refused": ps.refused, "text": ps.verdict()},
                           "plans": [_plan_doc(p) for p in plans]}
    if services:
        doc["services"] = service_plan.as_json_docs(services)
        doc["assumed"] = assumed
    return _dump(doc)


def _dump(doc: Dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def markdown(plans: Sequence[FilePlan] = (), services: Sequence[Any] = (),
             assumed: str = "") -> str:
    ps = PlanSet(plans, services, assumed)
    out: List[str] = [f"**mwlint plan: {ps.verdict()}**", ""]
    out += markdown_plan(plans)
    if services:
        out.append("")
        out.append(f"### deploy-service plan, {esc.md_text(assumed)}" if assumed
                   else "### deploy-service plan")
        out += service_plan.markdown_lines(services)
    return _lines(out)


# -- differences ----------------------------------------------------------------------

def _side_label(d: PlanDiff, side: str) -> str:
    return "the working tree" if side == "new" else d.rev


def refusals(d: PlanDiff) -> List[Tuple[str, Tuple[str, ...]]]:
    """(title, lines) for each side of ``d`` with errors: a side scap would not get
    through says so, with why (its refusals), then its errors."""
    out = []
    for side, s in (("old", d.old), ("new", d.new)):
        if not s.errors and not s.refused:
            continue
        n = len(s.errors)
        where = _side_label(d, side)
        count = f"{n} error" + ("" if n == 1 else "s")
        if s.refused:
            title = f"scap would refuse the config at {where} ({count}):"
            lines = tuple(s.refusals)
        else:
            title = f"the config at {where} has {count}:"
            lines = ()
        out.append((title, tuple(dict.fromkeys(lines + tuple(error_line(f)
                                                              for f in s.errors)))))
    return out


def _counts(d: PlanDiff) -> str:
    n = counts(d.changes)
    return (f"{n['changed']} record{'s' if n['changed'] != 1 else ''} changed, "
            f"{n['added']} added, {n['removed']} removed")


def diff_text(diffs: Sequence[PlanDiff]) -> str:
    """Each file's difference, as the review tells it but whole: the verdict first, the
    effects by tier and stage (every family), then why a side is refused."""
    out: List[str] = []
    for d in diffs:
        if out:
            out.append("")
        out.append(f"plan changes: {esc.text(d.path)}, {esc.text(d.rev)} → working tree"
                   + ("" if d.existed else f" (the file is not in {esc.text(d.rev)})"))
        lines, _shown, _left = story(d, TEXT, None)
        out += ["  " + line if line else "" for line in lines]
        out.append("  " + _counts(d))
        for title, items in refusals(d):
            out.append("  " + title)
            out += ["    " + esc.text(x) for x in items]
    return _lines(out)


def _side_json(s: PlanSide) -> Dict[str, Any]:
    return {"refused": s.refused, "problems": list(s.refusals),
            "errors": [{"code": f.code, "line": f.line, "column": f.column,
                        "message": f.message} for f in s.errors]}


def _effects_doc(d: PlanDiff) -> List[Dict[str, Any]]:
    return [{"tier": e.tier, "group": e.group, "family": e.family, "records": names,
             "what": e.what()} for e, names in merged(effects(d.changes, d.checks))]


def diff_json(diffs: Sequence[PlanDiff]) -> str:
    files = [{"path": safe_name(d.path), "against": d.rev, "existed": d.existed,
              "verdict": verdict(d),
              "effects": _effects_doc(d),
              "changes": [c.as_dict() for c in d.changes],
              "summary": counts(d.changes),
              "old": _side_json(d.old), "new": _side_json(d.new),
              "checks": [c.as_dict() for c in d.checks]}
             for d in diffs]
    return _dump({"tool": "mwlint", "version": __version__, "diffs": files})


# -- HTML -------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #202122; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #c8ccd1; padding: .25em .6em; text-align: left; }
th { background: #eaecf0; } td.mono, code { font-family: monospace; }
.problem { color: #b32424; } .note { color: #54595d; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
{% if verdict %}<p class="{{ 'problem' if refused else 'verdict' }}"><strong>{{ verdict }}</strong></p>{% endif %}
{% for p in plans %}
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
{% if services %}
<section>
<h2>deploy-service</h2>
<p class="note">deploy-service: {{ assumed }}</p>
{% for p in services %}
<h3>{{ p.service }} (cluster group {{ p.cluster_group }}, primary datacenter {{ p.primary_dc }})</h3>
{% if p.problem %}<p class="problem">no plan: {{ p.problem }}</p>{% else %}
<table>
<tr><th>#</th><th>type/stage</th><th>environment</th><th>commands</th><th>checks</th></tr>
{% for g in p.groups %}<tr><td>{{ loop.index }}</td><td>{{ g.type }}/{{ g.stage }}</td><td class="mono">{{ g.environment }}</td>
<td class="mono">{% for c in g.commands %}{{ c }}<br>{% endfor %}</td>
<td>{% for c in g.checks %}<code>{{ c }}</code><br>{% endfor %}</td></tr>
{% endfor %}</table>{% endif %}
{% endfor %}
</section>
{% endif %}
{% for d in diffs %}
<section>
<h2>{{ d.path }}: {{ d.rev }} → working tree</h2>
{% if not d.existed %}<p class="note">The file is not in {{ d.rev }}.</p>{% endif %}
{% for v in d.verdict %}<p class="{{ 'problem' if d.refused else 'verdict' }}"><strong>{{ v }}</strong></p>{% endfor %}
{% if d.errors %}<ul>{% for e in d.errors %}<li class="problem"><code>{{ e }}</code></li>{% endfor %}</ul>{% endif %}
{% for t in d.tiers %}<h3>{{ t.title }}</h3>
{% for g in t.groups %}<h4>{{ g.title }}</h4>
<ul>{% for e in g.lines %}<li>{% for n in e.names %}<code>{{ n }}</code>{% if not loop.last %}, {% endif %}{% endfor %}{% if e.names %}: {% endif %}{{ e.what }}</li>{% endfor %}</ul>
{% endfor %}{% endfor %}
{% if not d.tiers %}<p>The deploy does not change.</p>{% endif %}
<p>{{ d.counts }}</p>
{% for r in d.refusals %}<h3 class="problem">{{ r.title }}</h3>
<ul>{% for e in r.errors %}<li class="problem">{{ e }}</li>{% endfor %}</ul>
{% endfor %}
</section>
{% endfor %}
<p class="note">mwlint {{ version }}</p>
</body>
</html>
"""


def _env() -> Any:
    import jinja2  # only HTML needs it

    # every value shown is neutralised, as in the check's HTML report
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                              finalize=lambda v: neutralise(v) if type(v) is str else v)


def _diff_view(d: PlanDiff) -> Dict[str, Any]:
    tiers: List[Dict[str, Any]] = []
    fx = effects(d.changes, d.checks)
    main = fx[0].family if fx else ""
    for e, names in merged(fx):
        if not tiers or tiers[-1]["tier"] != e.tier:
            tiers.append({"tier": e.tier, "title": TIERS[e.tier], "groups": []})
        groups = tiers[-1]["groups"]
        if not groups or groups[-1]["group"] != (e.family, e.group):
            groups.append({"group": (e.family, e.group), "lines": [],
                           "title": group_title(e.group, e.family if e.family != main
                                                else "")})
        groups[-1]["lines"].append({"names": names, "what": e.what()})
    return {"path": d.path, "rev": d.rev, "existed": d.existed, "verdict": verdict(d),
            "refused": d.new.refused, "errors": [error_line(f, d.path) for f in d.new.errors],
            "tiers": tiers, "counts": _counts(d),
            "refusals": [{"title": t, "errors": list(lines)} for t, lines in refusals(d)]}


def html(plans: Sequence[FilePlan] = (), diffs: Sequence[PlanDiff] = (),
         services: Sequence[Any] = (), assumed: str = "") -> str:
    views = []
    for plan in plans:
        images = plan.report is not None
        groups = [{"title": t, "records": rs, "headers": _headers(ws, images),
                   "rows": [_row(r, ws, images) for r in rs],
                   "checks": supervision_lines(plan, t) if t in STAGE_ORDER else []}
                  for t, rs, ws in _groups(plan)]
        views.append({"path": plan.path, "key_names": plan.keys, "origin": _origin(plan),
                      "report": plan.report, "summary": plan.summary(), "groups": groups,
                      "notes": plan.notes, "skipped": plan.skipped,
                      "problems": plan.problems, "idle": idle_lines(plan)})
    ps = PlanSet(plans, services, assumed)
    title = "mwlint plan" if not diffs else "mwlint plan: changes"
    return _env().from_string(_PAGE).render(
        title=title, plans=views, diffs=[_diff_view(d) for d in diffs],
        services=service_plan.html_view(services), assumed=assumed,
        verdict=ps.verdict() if not diffs else "", refused=ps.refused,
        stage_order=STAGE_ORDER, version=__version__)


def render(fmt: str, plans: Sequence[FilePlan] = (), diffs: Optional[Sequence[PlanDiff]] = None,
           services: Sequence[Any] = (), assumed: str = "") -> str:
    """A plan (every family's) or a plan difference in ``fmt`` (text, json, html, markdown):
    one model, every format built from it, nothing rendered is parsed again."""
    if diffs is not None:
        if fmt == "markdown":
            doc = summary(diffs, markdown=True)
            return _lines(doc.split("\n")[:-1]) if doc else ""
        if fmt == "json":
            return diff_json(diffs)
        if fmt == "html":
            return html((), diffs)
        return diff_text(diffs)
    if fmt == "json":
        return as_json(plans, services, assumed)
    if fmt == "html":
        return html(plans, (), services, assumed)
    if fmt == "markdown":
        return markdown(plans, services, assumed)
    return text(plans, services, assumed)
