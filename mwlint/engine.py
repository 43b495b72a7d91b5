"""The one pipeline of every command. The command line maps arguments to settings, calls
:func:`run`, and renders its :class:`RunResult`.

A run: read -> parse -> locate -> model -> rules -> cross-check (build reports, MW4xx) ->
suppress (inline comments) -> baseline -> threshold. ``check``, ``check --report``,
``check-report`` and ``plan`` all call :func:`run`; :func:`load_model` is its
parse -> locate -> model stage for one text (the fixer's and the plan's).

Library use (no command line, no file I/O)::

    from mwlint.engine import lint_text
    findings = lint_text(yaml_text, "hieradata/role/common/deployment_server/kubernetes.yaml")

and a build report against a config (:func:`check_report_data` on plain data,
:func:`check_report_text` on text)::

    from mwlint.engine import check_report_data
    findings = check_report_data(json.load(f), yaml.safe_load(g), default_clusters=["eqiad"])
"""

from __future__ import annotations

import os
from typing import (
    TYPE_CHECKING,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import yaml

from mwlint.findings import SEVERITY_RANK, FileResult, Finding, Span, settle_repairs, span_of
from mwlint.locate import locate
from mwlint.model import HieraFile, build_hiera_file
from mwlint.parse import BudgetExceeded, ParseError, Resolver, compose, without_gc
from mwlint.rules import all_rules, by_code
from mwlint.rules.base import drop_superseded
from mwlint.rules.report_base import ReportRule
from mwlint.selection import apply_severity, selected_codes
from mwlint.settings import Settings
from mwlint.source import InputProblem, SourceText, read_bytes, read_file
from mwlint.source.reader import is_rendered_any
from mwlint.suppress import apply_suppressions

if TYPE_CHECKING:  # the report's reader and its JSON machinery load on first use only
    from mwlint.report.reader import BuildReport

YAML_SUFFIXES = (".yaml", ".yml")


# the source stage of a run: (path, display name, size limit) -> text, problem or None
Reader = Callable[[str, str, int], Union[SourceText, InputProblem, None]]


class UsageError(Exception):
    """Exit 2: a missing path, a bad option or a bad config."""


class RunResult(NamedTuple):
    results: Tuple[FileResult, ...]
    # the models of the linted files, in order, when the run kept them (``keep_models``, or
    # a cross-check with build reports): what ``plan`` renders
    models: Tuple[HieraFile, ...] = ()
    # the failure threshold of the run: the settings', else the strictest of the files'
    fail_on: str = "error"

    @property
    def findings(self) -> List[Finding]:
        out = [f for r in self.results for f in r.findings]
        out.sort(key=Finding.sort_key)
        return out

    @property
    def files(self) -> int:
        return len(self.results)

    @property
    def linted(self) -> int:
        return sum(1 for r in self.results if r.linted)


def discover(paths: Sequence[str], listings: Optional[Dict[str, frozenset]] = None) -> List[str]:
    """Files to examine, in order. Raises :class:`UsageError` for a missing path before
    anything is linted. ``listings``, when given, receives the names in every directory
    walked (absolute directory -> names): config discovery then needs no ``stat`` calls
    there."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"path does not exist: {missing[0]}")
    out: List[str] = []
    for p in paths:
        if p != "-" and os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                if listings is not None:
                    listings[os.path.abspath(dirpath)] = frozenset(dirnames + filenames)
                dirnames[:] = sorted(d for d in dirnames if d != ".git")
                for name in sorted(filenames):
                    if name.endswith(YAML_SUFFIXES):
                        out.append(os.path.join(dirpath, name))
        else:
            out.append(p)
    return out


def rules_for(settings: Settings, scope: str = "check"):
    rules = all_rules()
    codes = selected_codes(rules, settings.select, settings.ignore)
    return [r for r in rules if r.code in codes and scope in r.scope], codes


# The identity of a file-level finding (baselines, SARIF fingerprints): one per file, so it
# does not depend on the message, whose wording may change.
FILE_CONTEXT = {"MW001": (None, None, "yaml-syntax", None),
                "MW003": (None, None, "unreadable-file", None)}


def _problem(path: str, problem: InputProblem) -> Finding:
    rule = by_code()[problem.code]
    return rule.finding_at(path, Span(problem.line, problem.column, problem.line,
                                      problem.column + 1), problem.message,
                           context=FILE_CONTEXT[problem.code], help=problem.help)


def load_model(text: str, path: str, settings: Settings) -> Union[HieraFile, Finding, None]:
    """parse -> locate -> model for one text read as the file ``path``: its model, ``None``
    when it sets no deployments key, or the MW001 finding (not YAML, or over the alias or
    depth budget) that stops the file's pipeline. The rule selection is not applied to
    that finding: the caller decides whether MW001 is reported."""
    try:
        root = compose(text)
    except ParseError as e:
        return by_code()["MW001"].finding_at(path, Span(e.line, e.column, e.line, e.column + 1),
                                            e.message, context=FILE_CONTEXT["MW001"],
                                            help=e.help)
    try:
        location = locate(root, path, Resolver(settings.alias_budget))
        if not location.values and not location.services and not location.misspelt:
            return None
        return build_hiera_file(path, text, location, settings, settings.alias_budget)
    except BudgetExceeded as e:
        span = span_of(e.node) if e.node is not None else Span(1, 1, 1, 1)
        return by_code()["MW001"].finding_at(path, Span(span.line, span.column, span.line,
                                                        span.column + 1), e.message,
                                            context=FILE_CONTEXT["MW001"])


@without_gc  # one file's nodes and model live until it is done: see without_gc
def lint_source(outcome, display: str, settings: Settings, rules=None, codes=None,
                model_hook=None, on_stop: Optional[Callable[[Finding], None]] = None
                ) -> FileResult:
    """Run the pipeline on the outcome of the source stage. ``model_hook(model)`` receives
    the file's model; ``on_stop(finding)`` the MW001/MW003 finding that stopped the file
    before a model, whether or not that code is selected."""
    if rules is None:
        rules, codes = rules_for(settings)
    if outcome is None:
        return FileResult(display, False, ())
    if isinstance(outcome, InputProblem):
        f = _problem(display, outcome)
        if on_stop is not None:
            on_stop(f)
        return FileResult(display, False, (f,) if f.code in codes else ())
    text = outcome.text
    hiera = load_model(text, display, settings)
    if hiera is None:
        return FileResult(display, False, (), text)
    if isinstance(hiera, Finding):
        if on_stop is not None:
            on_stop(hiera)
        return FileResult(display, True, (hiera,) if hiera.code in codes else (), text)
    if model_hook is not None:
        model_hook(hiera)
    findings: List[Finding] = []
    for rule in rules:
        findings.extend(rule.check(hiera, settings))
    findings = drop_superseded(findings, rules)  # one problem, one finding
    if settings.suppressions and "mwlint:" in text:  # inline `# mwlint: disable=...`
        findings = apply_suppressions(display, text, findings,
                                      {r.code for r in rules} & set(codes))
    # a fix "repaired by" a finding that is not reported (not selected, suppressed) goes
    findings = settle_repairs(findings)
    findings = apply_severity(findings, settings.severity)
    findings.sort(key=Finding.sort_key)
    return FileResult(display, True, tuple(findings), text)


def lint_text(text: str, path: str = "<string>", settings: Optional[Settings] = None,
              force: bool = True) -> List[Finding]:
    """Lint YAML text as if it were the file ``path``; returns the findings."""
    settings = settings or Settings()
    data = text.encode("utf-8", "surrogatepass")
    outcome = read_bytes(data, path, settings.max_file_size, force=force)
    return list(lint_source(outcome, path, settings).findings)


def lint_paths(paths: Sequence[str], settings: Settings, stdin_data: Optional[bytes] = None,
               stdin_filename: Optional[str] = None, model_hook=None,
               settings_for=None,
               on_listings: Optional[Callable[[Dict[str, frozenset]], None]] = None
               ) -> RunResult:
    """``settings_for(path)``, when given, returns the settings of each file (its nearest
    config, see :mod:`mwlint.config`); otherwise ``settings`` applies to every file.
    ``on_listings``, when given, receives the directory listings of the walk before any
    file is resolved (``ConfigResolver.add_listings``). The lint stage of :func:`run`
    (no report, baseline or threshold)."""
    files = _discover(paths, on_listings)
    return RunResult(_lint_files(files, settings, stdin_data, stdin_filename, model_hook,
                                 settings_for, "check", read_file, None))


def _discover(paths: Sequence[str],
              on_listings: Optional[Callable[[Dict[str, frozenset]], None]]) -> List[str]:
    listings: Optional[Dict[str, frozenset]] = {} if on_listings is not None else None
    files = discover(paths, listings)
    if listings and on_listings is not None:
        on_listings(listings)
    return files


def hiera_rules(settings: Settings, scope: str = "check"):
    """(the rules that read a config model, selected codes) of a run of ``scope``:
    ``check`` (every rule of a plain check) or ``report`` (what a cross-check needs:
    MW0xx, MW101). The report rules (MW4xx) are not among them: they run on reports."""
    rules, codes = rules_for(settings, scope)
    return [r for r in rules if not isinstance(r, ReportRule)], codes


def _lint_files(files: Sequence[str], settings: Settings, stdin_data: Optional[bytes],
                stdin_filename: Optional[str], model_hook, settings_for,
                scope: str, reader: Reader, on_stop) -> Tuple[FileResult, ...]:
    # (select, ignore) -> (rules, codes); the run's own selection is checked up front
    selections = {(settings.select, settings.ignore): hiera_rules(settings, scope)}
    results = []
    services = _RunServices()
    for i, path in enumerate(files):
        display = (stdin_filename or "<stdin>") if path == "-" else path
        s = settings_for(display) if settings_for is not None else settings
        sel = (s.select, s.ignore)
        if sel not in selections:
            selections[sel] = hiera_rules(s, scope)
        rules, codes = selections[sel]
        if path == "-":
            # a rendered mediawiki-deployments.yaml needs no key: never pre-filtered
            outcome = read_bytes(stdin_data or b"", display, s.max_file_size,
                                 force=is_rendered_any(display))
        else:
            outcome = reader(path, display, s.max_file_size)
        results.append(lint_source(outcome, display, s, rules, codes,
                                   _services_hook(model_hook, services, i), on_stop))
    if services.waiting and services.groups is not None:
        results = _relint_catalogs(results, services, files, settings, stdin_data,
                                   stdin_filename, model_hook, settings_for, scope, reader,
                                   selections)
    return tuple(results)


class _RunServices:
    """The deploy-service keys seen in a run: the first cluster groups, and the files
    whose catalog waits for them (deploy-service.md §0: the keys may sit in different
    files; references are resolved across the files of one run)."""

    def __init__(self) -> None:
        self.groups: Optional[Tuple[str, dict]] = None  # (display path, {name: group})
        # (index, model) of the files whose catalog came before its groups
        self.waiting: List[Tuple[int, object]] = []


def _services_hook(model_hook, services: _RunServices, index: int):
    def hook(hiera: HieraFile) -> None:
        config = hiera.services
        if config is not None:
            if config.groups is not None and config.groups_from is None \
                    and services.groups is None:
                services.groups = (hiera.path, config.groups)
            if config.groups_missing:
                if services.groups is not None:  # an earlier file defines them
                    _bind(config, services.groups)
                else:
                    services.waiting.append((index, config))
        if model_hook is not None:
            model_hook(hiera)
    return hook


def _bind(config, groups) -> None:
    # only a run with a service catalog gets here: no start-up cost for the others
    from mwlint.model.services import bind_groups

    bind_groups(config, groups[1], Resolver(), groups[0])


def _relint_catalogs(results, services: _RunServices, files, settings, stdin_data,
                     stdin_filename, model_hook, settings_for, scope, reader, selections):
    """Lint again the files whose catalog came before the file of its cluster groups,
    now with those groups (the model the run kept, if any, is bound to them too)."""
    results = list(results)
    groups = services.groups

    def hook(hiera: HieraFile) -> None:
        if hiera.services is not None and hiera.services.groups_missing:
            _bind(hiera.services, groups)

    for i, kept in services.waiting:
        _bind(kept, groups)
        path = files[i]
        if path == "-":
            continue  # stdin cannot be read twice
        display = path
        s = settings_for(display) if settings_for is not None else settings
        rules, codes = selections[(s.select, s.ignore)]
        outcome = reader(path, display, s.max_file_size)
        results[i] = lint_source(outcome, display, s, rules, codes, hook, on_stop=None)
    return results


def check_reports_exist(report_paths: Sequence[str]) -> None:
    """:class:`UsageError` for a build report path that cannot be a report file."""
    for p in report_paths:
        if p == "-":
            raise UsageError("a build report cannot be read from stdin: give its path")
        if not os.path.lexists(p):
            raise UsageError(f"report does not exist: {p}")
        if os.path.isdir(p):
            raise UsageError(f"report is a directory, not a file: {p}")


def run(settings: Settings, paths: Sequence[str], *, reports: Sequence[str] = (),
        stdin_data: Optional[bytes] = None, stdin_filename: Optional[str] = None,
        settings_for: Optional[Callable[[str], Settings]] = None,
        on_listings: Optional[Callable[[Dict[str, frozenset]], None]] = None,
        baseline=None, scope: str = "check", keep_models: bool = False,
        threshold_from_files: bool = False, reader: Optional[Reader] = None,
        on_stop: Optional[Callable[[Finding], None]] = None) -> RunResult:
    """The whole pipeline over ``paths`` (files, directories, ``-`` for ``stdin_data`` read
    as ``stdin_filename``), each file under ``settings_for(path)`` (default: ``settings``).

    ``reports``: build reports to cross-check the models against (MW4xx; each report under
    its own settings); ``scope``: ``check`` runs every rule on the configs, ``report`` only
    what the cross-check needs (``check-report``); ``baseline``: a loaded
    :class:`mwlint.suppress.baseline.Baseline` whose findings are dropped;
    ``threshold_from_files``: the run fails at the strictest ``fail_on`` of the files with
    findings (no ``--fail-on``), else at ``settings.fail_on``; ``keep_models``: the result
    keeps the models (``plan``); ``scope="plan"`` runs no rule (models only);
    ``reader(path, display, max_size)``: the source stage (default: read the file from
    disk; ``plan --against`` reads a git revision); ``on_stop``: see :func:`lint_source`.
    Raises :class:`UsageError` for a missing path or report
    before anything is read, :class:`mwlint.selection.SelectionError` for a bad selection."""
    check_reports_exist(reports)
    files = _discover(paths, on_listings) if paths else []
    models: Optional[List[HieraFile]] = [] if (reports or keep_models) else None
    results = _lint_files(files, settings, stdin_data, stdin_filename,
                          models.append if models is not None else None, settings_for, scope,
                          reader or read_file, on_stop)
    if reports:
        results = _cross_check(results, reports, models or [], settings, settings_for, scope)
    if baseline is not None:
        from mwlint.suppress.baseline import apply_baseline  # only with --baseline

        results = tuple(apply_baseline(results, baseline, settings_for))
    fail_on = settings.fail_on
    if threshold_from_files and results:
        # only files with findings can fail the run
        counted = [r for r in results if r.findings] or results
        levels = {(settings_for(r.path) if settings_for is not None else settings).fail_on
                  for r in counted}
        fail_on = min(levels, key=SEVERITY_RANK.__getitem__)
    return RunResult(results, tuple(models or ()), fail_on)


# -- cross-check with build reports ------------------------------------------------------



def report_rules(settings: Settings) -> List[ReportRule]:
    """The selected MW4xx rules."""
    return [r for r in rules_for(settings, "report")[0] if isinstance(r, ReportRule)]


def check_report(report, hieras: Sequence[HieraFile], settings: Settings,
                 rules: Optional[Sequence[ReportRule]] = None
                 ) -> Tuple[List[Finding], FrozenSet[str]]:
    """The MW4xx findings of one parsed report against the models ``hieras``, and the
    hiera-side codes really checked (the report was usable and cross-checked against at
    least one config)."""
    from mwlint.report.context import ReportContext  # the report's JSON machinery: on use

    if rules is None:
        rules = report_rules(settings)
    ctx = ReportContext(report, hieras, settings)
    findings: List[Finding] = []
    for rule in rules:
        findings.extend(rule.check_report(ctx, settings))
    findings = apply_severity(findings, settings.severity)
    findings.sort(key=Finding.sort_key)
    # a suppression in a hiera file can only be about the rules whose findings sit on
    # hiera nodes (each declares it: ReportRule.on_hiera)
    hiera_side = frozenset(r.code for r in rules if r.on_hiera)
    checked = hiera_side if hiera_side and ctx.has_config else frozenset()
    return findings, checked


# -- library: a build report checked against configs given as text or data -----------------

RENDERED_PATH = "mediawiki-deployments.yaml"
HIERA_PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"


def _library_settings(settings: Optional[Settings], default_clusters) -> Settings:
    s = settings.replace() if settings is not None else Settings()
    if default_clusters is not None:
        if isinstance(default_clusters, str):
            default_clusters = [c for c in default_clusters.replace(",", " ").split() if c]
        s.default_clusters = tuple(default_clusters)
    return s


def _models_from_text(text: str, path: str,
                      settings: Settings) -> Tuple[List[HieraFile], List[Finding]]:
    lint_rules, codes = hiera_rules(settings, "report")
    models: List[HieraFile] = []
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
    from mwlint.report.reader import parse_report_text  # the report's JSON machinery: on use

    s = _library_settings(settings, default_clusters)
    findings: List[Finding] = []
    models: List[HieraFile] = []
    if hiera_text is not None:
        models, findings = _models_from_text(hiera_text, hiera_path, s)
    report = parse_report_text(report_text, report_path)
    findings.extend(check_report(report, models, s, report_rules(s))[0])
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
    from mwlint.report.reader import report_from_data  # the report's JSON machinery: on use

    s = _library_settings(settings, default_clusters)
    findings: List[Finding] = []
    models: List[HieraFile] = []
    if deployments is not None:
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
        models, findings = _models_from_text(text, path, s)
    report_obj = report_from_data(report)
    findings.extend(check_report(report_obj, models, s, report_rules(s))[0])
    findings.sort(key=Finding.sort_key)
    return findings


def _cross_check(results: Tuple[FileResult, ...], reports: Sequence[str],
                 models: Sequence[HieraFile], settings: Settings, settings_for,
                 scope: str) -> Tuple[FileResult, ...]:
    """Every report checked on its own against the models: the report file's own findings
    (MW003, MW401, MW405, MW406) as its result, the findings on hiera nodes (MW402-MW404)
    merged into their file's result."""
    from mwlint.report.context import snippet_text  # the report's JSON machinery: on use

    owns: List[FileResult] = []
    other: List[Finding] = []
    checked: set = set()
    for rpath in reports:
        s = settings_for(rpath) if settings_for is not None else settings
        rules, codes = rules_for(s, "report")
        report = _read_report(rpath, s, codes)
        if isinstance(report, FileResult):  # unreadable: MW003
            owns.append(report)
            continue
        findings, seen = check_report(report, models, s,
                                      [r for r in rules if isinstance(r, ReportRule)])
        owns.append(FileResult(rpath, True, tuple(f for f in findings if f.path == rpath),
                               snippet_text(report)))
        other.extend(f for f in findings if f.path != rpath)
        checked |= seen

    def first_pass(s: Settings) -> FrozenSet[str]:
        rules, codes = hiera_rules(s, scope)
        return frozenset(r.code for r in rules) & frozenset(codes)

    return merge(results, other, settings, checked, settings_for, first_pass) + tuple(owns)


def _read_report(path: str, settings: Settings, codes) -> Union[BuildReport, FileResult]:
    """The report at ``path``, or the result of a report that cannot be read (its MW003
    finding, when selected in ``codes``)."""
    from mwlint.report.reader import ReadProblem, read_report_file  # JSON machinery: on use

    report = read_report_file(path, settings.max_file_size)
    if isinstance(report, ReadProblem):
        f = by_code()["MW003"].finding_at(
            path, Span(report.line, report.column, report.line, report.column + 1),
            report.message, context=FILE_CONTEXT["MW003"], help=report.help)
        return FileResult(path, False, (f,) if f.code in codes else ())
    return report


def merge(results: Iterable[FileResult], findings: Iterable[Finding], settings: Settings,
          checked: Iterable[str] = (), settings_for=None,
          first_pass=None) -> Tuple[FileResult, ...]:
    """Attach the findings on hiera nodes to the result of their file, under that file's
    settings (``settings_for(path)``, else ``settings``): its rule selection and severities,
    and its inline ``# mwlint: disable=...`` comments, which the file's own lint could not
    apply to these findings. ``checked``: the hiera-side codes the reports really checked;
    a comment naming only such codes that hid none of them is MW004 here (the first pass
    could not judge it). ``first_pass(settings)``: the codes that file's own lint ran."""
    extra: Dict[str, List[Finding]] = {}
    for f in findings:
        extra.setdefault(f.path, []).append(f)
    checked = frozenset(checked)
    out = []
    for r in results:
        more = extra.pop(r.path, [])
        s = settings_for(r.path) if settings_for is not None else settings
        text = r.text if s.suppressions and r.text is not None and "mwlint:" in r.text \
            and (more or checked) else None  # the comments to judge, if any
        if more or text is not None:
            codes = selected_codes(all_rules(), s.select, s.ignore)
            more = [f for f in more if f.code in codes]
        if text is not None:
            more = apply_suppressions(r.path, text, more, (checked | {"MW004"}) & codes,
                                      judged=first_pass(s) if first_pass else ())
        more = apply_severity(more, s.severity)  # the file's, MW004 of this pass included
        if more:
            fs = sorted(r.findings + tuple(more), key=Finding.sort_key)
            r = r._replace(findings=tuple(fs))
        out.append(r)
    for path, fs in extra.items():  # not reached: cross-check findings sit in linted files
        out.append(FileResult(path, True, tuple(sorted(fs, key=Finding.sort_key))))
    return tuple(out)


__all__ = ["run", "load_model", "lint_text", "lint_paths", "lint_source", "discover",
           "UsageError", "RunResult", "SourceText", "check_report", "merge"]
