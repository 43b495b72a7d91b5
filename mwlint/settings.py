"""Resolved settings for one run: rule selection, the failure threshold, rule options."""

from __future__ import annotations

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Sequence, Tuple

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_KNOWN_KINDS = ("image", "debug-image", "cli-image")
DEFAULT_MW_FLAVOUR_PATTERN = r"^publish(-[a-z0-9]+)*$"
DEFAULT_WEB_FLAVOUR_PATTERN = r"^webserver(-[a-z0-9]+)*$"


# (name, default, factory for mutable defaults). A plain class rather than a dataclass:
# importing ``dataclasses`` (and ``inspect`` with it) costs milliseconds at every start-up of
# the pre-commit hook.
_FIELDS = (
    ("select", None, None),  # None: every rule
    ("ignore", (), None),
    ("fail_on", "error", None),
    ("severity", None, dict),  # code -> severity override
    # rule options (rules.md)
    ("default_clusters", None, None),  # None: from the file, else eqiad,codfw
    ("default_dir", "services", None),
    ("known_kinds", DEFAULT_KNOWN_KINDS, None),
    ("known_dirs", None, None),
    ("require_mw_kind", False, None),
    ("deployment_charts", None, None),
    ("max_file_size", DEFAULT_MAX_FILE_SIZE, None),
    ("mw_flavour_pattern", DEFAULT_MW_FLAVOUR_PATTERN, None),
    ("web_flavour_pattern", DEFAULT_WEB_FLAVOUR_PATTERN, None),
    # extra allowed keys per level: {"top": (...), "entry": (...), "release": (...)}
    ("extra_keys", None, dict),
    ("alias_budget", 10_000, None),
    # From the linted repository's Puppet types (mwlint.config.puppet_types): allowed keys
    # per level, replacing the built-in sets of mwlint.model.schema for the levels given,
    # and the release `stage` Enum. None: the built-in sets.
    ("allowed_keys", None, None),
    ("allowed_stages", None, None),
    ("suppressions", True, None),  # honour `# mwlint: disable=...` (--no-suppressions)
    ("unsafe_fixes", False, None),  # --fix/--diff apply the unsafe fixes too (guesses)
)
FIELD_NAMES = tuple(name for name, _d, _f in _FIELDS)


class Settings:
    """Every setting of a run, with its default. ``Settings(fail_on="warning")``."""

    __slots__ = FIELD_NAMES

    # the fields of _FIELDS, for type checkers (no class values: __slots__ holds them)
    select: Optional[Sequence[str]]
    ignore: Sequence[str]
    fail_on: str
    severity: Dict[str, str]
    default_clusters: Optional[Sequence[str]]
    default_dir: str
    known_kinds: Sequence[str]
    known_dirs: Optional[Sequence[str]]
    require_mw_kind: bool
    deployment_charts: Optional[str]
    max_file_size: int
    mw_flavour_pattern: str
    web_flavour_pattern: str
    extra_keys: Dict[str, Tuple[str, ...]]
    alias_budget: int
    allowed_keys: Optional[Dict[str, Tuple[str, ...]]]
    allowed_stages: Optional[Tuple[str, ...]]
    suppressions: bool
    unsafe_fixes: bool

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(FIELD_NAMES)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        for name, default, factory in _FIELDS:
            if name in values:
                setattr(self, name, values[name])
            else:
                setattr(self, name, factory() if factory is not None else default)

    def replace(self, **changes: Any) -> "Settings":
        """A copy with ``changes`` applied (``dataclasses.replace`` for this class)."""
        values = {name: getattr(self, name) for name in FIELD_NAMES}
        values.update(changes)
        return Settings(**values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Settings):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in FIELD_NAMES)

    __hash__ = None  # type: ignore[assignment]  # unhashable: mypy has no spelling for it

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in FIELD_NAMES)
        return f"Settings({inner})"


def parse_size(text: str) -> int:
    """``10M``, ``512K`` or a byte count."""
    t = text.strip().upper()
    mult = 1
    if t.endswith("K"):
        mult, t = 1024, t[:-1]
    elif t.endswith("M"):
        mult, t = 1024 * 1024, t[:-1]
    elif t.endswith("G"):
        mult, t = 1024 ** 3, t[:-1]
    value = int(t)
    if value < 0:
        raise ValueError("negative size")
    return value * mult
