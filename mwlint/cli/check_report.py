"""``mwlint check-report REPORT... [--hiera PATH]...``: validate build reports, and the
deployments in the hiera paths against each of them.

Each report is checked on its own (MW003, MW401, MW405, MW406 in the report file;
MW402–MW404 at the hiera node that sets the missing value, once per report). The hiera
paths are linted with MW0xx and MW101 only: the cross-check needs a model of the config,
not a full lint (``mwlint check --report`` runs everything). Without ``--hiera`` only the
reports' shape is checked. Output formats and exit status are those of ``check``.
"""

from __future__ import annotations

import argparse

from mwlint.cli import (
    HABIT_OPTIONS,
    RENDER_OPTIONS,
    RUN_OPTIONS,
    _add_rule_options,
    _check_parser,
    _configure,
    _emit,
    _finish,
    _Parser,
    _prepare_outputs,
    _refuse_run_inputs,
    _settings_from,
    _UsageExit,
    add_options,
)
from mwlint.config import ConfigError
from mwlint.engine import RunOptions, UsageError
from mwlint.engine import run as run_engine
from mwlint.selection import SelectionError
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Sequence


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="mwlint check-report",
                description="Validate image build reports (report.json), and the deployments "
                            "config in the --hiera paths against each of them (what scap "
                            "looks up after the build).")
    p.add_argument("reports", nargs="+", metavar="REPORT", help="build report(s), JSON")
    p.add_argument("--hiera", action="append", default=[], metavar="PATH",
                   help="hiera file or directory (or a rendered mediawiki-deployments.yaml) "
                        "to check against each report; repeatable, one path each")
    add_options(p, RUN_OPTIONS + RENDER_OPTIONS + ("debug",) + HABIT_OPTIONS,
                root={"help": "repository root for the paths in sarif/junit/github/gerrit"},
                select={"help": "codes, prefixes (MW4) or names; replaces the default set"})
    _add_rule_options(p)
    g = p.add_argument_group("configuration")
    g.add_argument("--config", metavar="PATH",
                   help="use this config file instead of discovering one per file")
    g.add_argument("--isolated", action="store_true", help="ignore all config files")
    g.add_argument("--no-suppressions", action="store_true",
                   help="ignore inline '# mwlint: disable=...' comments")
    return p


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_intermixed_args(list(argv))
    # Every option of check that check-report does not take keeps check's default, so the
    # shared helpers see the attributes they expect.
    merged = _check_parser().parse_args([])
    for name, value in vars(args).items():
        setattr(merged, name, value)
    outputs = _prepare_outputs(merged)
    settings = _settings_from(merged)
    resolver, _baseline = _configure(merged, settings)
    _refuse_run_inputs(merged, outputs, resolver, None, args.hiera, args.reports)

    try:
        # the hiera paths with the rules the cross-check needs (MW0xx, MW101), then every
        # report on its own against their models
        result = run_engine(settings, args.hiera, RunOptions(
            reports=args.reports, scope="report", settings_for=resolver.settings_for,
            threshold_from_files=not args.fail_on))
    except (UsageError, SelectionError, ConfigError) as e:
        raise _UsageExit(str(e)) from None
    _finish(result, resolver, settings, args.quiet)
    return _emit(result, settings, merged, outputs)
