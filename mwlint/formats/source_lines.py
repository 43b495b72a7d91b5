"""Split a linted file into lines the way the YAML parser counts them.

``str.splitlines`` also breaks at form feeds, vertical tabs and file/group/record separators,
which YAML does not count as line breaks, so a snippet taken with it could show the wrong
line. YAML breaks lines at ``\\r\\n``, ``\\r``, ``\\n``, NEL, LS and PS.
"""

from __future__ import annotations

import re
from typing import List

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def source_lines(text: str) -> List[str]:
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
