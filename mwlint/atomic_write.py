"""Writing a file mwlint produces (``--output``, ``--write-baseline``) or rewrites (``--fix``)
without ever replacing what is not its to replace. One helper for all three.

What is at PATH decides how it is written:

* a regular file, or nothing yet: atomically. The bytes go to a temporary file in the same
  directory, are flushed and fsynced, the temporary file gets the existing file's mode and
  owner (a new file: ``0666 & ~umask``, readable by a CI publisher running as another user),
  and is renamed over the file; the directory is fsynced after. A reader never sees a
  half-written file. A symlink is written through: the rename happens in the directory of
  its target, so the link stays a link.
* a FIFO, a character or block device: opened and written directly, with no temporary file
  and no rename (``/dev/null`` stays ``/dev/null``, a FIFO's reader gets the document). The
  open does not wait: a FIFO that nobody reads is refused ("no reader") instead of blocking
  the run forever.
* a directory: refused (:class:`WriteRefused`).

:func:`file_identity` is how the callers tell that PATH is a file the run reads (device and
inode, so ``./k.yaml`` and ``k.yaml``, symlinks and hard links are caught): they refuse such a
PATH before anything is written.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Optional, Tuple


class WriteRefused(Exception):
    """PATH is not something mwlint writes; the message says why (one short clause)."""


def check_destination(path: str) -> None:
    """Refuse, before any work, a PATH that cannot be written: a directory, or a path
    through a file. Missing directories are fine (the callers that want them create them)."""
    if os.path.isdir(path):
        raise WriteRefused("is a directory")
    parent = os.path.dirname(path)
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if parent and not os.path.isdir(parent):
        raise WriteRefused(f"not a directory: {parent}")


def file_identity(path: str) -> Optional[Tuple[int, int]]:
    """``(st_dev, st_ino)`` of the regular file at ``path`` (symlinks followed), or ``None``."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_dev, st.st_ino


def write_file(path: str, data: bytes, *, make_dirs: bool = False,
               split_links: bool = True,
               before_replace: Optional[Callable[[], None]] = None) -> None:
    """Write ``data`` to ``path`` as described in the module docstring.

    ``make_dirs``: create missing parent directories of a new file. ``split_links=False``:
    refuse a regular file with more than one hard link (the rename would give this name a
    new inode and leave the other names with the old content). ``before_replace`` runs just
    before the rename and may raise to abort it (the temporary file is removed).

    Raises :class:`WriteRefused`, or :class:`OSError` when the write itself fails; on any
    failure a regular file keeps its old content and no temporary file is left behind.
    """
    try:
        st: Optional[os.stat_result] = os.stat(path)
    except FileNotFoundError:  # nothing there yet, or a dangling symlink: a new file
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise WriteRefused("is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_stream(path, data)
        return
    real = os.path.realpath(path)
    if st is not None:
        if not split_links and st.st_nlink > 1:
            raise WriteRefused(f"it has {st.st_nlink} hard links, which replacing it would "
                               "split")
        if file_identity(real) != (st.st_dev, st.st_ino):
            raise WriteRefused("the file it names cannot be resolved to a path")
    directory = os.path.dirname(real)
    if make_dirs and st is None:
        os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(real) + ".", suffix=".mwlint-tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown"):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass  # not permitted for an ordinary user: the new file keeps theirs
        else:  # mkstemp creates 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)


def _write_stream(path: str, data: bytes) -> None:
    """A FIFO or device: written in place. No O_CREAT and no O_TRUNC: if a regular file
    took its place since the stat, it is neither created nor cut short. Opened with
    O_NONBLOCK, so a FIFO without a reader fails at once (ENXIO) instead of waiting for one;
    once open, the writes block as usual (the reader sets the pace)."""
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, os.O_WRONLY | nonblock | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as e:
        if e.errno == errno.ENXIO:
            raise WriteRefused("it is a FIFO with no reader") from None
        raise
    try:
        if nonblock:
            os.set_blocking(fd, True)
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise WriteRefused("it became a regular file while it was being written")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _fsync_dir(directory: str) -> None:
    """Make the rename itself durable (best effort: not every system can fsync a dir)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
