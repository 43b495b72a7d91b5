"""Repository-relative paths for the formats other systems match against their checkout.

SARIF (code scanning), JUnit (Jenkins), GitHub annotations and Gerrit comments all name
files relative to the repository root. The root is ``--root DIR`` when given, else the git
top level of each linted file (the nearest ancestor directory holding ``.git``, a directory
or, for worktrees and submodules, a file). A path outside the root, or with no repository
above it, is kept as given. Separators are always ``/``.
"""

from __future__ import annotations

import os

from mwlint.formats import Report, map_paths
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Optional


def git_top_level(path: str, _cache: Optional[Dict[str, Optional[str]]] = None) -> Optional[str]:
    """The nearest directory at or above ``path``'s directory that holds ``.git``."""
    cache = {} if _cache is None else _cache
    d = os.path.dirname(os.path.abspath(path))
    seen = []
    found = None
    while True:
        if d in cache:
            found = cache[d]
            break
        seen.append(d)
        if os.path.exists(os.path.join(d, ".git")):
            found = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    for s in seen:
        cache[s] = found
    return found


class RepoPaths:
    """Maps paths as given to repository-relative ones, caching directory look-ups."""

    def __init__(self, root: Optional[str] = None):
        self.root = os.path.abspath(root) if root else None
        self._tops: Dict[str, Optional[str]] = {}
        self._done: Dict[str, str] = {}

    def __call__(self, path: str) -> str:
        out = self._done.get(path)
        if out is None:
            out = self._done[path] = self._relative(path)
        return out

    def _relative(self, path: str) -> str:
        if path.startswith("<") and path.endswith(">"):  # <stdin>, <string>
            return path
        top = self.root or git_top_level(path, self._tops)
        if top is None:
            return _posix(os.path.normpath(path))
        rel = os.path.relpath(os.path.abspath(path), top)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return _posix(os.path.normpath(path))
        return _posix(rel)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def relative_report(report: Report, root: Optional[str] = None) -> Report:
    """``report`` with every path made repository-relative."""
    return map_paths(report, RepoPaths(root))
