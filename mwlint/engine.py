"""The one pipeline of every command. The command line maps arguments to settings and
sources, runs a :class:`Run`, and renders its :class:`RunResult`.

A run, each stage once (the engine names no configuration family: each plugs in through
:class:`mwlint.family.Family`)::

    read -> parse -> locate -> model per family -> bind (across files, context files)
    -> charts facts -> rules -> supersede -> cross-check (build reports, MW4xx) ->
    suppress (inline comments) -> severity -> baseline -> threshold

(supersede runs per file before the cross-check: no rule supersedes a report code.)

``check``, ``check --report``, ``check-report`` and ``plan`` all run it (:func:`run` is
``Run(settings, sources, options).execute()`` over paths); :func:`load_model` is its
parse -> locate -> model stage for one text (the fixer's and the plan's);
:func:`lint_buffer` runs it on an editor's buffer as if it were the file ``path``.

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

import yaml

from mwlint.families import any_marker, extra_markers, families, family_of
from mwlint.family import Binder, Family
from mwlint.findings import SEVERITY_RANK, FileResult, Finding, settle_repairs, span_of
from mwlint.gcpause import without_gc
from mwlint.locate.locator import Location, later_keys, locate
from mwlint.model.build import file_model
from mwlint.model.types import HieraFile
from mwlint.parse.compose import ParseError, compose, later_documents
from mwlint.parse.resolve import BudgetExceeded, Resolver
from mwlint.rules import REPORT_PREFIX, all_rules, catalogue, rules_of
from mwlint.rules.base import Rule, drop_superseded
from mwlint.rules.core import FILE_CONTEXT, input_problem
from mwlint.selection import apply_severity, selected_codes
from mwlint.settings import Settings
from mwlint.source.bounded import read_regular_file
from mwlint.source.reader import (
    InputProblem,
    SourceText,
    is_rendered_any,
    read_bytes,
    read_file,
)
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import (
        Any,
        Callable,
        Dict,
        FrozenSet,
        Iterable,
        List,
        Mapping,
        Optional,
        Sequence,
        Set,
        Tuple,
        Union,
    )

if TYPE_CHECKING:  # the report's reader and its JSON machinery load on first use only
    from mwlint.report.reader import BuildReport
    from mwlint.rules.report_base import ReportRule
    from mwlint.suppress.baseline import Baseline

YAML_SUFFIXES = (".yaml", ".yml")

if TYPE_CHECKING:
    Outcome = Union[SourceText, InputProblem, None]
# the source stage of a run: (path, display name, size limit) -> text, problem or None
if TYPE_CHECKING:
    Reader = Callable[[str, str, int], Outcome]
if TYPE_CHECKING:
    SettingsFor = Callable[[str], Settings]
if TYPE_CHECKING:
    Listings = Dict[str, FrozenSet[str]]


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


# -- sources: where the text of each file of a run comes from --------------------------------

class Source(NamedTuple):
    """One file of a run: its display name and the source stage that reads it
    (``read(max_size)`` -> text, an :class:`InputProblem`, or None: not for mwlint)."""

    display: str
    read: Callable[[int], Outcome]


def _prefiltered(outcome: Outcome, display: str) -> Outcome:
    """The text pre-filter of the registered families: the source stage's byte pre-filter
    knows only the built-in families' markers, so with another family registered a file
    is read whole and kept when it holds a marker of any family."""
    if isinstance(outcome, SourceText) and not is_rendered_any(display) \
            and not any_marker(outcome.text):
        return None
    return outcome


def read_disk(path: str, display: str, limit: int) -> Outcome:
    """The default source stage: the file from disk, pre-filtered by the families'
    markers."""
    if not extra_markers():
        return read_file(path, display, limit)
    return _prefiltered(read_file(path, display, limit, force=True), display)


def file_source(path: str, reader: Reader = read_disk) -> Source:
    """The file ``path`` read by ``reader`` (default: from disk; ``plan --against`` reads
    a git revision)."""
    return Source(path, lambda limit: reader(path, path, limit))


def bytes_source(data: bytes, display: str, force: bool = False) -> Source:
    """Bytes read as the file ``display`` (stdin): a rendered scap file is never
    pre-filtered; ``force``: nothing is."""
    def read(limit: int) -> Outcome:
        if force or is_rendered_any(display):
            return read_bytes(data, display, limit, force=True)
        if not extra_markers():
            return read_bytes(data, display, limit)
        return _prefiltered(read_bytes(data, display, limit, force=True), display)

    return Source(display, read)


def buffer_source(text: str, path: str) -> Source:
    """An in-memory buffer (an editor's, a library caller's) read as the file ``path``,
    without the pre-filter."""
    return bytes_source(text.encode("utf-8", "surrogatepass"), path, force=True)


def discover(paths: Sequence[str], listings: Optional[Listings] = None) -> List[str]:
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
            _walk(p, out, listings)
        else:
            out.append(p)
    return out


def _walk(top: str, out: List[str], listings: Optional[Listings]) -> None:
    """The YAML files under ``top`` into ``out``, in the order of ``os.walk(top)`` with
    sorted names and ``.git`` skipped: a directory's files, then each subdirectory's
    (a symbolic link to a directory is listed, not entered; an unreadable directory is
    skipped). ``os.scandir`` directly: the entries' types need no ``stat`` of their own."""
    sep = os.sep
    stack = [(top, os.path.abspath(top) if listings is not None else "")]
    while stack:
        here, absolute = stack.pop()  # (as os.walk joins it, its absolute path)
        dirs: List[Tuple[str, bool]] = []  # (name, entered)
        files: List[str] = []
        try:
            with os.scandir(here) as it:
                for entry in it:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        dirs.append((entry.name, not entry.is_symlink()))
                    else:
                        files.append(entry.name)
        except OSError:
            continue
        if listings is not None:
            listings[absolute] = frozenset([d for d, _e in dirs] + files)
        # os.path.join(here, name), without its checks: a name from scandir is never
        # absolute, '.' or '..'
        prefix = here if here.endswith(sep) else here + sep
        aprefix = absolute if absolute.endswith(sep) else absolute + sep
        files.sort()
        out.extend([prefix + n for n in files if n.endswith(YAML_SUFFIXES)])
        dirs.sort(reverse=True)
        stack.extend([(prefix + d, aprefix + d) for d, entered in dirs
                      if entered and d != ".git"])


class Stdin(NamedTuple):
    """``-`` among the paths: these bytes, read as the file ``filename``."""

    data: bytes
    filename: Optional[str] = None


def path_sources(paths: Sequence[str], stdin: Optional[Stdin] = None,
                 reader: Optional[Reader] = None,
                 on_listings: Optional[Callable[[Listings], None]] = None) -> List[Source]:
    """The sources of ``paths`` (files, directories walked, ``-`` for ``stdin``).
    ``on_listings``, when given, receives the directory listings of the walk before any
    file is read (``ConfigResolver.add_listings``). Raises :class:`UsageError` for a
    missing path."""
    listings: Optional[Listings] = {} if on_listings is not None else None
    files = discover(paths, listings)
    if listings and on_listings is not None:
        on_listings(listings)
    out = []
    for path in files:
        if path == "-":
            out.append(bytes_source(stdin.data if stdin else b"",
                                    (stdin.filename if stdin else None) or "<stdin>"))
        else:
            out.append(file_source(path, reader or read_disk))
    return out


# -- selection: which rules run on a file, worked out once per distinct selection ------------

class Selection:
    """One distinct selection (select/ignore) of a run: its codes, and the rules that read
    a config model, loaded for each set of families a file holds (a plain check of files
    with MediaWiki keys only never imports the deploy-service or the report rules)."""

    __slots__ = ("codes", "ran", "_scope", "_fixed", "_loaded")

    def __init__(self, codes: FrozenSet[str], ran: FrozenSet[str], scope: str = "check",
                 fixed: Optional[Sequence[Rule]] = None) -> None:
        self.codes = codes  # every selected code (MW001, MW004 and report codes included)
        self.ran = ran  # the codes of the model rules that run (suppressions are judged by)
        self._scope = scope
        self._fixed = tuple(fixed) if fixed is not None else None  # given, not loaded
        self._loaded: Dict[FrozenSet[str], Tuple[Rule, ...]] = {}

    def rules_for(self, models: Mapping[str, Any]) -> Tuple[Rule, ...]:
        """The selected model rules that run on a file holding ``models``: the core rules
        and those of the families in ``models``."""
        key = frozenset(models)
        rules = self._loaded.get(key)
        if rules is None:
            if self._fixed is not None:
                rules = tuple(r for r in self._fixed if _runs_on(r.code, models))
            else:
                rules = tuple(r for r in rules_of([c for c in self.ran if _runs_on(c, models)])
                              if self._scope in r.scope)
            self._loaded[key] = rules
        return rules


def _selection(settings: Settings, scope: str) -> Selection:
    """The selection of ``settings`` in a run of ``scope``: ``check`` (every model rule,
    loaded as files need them), ``report`` (what a cross-check needs: MW0xx, MW101) or
    ``plan`` (no rule). Raises :class:`mwlint.selection.SelectionError`."""
    codes = frozenset(selected_codes(catalogue(), settings.select, settings.ignore))
    if scope == "plan":
        return Selection(codes, frozenset(), scope, ())
    if scope == "check":  # every rule but the report rules has the check scope (a test)
        return Selection(codes, frozenset(c for c in codes if not c.startswith(REPORT_PREFIX)),
                         scope)
    rules, _codes = hiera_rules(settings, scope)
    return Selection(codes, frozenset(r.code for r in rules), scope, rules)


def rules_for(settings: Settings, scope: str = "check") -> Tuple[List[Rule], Set[str]]:
    """(the selected rules of ``scope``, the selected codes): every rule module imported."""
    rules = all_rules()
    codes = selected_codes(rules, settings.select, settings.ignore)
    return [r for r in rules if r.code in codes and scope in r.scope], codes


def hiera_rules(settings: Settings, scope: str = "check") -> Tuple[List[Rule], Set[str]]:
    """(the rules that read a config model, selected codes) of a run of ``scope``:
    ``check`` (every rule of a plain check) or ``report`` (what a cross-check needs:
    MW0xx, MW101). The report rules (MW4xx) are not among them: they run on reports."""
    rules, codes = rules_for(settings, scope)
    return [r for r in rules if not r.code.startswith(REPORT_PREFIX)], codes


def report_rules(settings: Settings) -> List[ReportRule]:
    """The selected MW4xx rules."""
    return _report_rules(rules_for(settings, "report")[0])


def _report_rules(rules: Iterable[Rule]) -> List[ReportRule]:
    from mwlint.rules.report_base import ReportRule  # a cross-check's own

    return [r for r in rules if isinstance(r, ReportRule)]


# -- the model stage ----------------------------------------------------------------------

class Modelled(NamedTuple):
    """A file through parse -> locate -> model: the families' models (by name)."""

    location: Location
    models: Dict[str, Any]


def _model_stage(text: str, path: str, settings: Settings
                 ) -> Union[Modelled, Finding, None]:
    """parse -> locate -> model per family for one text read as the file ``path``: its
    models, ``None`` when it holds no key of any family, or the MW001 finding (not YAML,
    or over the alias or depth budget) that stops the file's pipeline."""
    try:
        root = compose(text)
    except ParseError as e:
        return input_problem(path, "MW001", (e.line, e.column), e.message, e.help)
    try:
        location = locate(root, path, Resolver(settings.alias_budget))
        if "\n---" in text or "\n..." in text:
            # keys after a document marker: hiera never reads them (MW006); composed
            # again only for a text that has a marker
            later = later_keys(later_documents(text))
            if later:
                location = location._replace(later_keys=later)
        models: Dict[str, Any] = {}
        for fam in families():
            keys = fam.keys(location)
            if keys:
                models[fam.name] = fam.build(path, text, keys, location, settings)
        if not models and not location.later_keys and not location.misspelt:
            return None
        return Modelled(location, models)
    except BudgetExceeded as e:
        span = span_of(e.node) if e.node is not None else None
        at = (span.line, span.column) if span is not None else (1, 1)
        return input_problem(path, "MW001", at, e.message, e.help)


def load_model(text: str, path: str, settings: Settings) -> Union[HieraFile, Finding, None]:
    """parse -> locate -> model for one text read as the file ``path``: its model, ``None``
    when it sets no key of any family, or the MW001 finding (not YAML, or over the alias or
    depth budget) that stops the file's pipeline. The rule selection is not applied to
    that finding: the caller decides whether MW001 is reported. Nothing is bound across
    files and no deployment-charts fact is loaded."""
    got = _model_stage(text, path, settings)
    if not isinstance(got, Modelled):
        return got
    return file_model(path, text, got.location, got.models)


# -- one file through the stages ------------------------------------------------------------

class _File:
    """A file of a run between its stages."""

    __slots__ = ("index", "display", "settings", "text", "modelled", "hiera", "findings",
                 "linted", "judged")

    def __init__(self, index: int, display: str, settings: Settings) -> None:
        self.index = index
        self.display = display
        self.settings = settings
        self.text: Optional[str] = None
        self.modelled: Optional[Modelled] = None
        self.hiera: Optional[HieraFile] = None
        self.findings: List[Finding] = []
        self.linted = False
        self.judged = False  # its rules ran (the suppression stage applies)


class RunOptions(NamedTuple):
    """What a run does besides linting the sources under their settings.

    ``settings_for(path)``: the settings of each file (its nearest config, see
    :mod:`mwlint.config`), default the run's; ``reports``: build reports to cross-check
    the models against (MW4xx; each report under its own settings); ``scope``: ``check``
    runs every rule on the configs, ``report`` only what the cross-check needs
    (``check-report``), ``plan`` no rule (models only); ``baseline``: a loaded
    :class:`mwlint.suppress.baseline.Baseline` whose findings are dropped;
    ``threshold_from_files``: the run fails at the strictest ``fail_on`` of the files with
    findings (no ``--fail-on``), else at ``settings.fail_on``; ``keep_models``: the result
    keeps the models (``plan``); ``on_stop(finding)``: receives the MW001/MW003 finding
    that stopped a file before a model, whether or not that code is selected;
    ``model_hook(model)``: receives each file's model before its rules run."""

    settings_for: Optional[SettingsFor] = None
    reports: Sequence[str] = ()
    scope: str = "check"
    baseline: Optional[Baseline] = None
    threshold_from_files: bool = False
    keep_models: bool = False
    on_stop: Optional[Callable[[Finding], None]] = None
    model_hook: Optional[Callable[[HieraFile], None]] = None


DEFAULT_OPTIONS = RunOptions()


class Run:
    """One run: ``Run(settings, sources, options).execute()``."""

    def __init__(self, settings: Settings, sources: Sequence[Source],
                 options: RunOptions = DEFAULT_OPTIONS) -> None:
        self.settings = settings
        self.sources = sources
        self.options = options
        self._selections: Dict[Tuple[Any, Any], Selection] = {}
        self.selection(settings)  # the run's own selection is checked up front
        self._binders: List[Tuple[Family, Binder]] = [(f, f.binder()) for f in families()]
        self.models: List[HieraFile] = []
        self._charts: Dict[Tuple[str, int], Any] = {}  # (root, max size) -> ChartsLoader

    def settings_of(self, path: str) -> Settings:
        sf = self.options.settings_for
        return sf(path) if sf is not None else self.settings

    def selection(self, settings: Settings) -> Selection:
        key = (settings.select, settings.ignore)
        sel = self._selections.get(key)
        if sel is None:
            sel = self._selections[key] = _selection(settings, self.options.scope)
        return sel

    def execute(self) -> RunResult:
        """Every stage, once, over every source."""
        check_reports_exist(self.options.reports)
        keep = bool(self.options.reports or self.options.keep_models)
        files: List[_File] = []
        waiting: List[_File] = []
        for i, source in enumerate(self.sources):
            f = self._read_and_model(i, source)
            files.append(f)
            if f.modelled is not None and not self._bind(f):
                waiting.append(f)  # its rules run once the run's models are bound
            elif f.modelled is not None:
                self._judge(f, keep)
        self._context(files)
        for _fam, binder in self._binders:
            binder.finish()
        for f in waiting:
            self._judge(f, keep)
        if keep:
            self.models = [f.hiera for f in files if f.hiera is not None]
        report_results: Tuple[FileResult, ...] = ()
        checked: FrozenSet[str] = frozenset()
        if self.options.reports:
            report_results, checked = self._cross_check(files)
        results = tuple(self._settle(f, checked) for f in files) + report_results
        if self.options.baseline is not None:
            from mwlint.suppress.baseline import apply_baseline  # only with --baseline

            results = tuple(apply_baseline(results, self.options.baseline,
                                           self.options.settings_for))
        return RunResult(results, tuple(self.models), self._threshold(results))

    # -- read -> parse -> locate -> model ------------------------------------------------
    def _read_and_model(self, index: int, source: Source) -> _File:
        f = _File(index, source.display, self.settings_of(source.display))
        outcome = source.read(f.settings.max_file_size)
        if outcome is None:  # most files of a tree: nothing for mwlint
            return f
        if isinstance(outcome, InputProblem):
            self._stop(f, input_problem(f.display, outcome.code,
                                        (outcome.line, outcome.column), outcome.message,
                                        outcome.help))
            return f
        f.text = outcome.text
        self._model(f, outcome.text)
        return f

    @without_gc  # one file's nodes and model live until it is done: see without_gc
    def _model(self, f: _File, text: str) -> None:
        got = _model_stage(text, f.display, f.settings)
        if got is None:
            return
        f.linted = True
        if isinstance(got, Finding):
            self._stop(f, got)
            return
        f.modelled = got

    def _stop(self, f: _File, finding: Finding) -> None:
        if self.options.on_stop is not None:
            self.options.on_stop(finding)
        f.findings = [finding] if finding.code in self.selection(f.settings).codes else []

    # -- bind ------------------------------------------------------------------------------
    def _bind(self, f: _File) -> bool:
        """Offer the file's models to the families' binders: False when one waits."""
        assert f.modelled is not None
        ready = True
        for fam, binder in self._binders:
            model = f.modelled.models.get(fam.name)
            if model is not None and not binder.offer(f.display, model):
                ready = False
        return ready

    def _context(self, files: Sequence[_File]) -> None:
        """The context files the binders name (outside the run: read, modelled and bound,
        their own findings never reported)."""
        seen: Optional[Set[str]] = None  # the run's files: only when a binder names some
        for fam, binder in self._binders:
            for path in binder.context_files():
                if seen is None:
                    seen = {os.path.abspath(f.display) for f in files}
                if os.path.abspath(path) in seen or not os.path.isfile(path):
                    continue
                seen.add(os.path.abspath(path))
                got = self._model_only(path)
                if got is not None and fam.name in got.models:
                    binder.offer_context(path, got.models[fam.name])

    @without_gc
    def _model_only(self, path: str) -> Optional[Modelled]:
        s = self.settings_of(path)
        outcome = read_disk(path, path, s.max_file_size)
        if not isinstance(outcome, SourceText):
            return None
        got = _model_stage(outcome.text, path, s)
        return got if isinstance(got, Modelled) else None

    # -- charts facts -> rules -> supersede ---------------------------------------------
    @without_gc
    def _judge(self, f: _File, keep: bool) -> None:
        assert f.modelled is not None and f.text is not None
        models = f.modelled.models
        hiera = file_model(f.display, f.text, f.modelled.location, models,
                           self._charts_facts(models, f.settings))
        f.modelled = None
        if keep:
            f.hiera = hiera
        if self.options.model_hook is not None:
            self.options.model_hook(hiera)
        rules = self.selection(f.settings).rules_for(models)
        findings: List[Finding] = []
        for rule in rules:
            findings.extend(rule.check(hiera, f.settings))
        f.findings = drop_superseded(findings, rules)  # one problem, one finding
        f.judged = True

    def _charts_facts(self, models: Dict[str, Any], settings: Settings) -> Any:
        """The deployment-charts facts the families' rules need for this file, loaded in
        the model stage (rules never touch the disk), each helmfile once per run; None
        without deployment-charts."""
        root = settings.deployment_charts
        if not root:
            return None
        key = (root, settings.max_file_size)
        loader = self._charts.get(key)
        if loader is None:
            from mwlint.charts.facts import ChartsLoader  # only with deployment-charts

            loader = self._charts[key] = ChartsLoader(root, settings.max_file_size)
        return loader.facts(pair for fam in families() if fam.name in models
                            for pair in fam.helmfiles(models[fam.name]))

    # -- cross-check ---------------------------------------------------------------------
    def _cross_check(self, files: Sequence[_File]
                     ) -> Tuple[Tuple[FileResult, ...], FrozenSet[str]]:
        """Every report checked on its own against the models: the report file's own
        findings (MW003, MW401, MW405, MW406) as its result, the findings on hiera nodes
        (MW402-MW404) added to their file's findings (its selection applies)."""
        from mwlint.report.context import snippet_text  # the report's JSON machinery: on use

        owns: List[FileResult] = []
        by_path = {f.display: f for f in files}
        checked: Set[str] = set()
        for rpath in self.options.reports:
            s = self.settings_of(rpath)
            rules, codes = rules_for(s, "report")
            report = _read_report(rpath, s, codes)
            if isinstance(report, FileResult):  # unreadable: MW003
                owns.append(report)
                continue
            findings, seen = _report_findings(
                report, self.models, s, _report_rules(rules))
            own = [x for x in findings if x.path == rpath]
            owns.append(FileResult(rpath, True, tuple(_finish(own, s)), snippet_text(report)))
            for x in findings:
                target = by_path.get(x.path)
                if target is not None and x.path != rpath \
                        and x.code in self.selection(target.settings).codes:
                    target.findings.append(x)
            checked |= seen
        return tuple(owns), frozenset(checked)

    # -- suppress -> severity ------------------------------------------------------------
    def _settle(self, f: _File, checked: FrozenSet[str]) -> FileResult:
        """The file's findings after its inline suppressions and its severities."""
        findings = f.findings
        text = f.text
        if not findings and not f.judged:  # most files: nothing to suppress, order, grade
            return FileResult(f.display, f.linted, (), text)
        s = f.settings
        if f.judged and s.suppressions and text is not None \
                and "mwlint:" in text:  # inline `# mwlint: disable=...`
            sel = self.selection(s)
            ran = sel.ran | ((checked | {"MW004"}) & sel.codes) if checked else sel.ran
            from mwlint.suppress import apply_suppressions  # a file with `mwlint:` only

            findings = apply_suppressions(f.display, text, findings, ran, checked)
        # a fix "repaired by" a finding that is not reported (not selected, suppressed) goes
        return FileResult(f.display, f.linted, tuple(_finish(settle_repairs(findings), s)),
                          text)

    # -- threshold -----------------------------------------------------------------------
    def _threshold(self, results: Sequence[FileResult]) -> str:
        fail_on = self.settings.fail_on
        if self.options.threshold_from_files and results:
            # only files with findings can fail the run
            counted = [r for r in results if r.findings] or results
            levels = {self.settings_of(r.path).fail_on for r in counted}
            fail_on = min(levels, key=SEVERITY_RANK.__getitem__)
        return fail_on


def _runs_on(code: str, models: Mapping[str, Any]) -> bool:
    """A family's rule runs on a file holding that family's model; a core rule on all."""
    name = family_of(code)
    return not name or name in models


def _finish(findings: Iterable[Finding], settings: Settings) -> List[Finding]:
    """The severity stage, then the order of a result."""
    out = apply_severity(findings, settings.severity)
    out.sort(key=Finding.sort_key)
    return out


# -- the public entry points ---------------------------------------------------------------

def run(settings: Settings, paths: Sequence[str], options: RunOptions = DEFAULT_OPTIONS,
        stdin: Optional[Stdin] = None, reader: Optional[Reader] = None,
        on_listings: Optional[Callable[[Listings], None]] = None) -> RunResult:
    """The whole pipeline over ``paths`` (files, directories, ``-`` for ``stdin``), each
    file under ``options.settings_for(path)`` (default: ``settings``); ``reader(path,
    display, max_size)`` replaces the disk (``plan --against`` reads a git revision).
    Raises :class:`UsageError` for a missing path or report before anything is read,
    :class:`mwlint.selection.SelectionError` for a bad selection."""
    check_reports_exist(options.reports)
    sources = path_sources(paths, stdin, reader, on_listings) if paths else []
    return Run(settings, sources, options).execute()


def lint_buffer(text: str, path: str, settings: Optional[Settings] = None,
                options: RunOptions = DEFAULT_OPTIONS) -> RunResult:
    """The whole pipeline on an in-memory buffer (an editor's) as if it were the file
    ``path``: the same findings, positions and fixes as a run over that file on disk."""
    return Run(settings or Settings(), [buffer_source(text, path)], options).execute()


def lint_source(outcome: Outcome, display: str, settings: Settings,
                rules: Optional[Sequence[Rule]] = None, codes: Optional[Iterable[str]] = None,
                model_hook: Optional[Callable[[HieraFile], None]] = None) -> FileResult:
    """The pipeline on the outcome of a source stage already run, under ``settings`` (or
    the selection ``rules``/``codes`` given)."""
    r = Run(settings, [Source(display, lambda _limit: outcome)],
            RunOptions(model_hook=model_hook))
    if rules is not None:
        chosen = frozenset(codes if codes is not None else (x.code for x in rules))
        r._selections[(settings.select, settings.ignore)] = Selection(
            chosen, frozenset(x.code for x in rules) & chosen, "check", rules)
    return r.execute().results[0]


def lint_text(text: str, path: str = "<string>", settings: Optional[Settings] = None,
              force: bool = True) -> List[Finding]:
    """Lint YAML text as if it were the file ``path``; returns the findings."""
    settings = settings or Settings()
    source = bytes_source(text.encode("utf-8", "surrogatepass"), path, force)
    return Run(settings, [source]).execute().findings


def lint_paths(paths: Sequence[str], settings: Settings, stdin: Optional[Stdin] = None,
               settings_for: Optional[SettingsFor] = None,
               on_listings: Optional[Callable[[Listings], None]] = None) -> RunResult:
    """The lint stage of :func:`run` over ``paths`` (no report, baseline or threshold)."""
    return run(settings, paths, RunOptions(settings_for=settings_for), stdin,
               on_listings=on_listings)


# -- the fixer's seams: a run that keeps what it read, and lints of rewritten texts --------

# what :func:`relinter`'s lint says of a text without any configuration key
NO_KEYS = "it holds no configuration key any more"


def relinter(display: str, settings: Settings) -> Callable[[str], Union[str, List[Finding]]]:
    """Lint texts as the file ``display`` under ``settings`` (the fixer's proof of a
    rewrite): the findings, or why there are none (:data:`NO_KEYS`, or the text stops
    before a model: MW001/MW003, whether or not selected)."""
    def lint(text: str) -> Union[str, List[Finding]]:
        stops: List[Finding] = []
        result = Run(settings, [buffer_source(text, display)],
                     RunOptions(on_stop=stops.append)).execute().results[0]
        if stops:
            f = stops[0]
            return f"it does not parse (line {f.line}: {f.message})"
        if not result.linted:
            return NO_KEYS
        return list(result.findings)
    return lint


def _from_bytes(data: bytes, display: str, max_size: int) -> Outcome:
    """The source stage on bytes already read, with the pre-filter :func:`read_disk` has."""
    if is_rendered_any(display):
        return read_bytes(data, display, max_size, force=True)
    if not extra_markers():
        return read_bytes(data, display, max_size)
    return _prefiltered(read_bytes(data, display, max_size, force=True), display)


def reading_into(store: Dict[str, Optional[bytes]]) -> Reader:
    """The source stage of a run that keeps what it read: ``store[display]`` gets each
    file's bytes (``None`` for a file without any configuration key), so ``--fix`` writes
    a file back only while it still holds them, and :func:`reading_from` serves a second
    pass over the same files without reading them again."""
    def reader(path: str, display: str, max_size: int) -> Outcome:
        try:
            data = read_regular_file(path, max_size)
        except OSError:
            return read_file(path, display, max_size)  # the problem, worded as usual
        outcome = _from_bytes(data, display, max_size)
        store[display] = data if outcome is not None else None
        return outcome
    return reader


def reading_from(store: Dict[str, Optional[bytes]]) -> Reader:
    """The source stage that serves ``store`` (see :func:`reading_into`): a file's bytes
    from memory, nothing for a file without keys, and the disk for any other."""
    def reader(path: str, display: str, max_size: int) -> Outcome:
        if display not in store:
            return read_disk(path, display, max_size)
        data = store[display]
        if data is None:
            return None
        return _from_bytes(data, display, max_size)
    return reader


def check_reports_exist(report_paths: Sequence[str]) -> None:
    """:class:`UsageError` for a build report path that cannot be a report file."""
    for p in report_paths:
        if p == "-":
            raise UsageError("a build report cannot be read from stdin: give its path")
        if not os.path.lexists(p):
            raise UsageError(f"report does not exist: {p}")
        if os.path.isdir(p):
            raise UsageError(f"report is a directory, not a file: {p}")


def _report_findings(report: BuildReport, hieras: Sequence[HieraFile], settings: Settings,
                     rules: Sequence[ReportRule]) -> Tuple[List[Finding], FrozenSet[str]]:
    """The MW4xx findings of one parsed report against the models ``hieras`` (before the
    severity stage), and the hiera-side codes really checked (the report was usable and
    cross-checked against at least one config)."""
    from mwlint.report.context import ReportContext  # the report's JSON machinery: on use

    ctx = ReportContext(report, hieras, settings)
    findings: List[Finding] = []
    for rule in rules:
        findings.extend(rule.check_report(ctx, settings))
    # a suppression in a hiera file can only be about the rules whose findings sit on
    # hiera nodes (each declares it: ReportRule.on_hiera)
    hiera_side = frozenset(r.code for r in rules if r.on_hiera)
    checked = hiera_side if hiera_side and ctx.has_config else frozenset()
    return findings, checked


def check_report(report: BuildReport, hieras: Sequence[HieraFile], settings: Settings,
                 rules: Optional[Sequence[ReportRule]] = None
                 ) -> Tuple[List[Finding], FrozenSet[str]]:
    """The MW4xx findings of one parsed report against the models ``hieras`` (severities
    of ``settings`` applied), and the hiera-side codes really checked."""
    if rules is None:
        rules = report_rules(settings)
    findings, checked = _report_findings(report, hieras, settings, rules)
    return _finish(findings, settings), checked


# -- library: a build report checked against configs given as text or data -----------------

RENDERED_PATH = "mediawiki-deployments.yaml"
HIERA_PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"


if TYPE_CHECKING:
    ClusterList = Union[str, Sequence[str], None]


def _library_settings(settings: Optional[Settings], default_clusters: ClusterList) -> Settings:
    s = settings.replace() if settings is not None else Settings()
    if default_clusters is not None:
        if isinstance(default_clusters, str):
            default_clusters = [c for c in default_clusters.replace(",", " ").split() if c]
        s.default_clusters = tuple(default_clusters)
    return s


def _models_from_text(text: str, path: str,
                      settings: Settings) -> Tuple[List[HieraFile], List[Finding]]:
    models: List[HieraFile] = []
    result = Run(settings, [buffer_source(text, path)],
                 RunOptions(scope="report", model_hook=models.append)).execute()
    return models, result.findings


def check_report_text(report_text: str, hiera_text: Optional[str] = None, *,
                      report_path: str = "report.json", hiera_path: str = HIERA_PATH,
                      default_clusters: ClusterList = None,
                      settings: Optional[Settings] = None) -> List[Finding]:
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


def check_report_data(report: Any, deployments: Any = None, *,
                      default_clusters: ClusterList = None,
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


def _read_report(path: str, settings: Settings,
                 codes: Iterable[str]) -> Union[BuildReport, FileResult]:
    """The report at ``path``, or the result of a report that cannot be read (its MW003
    finding, when selected in ``codes``)."""
    from mwlint.report.reader import ReadProblem, read_report_file  # JSON machinery: on use

    report = read_report_file(path, settings.max_file_size)
    if isinstance(report, ReadProblem):
        f = input_problem(path, "MW003", (report.line, report.column), report.message,
                          report.help)
        return FileResult(path, False, (f,) if f.code in codes else ())
    return report


__all__ = ["Run", "RunOptions", "RunResult", "Source", "Stdin", "run", "lint_buffer",
           "lint_text", "lint_paths", "lint_source", "load_model", "discover", "path_sources",
           "file_source", "bytes_source", "buffer_source", "UsageError", "SourceText",
           "check_report", "FILE_CONTEXT"]
