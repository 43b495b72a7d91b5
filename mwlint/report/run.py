"""Running the MW4xx rules: for ``mwlint check-report``, ``mwlint check --report`` and the
library functions :func:`check_report_data` / :func:`check_report_text`."""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.findings import FileResult, Finding, Span
from mwlint.report.reader import (
    BuildReport,
    ReadProblem,
    parse_report_text,
    read_report_file,
    report_from_data,
)
from mwlint.settings import Settings

# Report text longer than this on one line is not shown under findings (a minified report
# would print megabytes).
MAX_SNIPPET_LINE = 1000
RENDERED_PATH = "mediawiki-deployments.yaml"
HIERA_PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"


class ReportContext:
    """What a report rule sees: one report, and the models of the configs (possibly none)."""

    def __init__(self, report: BuildReport, hieras: Sequence, settings: Settings):
        self.report = report
        self.hieras = tuple(hieras)
        self.settings = settings
        self._analysis = None

    @property
    def has_config(self) -> bool:
        """At least one deployments value was cross-checked (MW402–MW405 apply)."""
        return self.report.usable and self.analysis.configs > 0

    @property
    def analysis(self):
        if self._analysis is None:
            from mwlint.report.crosscheck import cross_check

            self._analysis = cross_check(self.report, self.hieras)
        return self._analysis


def _selection(settings: Settings):
    """(report rules, model rules with report scope, selected codes)."""
    from mwlint.report.rule import ReportRule
    from mwlint.rules import all_rules
    from mwlint.selection import selected_codes

    rules = all_rules()
    codes = selected_codes(rules, settings.select, settings.ignore)
    report_rules = [r for r in rules if r.code in codes and isinstance(r, ReportRule)]
    lint_rules = [r for r in rules if r.code in codes and "report" in r.scope
                  and not isinstance(r, ReportRule)]
    return report_rules, lint_rules, codes


# The report rules whose findings sit on hiera nodes (the config asks for something the
# report lacks): a suppression in a hiera file can only be about these.
HIERA_SIDE_CODES = frozenset(("MW402", "MW403", "MW404"))


def _run_report_rules(report: BuildReport, hieras: Sequence, settings: Settings,
                      rules) -> Tuple[List[Finding], frozenset]:
    """The findings, and the hiera-side codes that were really checked (the report was
    usable and cross-checked against at least one config)."""
    from mwlint.selection import apply_severity

    ctx = ReportContext(report, hieras, settings)
    findings: List[Finding] = []
    for rule in rules:
        findings.extend(rule.check_report(ctx, settings))
    findings = apply_severity(findings, settings.severity)
    findings.sort(key=Finding.sort_key)
    hiera_side = frozenset(r.code for r in rules if r.code in HIERA_SIDE_CODES)
    checked = hiera_side if hiera_side and ctx.has_config else frozenset()
    return findings, checked


def check_report(report: BuildReport, hieras: Sequence, settings: Optional[Settings] = None,
                 rules=None) -> List[Finding]:
    """MW4xx findings for one parsed report against zero or more config models."""
    settings = settings or Settings()
    if rules is None:
        rules = _selection(settings)[0]
    return _run_report_rules(report, hieras, settings, rules)[0]


def read_problem_finding(path: str, problem: ReadProblem) -> Finding:
    from mwlint.engine import FILE_CONTEXT
    from mwlint.rules import by_code

    return by_code()["MW003"].finding_at(
        path, Span(problem.line, problem.column, problem.line, problem.column + 1),
        problem.message, context=FILE_CONTEXT["MW003"], help=problem.help)


def snippet_text(report: BuildReport) -> Optional[str]:
    """The report's text for snippets, unless it has very long lines."""
    text = report.text
    if text is None:
        return None
    if any(len(line) > MAX_SNIPPET_LINE for line in text.splitlines()):
        return None
    return text


class ReportOutcome(NamedTuple):
    own: FileResult  # the report file's result (MW003, MW401, MW405, MW406)
    other: List[Finding]  # findings on hiera nodes (MW402–MW404)
    checked: frozenset  # hiera-side codes really checked (see _run_report_rules)


def check_report_file(report_path: str, hieras: Sequence, settings: Settings,
                      rules=None, codes=None) -> ReportOutcome:
    """Read one report and check it against the models ``hieras``."""
    if rules is None or codes is None:
        rules, _lint, codes = _selection(settings)
    report = read_report_file(report_path, settings.max_file_size)
    if isinstance(report, ReadProblem):
        f = read_problem_finding(report_path, report)
        return ReportOutcome(FileResult(report_path, False, (f,) if f.code in codes else ()),
                             [], frozenset())
    findings, checked = _run_report_rules(report, hieras, settings, rules)
    own = tuple(f for f in findings if f.path == report_path)
    other = [f for f in findings if f.path != report_path]
    return ReportOutcome(FileResult(report_path, True, own, snippet_text(report)), other,
                         checked)


def merge(results: Iterable[FileResult], findings: Iterable[Finding], settings: Settings,
          checked: Iterable[str] = (), settings_for=None,
          first_pass=None) -> Tuple[FileResult, ...]:
    """Attach the findings on hiera nodes to the result of their file, under that file's
    settings (``settings_for(path)``, else ``settings``): its rule selection and severities,
    and its inline ``# mwlint: disable=...`` comments, which the file's own lint could not
    apply to these findings. ``checked``: the hiera-side codes the reports really checked;
    a comment naming only such codes that hid none of them is MW004 here (the first pass
    could not judge it). ``first_pass(settings)``: the codes that file's own lint ran."""
    from mwlint.rules import all_rules
    from mwlint.selection import apply_severity, selected_codes

    extra: Dict[str, List[Finding]] = {}
    for f in findings:
        extra.setdefault(f.path, []).append(f)
    checked = frozenset(checked)
    out = []
    for r in results:
        more = extra.pop(r.path, [])
        s = settings_for(r.path) if settings_for is not None else settings
        judge = s.suppressions and r.text is not None and "mwlint:" in r.text \
            and (more or checked)
        if more or judge:
            codes = selected_codes(all_rules(), s.select, s.ignore)
            more = [f for f in more if f.code in codes]
        if judge:
            from mwlint.suppress import apply_suppressions

            more = apply_suppressions(r.path, r.text, more, (checked | {"MW004"}) & codes,
                                      judged=first_pass(s) if first_pass else ())
        more = apply_severity(more, s.severity)  # the file's, MW004 of this pass included
        if more:
            fs = sorted(r.findings + tuple(more), key=Finding.sort_key)
            r = r._replace(findings=tuple(fs))
        out.append(r)
    for path, fs in extra.items():  # not reached: cross-check findings sit in linted files
        out.append(FileResult(path, True, tuple(sorted(fs, key=Finding.sort_key))))
    return tuple(out)


def check_report_paths_exist(report_paths: Sequence[str]) -> None:
    from mwlint.engine import UsageError

    for p in report_paths:
        if p == "-":
            raise UsageError("a build report cannot be read from stdin: give its path")
        if not os.path.lexists(p):
            raise UsageError(f"report does not exist: {p}")
        if os.path.isdir(p):
            raise UsageError(f"report is a directory, not a file: {p}")


def check_report_paths(report_paths: Sequence[str], hiera_paths: Sequence[str],
                       settings: Settings, settings_for=None):
    """``mwlint check-report``: lint the hiera paths with the report-scope rules (MW0xx,
    MW101), then check every report on its own against the models. All paths are checked
    before anything is read (:class:`mwlint.engine.UsageError`). ``settings_for(path)``,
    when given, returns the settings of each file (config files)."""
    from mwlint.engine import RunResult, discover, lint_source
    from mwlint.source import read_file

    check_report_paths_exist(report_paths)
    files = discover(hiera_paths) if hiera_paths else []
    models: list = []
    results: List[FileResult] = []
    for path in files:
        s = settings_for(path) if settings_for is not None else settings
        _rules, lint_rules, codes = _selection(s)
        outcome = read_file(path, path, s.max_file_size)
        results.append(lint_source(outcome, path, s, lint_rules, codes, models.append))
    owns: List[FileResult] = []
    other: List[Finding] = []
    checked: set = set()
    for rpath in report_paths:
        outcome = check_report_file(rpath, models,
                                    settings_for(rpath) if settings_for is not None else settings)
        owns.append(outcome.own)
        other.extend(outcome.other)
        checked |= outcome.checked

    def first_pass(s: Settings) -> frozenset:
        _rules, lint_rules, codes = _selection(s)
        return frozenset(r.code for r in lint_rules) & codes

    merged = merge(results, other, settings, checked, settings_for, first_pass)
    return RunResult(merged + tuple(owns))


def add_report(run, report_path: str, models: Sequence, settings: Settings,
               settings_for=None):
    """``mwlint check --report``: the MW4xx findings of one report added to a check run
    (the report file under its own settings, each hiera file under its own)."""
    from mwlint.engine import RunResult, rules_for

    outcome = check_report_file(
        report_path, models, settings_for(report_path) if settings_for else settings)

    def first_pass(s: Settings) -> frozenset:
        return frozenset(r.code for r in rules_for(s)[0])

    merged = merge(run.results, outcome.other, settings, outcome.checked, settings_for,
                   first_pass)
    return RunResult(merged + (outcome.own,))


# -- library --------------------------------------------------------------------------------

def _settings(settings: Optional[Settings], default_clusters) -> Settings:

    s = settings.replace() if settings is not None else Settings()
    if default_clusters is not None:
        if isinstance(default_clusters, str):
            default_clusters = [c for c in default_clusters.replace(",", " ").split() if c]
        s.default_clusters = tuple(default_clusters)
    return s


def _models_from_text(text: str, path: str, settings: Settings, lint_rules, codes):
    from mwlint.engine import lint_source
    from mwlint.source import read_bytes

    models: list = []
    outcome = read_bytes(text.encode("utf-8", "surrogatepass"), path, settings.max_file_size,
                         force=True)
    result = lint_source(outcome, path, settings, lint_rules, codes, models.append)
    return models, list(result.findings)


def check_report_text(report_text: str, hiera_text: Optional[str] = None, *,
                      report_path: str = "report.json", hiera_path: str = HIERA_PATH,
                      default_clusters=None, settings: Optional[Settings] = None
                      ) -> List[Finding]:
    """Check report text (JSON) against hiera text (YAML: a hiera file setting
    ``mw_releases``/``mw_deployments``, or, with ``hiera_path`` ending in
    ``mediawiki-deployments.yaml``, scap's rendered file). Positions refer to the texts.
    Without ``hiera_text`` only the report itself is checked."""
    s = _settings(settings, default_clusters)
    rules, lint_rules, codes = _selection(s)
    findings: List[Finding] = []
    models: list = []
    if hiera_text is not None:
        models, findings = _models_from_text(hiera_text, hiera_path, s, lint_rules, codes)
    report = parse_report_text(report_text, report_path)
    findings.extend(check_report(report, models, s, rules))
    findings.sort(key=Finding.sort_key)
    return findings


def check_report_data(report, deployments=None, *, default_clusters=None,
                      settings: Optional[Settings] = None) -> List[Finding]:
    """Check a build report against a deployments config, both as plain Python data.

    ``report`` is what :func:`json.load` returns for ``report.json``; ``deployments`` is
    the deployments value as scap loads it from ``mediawiki-deployments.yaml`` (the list
    form, or the mapping form with ``deployment_targets``), or a whole hiera document (a
    dict holding the ``...::mw_releases``/``...::mw_deployments`` key), or None to check
    the report alone. ``default_clusters`` is scap's ``k8s_clusters`` (a list, or a
    comma/space separated string; default ``eqiad, codfw``).

    Returns the findings (MW0xx/MW101 on the config, MW401–MW406). No file is read or
    written. Findings name the node by ``yaml_path`` (hiera side, starting with
    ``mediawiki-deployments`` for a bare value) or by its key path in the report
    (``mediawiki.flavours.publish-83``); their line and column refer to the data written
    back as YAML and indented JSON. A finding of severity ``error`` means scap's image
    lookup would abort the sync.
    """
    s = _settings(settings, default_clusters)
    rules, lint_rules, codes = _selection(s)
    findings: List[Finding] = []
    models: list = []
    if deployments is not None:
        import yaml

        path = RENDERED_PATH
        if isinstance(deployments, dict) and any(
                isinstance(k, str) and k.endswith(("::mw_releases", "::mw_deployments"))
                for k in deployments):
            path = HIERA_PATH
        try:
            text = yaml.safe_dump(deployments, sort_keys=False, default_flow_style=False,
                                  allow_unicode=True)
        except yaml.YAMLError as e:
            raise TypeError("deployments must be plain data (dicts, lists, strings, numbers, "
                            f"booleans, None): {e}") from None
        models, findings = _models_from_text(text, path, s, lint_rules, codes)
    report_obj = report_from_data(report)
    findings.extend(check_report(report_obj, models, s, rules))
    findings.sort(key=Finding.sort_key)
    return findings
