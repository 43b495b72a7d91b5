"""Configuration: ``.mwlint.toml`` / ``[tool.mwlint]`` files found per linted file, the
command line on top, and the linted repository's Puppet types.

Library use::

    from mwlint.config import ConfigResolver
    settings = ConfigResolver().settings_for("hieradata/role/common/deployment_server/kubernetes.yaml")

Nothing here is imported by a run that does not need it: TOML is parsed only when a config
file exists.
"""

from __future__ import annotations

from mwlint.config.files import ConfigError as ConfigError  # the command line's import
from mwlint.config.files import read_config  # noqa: F401
from mwlint.config.resolve import ConfigResolver, Resolved  # noqa: F401
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import FrozenSet, Iterable, Set

if TYPE_CHECKING:  # the command line's types; a library use never imports argparse
    import argparse

# Command-line flags that set a config key: argparse attribute -> Settings attribute. A flag
# given on the command line replaces the same key of every config file.
CLI_FLAGS = (
    ("select", "select"),
    ("ignore", "ignore"),
    ("fail_on", "fail_on"),
    ("default_clusters", "default_clusters"),
    ("default_dir", "default_dir"),
    ("known_kinds", "known_kinds"),
    ("known_dirs", "known_dirs"),
    ("require_mw_kind", "require_mw_kind"),
    ("deployment_charts", "deployment_charts"),
    ("max_file_size", "max_file_size"),
    ("unsafe_fixes", "unsafe_fixes"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The configuration, suppression and baseline options of ``mwlint check``."""
    g = parser.add_argument_group("configuration")
    g.add_argument("--config", metavar="PATH",
                   help="use this TOML file (mwlint's keys at the top level, as in "
                        ".mwlint.toml, or in a [tool.mwlint] table) instead of discovering "
                        "one per linted file")
    g.add_argument("--isolated", action="store_true",
                   help="ignore all config files and Puppet type files")
    g.add_argument("--show-settings", action="store_true",
                   help="print the settings that apply to each PATH and where each comes "
                        "from, then exit")
    g.add_argument("--no-suppressions", action="store_true",
                   help="ignore inline '# mwlint: disable=...' comments")
    g.add_argument("--baseline", metavar="FILE",
                   help="hide the findings recorded in FILE (stale entries are MW005)")
    g.add_argument("--write-baseline", metavar="FILE",
                   help="record the current findings in FILE and exit 0")


def explicit_fields(args: argparse.Namespace) -> FrozenSet[str]:
    """The Settings attributes the command line set explicitly."""
    out: Set[str] = set()
    for attr, field in CLI_FLAGS:
        value = getattr(args, attr, None)
        if value is None or value == [] or value is False or value == "":
            continue
        out.add(field)
    return frozenset(out)


def resolver_from_args(args: argparse.Namespace, cli_settings: Settings) -> ConfigResolver:
    """The resolver for one ``mwlint check`` run. Raises :class:`ConfigError`."""
    if getattr(args, "no_suppressions", False):
        cli_settings.suppressions = False
    return ConfigResolver(cli_settings, explicit_fields(args),
                          config=getattr(args, "config", None),
                          isolated=bool(getattr(args, "isolated", False)),
                          extend_select=tuple(getattr(args, "extend_select", None) or ()))


def show_settings(resolver: ConfigResolver, paths: Iterable[str]) -> str:
    import os

    from mwlint.config.show import render

    return "\n".join(render(p, resolver.resolve(p, is_dir=os.path.isdir(p))) for p in paths)
