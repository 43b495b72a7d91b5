"""Terminal safety and colour decisions shared by the human-readable formats."""

from __future__ import annotations

import os

from mwlint.safe_text import neutralise as neutralise  # noqa: F401  (the formats' import)
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR") or os.environ.get("PY_COLORS")
    if force is not None and force != "":
        return force not in ("0", "false", "no")
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
