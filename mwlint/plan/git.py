"""Reading a file as it was at a git revision (``mwlint plan --against REV``): ``git show
REV:path`` in the repository that holds the file."""

from __future__ import annotations

import os
import subprocess
from typing import Optional


class GitError(Exception):
    """One line for the user: not a repository, unknown revision, git missing."""


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env,
                              timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out") from None


def read_at_revision(path: str, rev: str) -> Optional[bytes]:
    """The bytes of ``path`` at revision ``rev`` of the repository that holds it; ``None``
    when the file did not exist there. Raises :class:`GitError`."""
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
    shown = _git(root, "show", f"{commit}:{rel}")
    if shown.returncode != 0:
        raise GitError(f"git show {rev}:{rel} failed: "
                       f"{shown.stderr.decode('utf-8', 'replace').strip()}")
    return shown.stdout
