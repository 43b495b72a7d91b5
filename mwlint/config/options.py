"""The configuration keys: one declaration per key, with its type check and conversion.

Every key of ``.mwlint.toml`` / ``[tool.mwlint]`` is declared here; the loader rejects
anything else (with did-you-mean), so a typo in a config is caught, not silently ignored.
Each option converts its TOML value to the :class:`mwlint.settings.Settings` attribute it sets,
or raises :class:`OptionError` with the reason.
"""

from __future__ import annotations

import os
import re

from mwlint.findings import SEVERITIES
from mwlint.rules import catalogue
from mwlint.rules.base import Named
from mwlint.selection import SelectionError, expand
from mwlint.settings import parse_size
from mwlint.suggest import closest, did_you_mean
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

KEY_LEVELS = ("top", "entry", "release")


class OptionError(ValueError):
    """A bad value; ``key`` is a sub-key (``severity.MW204``) when the problem is inside a
    table."""

    def __init__(self, reason: str, key: Optional[str] = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key


class Context(NamedTuple):
    """Where a value comes from: relative paths are resolved against ``base_dir``."""

    base_dir: str


class Option(NamedTuple):
    key: str  # as written in TOML (kebab-case)
    attr: str  # the Settings attribute, or "" for keys that are not one setting
    convert: Callable[[object, Context], object]
    help: str


# -- value checks ------------------------------------------------------------------------

def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _str(value: object, ctx: Context, nonempty: bool = True) -> str:
    if not isinstance(value, str):
        raise OptionError(f"expected a string, got {_type_name(value)}")
    if nonempty and not value.strip():
        raise OptionError("expected a non-empty string")
    return value


def _str_list(value: object, ctx: Context, nonempty_list: bool = False) -> Tuple[str, ...]:
    if not isinstance(value, list):
        raise OptionError(f"expected an array of strings, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str):
            raise OptionError(f"expected an array of strings, found {_type_name(item)} "
                              f"{item!r}")
        if not item.strip():
            raise OptionError("expected an array of non-empty strings, found ''")
    if nonempty_list and not value:
        raise OptionError("expected at least one name")
    return tuple(value)


def _rules() -> Sequence[Named]:
    return catalogue()


def check_codes(items: Iterable[str], what: str = "rule") -> Tuple[str, ...]:
    """Codes, prefixes (``MW2``), rule names or ``ALL``; raises :class:`OptionError` for
    anything that names no rule."""
    try:
        expand(items, _rules())
    except SelectionError as e:
        raise OptionError(str(e)) from None
    return tuple(items)


def _codes(value: object, ctx: Context) -> Tuple[str, ...]:
    return check_codes(_str_list(value, ctx))


def _fail_on(value: object, ctx: Context) -> str:
    v = _str(value, ctx)
    if v not in SEVERITIES:
        raise OptionError(f"expected one of error, warning, info, got {v!r}"
                          + did_you_mean(v, SEVERITIES))
    return v


def _severity(value: object, ctx: Context) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise OptionError(f"expected a table of code = severity, got {_type_name(value)}")
    out: Dict[str, str] = {}
    for code, sev in value.items():
        try:
            check_codes([code])
            level = _fail_on(sev, ctx)
        except OptionError as e:
            raise OptionError(e.reason, f"severity.{code}") from None
        for c in sorted(expand([code], _rules())):
            out[c] = level
    return out


def _per_file_ignores(value: object, ctx: Context) -> Tuple[Tuple[str, str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise OptionError(f"expected a table of \"glob\" = [codes], got {_type_name(value)}")
    out: List[Tuple[str, str, Tuple[str, ...]]] = []
    for pattern, codes in value.items():
        try:
            if not pattern.strip():
                raise OptionError("an empty glob")
            out.append((ctx.base_dir, pattern, _codes(codes, ctx)))
        except OptionError as e:
            raise OptionError(e.reason, f"per-file-ignores.{quote_key(pattern)}") from None
    return tuple(out)


def _bool(value: object, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"expected true or false, got {_type_name(value)}")
    return value


def _directory(value: object, ctx: Context) -> str:
    v = _str(value, ctx)
    path = os.path.normpath(os.path.join(ctx.base_dir, os.path.expanduser(v)))
    if not os.path.isdir(path):
        raise OptionError(f"not a directory: {path}")
    return path


def _size(value: object, ctx: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OptionError(f"expected a size (bytes, or a string such as \"10M\"), got "
                          f"{_type_name(value)}")
    if isinstance(value, int):
        if value < 0:
            raise OptionError("expected a size, got a negative number")
        return value
    try:
        return parse_size(value)
    except ValueError:
        raise OptionError(f"not a size: {value!r} (bytes, or a number with K or M)") from None


def _pattern(value: object, ctx: Context) -> str:
    v = _str(value, ctx)
    try:
        re.compile(v)
    except re.error as e:
        raise OptionError(f"not a valid regular expression: {e}") from None
    return v


def _dir_name(value: object, ctx: Context) -> str:
    return _str(value, ctx)


def _extra_keys(value: object, ctx: Context) -> Dict[str, Tuple[str, ...]]:
    if not isinstance(value, dict):
        raise OptionError("expected a table such as {entry = [\"owner\"], release = [\"note\"]},"
                          f" got {_type_name(value)}")
    out: Dict[str, Tuple[str, ...]] = {}
    for level, keys in value.items():
        if level not in KEY_LEVELS:
            raise OptionError(f"unknown level {level!r}, expected top, entry or release"
                              + did_you_mean(level, KEY_LEVELS), f"extra-keys.{level}")
        try:
            out[level] = _str_list(keys, ctx)
        except OptionError as e:
            raise OptionError(e.reason, f"extra-keys.{level}") from None
    return out


OPTIONS: Tuple[Option, ...] = (
    Option("select", "select", _codes,
           "codes, prefixes (MW2) or rule names to run; replaces the default set (all)"),
    Option("ignore", "ignore", _codes, "codes, prefixes or rule names to leave out"),
    Option("fail-on", "fail_on", _fail_on, "failure threshold: error, warning or info"),
    Option("severity", "severity", _severity, "table of code = severity overrides"),
    Option("per-file-ignores", "", _per_file_ignores,
           "table of \"glob\" = [codes]; globs are relative to the config file's directory"),
    Option("default-clusters", "default_clusters",
           lambda v, c: _str_list(v, c, nonempty_list=True),
           "default cluster set (else scap::k8s_deployments.clusters, else eqiad, codfw)"),
    Option("default-dir", "default_dir", _dir_name, "default helmfile dir (services)"),
    Option("known-kinds", "known_kinds", _str_list, "image kinds the builder produces"),
    Option("known-dirs", "known_dirs", _str_list, "allowed helmfile dirs"),
    Option("require-mw-kind", "require_mw_kind", _bool,
           "every release needs an explicit effective mw_kind"),
    Option("deployment-charts", "deployment_charts", _directory,
           "a deployment-charts checkout (relative to the config file)"),
    Option("max-file-size", "max_file_size", _size, "bytes, or a string with K or M"),
    Option("mw-flavour-pattern", "mw_flavour_pattern", _pattern,
           "regular expression for mw_flavour"),
    Option("web-flavour-pattern", "web_flavour_pattern", _pattern,
           "regular expression for web_flavour"),
    Option("unsafe-fixes", "unsafe_fixes", _bool,
           "--fix and --diff apply the unsafe fixes (guesses) too"),
    Option("extra-keys", "extra_keys", _extra_keys,
           "extra allowed keys per level: {top = [...], entry = [...], release = [...]}"),
)
BY_KEY: Dict[str, Option] = {o.key: o for o in OPTIONS}


def unknown_key_reason(key: str) -> str:
    guess = closest(key.replace("_", "-"), list(BY_KEY))
    if guess:
        return f"unknown key (did you mean {guess!r}?)"
    return "unknown key; known keys: " + ", ".join(BY_KEY)


def quote_key(key: str) -> str:
    """A TOML key as it would be written (bare when possible)."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def convert_table(table: Dict[str, Any], ctx: Context) -> List[Tuple[Option, object]]:
    """Check every key of a config table; ``(option, converted value)`` in file order.
    Raises :class:`OptionError` with ``key`` set."""
    out: List[Tuple[Option, object]] = []
    for key, value in table.items():
        opt = BY_KEY.get(key)
        if opt is None:
            if isinstance(value, dict) and key == "tool" and "mwlint" in value:
                raise OptionError("a [tool.mwlint] table belongs in pyproject.toml; in "
                                  ".mwlint.toml write the keys at the top level", key)
            raise OptionError(unknown_key_reason(key), key)
        try:
            out.append((opt, opt.convert(value, ctx)))
        except OptionError as e:
            raise OptionError(e.reason, e.key or key) from None
    return out
