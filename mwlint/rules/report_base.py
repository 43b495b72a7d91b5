"""The contract of the MW4xx rules, and what their messages share: they look at a parsed
build report and the models of the deployments configs checked against it (a
:class:`mwlint.report.context.ReportContext`), never at files. A plain module, not a rule
(the registry loads ``mwNNN_*`` modules only)."""

from __future__ import annotations

import re

from mwlint.findings import Finding, Fix, Span
from mwlint.model.types import HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:  # the report's reader and its JSON machinery load on first use only
    from mwlint.report.context import ReportContext
    from mwlint.report.crosscheck import Affected, Miss
    from mwlint.report.reader import JsonPath


class ReportRule(Rule):
    """A rule that needs a build report. ``scope = ("report",)``: a plain ``check`` (no
    ``--report``) does not run it; ``check --report`` and ``check-report`` do."""

    scope = ("report",)
    # True: the findings sit on hiera nodes (the config asks for something the report
    # lacks), so a suppression comment in a hiera file can be about this rule
    on_hiera = False

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        return ()

    def check_report(self, ctx: ReportContext,
                     settings: Settings) -> Iterable[Finding]:  # pragma: no cover
        """Yield findings for one report (``ctx.report``) against the configs in
        ``ctx.hieras`` (possibly none: then only the report itself is checked)."""
        return ()

    def finding_at(self, path: str, span: Span, message: str, yaml_path: str = "",
                   fixable: bool = False, context: Tuple[Any, ...] = (),
                   severity: Optional[str] = None,
                   help: Optional[str] = None, fix: Optional[Fix] = None) -> Finding:
        # Report keys are arbitrary JSON strings: a lone surrogate (valid JSON, "\ud800")
        # cannot be written as UTF-8, so it is shown escaped.
        return super().finding_at(path, span, _printable(message), _printable(yaml_path),
                                  fixable, context, severity,
                                  None if help is None else _printable(help), fix)

    # -- helpers for findings on hiera nodes (MW402–MW404) -----------------------------
    def own_misses(self, ctx: ReportContext) -> Sequence[Miss]:
        """The cross-check's misses of this rule's code; none without a config to check."""
        if not ctx.has_config:
            return ()
        return [m for m in ctx.analysis.misses if m.code == self.code]

    def grouped_misses(self, ctx: "ReportContext"
                       ) -> List[Tuple["Miss", List["Affected"], List["Miss"]]]:
        """This rule's misses, one per missing name: ``(first miss, every release affected,
        the other misses)``. One missing flavour or kind is one finding, at the first node
        that uses it (a report lacking one web flavour gave one MW402 per namespace)."""
        groups: Dict[Tuple[Any, ...], List["Miss"]] = {}
        for m in self.own_misses(ctx):
            key = (m.field_name, m.value, m.section, m.flavour, m.is_default_kind)
            groups.setdefault(key, []).append(m)
        return [(ms[0], [a for m in ms for a in m.affected], ms[1:])
                for ms in groups.values()]

    def at_miss(self, m: Miss, message: str, field: str,
                help: Optional[str] = None) -> Finding:
        """The finding at the hiera node that sets the missing value (``field``)."""
        r = m.first_release
        release = r.name if m.release_level else None
        return self.finding_at(m.hiera.path, m.at.span, message, m.at.path,
                               context=(r.entry.namespace, release, field, m.value), help=help)

    # -- helpers for findings in the report file ---------------------------------------
    def in_report(self, ctx: ReportContext, path: JsonPath, message: str, where: str = "value",
                  context: Tuple[Any, ...] = (), help: Optional[str] = None) -> Finding:
        from mwlint.report.reader import dotted  # start-up time: the reader loads on use

        report = ctx.report
        return self.finding_at(report.path, report.span(path, where), message, dotted(path),
                               context=context, help=help)


def quoted_list(items: Iterable[str]) -> str:
    """``'a', 'b', 'c' …and 40 more`` (sorted, each quoted and clipped), or ``none``: the
    names of a report, which may hold thousands, in a help line."""
    names = sorted({str(i) for i in items})
    return cap_list(quote(n) for n in names) if names else "none"


def also_set(first: "Miss", others: List["Miss"]) -> str:
    """``"; also set at line 12, line 30 …and 11 more"``: where the other nodes that use a
    missing name are (a file other than the first one's is named), or ``""``."""
    if not others:
        return ""
    where = [(f"line {o.at.span.line}" if o.hiera is first.hiera
              else f"{o.hiera.path}:{o.at.span.line}") for o in others]
    return f"; also set at {cap_list(where, limit=3)}"


def _printable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


# -- message helpers -----------------------------------------------------------------------

def _numbers(text: str) -> List[str]:
    return re.findall(r"[0-9]+", text)


def likely_typo(word: str, candidates: Iterable[str]) -> Optional[str]:
    """The candidate ``word`` is likely a typo of, or None. Only a likely typo:
    ``cli-image`` is not a typo of ``image``, and another version number is another build
    (``publish-84`` is not a typo of ``publish-83``)."""
    same_numbers = [c for c in candidates if _numbers(c) == _numbers(word)]
    c = closest(word, same_numbers, cutoff=0.8)
    return c if c and c != word else None


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a likely typo (:func:`likely_typo`), else ``""``."""
    c = likely_typo(word, candidates)
    return f" (did you mean {c!r}?)" if c else ""


def looks_valid(settings: Any, field_name: str) -> Callable[[str], bool]:
    """Whether a flavour name looks right: it matches the configured flavour pattern."""
    import re

    pattern = getattr(settings, f"{field_name}_pattern", None)
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error:
        compiled = None
    if compiled is None:
        return lambda name: True
    return lambda name: compiled.search(name) is not None


def typo_side(value: str, candidate: str, valid: Callable[[str], bool]) -> str:
    """Which side of a near miss looks misspelt: ``"config"`` (the hiera value) or
    ``"report"`` (the build's name). ``valid`` tells whether a name looks right (the flavour
    pattern, the known kinds); when it cannot tell, the config is the one to check."""
    if valid(value) and not valid(candidate):
        return "report"
    return "config"


def users(affected: List[Affected]) -> str:
    """Who uses a missing name, for a message: the releases (:func:`short_releases`) of one
    or two namespaces, else ``"14 namespaces"`` (the help line lists where)."""
    namespaces = {a.release.entry.label for a in affected}
    if len(namespaces) > 2:
        return f"{len(namespaces)} namespaces"
    return short_releases(affected)


def worded(head: str, rest: str, affected: List[Affected], help: str,
           short_head: Optional[str] = None) -> Tuple[str, str]:
    """``(message, help)``: ``head``, who is affected (:func:`users`), ``rest``; or, when that
    makes it longer than one short line, given only how many releases are affected, with
    the full list put in front of ``help``."""
    labels = list(dict.fromkeys(f"{a.release.entry.label}/{a.release.name}" for a in affected))
    few_users = f"{len(labels)} releases" if len(labels) > 1 else quote(labels[0])
    who = users(affected)
    short = f"{head if short_head is None else short_head}{few_users}{rest}"
    return fit(f"{head}{who}{rest}", short, help, f"affected: {who}")


def short_releases(affected: List[Affected], limit: int = 2) -> str:
    """``'mw-web/main'``, ``'mw-web' (main, canary)`` or ``'mw-web/main', 'mw-api' (main,
    canary) and 2 more``: who is affected, short enough for a message."""
    by_ns: Dict[str, List[str]] = {}
    for a in affected:
        names = by_ns.setdefault(a.release.entry.label, [])
        if str(a.release.name) not in names:
            names.append(str(a.release.name))
    parts = []
    for ns, names in by_ns.items():
        if len(names) == 1:
            parts.append(quote(f"{ns}/{names[0]}"))
        elif len(names) <= 3:
            parts.append(f"{quote(ns)} ({cap_list(names)})")
        else:
            parts.append(f"{quote(ns)} ({len(names)} releases)")
    if len(parts) > limit + 1:
        return f"{', '.join(parts[:limit])} and {len(parts) - limit} more"
    return ", ".join(parts)
