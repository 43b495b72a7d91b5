"""Writing a fixed file without ever clobbering it.

* A read-only file (no write bit, or no write permission) is not written.
* The file is re-read first, and again right before the rename: if its bytes are not the
  ones that were linted, it is not written (someone edited it in between).
* The new content goes to a temporary file in the same directory, is flushed and fsynced,
  gets the original mode (and owner, where permitted), and is renamed over the original
  (atomic on POSIX); the directory is fsynced after. A symlink is followed: its target is
  rewritten, the link stays.
"""

from __future__ import annotations

import os
import stat
import tempfile


class NotWritten(Exception):
    """The file was left as it was; the message says why."""


def _read_current(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def write_atomic(path: str, original: bytes, new: bytes) -> None:
    """Replace ``path``'s content ``original`` by ``new``; :class:`NotWritten` otherwise."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError as e:
        raise NotWritten(f"cannot stat the file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise NotWritten("not a regular file")
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise NotWritten("the file is read-only")
    if not os.access(real, os.W_OK):
        raise NotWritten("no permission to write the file")
    try:
        if _read_current(real) != original:
            raise NotWritten("the file changed since it was read")
    except OSError as e:
        raise NotWritten(f"cannot re-read the file: {e.strerror or e}") from None
    directory = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(real) + ".",
                                   suffix=".mwlint-tmp", dir=directory)
    except OSError as e:
        raise NotWritten(f"cannot create a temporary file beside it: {e.strerror or e}") \
            from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(new)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not permitted for an ordinary user: the new file keeps theirs
        if _read_current(real) != original:
            raise NotWritten("the file changed since it was read")
        os.replace(tmp, real)
    except NotWritten:
        _unlink(tmp)
        raise
    except OSError as e:
        _unlink(tmp)
        raise NotWritten(f"cannot write: {e.strerror or e}") from None
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(directory)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(directory: str) -> None:
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
