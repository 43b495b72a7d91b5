"""Plans and plan differences as text, JSON and HTML (jinja2, imported only for HTML)."""

from __future__ import annotations

import json
from typing import List, Optional, Sequence, Tuple

from mwlint import __version__
from mwlint.findings import Finding
from mwlint.plan import (
    HELMFILE_ROOT,
    STAGE_ORDER,
    VALUES_DIR,
    FilePlan,
    PlanDiff,
    PlanRecord,
    PlanSide,
    ReleaseChange,
)
from mwlint.plan.review import idle_lines, markdown_plan, summary, supervision_lines
from mwlint.safe_text import neutralise, safe_name


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


def text(plans: Sequence[FilePlan]) -> str:
    out: List[str] = []
    for plan in plans:
        if out:
            out.append("")
        sm = plan.summary()
        out.append(f"plan: {plan.path} ({', '.join(plan.keys)}; {_origin(plan)})")
        counts = ", ".join(f"{s} {sm[s]}" for s in STAGE_ORDER)
        out.append(f"{sm['records']} records: {counts}, not deployed {sm['not_deployed']}"
                   + (f", invalid stage {sm['invalid_stage']}" if sm["invalid_stage"] else ""))
        if plan.report:
            out.append(f"images from {plan.report}")
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
                    out += [f"    {line}" for line in checks]
        idle = idle_lines(plan)
        if idle:
            out.append("")
            out.append("supervision:")
            out += [f"  {line}" for line in idle]
        if plan.notes:
            out.append("")
            out.append("notes:")
            out += [f"  {s}" for s in plan.notes]
        if plan.skipped:
            out.append("")
            out.append("not planned:")
            out += [f"  {s}" for s in plan.skipped]
        if plan.problems:
            out.append("")
            out.append("scap would not get through:")
            out += [f"  {p}" for p in plan.problems]
        out.append("")
        out.append(f"helmfile dirs are under {_root()}/, values files in {_values()}/")
    return _lines(out)


def _lines(out: List[str]) -> str:
    """The text output: names and values come from the linted file, so no line can carry
    a control character or escape sequence to the terminal (nor forge another line)."""
    return "\n".join(neutralise(line) for line in out) + "\n"


def _root() -> str:
    return HELMFILE_ROOT


def _values() -> str:
    return VALUES_DIR


def as_json(plans: Sequence[FilePlan]) -> str:
    docs = []
    for plan in plans:
        images = plan.report is not None
        docs.append({
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
        })
    return json.dumps({"tool": "mwlint", "version": __version__, "plans": docs}, indent=2,
                      ensure_ascii=False) + "\n"


# -- differences ----------------------------------------------------------------------

def _change_line(c: ReleaseChange) -> str:
    name = f"{c.namespace}/{c.release}"
    if c.change == "added":
        return f"+ {name}: added ({', '.join(c.clusters)})" + _not_deployed(c)
    if c.change == "removed":
        return f"- {name}: removed ({', '.join(c.clusters)})" + _not_deployed(c)
    parts = []
    for f in c.fields:
        verb = f"{f.field} {_s(f.old)} → {_s(f.new)}"
        if f.field == "stage":
            verb = f"moves from {_s(f.old)} to {_s(f.new)}"
        elif f.field == "deploy":
            verb = "deploy turned " + ("on" if f.new else "off")
        if f.clusters:
            verb += f" (on {', '.join(f.clusters)})"
        parts.append(verb)
    if c.clusters_added:
        parts.append("clusters added: " + ", ".join(c.clusters_added))
    if c.clusters_removed:
        parts.append("clusters removed: " + ", ".join(c.clusters_removed))
    return f"~ {name}: " + "; ".join(parts) + _not_deployed(c)


def _not_deployed(c: ReleaseChange) -> str:
    """A release scap does not deploy (deploy: false) says so, with its stage."""
    if c.deploy:
        return ""
    return f"; not deployed (deploy: false), stage {_s(c.stage)}"


def _counts(changes: Sequence[ReleaseChange]) -> str:
    n = {k: sum(1 for c in changes if c.change == k) for k in ("changed", "added", "removed")}
    return (f"{n['changed']} release{'s' if n['changed'] != 1 else ''} changed, "
            f"{n['added']} added, {n['removed']} removed")


def _side_label(d: PlanDiff, side: str) -> str:
    return "the working tree" if side == "new" else d.rev


def refusals(d: PlanDiff) -> List[Tuple[str, Tuple[str, ...]]]:
    """(title, lines) for each side of ``d`` with errors: a side scap would not get
    through says so, with why (the plan's problems), then its errors."""
    out = []
    for side, s in (("old", d.old), ("new", d.new)):
        if not s.errors and not s.refused:
            continue
        n = len(s.errors)
        where = _side_label(d, side)
        count = f"{n} error" + ("" if n == 1 else "s")
        if s.refused:
            title = f"scap would refuse the config at {where} ({count}):"
            lines = tuple(s.plan.problems) if s.plan is not None else ()
        else:
            title = f"the config at {where} has {count}:"
            lines = ()
        out.append((title, lines + tuple(_error_line(f) for f in s.errors)))
    return out


def _error_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"


def diff_text(diffs: Sequence[PlanDiff]) -> str:
    out: List[str] = []
    for d in diffs:
        if out:
            out.append("")
        out.append(f"plan changes: {d.path}, {d.rev} → working tree"
                   + ("" if d.existed else f" (the file is not in {d.rev})"))
        if not d.changes and not d.checks:
            out.append("  no change to the plan")
        else:
            out += ["  " + _change_line(c) for c in d.changes]
            out += [f"  ~ {_check_where(c)}: {c.what}" for c in d.checks]
            out.append(_counts(d.changes))
        for title, lines in refusals(d):
            out.append(title)
            out += ["  " + line for line in lines]
    return _lines(out)


def _check_where(c) -> str:
    return "supervision" if c.stage == "all" else f"checks after {c.stage}"


def _side_json(s: PlanSide) -> dict:
    return {"refused": s.refused,
            "problems": list(s.plan.problems) if s.plan is not None else [],
            "errors": [{"code": f.code, "line": f.line, "column": f.column,
                        "message": f.message} for f in s.errors]}


def diff_json(diffs: Sequence[PlanDiff]) -> str:
    files = [{"path": safe_name(d.path), "against": d.rev, "existed": d.existed,
              "changes": [c.as_dict() for c in d.changes],
              "summary": {k: sum(1 for c in d.changes if c.change == k)
                          for k in ("changed", "added", "removed")},
              "old": _side_json(d.old), "new": _side_json(d.new),
              "checks": [c.as_dict() for c in d.checks]}
             for d in diffs]
    return json.dumps({"tool": "mwlint", "version": __version__, "diffs": files}, indent=2,
                      ensure_ascii=False) + "\n"


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
.added { background: #d5fdf4; } .removed { background: #fee7e6; } .changed { background: #fef6e7; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
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
{% for d in diffs %}
<section>
<h2>{{ d.path }}: {{ d.rev }} → working tree</h2>
{% if not d.existed %}<p class="note">The file is not in {{ d.rev }}.</p>{% endif %}
{% if d.changes %}
<table>
<tr><th>change</th><th>namespace</th><th>release</th><th>what</th></tr>
{% for c in d.changes %}<tr class="{{ c.change }}"><td>{{ c.change }}</td><td class="mono">{{ c.namespace }}</td><td class="mono">{{ c.release }}</td><td>{{ c.what }}</td></tr>
{% endfor %}</table>
<p>{{ d.counts }}</p>
{% endif %}
{% if d.checks %}<h3>Supervision</h3>
<ul>{% for c in d.checks %}<li>{{ c }}</li>{% endfor %}</ul>{% endif %}
{% if not d.changes and not d.checks %}<p>No change to the plan.</p>{% endif %}
{% for r in d.refusals %}<h3 class="problem">{{ r.title }}</h3>
<ul>{% for e in r.errors %}<li class="problem">{{ e }}</li>{% endfor %}</ul>
{% endfor %}
</section>
{% endfor %}
<p class="note">mwlint {{ version }}</p>
</body>
</html>
"""


def _env():
    import jinja2  # only HTML needs it

    # every value shown is neutralised, as in the check's HTML report
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                              finalize=lambda v: neutralise(v) if type(v) is str else v)


def html(plans: Sequence[FilePlan] = (), diffs=()) -> str:
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
    dviews = []
    for d in diffs:
        dviews.append({"path": d.path, "rev": d.rev, "existed": d.existed,
                       "counts": _counts(d.changes),
                       "changes": [{"change": c.change, "namespace": c.namespace,
                                    "release": c.release,
                                    "what": _change_line(c).split(": ", 1)[1]}
                                   for c in d.changes],
                       "refusals": [{"title": t, "errors": list(lines)}
                                    for t, lines in refusals(d)],
                       "checks": [f"{_check_where(c)}: {c.what}" for c in d.checks]})
    title = "mwlint plan" if not diffs else "mwlint plan: changes"
    return _env().from_string(_PAGE).render(
        title=title, plans=views, diffs=dviews, stage_order=STAGE_ORDER, version=__version__)


def render(fmt: str, plans: Sequence[FilePlan] = (), diffs: Optional[list] = None) -> str:
    if fmt == "markdown":
        doc = summary(diffs) if diffs is not None else markdown_plan(plans)
        return _lines(doc.split("\n")[:-1]) if doc else ""
    if diffs is not None:
        if fmt == "json":
            return diff_json(diffs)
        if fmt == "html":
            return html((), diffs)
        return diff_text(diffs)
    if fmt == "json":
        return as_json(plans)
    if fmt == "html":
        return html(plans)
    return text(plans)
