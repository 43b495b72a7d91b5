"""``--output FORMAT=PATH``: parse the option and write each file atomically.

A reader (Jenkins' xunit publisher, a Gerrit poster, a browser) never sees a half-written
file: the document goes to a temporary file in the same directory, is flushed and fsynced,
then renamed over PATH.
"""

from __future__ import annotations

import os
import tempfile
from typing import NamedTuple, Sequence


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
        from mwlint.suggest import unknown_value

        raise OutputError(f"--output: {unknown_value('format', fmt, formats)}")
    return OutputSpec(fmt, path)


def check_destination(spec: OutputSpec) -> None:
    """Fail before linting when PATH cannot be written: it is a directory, or something on
    its way is a file. Missing directories are created when the file is written (like
    ``pytest --junitxml``), so ``--output junit=log/junit-mwlint.xml`` works in a fresh tree."""
    if os.path.isdir(spec.path):
        raise OutputError(f"--output {spec.format}={spec.path}: is a directory")
    parent = os.path.dirname(spec.path)
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if parent and not os.path.isdir(parent):
        raise OutputError(f"--output {spec.format}={spec.path}: not a directory: {parent}")


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a fsynced temporary file and a rename."""
    parent = os.path.dirname(path) or "."
    os.makedirs(parent, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; a report is meant to be read by others (CI publishers).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
