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
from typing import Dict, List, Optional, Sequence, Set

from mwlint import __version__
from mwlint.atomic_write import WriteRefused
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
from mwlint.engine import UsageError, discover
from mwlint.engine import run as run_engine
from mwlint.findings import Finding
from mwlint.formats.output import write_atomic
from mwlint.plan import PlanDiff, PlanSide, cannot_plan, diff_plans, plan_hiera, side_errors
from mwlint.plan import services as service_plan
from mwlint.plan.git import GitError, read_at_revision
from mwlint.plan.render import render
from mwlint.plan.review import summary
from mwlint.plan.supervision import diff_supervision
from mwlint.report import load_report
from mwlint.report.reader import ReadProblem
from mwlint.safe_text import neutralise
from mwlint.selection import SelectionError
from mwlint.source import InputProblem, read_bytes
from mwlint.suggest import did_you_mean

FORMATS = ("text", "json", "html", "markdown")


class _Usage(Exception):
    pass


class _Parser(_CliParser):  # check's wording of usage errors, did-you-mean for options
    def error(self, message):
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

    p.add_argument("--service", metavar="NAME",
                   help="scap deploy-service: plan only this service")
    p.add_argument("--primary-dc", metavar="DC", default=None,
                   help="scap deploy-service: the primary datacenter, deployed last in each "
                        "stage (default: eqiad)")
    add_options(p, ("format", "default-clusters", "default-dir", "deployment-charts",
                    "max-file-size"),
                format={"type": choice("format", FORMATS), "help": "text (default), json, html or markdown (with --against: the review summary)"})
    p.add_argument("--config", metavar="PATH", help="use this config file")
    p.add_argument("--isolated", action="store_true", help="ignore all config files")
    add_options(p, ("debug",))
    return p


def _settings(args):
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


def _report(path: Optional[str], settings):
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
    review = _read_review(args.review_message) if args.review_message else None
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
    report = _report(args.report, settings)
    against = args.against
    try:
        # the working tree: models only for a plan; linted too for a difference (both sides
        # are, so a side scap would refuse is marked)
        now = _side(files, settings, settings_for, args.report, against is not None)
        old = _side_at(files, against, settings, settings_for, args.report) \
            if against is not None else None
    except (UsageError, SelectionError, ConfigError) as e:
        raise _Usage(str(e)) from None

    failed = False
    plans = []
    diffs = []
    for path in files:
        stop = now.stops.get(path)
        if stop is not None:
            _say(f"mwlint: {cannot_plan(stop)}")
            failed = True
            continue
        plan = now.plan(path, report, args.report)
        if old is None:
            if plan is not None:
                plans.append(plan)
            continue
        if path in old.stops:
            _say(f"mwlint: at {against}: {cannot_plan(old.stops[path])}")
            failed = True
            continue
        if path in old.unreadable:
            _say(f"mwlint: {path} at {against}: cannot plan: {old.unreadable[path]}")
            failed = True
            continue
        old_plan = old.plan(path, report, args.report)
        if plan is None and old_plan is None:
            continue
        new_side, old_side = now.side(path, plan), old.side(path, old_plan)
        failed = failed or new_side.refused
        checks = diff_supervision(old_plan.supervision if old_plan else None,
                                  plan.supervision if plan else None)
        diffs.append(PlanDiff(path, against, path in old.existed,
                              diff_plans(old_plan, plan), old_side, new_side, tuple(checks)))

    if against is not None:
        changes = _service_changes(files, now, old, args, settings)
        if not diffs and changes is None and not failed:
            _say(f"mwlint: no deployments key in the given paths, now or at {against}")
            return 1
        if review is not None:
            _write_review(args.review_message, review, diffs)
        else:
            write_stdout(_render_diff(args, diffs, changes, against))
        return 1 if failed else 0
    services = _service_plans(files, now, args, settings)
    if not plans and not services:
        if not failed:
            sys.stderr.write("mwlint: no deployments key in the given paths: nothing to "
                             "plan\n")
        return 1
    write_stdout(_render(args, plans, services))
    return 1 if failed or any(p.problems for p in plans) \
        or any(s.problem for s in services) else 0


def _service_plans(files, now: "_Run", args, settings) -> list:
    """The deploy-service plans of the run's catalogs (deploy-service.md §4)."""
    models = [now.models[p] for p in files if p in now.models]
    if not any(getattr(m, "services", None) is not None for m in models):
        if args.service is not None:
            raise _Usage(f"--service {args.service}: no service catalog in the given paths")
        return []
    plans = service_plan.plan_services(models, args.primary_dc or service_plan.DEFAULT_PRIMARY_DC,
                                       args.service,
                                       settings.deployment_charts, settings.max_file_size)
    if args.service is not None and not plans:
        names = [s.name for m in models if getattr(m, "services", None) is not None
                 for s in (m.services.services or ())]
        raise _Usage(f"--service {args.service}: no such service in the catalog"
                     f"{did_you_mean(args.service, names)}")
    return plans


def _service_changes(files, now: "_Run", old: Optional["_Run"], args, settings):
    """The deploy-service plans that differ between REV and the working tree; ``None``
    when neither side has a service catalog."""
    sides = []
    for side in (old, now):
        models = [side.models[p] for p in files if p in side.models] if side else []
        sides.append(service_plan.plan_services(
            models, args.primary_dc or service_plan.DEFAULT_PRIMARY_DC, args.service,
            settings.deployment_charts, settings.max_file_size))
    if not sides[0] and not sides[1]:
        return None
    return service_plan.diff_services(sides[0], sides[1])


def _render_diff(args, diffs, changes, rev: str) -> str:
    """The MediaWiki plan difference (as before), then the deploy-service one."""
    if args.format == "json":
        doc = json.loads(render("json", diffs=diffs))
        if changes is not None:
            doc["services"] = service_plan.diff_docs(changes)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.format == "html" or changes is None:
        return render(args.format, diffs=diffs)  # (no HTML view of the services' yet)
    out = render(args.format, diffs=diffs) if diffs else ""
    return out + ("\n" if out else "") + service_plan.diff_text(changes, rev)


def _render(args, plans, services) -> str:
    """The MediaWiki plan (as before) and the deploy-service plan after it."""
    primary = args.primary_dc or service_plan.DEFAULT_PRIMARY_DC
    assumed = (f"primary datacenter {primary}"
               + (" (the default: --primary-dc to change)" if args.primary_dc is None
                  else " (--primary-dc)"))
    if args.format == "json":
        doc = json.loads(render("json", plans)) if plans else {
            "tool": "mwlint", "version": __version__, "plans": []}
        if services:
            doc["services"] = service_plan.as_json_docs(services)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.format == "html":
        page = render("html", plans)
        if services:
            marker = '<p class="note">mwlint '
            at = page.rindex(marker)
            section = (f'<p class="note">deploy-service: {assumed}</p>'
                       + service_plan.html_section(services))
            page = page[:at] + section + page[at:]
        return page
    out = render("markdown" if args.format == "markdown" else "text", plans) if plans else ""
    if services:
        body = "\n".join(neutralise(line) for line in
                         service_plan.text(services).rstrip("\n").split("\n"))
        out += ("\n" if out else "") + f"deploy-service plan, {assumed}:\n\n{body}\n"
    return out


def _read_review(path: str) -> dict:
    """The ReviewInput ``check --output gerrit=PATH`` wrote: a JSON object whose message
    is a string."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise _Usage(f"--review-message: path does not exist: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise _Usage(f"--review-message {path}: not a readable ReviewInput "
                     f"({getattr(e, 'strerror', None) or e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("message", ""), str):
        raise _Usage(f"--review-message {path}: not a Gerrit ReviewInput (a JSON object "
                     "with a message string)")
    return doc


def _write_review(path: str, doc: dict, diffs) -> None:
    """The review summary after the message's own lines; the file is left alone when the
    deploy does not change and nothing is wrong."""
    text = summary(diffs, markdown=False)
    if not text:
        return
    text = "\n".join(neutralise(line) for line in text.rstrip("\n").split("\n"))
    message = doc.get("message", "")
    doc["message"] = (message.rstrip("\n") + "\n\n" if message else "") + text
    try:
        write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    except (OSError, WriteRefused) as e:
        raise _Usage(f"--review-message {path}: cannot write: "
                     f"{getattr(e, 'strerror', None) or e}") from None


class _Run:
    """One engine run over the files of a plan (the working tree, or a revision)."""

    def __init__(self, result, stops: Dict[str, Finding]):
        self.models = {m.path: m for m in result.models}
        self.results = {r.path: r for r in result.results}
        self.stops = stops  # path -> the MW001/MW003 finding that stopped it
        self.existed: Set[str] = set(self.results)
        self.unreadable: Dict[str, str] = {}

    def plan(self, path: str, report, report_path):
        model = self.models.get(path)
        if model is None or not model.deployments:  # only deploy-service keys: no MW plan
            return None
        return plan_hiera(model, report, report_path)

    def side(self, path: str, plan):
        r = self.results.get(path)
        return PlanSide(plan, side_errors(r.findings) if r is not None else ())


def _side(files, settings, settings_for, report_path, lint: bool, reader=None) -> _Run:
    stops: Dict[str, Finding] = {}

    def on_stop(f: Finding) -> None:
        stops.setdefault(f.path, f)

    result = run_engine(settings, files, settings_for=settings_for,
                        reports=[report_path] if lint and report_path else (),
                        scope="check" if lint else "plan", keep_models=True, reader=reader,
                        on_stop=on_stop)
    return _Run(result, stops)


def _side_at(files, rev: str, settings, settings_for, report_path) -> _Run:
    """The files as they are at git revision ``rev``, linted and modelled by the same run:
    a file not in ``rev`` is left out."""
    data: Dict[str, Optional[bytes]] = {}
    for path in files:
        try:
            data[path] = read_at_revision(path, rev)
        except GitError as e:
            raise _Usage(str(e)) from None
    present = [p for p in files if data[p] is not None]
    unreadable: Dict[str, str] = {}

    def reader(path: str, display: str, max_size: int):
        outcome = read_bytes(data[path] or b"", display, max_size)
        if isinstance(outcome, InputProblem):
            unreadable[path] = outcome.message
            return None  # not a stop of the working tree's kind: reported as "at REV"
        return outcome

    side = _side(present, settings, settings_for, report_path, True, reader)
    side.existed = set(present)
    side.unreadable = unreadable
    return side


__all__: List[str] = ["run", "parser"]
