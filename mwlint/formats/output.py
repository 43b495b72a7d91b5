"""``--output FORMAT=PATH``: parse the option and write each file atomically.

A reader (Jenkins' xunit publisher, a Gerrit poster, a browser) never sees a half-written
file: the document goes to a temporary file in the same directory, is flushed and fsynced,
then renamed over PATH. A symlink at PATH is written through, a FIFO or device is written
in place (see :mod:`mwlint.atomic_write`), and the command line refuses a PATH that is a
file the run reads.
"""

from __future__ import annotations

import os

from mwlint.atomic_write import WriteRefused, file_identity, write_file
from mwlint.atomic_write import check_destination as check
from mwlint.suggest import unknown_value
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, List, Sequence, Tuple


class OutputSpec(NamedTuple):
    format: str
    path: str


class OutputError(ValueError):
    """A bad ``--output`` value or an unwritable destination (exit 2)."""


def parse_output(value: str, formats: Sequence[str]) -> OutputSpec:
    fmt, sep, path = value.partition("=")
    fmt = fmt.strip()
    if not sep or not fmt or not path:
        raise OutputError(f"--output: expected FORMAT=PATH, got {value!r}")
    if fmt not in formats:
        raise OutputError(f"--output: {unknown_value('format', fmt, formats)}")
    return OutputSpec(fmt, path)


def check_destination(spec: OutputSpec) -> None:
    """Fail before linting when PATH cannot be written: it is a directory, or something on
    its way is a file. Missing directories are created when the file is written (like
    ``pytest --junitxml``), so ``--output junit=log/junit-mwlint.xml`` works in a fresh tree."""
    try:
        check(spec.path)
    except WriteRefused as e:
        raise OutputError(f"--output {spec.format}={spec.path}: {e}") from None


def check_distinct(specs: Sequence[OutputSpec]) -> None:
    """Refuse two ``--output`` options that name one file (the same path, or two names of
    one file: a symlink, a hard link): the last writer would win without a word."""
    seen: Dict[Tuple[str, object], OutputSpec] = {}
    for spec in specs:
        keys: List[Tuple[str, object]] = [("path", os.path.realpath(spec.path))]
        ident = file_identity(spec.path)
        if ident is not None:
            keys.append(("file", ident))
        for key in keys:
            other = seen.get(key)
            if other is not None:
                raise OutputError(f"--output {spec.format}={spec.path}: the same file as "
                                  f"--output {other.format}={other.path}")
        for key in keys:
            seen[key] = spec


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` with :func:`mwlint.atomic_write.write_file`:
    atomically for a regular file (missing directories created), through a symlink, in
    place for a FIFO or device. Raises :class:`OSError` or
    :class:`mwlint.atomic_write.WriteRefused`."""
    write_file(path, text.encode("utf-8"), make_dirs=True)
