"""Step after the rules: inline suppressions (and, at run level, baselines).

``# mwlint: disable=CODE[,CODE...]`` at the end of the offending line, or alone on the line
above it (the next line that is neither blank nor a comment), hides the findings of those
codes that start on that line. ``# mwlint: disable-file=CODE[,...]`` anywhere hides them in
the whole file. Items are codes (``MW203``), prefixes (``MW2``), rule names
(``debug-image-stage``) or ``all``; an optional reason follows `` -- ``. A directive item that
hid nothing, or names no rule, is MW004 (unused-suppression) at the item.
"""

from __future__ import annotations

from mwlint.findings import Finding, Span
from mwlint.rules import catalogue
from mwlint.rules.base import Named
from mwlint.rules.core import UNUSED_SUPPRESSION
from mwlint.suggest import did_you_mean
from mwlint.suppress.comments import Directive, Item, scan  # noqa: F401
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

UNUSED_CODE = "MW004"
_AGAINST = " (checked against the build report)"


def _resolve(item: str, rules: Sequence[Named]) -> Optional[Set[str]]:
    """Codes an item names, or None when it names none."""
    key = item.strip()
    if key.upper() == "ALL":
        return {r.code for r in rules}
    codes = {r.code for r in rules if r.code.startswith(key.upper()) or r.name == key.lower()}
    return codes or None


def apply_suppressions(path: str, text: str, findings: Sequence[Finding],
                       ran: Iterable[str], against: Iterable[str] = ()) -> List[Finding]:
    """``findings`` of the file ``path`` without the suppressed ones, plus MW004 findings
    when MW004 ran. ``ran``: the codes of the rules that ran on this file (a suppression for
    a rule that did not run cannot be judged unused).

    ``against``: the codes among ``ran`` that only a build report check ran (the MW4xx on
    hiera nodes): an item that names only such codes and hid nothing says it was
    checked against the build report."""
    report_only = set(against)
    directives = scan(text)
    if not directives:
        return list(findings)

    rules = catalogue()
    ran = set(ran)
    # per directive item: the codes it names (None: unknown)
    named: Dict[Tuple[int, Item], Optional[Set[str]]] = {}
    for d in directives:
        for it in d.items:
            named[(d.line, it)] = _resolve(it.text, rules)
    file_wide = [d for d in directives if d.kind == "disable-file"]
    by_line: Dict[int, List[Directive]] = {}
    for d in directives:
        if d.kind == "disable":
            by_line.setdefault(d.target, []).append(d)
    used: Set[Tuple[int, Item]] = set()
    kept: List[Finding] = []
    for f in findings:
        hidden = False
        if f.path == path:
            for d in file_wide + by_line.get(f.line, []):
                for it in d.items:
                    codes = named[(d.line, it)]
                    if codes and f.code in codes:
                        used.add((d.line, it))
                        hidden = True
        if not hidden:
            kept.append(f)
    if UNUSED_CODE not in ran:
        return kept
    rule = UNUSED_SUPPRESSION
    extra: List[Finding] = []
    for d in directives:
        if not d.kind:
            extra.append(rule.finding_at(
                path, Span(d.line, d.column, d.line, d.end_column),
                f"suppression comment not understood ({d.problem}), so it hides nothing",
                help="write # mwlint: disable=CODE[,CODE...] or # mwlint: disable-file=CODE",
                context=(None, None, "mwlint-directive", text_of_line(text, d.line).strip())))
            continue
        for it in d.items:
            codes = named[(d.line, it)]
            if (d.line, it) in used or (codes is not None and UNUSED_CODE in codes):
                continue
            if codes is None:
                names = [r.code for r in rules] + [r.name for r in rules]
                guess = did_you_mean(it.text, names)
                msg = f"suppression names {it.text!r}, which is no rule code, prefix or name"
                msg += guess or ", so it hides nothing"
                help = (None if guess else "write a code (MW203), a prefix (MW2) or a rule "
                        "name (debug-image-stage)")
            elif not (codes & ran):
                continue  # its rules did not run here: cannot tell whether it is used
            else:
                # only a build report check ran its rules: say so
                late = bool(codes & ran & report_only) and not (codes & ran) - report_only
                against_report = _AGAINST if late else ""
                if d.kind == "disable-file":
                    msg = (f"file-wide suppression of {it.text!r} hid nothing: no such finding "
                           f"in this file{against_report}")
                    help = "delete it, or it will silently hide a future problem"
                else:
                    where = f"line {d.target}" if d.target else "the end of the file"
                    msg = (f"suppression of {it.text!r} hid nothing: no such finding starts "
                           f"on {where}{against_report}")
                    help = "delete it, or it will silently hide a future problem there"
            extra.append(rule.finding_at(path, Span(d.line, it.column, d.line, it.end_column),
                                         msg, context=(None, None, "mwlint-directive",
                                                       f"{d.kind}={it.text}"), help=help))
    # MW004 findings obey the file's own disable-file / same-line directives for MW004
    out = kept
    for f in extra:
        if not any(d.kind and (d.kind == "disable-file" or d.target == f.line)
                   and any(UNUSED_CODE in (named[(d.line, it)] or ()) for it in d.items)
                   for d in directives):
            out.append(f)
    return out


def text_of_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""
