"""Plans and plan differences as text, JSON and HTML (jinja2, imported only for HTML)."""

from __future__ import annotations

import json

from mwlint import __version__
from mwlint.plan import escape as esc
from mwlint.plan.model import (
    TIERS,
    FamilyPlan,
    PlanDiff,
    PlanFamily,
    PlanOptions,
    PlanSide,
    counts,
    effects,
    merged,
    verdict,
)
from mwlint.plan.review import TEXT, error_line, group_title, story, summary
from mwlint.safe_text import neutralise, safe_name
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple

#: one family's plans in a full plan view: its planner and its plans (possibly none)
if TYPE_CHECKING:
    Section = Tuple[PlanFamily, Sequence[FamilyPlan]]


class PlanSet(NamedTuple):
    """Everything one ``mwlint plan`` shows: the plans of every family (each rendered by
    its planner's hooks: this module names no family), and the options they were made
    with (what they assumed)."""

    sections: Sequence[Section] = ()
    options: PlanOptions = PlanOptions()

    def problems(self) -> int:
        return sum(planner.problems(plans) for planner, plans in self.sections)

    @property
    def refused(self) -> bool:
        return self.problems() > 0

    def verdict(self) -> str:
        n = self.problems()
        if n:
            return (f"scap would not get through the config: {n} problem"
                    f"{'' if n == 1 else 's'} (listed below)")
        return "scap would load the config"


def text(ps: PlanSet) -> str:
    """The plans as text: the verdict, then each family's plans (in the order of the
    families)."""
    out: List[str] = [f"mwlint plan: {ps.verdict()}"]
    for planner, plans in ps.sections:
        out += planner.text_lines(plans, ps.options)
    return _lines(out)


def _lines(out: List[str]) -> str:
    """The text output (every value in it was escaped on its own; this pass only keeps a
    line from ever carrying a control character, whatever a future line holds)."""
    return "\n".join(neutralise(line) for line in out) + "\n"


def as_json(ps: PlanSet) -> str:
    doc: Dict[str, Any] = {"tool": "mwlint", "version": __version__,
                           "verdict": {"refused": ps.refused, "text": ps.verdict()}}
    for planner, plans in ps.sections:
        doc.update(planner.json_fields(plans, ps.options))
    return _dump(doc)


def _dump(doc: Dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def markdown(ps: PlanSet) -> str:
    out: List[str] = [f"**mwlint plan: {ps.verdict()}**", ""]
    for planner, plans in ps.sections:
        out += planner.markdown_lines(plans, ps.options)
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
{% for s in sections %}{{ s|safe }}{% endfor %}{% for d in diffs %}
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


def html(ps: Optional[PlanSet] = None, diffs: Sequence[PlanDiff] = ()) -> str:
    ps = ps if ps is not None else PlanSet()
    env = _env()
    sections = [planner.html_section(plans, ps.options, env) for planner, plans in ps.sections]
    title = "mwlint plan" if not diffs else "mwlint plan: changes"
    page: str = env.from_string(_PAGE).render(
        title=title, sections=sections, diffs=[_diff_view(d) for d in diffs],
        verdict=ps.verdict() if not diffs else "", refused=ps.refused, version=__version__)
    return page


def render(fmt: str, plans: Optional[PlanSet] = None,
           diffs: Optional[Sequence[PlanDiff]] = None) -> str:
    """A plan (every family's) or a plan difference in ``fmt`` (text, json, html, markdown):
    one model, every format built from it, nothing rendered is parsed again."""
    if diffs is not None:
        if fmt == "markdown":
            doc = summary(diffs, markdown=True)
            return _lines(doc.split("\n")[:-1]) if doc else ""
        if fmt == "json":
            return diff_json(diffs)
        if fmt == "html":
            return html(PlanSet(), diffs)
        return diff_text(diffs)
    ps = plans if plans is not None else PlanSet()
    if fmt == "json":
        return as_json(ps)
    if fmt == "html":
        return html(ps)
    if fmt == "markdown":
        return markdown(ps)
    return text(ps)
