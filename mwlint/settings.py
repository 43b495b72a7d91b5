"""Resolved settings for one run: rule selection, the failure threshold, rule options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_CLUSTERS = ("eqiad", "codfw")
DEFAULT_KNOWN_KINDS = ("image", "debug-image", "cli-image")
DEFAULT_MW_FLAVOUR_PATTERN = r"^publish(-[a-z0-9]+)*$"
DEFAULT_WEB_FLAVOUR_PATTERN = r"^webserver(-[a-z0-9]+)*$"


@dataclass
class Settings:
    select: Optional[Tuple[str, ...]] = None  # None: every rule
    ignore: Tuple[str, ...] = ()
    fail_on: str = "error"
    severity: Dict[str, str] = field(default_factory=dict)  # code -> severity override
    # rule options (rules.md)
    default_clusters: Optional[Tuple[str, ...]] = None  # None: from the file, else eqiad,codfw
    default_dir: str = "services"
    known_kinds: Tuple[str, ...] = DEFAULT_KNOWN_KINDS
    known_dirs: Optional[Tuple[str, ...]] = None
    require_mw_kind: bool = False
    deployment_charts: Optional[str] = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    mw_flavour_pattern: str = DEFAULT_MW_FLAVOUR_PATTERN
    web_flavour_pattern: str = DEFAULT_WEB_FLAVOUR_PATTERN
    # extra allowed keys per level: {"top": (...), "entry": (...), "release": (...)}
    extra_keys: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    alias_budget: int = 10_000
    # From the linted repository's Puppet types (mwlint.config.puppet_types): allowed keys
    # per level, replacing the built-in sets of mwlint.model.schema for the levels given,
    # and the release `stage` Enum. None: the built-in sets.
    allowed_keys: Optional[Dict[str, Tuple[str, ...]]] = None
    allowed_stages: Optional[Tuple[str, ...]] = None
    suppressions: bool = True  # honour `# mwlint: disable=...` comments (--no-suppressions)


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
