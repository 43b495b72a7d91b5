"""Reads that cannot hang or fill memory: the cap is applied before and while reading.

For what is not a linted hiera file (stdin, a ``--config`` file, a ``--baseline``): the same
approach as :func:`mwlint.source.reader.read_file`. A named file must be a regular file
(a FIFO would block, ``/dev/zero`` never ends), checked on the open descriptor too, and is
read sized from its ``stat`` and never past ``limit + 1`` bytes, so a file that grows after
the ``stat`` is still caught. A stream (stdin) is read in chunks, at most ``limit + 1``
bytes in all.
"""

from __future__ import annotations

import errno
import os
import stat

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import BinaryIO, List, Optional

CHUNK = 1024 * 1024  # stream reads: never one allocation the size of the limit


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory where a regular file is meant."""

    def __init__(self, path: str, mode: int):
        what = "a directory" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        super().__init__(errno.EINVAL, f"not a regular file ({what})", path)


class FileTooLarge(OSError):
    """Over the cap. ``size``: the size from ``stat``, or ``None`` when only known to be
    over it (the file grew while it was read)."""

    def __init__(self, path: str, limit: int, size: Optional[int] = None):
        self.limit = limit
        self.size = size
        what = f"{size} bytes" if size is not None else f"more than {limit} bytes"
        super().__init__(errno.EFBIG, f"{what}, over the limit of {limit} bytes", path)


def read_stream(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``stream`` (more than ``limit``: it is over the cap)."""
    parts: List[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (symlinks followed). Raises
    :class:`NotRegularFile`, :class:`FileTooLarge` or another :class:`OSError`."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(path, st.st_mode)  # not even opened: a FIFO's open blocks
    if st.st_size > limit:
        raise FileTooLarge(path, limit, st.st_size)
    # O_NONBLOCK: if a FIFO took the file's place since the stat, the open does not wait
    # for a writer (and fstat below refuses it); a regular file's reads ignore the flag.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb", buffering=0) as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, st.st_mode)
        data = f.read(min(st.st_size, limit) + 1)
        if len(data) <= limit and len(data) > st.st_size:  # grew since the stat: read on
            data += read_stream(f, limit - len(data))
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data
