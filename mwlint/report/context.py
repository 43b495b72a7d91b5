"""What the MW4xx rules see (:class:`ReportContext`: one build report and the models of the
configs checked against it), and a report file read for a run."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from mwlint.findings import FileResult, Finding, Span
from mwlint.report.crosscheck import Analysis, cross_check
from mwlint.report.reader import BuildReport, ReadProblem, read_report_file
from mwlint.rules import by_code
from mwlint.settings import Settings

# Report text longer than this on one line is not shown under findings (a minified report
# would print megabytes).
MAX_SNIPPET_LINE = 1000
# The identity of the file-level MW003 finding (as mwlint.engine.FILE_CONTEXT's).
UNREADABLE_CONTEXT = (None, None, "unreadable-file", None)


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


def read_problem_finding(path: str, problem: ReadProblem) -> Finding:
    return by_code()["MW003"].finding_at(
        path, Span(problem.line, problem.column, problem.line, problem.column + 1),
        problem.message, context=UNREADABLE_CONTEXT, help=problem.help)


def read_report(path: str, settings: Settings, codes) -> Union[BuildReport, FileResult]:
    """The report at ``path``, or the result of a report that cannot be read (its MW003
    finding, when selected in ``codes``)."""
    report = read_report_file(path, settings.max_file_size)
    if isinstance(report, ReadProblem):
        f = read_problem_finding(path, report)
        return FileResult(path, False, (f,) if f.code in codes else ())
    return report


def snippet_text(report: BuildReport) -> Optional[str]:
    """The report's text for snippets, unless it has very long lines."""
    text = report.text
    if text is None:
        return None
    if any(len(line) > MAX_SNIPPET_LINE for line in text.splitlines()):
        return None
    return text
