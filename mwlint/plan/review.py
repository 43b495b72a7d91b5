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

from mwlint.findings import Finding
from mwlint.plan import escape as esc
from mwlint.plan.model import (
    TIERS,
    Effect,
    PlanDiff,
    effects,
    fmt_value,
    merged,
    verdict,
)
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Callable, List, Optional, Sequence, Tuple

MAX_LINES = 40
MAX_ERRORS = 5


class Style(NamedTuple):
    """How one output kind shows values (each one escaped on its own) and structure."""

    code: Callable[[object], str]  # a name or value from the data
    prose: Callable[[object], str]  # prose that holds a value (a revision)
    line: Callable[[object], str]  # a whole line made of values (a check)
    markdown: bool


TEXT = Style(lambda v: esc.text(fmt_value(v)), esc.text, esc.text, False)
MARKDOWN = Style(lambda v: esc.md_code(fmt_value(v)), esc.md_text, esc.md_code, True)


def group_title(group: str, family: str = "") -> str:
    """A stage group's title (``deploy-service CANARY`` beside another family's groups)."""
    title = "supervision" if group == "all" else group
    return f"{family} {title}" if family else title


def error_line(f: Finding, path: Optional[str] = None) -> str:
    return f"{path or f.path}:{f.line}:{f.column}: {f.code} {f.message}"


def _errors(d: PlanDiff, st: Style, limit: Optional[int]) -> List[str]:
    errors = d.new.errors if limit is None else d.new.errors[:MAX_ERRORS]
    lines = [st.code(error_line(f, d.path)) for f in errors]
    more = len(d.new.errors) - len(errors)
    if more > 0:
        lines.append(f"{more} more error{'' if more == 1 else 's'}: "
                     + st.code(esc.shell(["mwlint", "check", d.path])))
    return lines


def story(d: PlanDiff, st: Style, limit: Optional[int], shown: int = 0
          ) -> Tuple[List[str], int, int]:
    """The lines of one difference (verdict first, then the effects by tier and stage), the
    effect lines shown so far and how many more were left out."""
    out: List[str] = []
    valid = verdict(d)
    out.append(f"**{valid[0]}**" if st.markdown and d.new.errors else valid[0])
    out += [st.prose(v) for v in valid[1:]]
    errs = _errors(d, st, limit)
    if errs:
        if st.markdown:
            out.append("")
        out += [f"- {e}" if st.markdown else f"  {e}" for e in errs]
    fx = effects(d.changes, d.checks)
    if not fx:
        if st.markdown:
            out.append("")
        out.append("The deploy does not change.")
        return out, shown, 0
    tier: Optional[int] = None
    group: Optional[Tuple[str, str]] = None
    left = 0
    main = fx[0].family
    for e, names in merged(fx):
        if limit is not None and shown >= limit:
            left += 1
            continue
        if e.tier != tier:
            tier, group = e.tier, None
            out.append("")
            out.append(f"**{TIERS[e.tier]}**" if st.markdown else f"{TIERS[e.tier]}:")
        if (e.family, e.group) != group:
            group = (e.family, e.group)
            title = group_title(e.group, e.family if e.family != main else "")
            if st.markdown:  # a paragraph of its own: CommonMark folds it into a list item
                out += ["", f"*{esc.md_text(title)}*", ""]
            else:
                out.append(f"  {esc.text(title)}:")
        out.append(f"- {line_of(e, names, st)}" if st.markdown
                   else f"  - {line_of(e, names, st)}")
        shown += 1
    return out, shown, left


def line_of(e: Effect, names: Sequence[str], st: Style) -> str:
    who = ", ".join(st.code(n) for n in names)
    what = e.what(st.code, st.line)
    return f"{who}: {what}" if who else what


def summary(diffs: Sequence[PlanDiff], markdown: bool = True,
            limit: Optional[int] = MAX_LINES) -> str:
    """The review summary of ``diffs`` ("" when no deploy changes and nothing is wrong):
    per file, the verdict first, then the effects, most important first, grouped by stage."""
    st = MARKDOWN if markdown else TEXT
    out: List[str] = []
    shown = 0
    hidden = 0
    commands: List[str] = []
    for d in diffs:
        if not d.changes and not d.checks and not d.new.errors and not d.old.refused:
            continue
        if out:
            out.append("")
        head = f"mwlint plan: {st.code(d.path)}, {st.code(d.rev)} → this change"
        if not d.existed:
            head += " (a new file)"
        out.append(f"### {head}" if markdown else head)
        out.append("")
        lines, shown, left = story(d, st, limit, shown)
        out += lines
        if left:
            hidden += left
            commands.append(esc.shell(["mwlint", "plan", "--against", d.rev, d.path]))
    if hidden:
        out.append("")
        out.append(f"{hidden} more: {' ; '.join(st.code(c) for c in commands)} lists them all")
    return "\n".join(out) + ("\n" if out else "")


__all__ = ["summary", "story", "MAX_LINES", "Style", "TEXT", "MARKDOWN", "group_title", "error_line"]
