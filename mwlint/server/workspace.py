"""What the command line would know about a file: its settings (the nearest
``.mwlint.toml``/``pyproject.toml``, Puppet types, deployment-charts) and, for a service
catalog, the cluster groups another file of the workspace sets.

No pygls import here. Files are only read, never written.
"""

from __future__ import annotations

import os
import stat
import threading

from mwlint.config.files import ConfigError
from mwlint.config.resolve import ConfigResolver
from mwlint.server.lint import groups_of
from mwlint.settings import Settings
from mwlint.source.reader import SERVICE_RENDERED_NAMES
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional, Sequence, Tuple

    from mwlint.server.lint import Groups

# names whose change can change the settings of other files
CONFIG_NAMES = (".mwlint.toml", "pyproject.toml")
_SERVICE_MARKER_BYTES = b"::deployment_server::deploy_service::"
# the walk for cluster groups stops there: a workspace is a repository, not a disk
MAX_WALKED_FILES = 20_000
MAX_SCANNED = 16 * 1024 * 1024  # a larger file is over any max-file-size worth having


class SettingsError(Exception):
    """A config file that the command line would refuse (exit 2)."""


class Workspace:
    """Settings per path and the workspace's cluster groups, cached until a config file,
    a Puppet type or a file with deploy-service keys changes (:meth:`invalidate`)."""

    def __init__(self, roots: Sequence[str] = ()) -> None:
        self.roots: List[str] = [os.path.abspath(r) for r in roots]
        self._lock = threading.Lock()
        self._resolver: Optional[ConfigResolver] = None
        # candidate files for cluster groups, in the order a CLI run over the roots sees them
        self._candidates: Optional[List[str]] = None
        # path -> ((mtime_ns, size), groups found there)
        self._disk: Dict[str, Tuple[Tuple[int, int], Groups]] = {}

    def invalidate(self, path: Optional[str] = None) -> None:
        """Forget what ``path`` (None: anything) may have changed."""
        with self._lock:
            name = os.path.basename(path) if path else ""
            if path is None or name in CONFIG_NAMES or path.endswith(".pp"):
                self._resolver = None
            if path is None or name.endswith((".yaml", ".yml")):
                self._candidates = None

    # -- settings ------------------------------------------------------------------------
    def settings_for(self, path: str) -> Settings:
        """The settings the command line would lint ``path`` with. Raises
        :class:`SettingsError` for a config file it would refuse."""
        with self._lock:
            try:
                if self._resolver is None:
                    self._resolver = ConfigResolver()
                return self._resolver.settings_for(path)
            except ConfigError as e:
                self._resolver = None
                raise SettingsError(str(e)) from None

    # -- cluster groups ------------------------------------------------------------------
    def contains(self, path: str) -> bool:
        """Is ``path`` in a workspace folder (a file a CLI run over the workspace reads)?"""
        return any(_inside(os.path.relpath(path, root)) for root in self.roots)

    def display(self, path: str) -> str:
        """``path`` as a CLI run from the workspace root names it."""
        for root in self.roots:
            rel = os.path.relpath(path, root)
            if _inside(rel):
                return rel
        return path

    def groups_finder(self, path: str, buffers: Callable[[], Dict[str, str]]
                      ) -> Callable[[], Groups]:
        """A function giving the cluster groups for the catalog in ``path``: those of the
        first file of the workspace that sets them (open buffers read as they are in the
        editor, other files from disk), as a CLI run over the workspace binds them."""

        def find() -> Groups:
            open_texts = buffers()
            for candidate in self._candidate_files() + sorted(open_texts):
                if candidate == path:
                    continue
                found = self._groups_in(candidate, open_texts.get(candidate))
                if found is not None:
                    return found
            return None

        return find

    def _candidate_files(self) -> List[str]:
        with self._lock:
            if self._candidates is None:
                self._candidates = _walk(self.roots)
            return list(self._candidates)

    def _groups_in(self, path: str, text: Optional[str]) -> Groups:
        try:
            settings = self.settings_for(path)
        except SettingsError:
            return None
        shown = self.display(path)
        if text is not None:
            return _named(groups_of(text, shown, settings), shown)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        known = self._disk.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        found: Groups = None
        if st.st_size <= settings.max_file_size:
            try:
                with open(path, "rb") as f:
                    data = f.read(settings.max_file_size + 1)
                found = groups_of(data.decode("utf-8-sig"), shown, settings)
            except (OSError, UnicodeDecodeError):
                found = None
        self._disk[path] = (stamp, found)
        return found


def _inside(rel: str) -> bool:
    return rel != os.pardir and not rel.startswith(os.pardir + os.sep)


def _named(found: Groups, shown: str) -> Groups:
    return None if found is None else (shown, found[1])


def _walk(roots: Sequence[str]) -> List[str]:
    """The YAML files under ``roots`` (as the CLI walks a directory: sorted, no ``.git``)
    that may set cluster groups: a deploy-service key in their bytes, or scap's rendered
    ``cluster-groups.yaml``."""
    out: List[str] = []
    seen = 0
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != ".git")
            for name in sorted(filenames):
                if not name.endswith((".yaml", ".yml")):
                    continue
                seen += 1
                if seen > MAX_WALKED_FILES:
                    return out
                full = os.path.join(dirpath, name)
                if name in SERVICE_RENDERED_NAMES or _has_marker(full):
                    out.append(full)
    return out


def _has_marker(path: str) -> bool:
    """Does the regular file ``path`` hold a deploy-service key? (A FIFO, device or socket
    is never opened: opening a FIFO waits for a writer.)"""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SCANNED:
            return False
        with open(path, "rb") as f:
            return _SERVICE_MARKER_BYTES in f.read(MAX_SCANNED)
    except OSError:
        return False
