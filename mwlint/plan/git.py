"""Reading a file as it was at a git revision (``mwlint plan --against REV``): ``git show
REV:path`` in the repository that holds the file."""

from __future__ import annotations

import os
import subprocess

from mwlint.source.bounded import read_stream
from mwlint.typehints import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from typing import BinaryIO, Optional


class GitError(Exception):
    """One line for the user: not a repository, unknown revision, git missing."""


def _git(cwd: str, *args: str) -> "subprocess.CompletedProcess[bytes]":
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env,
                              timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out") from None


def read_at_revision(path: str, rev: str, limit: Optional[int] = None) -> Optional[bytes]:
    """The bytes of ``path`` at revision ``rev`` of the repository that holds it; ``None``
    when the file did not exist there; with ``limit``, at most ``limit + 1`` bytes (streamed,
    so an old version of any size costs no more memory). Raises :class:`GitError`."""
    real = os.path.realpath(path)
    here = os.path.dirname(real) if not os.path.isdir(real) else real
    top = _git(here, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitError(f"{path}: not inside a git repository, so --against has nothing to "
                       "compare with")
    root = os.path.realpath(top.stdout.decode("utf-8", "replace").strip())
    if rev.startswith("-"):
        raise GitError(f"--against: not a revision: {rev!r}")
    ok = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if ok.returncode != 0:
        raise GitError(f"--against: unknown revision {rev!r} in {root}")
    commit = ok.stdout.decode().strip()
    rel = os.path.relpath(real, root).replace(os.sep, "/")
    exists = _git(root, "cat-file", "-e", f"{commit}:{rel}")
    if exists.returncode != 0:
        return None
    return _show(root, commit, rel, rev, limit)


def _show(root: str, commit: str, rel: str, rev: str, limit: Optional[int]) -> bytes:
    """``git show COMMIT:REL`` streamed: at most ``limit + 1`` bytes are ever held (more than
    ``limit``: the caller's size check refuses it), then git is stopped."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        proc = subprocess.Popen(["git", "show", f"{commit}:{rel}"], cwd=root, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    assert proc.stdout is not None and proc.stderr is not None
    try:
        data = read_stream(cast("BinaryIO", proc.stdout), limit) if limit is not None else proc.stdout.read()
        over = limit is not None and len(data) > limit
        if over:
            proc.kill()
        err = b"" if over else read_stream(cast("BinaryIO", proc.stderr), 64 * 1024)
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise GitError("git show timed out") from None
    finally:
        proc.stdout.close()
        proc.stderr.close()
    if code != 0 and not over:
        raise GitError(f"git show {rev}:{rel} failed: "
                       f"{err.decode('utf-8', 'replace').strip()}")
    return data
