"""What the MW4xx rules see: :class:`ReportContext`, one build report and the models of the
configs checked against it."""

from __future__ import annotations

from mwlint.report.crosscheck import Analysis, cross_check
from mwlint.report.reader import BuildReport
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Optional, Sequence

# Report text longer than this on one line is not shown under findings (a minified report
# would print megabytes).
MAX_SNIPPET_LINE = 1000


class ReportContext:
    """What a report rule sees: one report, and the models of the configs (possibly none)."""

    def __init__(self, report: BuildReport, hieras: Sequence[Any], settings: Settings):
        self.report = report
        self.hieras = tuple(hieras)
        self.settings = settings
        self._analysis: Optional[Analysis] = None

    @property
    def has_config(self) -> bool:
        """At least one deployments value was cross-checked (MW402–MW405 apply)."""
        return self.report.usable and self.analysis.configs > 0

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = cross_check(self.report, self.hieras)
        return self._analysis


def snippet_text(report: BuildReport) -> Optional[str]:
    """The report's text for snippets, unless it has very long lines."""
    text = report.text
    if text is None:
        return None
    if any(len(line) > MAX_SNIPPET_LINE for line in text.splitlines()):
        return None
    return text
