"""A list of paths in a file, for command lines too long for the operating system (a
Gerrit change of 25,000 files: "Argument list too long"): ``--files-from LIST`` (the paths
to lint) and ``--gerrit-files LIST`` (the files of the change).

The list is NUL-separated when it holds a NUL (``git diff --name-only -z``), else one path a
line. It is read with the capped regular-file reader: a FIFO or device is refused, not
waited on, and a list over 64 MiB is refused.
"""

from __future__ import annotations

from mwlint.safe_text import safe_name
from mwlint.source.bounded import read_regular_file
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List

LIMIT = 64 * 1024 * 1024  # bytes; 25,000 hieradata paths are about 2 MB


def read_path_list(path: str) -> List[str]:
    """The paths listed in the file ``path``, in order, empty entries dropped. Names that
    are not UTF-8 keep their bytes (surrogateescape). Raises :class:`OSError`."""
    text = read_regular_file(path, LIMIT).decode("utf-8", "surrogateescape")
    if "\0" in text:
        return [p for p in text.split("\0") if p]
    return [p for p in (line.rstrip("\r") for line in text.split("\n")) if p]


def read_name_list(path: str) -> List[str]:
    """:func:`read_path_list` with each name as the formats write it (``\\xNN`` for a byte
    that is not UTF-8, :func:`mwlint.safe_text.safe_name`), to compare with their paths."""
    return [safe_name(p) for p in read_path_list(path)]
