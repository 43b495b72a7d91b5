"""Command line: wires arguments to the pipeline (:mod:`mwlint.engine`) and the formatters.

Exit status: 0 nothing at or above the threshold, 1 findings, 2 usage error / missing path /
bad config / internal error (one line on stderr; a traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence

from mwlint import __version__

COMMANDS = ("check", "rule", "check-report", "plan")


class _UsageExit(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized as shutil.get_terminal_size would without importing
    shutil: argparse builds one per option, so every run paid for that import."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # one line, exit 2
        raise _UsageExit(message)


def _csv(value: str) -> tuple:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rule options")
    g.add_argument("--default-clusters", type=_csv, metavar="A,B",
                   help="default cluster set (default: scap::k8s_deployments.clusters of the "
                        "same file, else eqiad,codfw)")
    g.add_argument("--default-dir", metavar="DIR", help="default helmfile dir (services)")
    g.add_argument("--known-kinds", type=_csv, metavar="A,B",
                   help="image kinds the builder produces (image,debug-image,cli-image)")
    g.add_argument("--known-dirs", type=_csv, metavar="A,B", help="allowed helmfile dirs")
    g.add_argument("--require-mw-kind", action="store_true", default=None,
                   help="every release needs an explicit effective mw_kind")
    g.add_argument("--deployment-charts", metavar="PATH",
                   help="an operations/deployment-charts checkout to check helmfiles against")
    g.add_argument("--max-file-size", metavar="SIZE", help="bytes, or with K/M (default 10M)")


def _check_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mwlint", description="Lint the MediaWiki-on-Kubernetes deployments "
                "hiera (mw_releases / mw_deployments).")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or directories (default: .); - reads stdin")
    p.add_argument("--format", default="text", metavar="FORMAT",
                   help="what goes to stdout: text (default), json, sarif, junit, github, "
                        "gerrit or html")
    p.add_argument("--output", action="append", default=[], metavar="FORMAT=PATH",
                   help="also write FORMAT to PATH (atomically); repeatable")
    p.add_argument("--root", metavar="DIR",
                   help="repository root for the paths in sarif/junit/github/gerrit "
                        "(default: the git top level of each file)")
    p.add_argument("--select", action="append", default=[], metavar="CODES",
                   help="codes, prefixes (MW2) or names; replaces the default set")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES",
                   help="codes, prefixes or names to leave out")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="failure threshold (default error)")
    p.add_argument("--stdin-filename", metavar="NAME", help="with the path -, lint stdin as NAME")
    p.add_argument("--report", metavar="REPORT",
                   help="also cross-check against a build report (report.json): MW4xx")
    p.add_argument("--show-source", dest="show_source", action="store_true", default=None,
                   help="source line and caret under each finding (default: on a terminal)")
    p.add_argument("--no-show-source", dest="show_source", action="store_false")
    p.add_argument("--fix", action="store_true",
                   help="apply the automatic fixes (debug -> mw_kind/stage, MW201), then "
                        "report what remains")
    p.add_argument("--diff", action="store_true",
                   help="print the automatic fixes as a unified diff; write nothing")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    _add_rule_options(p)
    from mwlint.config import add_arguments as _add_config_options

    _add_config_options(p)
    return p


def _settings_from(args):
    from mwlint.settings import Settings, parse_size

    s = Settings()
    if args.select:
        s.select = tuple(args.select)
    if args.ignore:
        s.ignore = tuple(args.ignore)
    if args.fail_on:
        s.fail_on = args.fail_on
    if args.default_clusters is not None:
        if not args.default_clusters:
            raise _UsageExit("--default-clusters needs at least one cluster name")
        s.default_clusters = args.default_clusters
    if args.default_dir:
        s.default_dir = args.default_dir
    if args.known_kinds is not None:
        s.known_kinds = args.known_kinds
    if args.known_dirs is not None:
        s.known_dirs = args.known_dirs
    if args.require_mw_kind:
        s.require_mw_kind = True
    if args.deployment_charts:
        import os

        if not os.path.isdir(args.deployment_charts):
            raise _UsageExit(f"--deployment-charts: not a directory: {args.deployment_charts}")
        s.deployment_charts = args.deployment_charts
    if args.max_file_size:
        try:
            s.max_file_size = parse_size(args.max_file_size)
        except ValueError:
            raise _UsageExit(f"--max-file-size: not a size: {args.max_file_size!r} "
                             "(bytes, or a number with K or M)") from None
    return s


def _cmd_check(argv: Sequence[str]) -> int:
    args = _check_parser().parse_args(argv)
    if args.version:
        sys.stdout.write(f"mwlint {__version__}\n")
        return 0
    from mwlint.config import ConfigError
    from mwlint.engine import UsageError, lint_paths
    from mwlint.selection import SelectionError

    outputs = _prepare_outputs(args)
    settings = _settings_from(args)
    resolver, baseline = _configure(args, settings)
    if args.show_settings:
        from mwlint.config import ConfigError, show_settings

        try:
            text = show_settings(resolver, args.paths or ["."])
        except ConfigError as e:
            raise _UsageExit(str(e)) from None
        sys.stdout.write(text)
        return 0
    paths = args.paths or ["."]
    stdin_data = None
    if "-" in paths:
        if not args.stdin_filename:
            raise _UsageExit("the path - needs --stdin-filename NAME")
        stdin_data = _read_stdin(resolver.settings_for(args.stdin_filename).max_file_size)
    elif args.stdin_filename:
        raise _UsageExit("--stdin-filename goes with the path -")
    _refuse_run_inputs(args, outputs, resolver, baseline, paths,
                       [args.report] if args.report else [])
    models = [] if args.report else None
    try:
        if args.report:
            from mwlint.report.run import check_report_paths_exist

            check_report_paths_exist([args.report])
        fixer = None
        if args.fix or args.diff:  # fix first (--diff: in memory), then lint what remains
            from mwlint.fix.command import run_fixes

            fixer = run_fixes(paths, settings, stdin_data, args.stdin_filename,
                              write=not args.diff, settings_for=resolver.settings_for)
        run = lint_paths(paths, settings, stdin_data, args.stdin_filename,
                         model_hook=models.append if models is not None else None,
                         settings_for=resolver.settings_for,
                         on_listings=resolver.add_listings)
        if args.report:
            from mwlint.report.run import add_report

            run = add_report(run, args.report, models, settings, resolver.settings_for)
    except (UsageError, SelectionError, ConfigError) as e:
        raise _UsageExit(str(e)) from None
    run = _finish(run, args, resolver, baseline, settings)
    if args.write_baseline:
        from mwlint.suppress.baseline import write_baseline

        from mwlint.atomic_write import WriteRefused

        try:
            n = write_baseline(args.write_baseline, run.findings)
        except WriteRefused as e:
            raise _UsageExit(f"--write-baseline {args.write_baseline}: {e}") from None
        except OSError as e:
            raise _UsageExit(f"--write-baseline: cannot write {args.write_baseline}: "
                             f"{e.strerror or e}") from None
        sys.stderr.write(f"mwlint: wrote {n} finding{'' if n == 1 else 's'} to the baseline "
                         f"{args.write_baseline}\n")
        return 0
    if fixer is not None:
        run = fixer.annotate_run(run)
        if args.diff:
            return fixer.emit_diff(run, settings)
    return _emit(run, settings, args, outputs)


def _configure(args, settings):
    """The per-file settings of this run (config files, Puppet types) and the baseline,
    both checked before anything is linted."""
    from mwlint.config import ConfigError, resolver_from_args

    try:
        resolver = resolver_from_args(args, settings)
    except ConfigError as e:
        raise _UsageExit(str(e)) from None
    if args.write_baseline:
        if os.path.isdir(args.write_baseline):
            raise _UsageExit(f"--write-baseline {args.write_baseline}: is a directory")
        target = os.path.dirname(os.path.abspath(args.write_baseline))
        if not os.path.isdir(target) or not os.access(target, os.W_OK):
            raise _UsageExit(f"--write-baseline: cannot write to {target}")
    baseline = None
    if args.baseline and not args.write_baseline:
        from mwlint.suppress.baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(args.baseline, settings.max_file_size)
        except BaselineError as e:
            raise _UsageExit(str(e)) from None
    return resolver, baseline


def _read_stdin(limit: int) -> bytes:
    """The path ``-``: at most ``limit + 1`` bytes of stdin (more than ``limit`` is MW003,
    as for a file), so ``< /dev/zero`` cannot fill memory."""
    from mwlint.source.bounded import read_stream

    return read_stream(sys.stdin.buffer, limit)


# what each kind of input of a run is called when a writer would replace it
_INPUT_KINDS = ("the linted file", "the build report", "the config file",
                "the Puppet type file", "the baseline")


def _refuse_run_inputs(args, outputs, resolver, baseline, paths, reports) -> None:
    """Exit 2, before anything is written, when an --output or --write-baseline PATH is a
    file this run reads: a linted file, a build report, a config or Puppet type file in
    effect, the --baseline. Compared by device and inode (``./k.yaml`` and ``k.yaml``,
    symlinks, hard links). Costs nothing when no destination exists yet."""
    dests = [(f"--output {spec.format}={spec.path}", spec.path) for spec in outputs]
    if getattr(args, "write_baseline", None):
        dests.append((f"--write-baseline {args.write_baseline}", args.write_baseline))
    if not dests:
        return
    from mwlint.atomic_write import file_identity

    existing = {}
    for label, path in dests:
        ident = file_identity(path)
        if ident is not None:
            existing.setdefault(ident, label)
    if not existing:
        return
    from mwlint.config import ConfigError
    from mwlint.engine import UsageError, discover

    listings: dict = {}
    try:
        files = [f for f in discover(paths, listings) if f != "-"]
        resolver.add_listings(listings)
        inputs = [(_INPUT_KINDS[0], f) for f in files]
        inputs += [(_INPUT_KINDS[1], r) for r in reports]
        named = files + list(reports)
        if "-" in paths and getattr(args, "stdin_filename", None):
            named.append(args.stdin_filename)  # linted with the config files of its name
        for directory in dict.fromkeys(os.path.dirname(os.path.abspath(f)) for f in named):
            resolved = resolver.resolve(directory, is_dir=True)
            inputs += [(_INPUT_KINDS[2], c) for c in resolved.files]
            if resolved.types is not None:
                inputs += [(_INPUT_KINDS[3], t) for t in resolved.types.files]
    except (UsageError, ConfigError) as e:
        raise _UsageExit(str(e)) from None
    if resolver.explicit is not None:
        inputs.append((_INPUT_KINDS[2], resolver.explicit.path))
    if baseline is not None:
        inputs.append((_INPUT_KINDS[4], baseline.path))
    for kind, path in inputs:
        label = existing.get(file_identity(path))
        if label is not None:
            raise _UsageExit(f"{label}: refusing to overwrite {kind} {path}, which this run "
                             "reads")


def _finish(run, args, resolver, baseline, settings):
    """Warnings from the configuration, the baseline, and the run's failure threshold: the
    command line's, else the strictest of the linted files' configs."""
    for w in dict.fromkeys(resolver.warnings):
        sys.stderr.write(f"mwlint: warning: {w}\n")
    if baseline is not None:
        from mwlint.suppress.baseline import apply_baseline

        run = run._replace(results=tuple(apply_baseline(run.results, baseline,
                                                        resolver.settings_for)))
    if not args.fail_on and run.results:
        from mwlint.findings import SEVERITY_RANK

        # only files with findings can fail the run
        counted = [r for r in run.results if r.findings] or run.results
        levels = {resolver.settings_for(r.path).fail_on for r in counted}
        settings.fail_on = min(levels, key=SEVERITY_RANK.__getitem__)
    return run


def _prepare_outputs(args) -> list:
    """Check --format, --output and --root before anything is linted."""
    from mwlint.formats import FORMATS, unavailable

    if args.format not in FORMATS:
        raise _UsageExit(f"--format: unknown format {args.format!r} "
                         f"(choose from {', '.join(FORMATS)})")
    outputs = []
    if args.output:  # formats.output imports tempfile (and shutil): only when needed
        from mwlint.formats.output import OutputError, check_destination, parse_output

        try:
            outputs = [parse_output(v, FORMATS) for v in args.output]
            for spec in outputs:
                check_destination(spec)
        except OutputError as e:
            raise _UsageExit(str(e)) from None
    for name in {args.format, *(spec.format for spec in outputs)}:
        if unavailable(name):
            raise _UsageExit(unavailable(name))
    if args.root is not None and not os.path.isdir(args.root):
        raise _UsageExit(f"--root: not a directory: {args.root}")
    return outputs


def _emit(run, settings, args, outputs) -> int:
    """Render a run to stdout and the --output files; the exit status."""
    from mwlint.formats import Report, render
    from mwlint.formats.terminal import use_colour
    from mwlint.selection import fails

    findings = run.findings
    failed = fails(findings, settings.fail_on)
    sources = {r.path: r.text for r in run.results if r.findings and r.text is not None}
    report = Report(findings, run.files, run.linted, settings.fail_on, sources, failed,
                    tuple(r.path for r in run.results if r.linted))
    for spec in outputs:
        from mwlint.atomic_write import WriteRefused
        from mwlint.formats.output import write_atomic

        try:
            write_atomic(spec.path, render(spec.format, report, args.root,
                                           show_source=bool(args.show_source)))
        except WriteRefused as e:
            raise _UsageExit(f"--output {spec.format}={spec.path}: {e}") from None
        except OSError as e:
            raise _UsageExit(f"--output {spec.format}={spec.path}: cannot write: "
                             f"{e.strerror or e}") from None
    show = args.show_source
    if show is None:
        show = sys.stdout.isatty()
    out = render(args.format, report, args.root, show_source=show,
                 colour=use_colour(sys.stdout))
    sys.stdout.write(out)
    return 1 if failed else 0


def _cmd_rule(argv: Sequence[str]) -> int:
    p = _Parser(prog="mwlint rule", description="Explain one rule, or list them all.")
    p.add_argument("rule", nargs="?", metavar="CODE|NAME")
    p.add_argument("--format", choices=("text", "json"), default="text")
    args = p.parse_args(argv)
    from mwlint.rules import all_rules, find_rule

    if args.rule:
        r = find_rule(args.rule)
        if r is None:
            from mwlint.suggest import did_you_mean

            names = [x.code for x in all_rules()] + [x.name for x in all_rules()]
            raise _UsageExit(f"unknown rule {args.rule!r}" + did_you_mean(args.rule, names))
        rules = [r]
    else:
        rules = all_rules()
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([_rule_dict(r) for r in rules], indent=2) + "\n")
    elif args.rule:
        sys.stdout.write(rules[0].doc())
    else:
        for r in rules:
            fix = "fixable" if r.fixable else ""
            sys.stdout.write(f"{r.code}  {r.name:<28} {r.severity:<8} {fix}\n")
    return 0


def _rule_dict(r) -> dict:
    return {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
            "rationale": r.rationale, "bad": r.bad.strip("\n"), "good": r.good.strip("\n"),
            "fixable": r.fixable, "fix": r.fix, "options": list(r.options)}


def main(argv: Optional[List[str]] = None) -> int:
    if argv is None:  # the process's own run (console script, python -m), not a library call
        import atexit
        import gc

        # What is alive at exit dies with the process: without this, the collector's final
        # passes traverse every node and model object again (seconds on a large config).
        atexit.register(gc.freeze)
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        if argv and argv[0] in COMMANDS:
            cmd, rest = argv[0], argv[1:]
        else:
            cmd, rest = "check", argv
        if cmd == "check":
            return _cmd_check(rest)
        if cmd == "rule":
            return _cmd_rule(rest)
        from importlib import import_module

        mod = import_module(f"mwlint.commands.{cmd.replace('-', '_')}")
        return mod.run(rest)
    except _UsageExit as e:
        sys.stderr.write(f"mwlint: error: {e.message}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("mwlint: interrupted\n")
        return 2
    except BrokenPipeError:
        return 2
    except Exception as e:  # the contract: one line, exit 2, traceback only with --debug
        if debug:
            raise
        sys.stderr.write(f"mwlint: internal error: {type(e).__name__}: {e} "
                         "(run with --debug for a traceback)\n")
        return 2
