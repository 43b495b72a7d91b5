"""Config files: reading ``.mwlint.toml`` and ``[tool.mwlint]`` of ``pyproject.toml``.

In one directory ``.mwlint.toml`` is used when present, else ``pyproject.toml`` if it has a
``[tool.mwlint]`` table (a ``pyproject.toml`` without one is not a config file). A file
named with ``--config`` may be either shape, whatever its name.
"""

from __future__ import annotations

import os
import re
import sys
from types import ModuleType

from mwlint.source.bounded import FileTooLarge, read_regular_file
from mwlint.source.depth import TOML_TOKENS, brackets_deeper_than
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Optional, Tuple

if TYPE_CHECKING:  # imported when a config file is read: see below
    from mwlint.config.options import Option

# The option declarations (mwlint.config.options) are imported only when a config file
# exists: a run without one pays for nothing but a few stat calls.

CONFIG_NAMES = (".mwlint.toml", "pyproject.toml")
MAX_CONFIG_SIZE = 1024 * 1024
MAX_CONFIG_DEPTH = 50  # a config nests 2 or 3 levels


class ConfigError(Exception):
    """A config file that cannot be used: exit 2 with ``file: key: reason`` on one line."""

    def __init__(self, path: str, key: Optional[str], reason: str) -> None:
        self.path = path
        self.key = key
        self.reason = reason
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {reason}")


class ConfigFile(NamedTuple):
    path: str  # absolute
    values: Tuple[Tuple[Option, object], ...]  # ((Option, converted value), ...): checked, in file order

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)


def _toml() -> ModuleType:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised by the Python 3.9 CI run
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]  # only installed on Python < 3.11
    module: ModuleType = tomllib
    return module


def read_bytes(path: str) -> bytes:
    """A config file's bytes: a regular file (a FIFO would hang, ``/dev/zero`` never end)
    of at most :data:`MAX_CONFIG_SIZE` bytes, never read past the cap."""
    try:
        return read_regular_file(path, MAX_CONFIG_SIZE)
    except FileTooLarge:
        raise ConfigError(path, None, f"larger than {MAX_CONFIG_SIZE} bytes") from None
    except OSError as e:
        raise ConfigError(path, None, f"cannot read: {e.strerror or e}") from None


def load_toml(path: str, data: Optional[bytes] = None) -> Dict[str, Any]:
    if data is None:
        data = read_bytes(path)
    toml = _toml()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, None, "not UTF-8") from None
    deep = brackets_deeper_than(text, MAX_CONFIG_DEPTH, TOML_TOKENS)
    if deep is not None:  # the TOML reader would recurse until RecursionError
        raise ConfigError(path, None, f"arrays or inline tables nested deeper than "
                                      f"{MAX_CONFIG_DEPTH} levels (line {deep})")
    try:
        parsed: Dict[str, Any] = toml.loads(text)
        return parsed
    except toml.TOMLDecodeError as e:
        raise ConfigError(path, None, f"invalid TOML: {e}") from None
    except ValueError as e:  # an integer beyond Python's int/str conversion limit
        raise ConfigError(path, None, f"invalid TOML: {str(e).split(';')[0]}") from None


def table_of(path: str, data: Dict[str, Any], explicit: bool
             ) -> Optional[Tuple[Dict[str, Any], str]]:
    """The mwlint table of a parsed file and the prefix of its keys in messages:
    ``[tool.mwlint]`` of a ``pyproject.toml``, the whole document of a ``.mwlint.toml``.
    A file named with ``--config`` may be either, whatever its name. ``None`` for a
    pyproject.toml without one (an error when the file was named with ``--config``)."""
    pyproject = os.path.basename(path) == "pyproject.toml"
    if not pyproject and not explicit:
        return data, ""
    tool = data.get("tool")
    if isinstance(tool, dict) and "mwlint" in tool:
        table = tool["mwlint"]
        if not isinstance(table, dict):
            raise ConfigError(path, "tool.mwlint", "expected a table")
        if not pyproject:
            from mwlint.config.options import BY_KEY

            both = [k for k in data if k in BY_KEY]
            if both:
                raise ConfigError(path, both[0], "set at the top level of a file that also "
                                  "has a [tool.mwlint] table; use one or the other")
        return table, "tool.mwlint."
    if not pyproject:
        return data, ""
    if explicit:
        raise ConfigError(path, None, "has no [tool.mwlint] table")
    return None


# A pyproject.toml can configure mwlint only through a "tool.mwlint" table header or dotted
# key, or an "mwlint =" key inside [tool]; a mere mention (a dependency) does not count.
_MAY_CONFIGURE = rb"tool\s*\.\s*[\"']?mwlint|^\s*[\"']?mwlint[\"']?\s*="


def may_configure(raw: bytes) -> bool:
    """Whether a pyproject.toml's bytes can hold mwlint settings (compiled on first use)."""
    return b"mwlint" in raw and re.search(_MAY_CONFIGURE, raw, re.M) is not None


def read_config(path: str, explicit: bool = False) -> Optional[ConfigFile]:
    """Read and check one config file (``None``: a pyproject.toml that does not configure
    mwlint). Raises :class:`ConfigError`."""
    from mwlint.config.options import Context, OptionError, convert_table

    path = os.path.abspath(path)
    raw = read_bytes(path)
    if not explicit and os.path.basename(path) == "pyproject.toml" \
            and not may_configure(raw):
        return None  # cannot have a [tool.mwlint] table: no need to parse the TOML
    data = load_toml(path, raw)
    found = table_of(path, data, explicit)
    if found is None:
        return None
    table, prefix = found
    try:
        values = convert_table(table, Context(os.path.dirname(path)))
    except OptionError as e:
        raise ConfigError(path, prefix + (e.key or ""), e.reason) from None
    return ConfigFile(path, tuple(values))


def config_in(directory: str, cache: Dict[str, Optional[ConfigFile]],
              names: Optional[FrozenSet[str]] = None) -> Optional[ConfigFile]:
    """The config file of one directory, if any. ``names``: the directory's listing, when
    known (a name not in it needs no ``stat``)."""
    for name in CONFIG_NAMES:
        if names is not None and name not in names:
            continue
        path = os.path.join(directory, name)
        if path in cache:
            if cache[path] is not None:
                return cache[path]
            continue
        found = None
        if os.path.isfile(path):
            found = read_config(path)
        cache[path] = found
        if found is not None:
            return found
    return None


def is_repo_root(directory: str, names: Optional[FrozenSet[str]] = None) -> bool:
    if names is not None and ".git" not in names:
        return False
    return os.path.exists(os.path.join(directory, ".git"))
