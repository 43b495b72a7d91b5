"""The contract of the MW4xx rules: they look at a parsed build report and the models of
the deployments configs checked against it (a :class:`ReportContext`), never at files."""

from __future__ import annotations

from typing import Iterable

from mwlint.findings import Finding
from mwlint.rules.base import Rule


class ReportRule(Rule):
    """A rule that needs a build report. ``scope = ("report",)``: a plain ``check`` (no
    ``--report``) does not run it; ``check --report`` and ``check-report`` do."""

    scope = ("report",)

    def check(self, hiera, settings) -> Iterable[Finding]:
        return ()

    def check_report(self, ctx, settings) -> Iterable[Finding]:  # pragma: no cover
        """Yield findings for one report (``ctx.report``) against the configs in
        ``ctx.hieras`` (possibly none: then only the report itself is checked)."""
        return ()

    def finding_at(self, path, span, message, yaml_path="", fixable=False, context=(),
                   severity=None, help=None) -> Finding:
        # Report keys are arbitrary JSON strings: a lone surrogate (valid JSON, "\ud800")
        # cannot be written as UTF-8, so it is shown escaped.
        return super().finding_at(path, span, _printable(message), _printable(yaml_path),
                                  fixable, context, severity,
                                  None if help is None else _printable(help))

    # -- helpers for findings on hiera nodes (MW402–MW404) -----------------------------
    def own_misses(self, ctx):
        """The cross-check's misses of this rule's code; none without a config to check."""
        if not ctx.has_config:
            return ()
        return [m for m in ctx.analysis.misses if m.code == self.code]

    def at_miss(self, m, message: str, field: str, help=None) -> Finding:
        """The finding at the hiera node that sets the missing value (``field``)."""
        r = m.first_release
        release = r.name if m.release_level else None
        return self.finding_at(m.hiera.path, m.at.span, message, m.at.path,
                               context=(r.entry.namespace, release, field, m.value), help=help)

    # -- helpers for findings in the report file ---------------------------------------
    def in_report(self, ctx, path, message: str, where: str = "value", context=(),
                  help=None) -> Finding:
        from mwlint.report.reader import dotted

        report = ctx.report
        return self.finding_at(report.path, report.span(path, where), message, dotted(path),
                               context=context, help=help)


def _printable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
