"""Writing a fixed file without ever clobbering it.

* A read-only file (no write bit, or no write permission) is not written.
* The file is re-read first, and again right before the rename: if its bytes are not the
  ones that were linted, it is not written (someone edited it in between).
* A file with several hard links is not written: replacing it would give this name a new
  file and leave the other names with the old content (the links would split silently),
  and writing it in place would not be atomic. ``mwlint --diff`` shows the change to apply.
* Otherwise :func:`mwlint.atomic_write.write_file` writes it: a temporary file in the same
  directory, flushed and fsynced, with the original mode (and owner, where permitted),
  renamed over the original (atomic on POSIX), the directory fsynced after. A symlink is
  followed: its target is rewritten, the link stays.
"""

from __future__ import annotations

import os
import stat

from mwlint.atomic_write import WriteRefused, write_file


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
    if st.st_nlink > 1:
        raise NotWritten(f"it has {st.st_nlink} hard links, which replacing it would split "
                         "(apply the --diff by hand to change them all)")

    def unchanged() -> None:
        try:
            current = _read_current(real)
        except OSError as e:
            raise NotWritten(f"cannot re-read the file: {e.strerror or e}") from None
        if current != original:
            raise NotWritten("the file changed since it was read")

    unchanged()
    try:
        write_file(real, new, split_links=False, before_replace=unchanged)
    except WriteRefused as e:
        raise NotWritten(str(e)) from None
    except OSError as e:
        raise NotWritten(f"cannot write: {e.strerror or e}") from None
