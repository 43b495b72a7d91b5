"""``mwlint plan PATH... [--report REPORT] [--against REV [--review-message PATH]]
[--format text|json|html|markdown]``.

What scap would do with the deployments config, stage by stage (testservers, canaries,
production), then the records that are not deployed; with ``--report`` the image
references scap would resolve; with ``--against REV`` the difference between the plan at
git revision REV and the plan of the working tree (``--format markdown``: the review summary
of :mod:`mwlint.plan.review`; ``--review-message PATH``: that summary added to the message of
a Gerrit ReviewInput file, as ``hooks/gerrit-ci`` does).

Exit status: 0 a plan (or a difference) was made; 1 when scap would not get through the
config (it refuses to load it, or a report misses an image), or a file cannot be planned,
or no file holds a deployments key; with ``--against``, 1 when the working tree's side has
errors (both sides are linted by the same engine run as ``check``); 2 usage errors (missing path or report, unknown
revision, bad option).
"""

from __future__ import annotations

import argparse
import json
import sys

from mwlint.atomic_write import WriteRefused, check_destination, file_identity
from mwlint.cli import (
    _check_parser,
    _configure,
    _settings_from,
    _UsageExit,
    add_options,
    choice,
    usage_message,
    write_stdout,
)
from mwlint.cli import _Parser as _CliParser
from mwlint.config import ConfigError
from mwlint.engine import RunOptions, RunResult, UsageError, discover
from mwlint.engine import run as run_engine
from mwlint.families import any_marker, extra_markers
from mwlint.findings import Finding
from mwlint.formats.output import write_atomic
from mwlint.plan import cannot_plan
from mwlint.plan.git import GitError, read_at_revision
from mwlint.plan.model import (
    FamilyPlan,
    PlanDiff,
    PlanInputs,
    PlanOptions,
    PlanSide,
    PlanUsageError,
    diff_records,
    shown,
    side_errors,
)
from mwlint.plan.planners import planners
from mwlint.plan.render import PlanSet, render
from mwlint.plan.review import summary
from mwlint.report import load_report
from mwlint.report.reader import BuildReport, ReadProblem
from mwlint.safe_text import neutralise
from mwlint.selection import SelectionError
from mwlint.settings import Settings
from mwlint.source import InputProblem, SourceText, read_bytes
from mwlint.source.bounded import FileTooLarge, NotRegularFile, read_regular_file
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, NoReturn, Optional, Sequence, Set, Tuple

    from mwlint.engine import Outcome, Reader

FORMATS = ("text", "json", "html", "markdown")


class _Usage(Exception):
    pass


class _Parser(_CliParser):  # check's wording of usage errors, did-you-mean for options
    def error(self, message: str) -> NoReturn:
        raise _Usage(usage_message(message))


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mwlint plan",
                description="What scap would do with the deployments config, stage by stage.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or directories (default: .)")
    p.add_argument("--report", metavar="REPORT",
                   help="a build report (report.json): show the image references scap would use")
    p.add_argument("--against", metavar="REV",
                   help="show how the plan changes from git revision REV to the working tree")
    p.add_argument("--review-message", metavar="PATH",
                   help="with --against: add the review summary to the message of the "
                        "Gerrit ReviewInput at PATH (as check --output gerrit=PATH wrote "
                        "it) instead of printing the plan")

    for family in planners():  # each family's own plan options (this module names none)
        family.add_arguments(p)
    add_options(p, ("format", "default-clusters", "default-dir", "deployment-charts",
                    "max-file-size"),
                format={"type": choice("format", FORMATS), "help": "text (default), json, html or markdown (with --against: the review summary)"})
    p.add_argument("--config", metavar="PATH", help="use this config file")
    p.add_argument("--isolated", action="store_true", help="ignore all config files")
    add_options(p, ("debug",))
    return p


def _settings(args: argparse.Namespace) -> Tuple[Settings, Callable[[str], Settings]]:
    """The command line's settings and each file's (config files), mapped as ``check``
    maps them: every option of check that plan does not take keeps check's default (plan
    selects no rule)."""
    merged = _check_parser().parse_args([])
    for name, value in vars(args).items():
        setattr(merged, name, value)
    try:
        s = _settings_from(merged)
        resolver, _baseline = _configure(merged, s)
    except _UsageExit as e:
        raise _Usage(e.message) from None
    return s, resolver.settings_for


def _report(path: Optional[str], settings: Settings) -> Optional[BuildReport]:
    if path is None:
        return None
    import os

    if not os.path.exists(path):
        raise _Usage(f"--report: path does not exist: {path}")

    rep = load_report(path, settings.max_file_size)
    if isinstance(rep, ReadProblem):
        raise _Usage(f"--report {path}: {rep.message}")
    if not rep.usable:
        raise _Usage(f"--report {path}: not a build report scap can read "
                     f"(run mwlint check-report {path})")
    if rep.problems:
        _say(f"mwlint: warning: {path} has {len(rep.problems)} problem"
             f"{'s' if len(rep.problems) != 1 else ''} (mwlint check-report {path} lists them)")
    return rep


def run(argv: Sequence[str]) -> int:
    try:
        return _run(argv)
    except _Usage as e:
        _say(f"mwlint: error: {e}")
        return 2


def _say(line: str) -> None:
    """One line on stderr; paths and values in it are neutralised."""
    sys.stderr.write(neutralise(line) + "\n")


def _run(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))

    if args.review_message is not None and args.against is None:
        raise _Usage("--review-message needs --against REV")
    if args.format == "html":
        try:
            import jinja2  # noqa: F401
        except ImportError:
            raise _Usage("the html format needs jinja2: pip install 'mwlint[html]'") from None
    settings, settings_for = _settings(args)
    paths = args.paths or ["."]
    if "-" in paths:
        raise _Usage("plan reads files: the path - is not supported")
    try:
        files = discover(paths)
    except UsageError as e:
        raise _Usage(str(e)) from None
    review = _read_review(args, files, settings) if args.review_message else None
    report = _report(args.report, settings)
    against = args.against
    try:
        # both sides are linted by the same engine run as check: their findings are the
        # plans' verdicts (the plan never judges a config a second time)
        now = _side(files, settings, settings_for, args.report)
        old = _side_at(files, against, settings, settings_for, args.report) \
            if against is not None else None
    except (UsageError, SelectionError, ConfigError) as e:
        raise _Usage(str(e)) from None
    families = planners()  # the plan side of every registered family, in their order
    inputs = PlanInputs(list(now.models.values())
                        + (list(old.models.values()) if old is not None else []))
    try:
        own = {p.name: p.check_arguments(args, inputs) for p in families}
    except PlanUsageError as e:
        raise _Usage(str(e)) from None
    options = PlanOptions(report, args.report, settings.deployment_charts,
                          settings.max_file_size, families=own)

    failed = False
    plans: Dict[str, List[FamilyPlan]] = {p.name: [] for p in families}
    diffs = []
    for path in files:
        stop = now.stops.get(path)
        if stop is not None:
            _say(f"mwlint: {cannot_plan(stop)}")
            failed = True
            continue
        if old is None:
            for name, fp in now.family_plans(path, options).items():
                if shown(fp):
                    plans[name].append(fp)
            continue
        if path in old.stops:
            _say(f"mwlint: at {against}: {cannot_plan(old.stops[path])}")
            failed = True
            continue
        if path in old.unreadable:
            _say(f"mwlint: {path} at {against}: cannot plan: {old.unreadable[path]}")
            failed = True
            continue
        d = _diff(path, against, old, now, options)
        if d is None:
            continue
        failed = failed or d.new.refused
        diffs.append(d)

    if against is not None:
        if not diffs and not failed:
            _say(f"mwlint: no deployments key in the given paths, now or at {against}")
            return 1
        if review is not None:
            _write_review(args.review_message, review, diffs)
        else:
            write_stdout(render(args.format, diffs=diffs))
        return 1 if failed else 0
    models = [now.models[p] for p in files if p in now.models]
    try:
        for family in families:
            family.check_plans(args, PlanInputs(models, plans[family.name]))
    except PlanUsageError as e:
        raise _Usage(str(e)) from None
    if not any(plans.values()):
        if not failed:
            sys.stderr.write("mwlint: no deployments key in the given paths: nothing to "
                             "plan\n")
        return 1
    ps = PlanSet([(p, plans[p.name]) for p in families], options)
    write_stdout(render(args.format, ps))
    return 1 if failed or ps.refused else 0


def _diff(path: str, rev: str, old: "_Run", now: "_Run", options: PlanOptions
          ) -> Optional[PlanDiff]:
    """One file's difference, every family's records and checks; ``None`` when neither side
    has a key of any family."""
    a = old.family_plans(path, options)
    b = now.family_plans(path, options)
    if not a and not b:
        return None
    changes = []
    checks = []
    for family in planners():
        x, y = a.get(family.name), b.get(family.name)
        if x is None and y is None:
            continue
        changes += diff_records(x.records if x else (), y.records if y else ())
        checks += family.diff_checks(x, y)
    return PlanDiff(path, rev, path in old.existed, changes, old.side(path, a),
                    now.side(path, b), tuple(checks))


REVIEW_MAX = 64 * 1024 * 1024  # a ReviewInput with every comment of a large change


def _read_review(args: argparse.Namespace, files: Sequence[str], settings: Settings
                 ) -> Dict[str, Any]:
    """The ReviewInput ``check --output gerrit=PATH`` wrote: a JSON object whose message
    is a string; read like every other input (a regular file, capped), and refused when it
    is a file this run reads (it is rewritten)."""
    path = args.review_message
    ident = file_identity(path)
    if ident is not None:
        inputs = [("the linted file", f) for f in files]
        if args.report:
            inputs.append(("the build report", args.report))
        if args.config:
            inputs.append(("the config file", args.config))
        for kind, other in inputs:
            if file_identity(other) == ident:
                raise _Usage(f"--review-message {path}: refusing to overwrite {kind} "
                             f"{other}, which this run reads")
    try:
        data = read_regular_file(path, max(settings.max_file_size, REVIEW_MAX))
    except FileNotFoundError:
        raise _Usage(f"--review-message: path does not exist: {path}") from None
    except FileTooLarge as e:
        raise _Usage(f"--review-message {path}: {e.strerror}") from None
    except NotRegularFile as e:
        raise _Usage(f"--review-message {path}: {e.strerror}") from None
    except OSError as e:
        raise _Usage(f"--review-message {path}: not a readable ReviewInput "
                     f"({e.strerror or e})") from None
    if len(data) > max(settings.max_file_size, REVIEW_MAX):
        raise _Usage(f"--review-message {path}: over the size limit")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _Usage(f"--review-message {path}: not a readable ReviewInput ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("message", ""), str):
        raise _Usage(f"--review-message {path}: not a Gerrit ReviewInput (a JSON object "
                     "with a message string)")
    try:
        check_destination(path)
    except WriteRefused as e:
        raise _Usage(f"--review-message {path}: {e}") from None
    return doc


def _write_review(path: str, doc: Dict[str, Any], diffs: Sequence[PlanDiff]) -> None:
    """The review summary (every family's changes, each value escaped on its own) after the
    message's own lines; the file is left alone when the deploy does not change and nothing
    is wrong."""
    text = summary(diffs, markdown=False)
    if not text:
        return
    message = doc.get("message", "")
    doc["message"] = (message.rstrip("\n") + "\n\n" if message else "") + text.rstrip("\n")
    try:
        write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    except (OSError, WriteRefused) as e:
        raise _Usage(f"--review-message {path}: cannot write: "
                     f"{getattr(e, 'strerror', None) or e}") from None


class _Run:
    """One engine run over the files of a plan (the working tree, or a revision)."""

    def __init__(self, result: RunResult, stops: Dict[str, Finding]) -> None:
        self.models = {m.path: m for m in result.models}
        self.results = {r.path: r for r in result.results}
        # the verdicts of every file of this run (a family's parts may span files)
        self.all_verdicts: Mapping[str, Sequence[Finding]] = {
            p: r.findings for p, r in self.results.items()}
        self.stops = stops  # path -> the MW001/MW003 finding that stopped it
        self.existed: Set[str] = set(self.results)
        self.unreadable: Dict[str, str] = {}

    def verdicts(self, path: str) -> Tuple[Finding, ...]:
        r = self.results.get(path)
        return tuple(r.findings) if r is not None else ()

    def family_plans(self, path: str, options: PlanOptions) -> Dict[str, FamilyPlan]:
        model = self.models.get(path)
        if model is None:
            return {}
        options = options._replace(verdicts=self.all_verdicts)
        out = {}
        for family in planners():
            fp = family.plan(model, self.verdicts(path), options)
            if fp is not None:
                out[family.name] = fp
        return out

    def side(self, path: str, plans: Dict[str, FamilyPlan]) -> PlanSide:
        refused = tuple(x for fp in plans.values() for x in fp.refusals)
        return PlanSide(tuple(dict.fromkeys(refused)), side_errors(self.verdicts(path)),
                        bool(plans))


def _side(files: Sequence[str], settings: Settings, settings_for: Callable[[str], Settings],
          report_path: Optional[str], reader: Optional[Reader] = None) -> _Run:
    stops: Dict[str, Finding] = {}

    def on_stop(f: Finding) -> None:
        stops.setdefault(f.path, f)

    result = run_engine(settings, files, RunOptions(
        settings_for=settings_for, reports=[report_path] if report_path else (),
        scope="check", keep_models=True, on_stop=on_stop), reader=reader)
    return _Run(result, stops)


def _side_at(files: Sequence[str], rev: str, settings: Settings,
             settings_for: Callable[[str], Settings], report_path: Optional[str]) -> _Run:
    """The files as they are at git revision ``rev``, linted and modelled by the same run:
    a file not in ``rev`` is left out. Each old version is streamed with the size cap."""
    data: Dict[str, Optional[bytes]] = {}
    for path in files:
        s = settings_for(path) if settings_for is not None else settings
        try:
            data[path] = read_at_revision(path, rev, s.max_file_size)
        except GitError as e:
            raise _Usage(str(e)) from None
    present = [p for p in files if data[p] is not None]
    unreadable: Dict[str, str] = {}

    extra = bool(extra_markers())  # a registered family: its files hold its markers

    def reader(path: str, display: str, max_size: int) -> Outcome:
        outcome = read_bytes(data[path] or b"", display, max_size, force=extra)
        if extra and isinstance(outcome, SourceText) and not any_marker(outcome.text):
            return None  # the pre-filter of every family, as the working tree's read
        if isinstance(outcome, InputProblem):
            unreadable[path] = outcome.message
            return None  # not a stop of the working tree's kind: reported as "at REV"
        return outcome

    side = _side(present, settings, settings_for, report_path, reader)
    side.existed = set(present)
    side.unreadable = unreadable
    return side


__all__: List[str] = ["run", "parser"]
