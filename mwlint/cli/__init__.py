"""Command line: wires arguments to the pipeline (:mod:`mwlint.engine`) and the formatters.

Exit status: 0 nothing at or above the threshold, 1 findings, 2 usage error / missing path /
bad config / internal error (one line on stderr; a traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import io
import os
import sys

from mwlint import __version__
from mwlint.config import ConfigError, resolver_from_args, show_settings
from mwlint.config import add_arguments as _add_config_options
from mwlint.settings import Settings, parse_size
from mwlint.source.bounded import read_stream
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

if TYPE_CHECKING:  # loaded where they are used, not at start-up
    from mwlint.config.resolve import ConfigResolver
    from mwlint.engine import Listings, Reader, RunResult
    from mwlint.findings import Finding
    from mwlint.formats.output import OutputSpec
    from mwlint.rules.base import Rule
    from mwlint.suppress.baseline import Baseline

COMMANDS = ("check", "rule", "check-report", "plan", "server")

# What `mwlint --help` says of each command (the order is the one a new user needs).
_COMMAND_HELP = (
    ("check", "lint hiera files or directories (the default command)"),
    ("rule", "explain one rule (`mwlint rule MW201`), or list them all"),
    ("plan", "what scap would do with a config, stage by stage"),
    ("check-report", "check build reports (report.json), and configs against them"),
    ("server", "language server for editors, over stdio (needs mwlint[lsp])"),
)
FAIL_ON = ("error", "warning", "info")
# how the path - is shown without --stdin-filename (the engine's name for it)
STDIN_NAME = "<stdin>"


class _UsageExit(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def write_stdout(text: str) -> None:
    """Write (and flush) what a command prints: a full disk or a failing device under
    stdout is a one-line error here, not a traceback or a lost report at exit."""
    if sys.stdout is None:  # file descriptor 1 closed (mwlint >&-)
        raise _UsageExit("stdout is closed: nowhere to write the output")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        _drop_stdout()
        raise _UsageExit(f"cannot write to stdout: {e.strerror or e}") from None


def _drop_stdout() -> None:
    """Point the process's stdout at /dev/null, so the interpreter's flush at exit does not
    fail again on what is still buffered."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return  # a stream set by the caller (tests, a library user): theirs to handle
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized as shutil.get_terminal_size would without importing
    shutil: argparse builds one per option, so every run paid for that import."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: Optional[int] = None) -> None:
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        stream = sys.__stdout__  # None when file descriptor 1 was closed at start-up
        try:
            columns = os.get_terminal_size(stream.fileno()).columns if stream else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _TopFormatter(_Formatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the command list of ``mwlint --help`` as written."""


class _Parser(argparse.ArgumentParser):
    """The parser of every sub-command: a usage error is one ``mwlint: error: ...`` line
    (exit 2) in the same words whichever command raised it, and a misspelt option gets a
    did-you-mean."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise _UsageExit(usage_message(message))

    def parse_args(self, args: Optional[Sequence[str]] = None,  # type: ignore[override]
                   namespace: Optional[argparse.Namespace] = None) -> argparse.Namespace:
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(unrecognised(self, extras))
        return ns

    def parse_intermixed_args(self, args: Optional[Sequence[str]] = None,  # type: ignore[override]
                              namespace: Optional[argparse.Namespace] = None
                              ) -> argparse.Namespace:
        ns, extras = self.parse_known_intermixed_args(args, namespace)
        if extras:
            self.error(unrecognised(self, extras))
        return ns


def usage_message(message: str) -> str:
    """argparse's message in the form every command uses: ``--format: unknown format ...``
    rather than ``argument --format: ...`` (the flag first, as in mwlint's own checks)."""
    import re

    m = re.match(r"argument ([^:\s/]+)(?:/([^:\s]+))?: ", message)
    if m is None:
        return message
    flags = [f for f in (m.group(1), m.group(2)) if f]
    flag = next((f for f in flags if f.startswith("--")), flags[0])
    return f"{flag}: {message[m.end():]}"


def unrecognised(parser: argparse.ArgumentParser, extras: Sequence[str]) -> str:
    """``unknown option --selct (did you mean --select?)`` for the first unknown option, or
    argparse's ``unrecognized arguments: ...`` for stray words."""
    options = [o for o in extras if o.startswith("-") and o != "-"]
    if not options:
        return "unrecognized arguments: " + " ".join(_clip(w) for w in extras[:3]) \
            + (f" and {len(extras) - 3} more" if len(extras) > 3 else "")
    word = options[0].split("=", 1)[0]
    if len(word) > 60:  # no option is that long: no suggestion, and the line stays short
        return f"unknown option {_clip(word)}"
    # compared without the dashes, which every long option shares
    known = {flag[2:]: flag for action in parser._actions for flag in action.option_strings
             if flag.startswith("--")}
    from mwlint.suggest import closest

    guess = closest(word[2:], known) if word.startswith("--") and len(word) > 2 else None
    near = known[guess] if guess is not None else None
    hint = f" (did you mean {near}?)" if near is not None and near != word else ""
    more = len(options) - 1
    tail = f" (and {more} more unknown option{'s' if more != 1 else ''})" if more else ""
    return f"unknown option {word}{hint}{tail}"


def choice(what: str, choices: Sequence[str]) -> Callable[[str], str]:
    """An argparse ``type`` for one of ``choices``: a value that is none of them is a
    one-line usage error with did-you-mean and the valid values."""

    def convert(value: str) -> str:
        if value in choices:
            return value
        from mwlint.suggest import unknown_value

        raise argparse.ArgumentTypeError(unknown_value(what, value, choices))

    return convert


def _csv(value: str) -> Tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


# One definition of every option the commands share: name -> (flags, argparse keywords).
# ``add_options(parser, names)`` adds them; a command overrides a keyword only where its
# meaning differs (plan's --format takes fewer formats).
OPTIONS: Dict[str, Tuple[Tuple[str, ...], Dict[str, Any]]] = {
    "format": (("--format",), dict(
        default="text", metavar="FORMAT",
        help="what goes to stdout: text (default), json, sarif, junit, github, gerrit, "
             "html or gitlab")),
    "output": (("--output",), dict(
        action="append", default=[], metavar="FORMAT=PATH",
        help="also write FORMAT to PATH (atomically); repeatable")),
    "root": (("--root",), dict(
        metavar="DIR",
        help="repository root for the paths in sarif/junit/github/gerrit/gitlab (default: the git "
             "top level of each file)")),
    "select": (("--select",), dict(
        action="append", default=[], metavar="CODES",
        help="codes, prefixes (MW2) or names; replaces the default set")),
    "extend-select": (("--extend-select",), dict(
        action="append", default=[], metavar="CODES",
        help="codes, prefixes or names to add to the selection (the config's or --select's)")),
    "ignore": (("--ignore",), dict(
        action="append", default=[], metavar="CODES",
        help="codes, prefixes or names to leave out")),
    "fail-on": (("--fail-on",), dict(
        type=choice("level", FAIL_ON), default=None, metavar="LEVEL",
        help="failure threshold: error (default), warning or info")),
    "exit-zero": (("--exit-zero",), dict(
        action="store_true",
        help="exit 0 even when findings reach the failure threshold (usage errors still "
             "exit 2)")),
    "statistics": (("--statistics",), dict(
        action="store_true",
        help="print how many findings each rule has (and how many are fixable) instead of "
             "the findings; text, or json with --format json")),
    "show-fixes": (("--show-fixes",), dict(
        action="store_true",
        help="after the findings, list the fixes --fix applied (or would apply), per file "
             "and rule")),
    "quiet": (("-q", "--quiet"), dict(
        action="store_true",
        help="print the findings and nothing else: no summary line, no notes or warnings "
             "on stderr")),
    "stdin-filename": (("--stdin-filename",), dict(
        metavar="NAME", help="with the path -, lint stdin as NAME (default: <stdin>, a "
                             "hiera file)")),
    "report": (("--report",), dict(
        metavar="REPORT",
        help="also cross-check against a build report (report.json): MW4xx")),
    "show-source": (("--show-source",), dict(
        dest="show_source", action="store_true", default=None,
        help="source line and caret under each finding (default: on a terminal)")),
    "no-show-source": (("--no-show-source",), dict(dest="show_source", action="store_false")),
    "concise": (("--concise",), dict(
        action="store_true",
        help="text format: one line per finding (no help line, no source)")),
    "gerrit-comments": (("--gerrit-comments",), dict(
        type=choice("mode", ("robot", "plain")), default="robot", metavar="MODE",
        help="gerrit format: a fix as a robot comment's fix suggestion (robot, default) or as a "
             "suggested-edit block in a plain comment (plain, Gerrit 3.10)")),
    "gerrit-files": (("--gerrit-files",), dict(
        metavar="LIST",
        help="gerrit format: comment only on these files (the change's, repository-relative, "
             "one a line or NUL-separated); count the others in the message")),
    "fix": (("--fix",), dict(
        action="store_true",
        help="apply the safe automatic fixes, then report what remains")),
    "diff": (("--diff",), dict(
        action="store_true", help="print the automatic fixes as a unified diff; write nothing")),
    "unsafe-fixes": (("--unsafe-fixes",), dict(
        action="store_true", help="with --fix or --diff, also apply the unsafe fixes (guesses "
                                  "such as a did-you-mean)")),
    "version": (("--version",), dict(action="store_true", help="print the version and exit")),
    "debug": (("--debug",), dict(action="store_true",
                                 help="show tracebacks of internal errors")),
    # rule options
    "default-clusters": (("--default-clusters",), dict(
        type=_csv, metavar="A,B",
        help="default cluster set (default: scap::k8s_deployments.clusters of the same "
             "file, else eqiad,codfw)")),
    "default-dir": (("--default-dir",), dict(metavar="DIR",
                                             help="default helmfile dir (services)")),
    "known-kinds": (("--known-kinds",), dict(
        type=_csv, metavar="A,B",
        help="image kinds the builder produces (image,debug-image,cli-image)")),
    "known-dirs": (("--known-dirs",), dict(type=_csv, metavar="A,B",
                                           help="allowed helmfile dirs")),
    "require-mw-kind": (("--require-mw-kind",), dict(
        action="store_true", default=None,
        help="every release needs an explicit effective mw_kind")),
    "deployment-charts": (("--deployment-charts",), dict(
        metavar="PATH",
        help="an operations/deployment-charts checkout to check helmfiles against")),
    "max-file-size": (("--max-file-size",), dict(
        metavar="SIZE", help="bytes, or with K/M (default 10M)")),
}
# the options of a check run that go to stdout or files
RUN_OPTIONS = ("format", "output", "root", "select", "ignore", "fail-on")
RENDER_OPTIONS = ("show-source", "no-show-source", "concise", "gerrit-comments", "gerrit-files")
# what ruff's users reach for (check and check-report; check adds --show-fixes)
HABIT_OPTIONS = ("extend-select", "exit-zero", "statistics", "quiet")
RULE_OPTIONS = ("default-clusters", "default-dir", "known-kinds", "known-dirs",
                "require-mw-kind", "deployment-charts", "max-file-size")


def add_options(p: argparse._ActionsContainer, names: Sequence[str],
                **overrides: Dict[str, Any]) -> None:
    """Add the shared options ``names`` to ``p`` (a parser or an argument group);
    ``overrides[name]``: keywords that replace the table's for this command."""
    for name in names:
        flags, kwargs = OPTIONS[name]
        p.add_argument(*flags, **{**kwargs, **overrides.get(name.replace("-", "_"), {})})


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    add_options(p.add_argument_group("rule options"), RULE_OPTIONS)


def _clip(word: str) -> str:
    """A word from the command line as an error line quotes it: a long one clipped to its
    first 30 characters and its length (the line stays short)."""
    if len(word) <= 40:
        return word
    return f"{word[:30]}\u2026 ({len(word):,} characters)"


def _check_parser(prog: str = "mwlint") -> argparse.ArgumentParser:
    """The options of ``check``. As ``mwlint`` (no command named) its help also lists the
    commands; as ``mwlint check`` it is the command's own."""
    about = "Lint the MediaWiki-on-Kubernetes deployments hiera (mw_releases / mw_deployments)."
    if prog == "mwlint":
        width = max(len(name) for name, _ in _COMMAND_HELP) + 2
        lines = ["Lint the MediaWiki-on-Kubernetes deployments hiera",
                 "(mw_releases / mw_deployments).", "", "commands:"]
        lines += [f"  {name:<{width}}{text}" for name, text in _COMMAND_HELP]
        lines += ["", "The options below are check's; `mwlint COMMAND --help` shows another "
                      "command's."]
        p = _Parser(prog=prog, usage="%(prog)s [check] [OPTIONS] [PATH ...]\n"
                                     "       %(prog)s {rule,plan,check-report} ...",
                    description="\n".join(lines), formatter_class=_TopFormatter)
    else:
        p = _Parser(prog=prog, usage="%(prog)s [OPTIONS] [PATH ...]", description=about)
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or directories (default: .); - reads stdin")
    p.add_argument("--files-from", metavar="LIST",
                   help="also lint the paths listed in LIST (one a line, or NUL-separated): "
                        "for lists too long for a command line")
    add_options(p, RUN_OPTIONS + ("stdin-filename", "report") + RENDER_OPTIONS
                + ("fix", "diff", "unsafe-fixes", "version", "debug") + HABIT_OPTIONS
                + ("show-fixes",))
    _add_rule_options(p)

    _add_config_options(p)
    return p


def _settings_from(args: argparse.Namespace) -> Settings:
    s = Settings()
    if args.select:
        s.select = tuple(args.select)
    if args.ignore:
        s.ignore = tuple(args.ignore)
    if getattr(args, "extend_select", None):
        from mwlint.rules import all_rules
        from mwlint.selection import SelectionError, expand

        try:
            expand(args.extend_select, all_rules())
        except SelectionError as e:
            raise _UsageExit(f"--extend-select: {e}") from None
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
    if getattr(args, "unsafe_fixes", False):
        s.unsafe_fixes = True
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


def _cmd_check(argv: Sequence[str], prog: str = "mwlint") -> int:
    args = _check_parser(prog).parse_args(argv)
    if args.version:
        write_stdout(f"mwlint {__version__}\n")
        return 0
    from mwlint.engine import (
        RunOptions,
        Stdin,
        UsageError,
        check_reports_exist,
        reading_from,
        reading_into,
        run,
    )
    from mwlint.selection import SelectionError, fails

    outputs = _prepare_outputs(args)
    settings = _settings_from(args)
    resolver, baseline = _configure(args, settings)
    if args.show_settings:
        try:
            text = show_settings(resolver, args.paths or ["."])
        except ConfigError as e:
            raise _UsageExit(str(e)) from None
        write_stdout(text)
        return 0
    paths = args.paths or ["."]
    if args.files_from is not None:
        from mwlint.source.path_list import read_path_list

        try:
            listed = read_path_list(args.files_from)
        except OSError as e:
            raise _UsageExit(f"--files-from {args.files_from}: {e.strerror or e}") from None
        if "-" in listed:
            raise _UsageExit(f"--files-from {args.files_from}: lists -, which only the "
                             "command line can name")
        paths = list(args.paths) + listed
        if not paths:
            raise _UsageExit(f"--files-from {args.files_from}: names no path")
    stdin_data = None
    if "-" in paths:
        # without --stdin-filename: <stdin>, a hiera file (the keys of either family are
        # found by their names), under the config files of the current directory
        stdin_data = _read_stdin(
            resolver.settings_for(args.stdin_filename or STDIN_NAME).max_file_size)
    elif args.stdin_filename:
        raise _UsageExit("--stdin-filename goes with the path -")
    _refuse_run_inputs(args, outputs, resolver, baseline, paths,
                       [args.report] if args.report else [])
    try:
        if args.report:
            check_reports_exist([args.report])
        fixing = args.fix or args.diff
        if args.fix and "-" in paths:
            raise UsageError("--fix cannot write back to stdin: use --diff with the path -")
        read: Dict[str, Optional[bytes]] = {}
        if fixing and stdin_data is not None:
            read[args.stdin_filename] = stdin_data

        def check(reader: Optional[Reader] = None,
                  stdin: Optional[bytes] = stdin_data) -> RunResult:
            return run(settings, paths, RunOptions(
                reports=[args.report] if args.report else [],
                settings_for=resolver.settings_for, baseline=baseline,
                threshold_from_files=not args.fail_on),
                Stdin(stdin, args.stdin_filename) if stdin is not None else None,
                reader=reader, on_listings=resolver.add_listings)

        result = check(reading_into(read) if fixing else None)
        before = None
        if fixing:  # the run's own findings fixed; the report: the same run on the new texts
            from mwlint.fix.command import fix_run

            first = result
            before = first.findings  # --show-fixes lists those the fixes repaired
            fixer = fix_run(first, read, resolver.settings_for, write=args.fix,
                            unsafe=args.unsafe_fixes)
            texts = fixer.sources(read)
            result = check(reading_from(texts), texts.get(args.stdin_filename, stdin_data))
            fixer.report(result.findings, _Discard() if args.quiet else None)
    except (UsageError, SelectionError, ConfigError) as e:
        raise _UsageExit(str(e)) from None
    _finish(result, resolver, settings, args.quiet)
    # the [*] marks promise what --fix does: unsafe fixes too when a file's config says so
    args.unsafe_fixes = args.unsafe_fixes or any(
        resolver.settings_for(r.path).unsafe_fixes for r in result.results if r.findings)
    if args.write_baseline:
        from mwlint.atomic_write import WriteRefused
        from mwlint.suppress.baseline import write_baseline

        try:
            n = write_baseline(args.write_baseline, result.findings)
        except WriteRefused as e:
            raise _UsageExit(f"--write-baseline {args.write_baseline}: {e}") from None
        except OSError as e:
            raise _UsageExit(f"--write-baseline: cannot write {args.write_baseline}: "
                             f"{e.strerror or e}") from None
        if not args.quiet:
            _say(f"mwlint: wrote {n} finding{'' if n == 1 else 's'} to the baseline "
                 f"{args.write_baseline}")
        return 0
    fixes = None
    if fixing:
        if args.diff:  # the diff; the exit status of the files as they are
            write_stdout(fixer.diff())
            if args.show_fixes and not args.quiet:
                from mwlint.cli.extras import applies, fixes_text

                _say_lines(fixes_text([f for f in first.findings if applies(f)], False))
            if args.exit_zero:
                return 0
            return 1 if fails(first.findings, first.fail_on) else 0
        result = fixer.annotate_run(result)
    if args.show_fixes:
        from mwlint.cli.extras import applies, fixed_findings

        fixes = fixed_findings(before, result.findings) if before is not None \
            else [f for f in result.findings if applies(f)]
    return _emit(result, settings, args, outputs, fixes)


def _configure(args: argparse.Namespace, settings: Settings
               ) -> Tuple[ConfigResolver, Optional[Baseline]]:
    """The per-file settings of this run (config files, Puppet types) and the baseline,
    both checked before anything is linted."""
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
    if sys.stdin is None:  # file descriptor 0 closed (mwlint - <&-)
        raise _UsageExit("the path - reads stdin, but stdin is closed")
    try:
        return read_stream(sys.stdin.buffer, limit)
    except OSError as e:
        raise _UsageExit(f"cannot read stdin: {e.strerror or e}") from None


# what each kind of input of a run is called when a writer would replace it
_INPUT_KINDS = ("the linted file", "the build report", "the config file",
                "the Puppet type file", "the baseline")


def _refuse_run_inputs(args: argparse.Namespace, outputs: Sequence[OutputSpec],
                       resolver: ConfigResolver, baseline: Optional[Baseline],
                       paths: Sequence[str], reports: Sequence[str]) -> None:
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

    existing: Dict[Optional[Tuple[int, int]], str] = {}
    for label, path in dests:
        ident = file_identity(path)
        if ident is not None:
            existing.setdefault(ident, label)
    if not existing:
        return
    from mwlint.engine import UsageError, discover

    listings: Listings = {}
    try:
        files = [f for f in discover(paths, listings) if f != "-"]
        resolver.add_listings(listings)
        inputs: List[Tuple[str, str]] = [(_INPUT_KINDS[0], f) for f in files]
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
        writer = existing.get(file_identity(path))
        if writer is not None:
            raise _UsageExit(f"{writer}: refusing to overwrite {kind} {path}, which this run "
                             "reads")


def _finish(result: RunResult, resolver: ConfigResolver, settings: Settings,
            quiet: bool = False) -> None:
    """Warnings from the configuration (none with ``--quiet``), and the run's failure
    threshold (the command line's, else the strictest of the linted files' configs:
    :func:`mwlint.engine.run`)."""
    if not quiet:
        for w in dict.fromkeys(resolver.warnings):
            _say(f"mwlint: warning: {w}")
    settings.fail_on = result.fail_on


def _prepare_outputs(args: argparse.Namespace) -> List[OutputSpec]:
    """Check --format, --output and --root before anything is linted."""
    from mwlint.formats import FORMATS, unavailable

    if args.format not in FORMATS:
        from mwlint.suggest import unknown_value

        raise _UsageExit(f"--format: {unknown_value('format', args.format, FORMATS)}")
    if getattr(args, "statistics", False):
        from mwlint.cli.extras import STATISTICS_FORMATS

        if args.format not in STATISTICS_FORMATS:
            raise _UsageExit(f"--statistics prints text or json, not {args.format} (--output "
                             f"{args.format}=PATH writes the findings beside it)")
    outputs: List[OutputSpec] = []
    if args.output:  # formats.output imports tempfile (and shutil): only when needed
        from mwlint.formats.output import (
            OutputError,
            check_destination,
            check_distinct,
            parse_output,
        )

        try:
            outputs = [parse_output(v, FORMATS) for v in args.output]
            for spec in outputs:
                check_destination(spec)
            check_distinct(outputs)
        except OutputError as e:
            raise _UsageExit(str(e)) from None
    for name in {args.format, *(spec.format for spec in outputs)}:
        problem = unavailable(name)
        if problem:
            raise _UsageExit(problem)
    if args.root is not None and not os.path.isdir(args.root):
        raise _UsageExit(f"--root: not a directory: {args.root}")
    args.change_files = None
    if getattr(args, "gerrit_files", None) is not None:
        from mwlint.source.path_list import read_name_list

        try:
            args.change_files = read_name_list(args.gerrit_files)
        except OSError as e:
            raise _UsageExit(f"--gerrit-files {args.gerrit_files}: "
                             f"{getattr(e, 'strerror', None) or e}") from None
    return outputs


def _gerrit_options(args: argparse.Namespace) -> Dict[str, Any]:
    return {"gerrit_comments": getattr(args, "gerrit_comments", "robot"),
            "change_files": getattr(args, "change_files", None)}


def _emit(run: RunResult, settings: Settings, args: argparse.Namespace,
          outputs: Sequence[OutputSpec], fixes: Optional[Sequence[Finding]] = None) -> int:
    """Render a run to stdout and the --output files; the exit status. ``fixes``: the
    findings --show-fixes lists (repaired by --fix, or that it would repair)."""
    from mwlint.formats import Report, render
    from mwlint.formats.terminal import use_colour
    from mwlint.selection import fails

    findings = run.findings
    failed = fails(findings, settings.fail_on)
    sources = {r.path: r.text for r in run.results if r.findings and r.text is not None}
    report = Report(findings, run.files, run.linted, settings.fail_on, sources, failed,
                    tuple(r.path for r in run.results if r.linted))
    unsafe = bool(getattr(args, "unsafe_fixes", False))  # what the [*] marks promise
    for spec in outputs:
        from mwlint.atomic_write import WriteRefused
        from mwlint.formats.output import write_atomic

        try:
            write_atomic(spec.path, render(spec.format, report, args.root,
                                           show_source=bool(args.show_source),
                                           concise=args.concise, unsafe_fixes=unsafe,
                                           **_gerrit_options(args)))
        except WriteRefused as e:
            raise _UsageExit(f"--output {spec.format}={spec.path}: {e}") from None
        except OSError as e:
            raise _UsageExit(f"--output {spec.format}={spec.path}: cannot write: "
                             f"{e.strerror or e}") from None
    quiet = getattr(args, "quiet", False)
    if getattr(args, "statistics", False):
        from mwlint.cli.extras import statistics, statistics_json, statistics_text

        rows = statistics(findings)
        if args.format == "json":
            out = statistics_json(rows)
        else:
            from mwlint.formats.text_format import summary_line

            out = statistics_text(rows) + ("" if quiet else summary_line(report) + "\n")
    else:
        show = args.show_source
        if show is None:
            show = sys.stdout is not None and sys.stdout.isatty()
        out = render(args.format, report, args.root, show_source=show,
                     colour=use_colour(sys.stdout), concise=args.concise,
                     unsafe_fixes=unsafe, **_gerrit_options(args))
        if args.format == "text" and (quiet or fixes):
            # the text format ends with its summary line: -q drops it, --show-fixes goes
            # before it (so the last line is still the verdict)
            body, _, last = out.rstrip("\n").rpartition("\n")
            body = body + "\n" if body else ""
            if quiet:
                out = body
            else:
                from mwlint.cli.extras import fixes_text

                assert fixes is not None  # (quiet or fixes), and not quiet
                out = body + fixes_text(fixes, bool(getattr(args, "fix", False))) \
                    + last + "\n"
    if fixes and not quiet and args.format != "text":
        from mwlint.cli.extras import fixes_text

        _say_lines(fixes_text(fixes, bool(getattr(args, "fix", False))))
    write_stdout(out)
    return 0 if getattr(args, "exit_zero", False) else 1 if failed else 0


def _cmd_rule(argv: Sequence[str]) -> int:
    p = _Parser(prog="mwlint rule", usage="%(prog)s [CODE|NAME] [--format text|json]",
                description="Explain one rule, or list them all with a one-line summary.")
    p.add_argument("rule", nargs="?", metavar="CODE|NAME")
    p.add_argument("--format", type=choice("format", ("text", "json")), default="text",
                   metavar="FORMAT", help="text (default) or json")
    args = p.parse_args(argv)
    from mwlint.rules import all_rules, find_rule

    if args.rule:
        r = find_rule(args.rule)
        if r is None:
            raise _UsageExit(_unknown_rule(args.rule, all_rules()))
        rules = [r]
    else:
        rules = all_rules()
    if args.format == "json":
        import json

        write_stdout(json.dumps([_rule_dict(r) for r in rules], indent=2) + "\n")
    elif args.rule:
        write_stdout(rules[0].doc())
    else:
        import textwrap

        from mwlint.docs import rule_list

        width = _list_width()
        rows = [(r.code, r.name, r.severity, bool(r.fixable and not r.unsafe_fix),
                 _first_sentence(r.summary))
                for r in rules]
        note = "[*] fixable with `mwlint --fix`. `mwlint rule CODE` explains a rule: why it " \
               "matters, an example, its fix."
        notes = textwrap.wrap(note, max(width, 20), break_on_hyphens=False) \
            if width is not None else [note]
        write_stdout("\n".join(rule_list(rows, width) + [""] + notes) + "\n")
    return 0


def _list_width() -> Optional[int]:
    """The width ``mwlint rule`` wraps its list to: $COLUMNS, else the terminal's; ``None``
    (one line per rule, whole, for grep) when stdout is no terminal and $COLUMNS is unset."""
    if os.environ.get("COLUMNS", "").strip():
        return _columns()
    stream = sys.stdout
    try:
        if stream is None or not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return _columns()


def _unknown_rule(word: str, rules: Sequence[Rule]) -> str:
    """``unknown rule 'debug': did you mean 'deprecated-debug' (MW201) or ...?``"""
    from mwlint.suggest import one_of, ranked

    by_key: Dict[str, Rule] = {}
    for r in rules:
        by_key.setdefault(r.code, r)
        by_key.setdefault(r.name, r)
    near: List[Rule] = []
    for key in ranked(word, by_key, n=len(by_key)):
        if by_key[key] not in near:
            near.append(by_key[key])
    if not near:
        return f"unknown rule {word!r} (`mwlint rule` lists them all)"
    return f"unknown rule {word!r}: did you mean " \
        + one_of([f"{r.name!r} ({r.code})" for r in near[:3]], quote=False) + "?"


def _first_sentence(text: str, limit: int = 100) -> str:
    """The summary's first sentence, clipped at a word to ``limit`` characters: the one-line
    list of ``mwlint rule`` (``mwlint rule CODE`` has the whole text)."""
    import re

    text = " ".join(text.split())
    m = re.search(r"\.(?=\s+[A-Z`])", text)
    if m:
        text = text[: m.start() + 1]
    if len(text) > limit:
        text = text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:(") + "..."
    return text


def _rule_dict(r: Rule) -> Dict[str, Any]:
    return {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
            "rationale": r.rationale, "bad": r.bad.strip("\n"), "good": r.good.strip("\n"),
            "fixable": r.fixable, "fix": r.fix, "options": list(r.options)}


def _check_not_a_command(word: str) -> None:
    """``mwlint rul``: a first argument that is no path and looks like a command, or like
    no path at all (a bare word), is a usage error that names the commands, not a missing
    path."""
    if word.startswith("-") or os.path.lexists(word):
        return  # an option, or a path: a file or directory named like a command is linted
    from mwlint.suggest import closest

    near = closest(word, COMMANDS)
    if near is not None:
        raise _UsageExit(f"{word!r} is neither a path nor a command (did you mean {near!r}?)")
    if os.sep not in word and "/" not in word and "." not in word:
        raise _UsageExit(f"{word!r} is neither a path nor a command (commands: "
                         f"{', '.join(name for name, _ in _COMMAND_HELP)})")


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        if argv and argv[0] in COMMANDS:
            cmd, rest = argv[0], argv[1:]
        else:
            if argv:
                _check_not_a_command(argv[0])
            cmd, rest = "check", argv
        if cmd == "check":
            return _cmd_check(rest, "mwlint check" if argv and argv[0] == "check" else "mwlint")
        if cmd == "rule":
            return _cmd_rule(rest)
        if cmd == "server":  # its own package: pygls loads there, only for this command
            from mwlint.server import main as serve

            return serve(rest)
        from importlib import import_module

        # the other sub-commands: ``mwlint.cli.<name with - as _>.run(argv) -> int``
        mod = import_module(f"mwlint.cli.{cmd.replace('-', '_')}")
        command: Callable[[List[str]], int] = mod.run
        return command(rest)
    except _UsageExit as e:
        _say(f"mwlint: error: {e.message}")
        return 2
    except KeyboardInterrupt:
        _say("mwlint: interrupted")
        return 2
    except BrokenPipeError:
        _drop_stdout()
        return 2
    except Exception as e:  # the contract: one line, exit 2, traceback only with --debug
        if debug:
            raise
        _say(f"mwlint: internal error: {type(e).__name__}: {e} "
             "(run with --debug for a traceback)")
        return 2


class _Discard(io.StringIO):
    """A stream that drops what it is given (stderr notes under ``--quiet``)."""

    def write(self, text: str) -> int:
        return len(text)


def _say_lines(text: str) -> None:
    """Lines already neutralised (:mod:`mwlint.cli.extras`) on stderr."""
    sys.stderr.write(text)


def _say(line: str) -> None:
    """One line on stderr. File names and values in it come from outside: neutralised, so
    they cannot move the cursor, retitle the terminal or start another line."""
    from mwlint.safe_text import neutralise

    sys.stderr.write(neutralise(line) + "\n")
