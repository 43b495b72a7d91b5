"""Terminal safety and colour decisions shared by the human-readable formats."""

from __future__ import annotations

import os
import re

# C0 controls but the tab (including newline and carriage return: a finding is one line, so
# a value cannot forge another finding line or a workflow command), DEL, C1 controls (CSI
# \x9b starts an escape sequence on its own), line/paragraph separators, and the bidi
# controls that can make displayed text differ from the bytes (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str) -> str:
    """Make control characters and escape sequences from linted files visible and inert."""
    return _CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                        else "\\u%04x" % ord(m.group()), text)


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR") or os.environ.get("PY_COLORS")
    if force is not None and force != "":
        return force not in ("0", "false", "no")
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
