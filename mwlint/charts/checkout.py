"""A deployment-charts checkout: where scap runs helmfile for a namespace.

scap runs ``helmfile -e <cluster> --selector name=<release> ...`` in
``helmfile.d/<dir>/<namespace>/`` without ``-f``: helmfile then reads ``helmfile.yaml``,
else ``helmfile.yaml.gotmpl``; with both it refuses to run, with neither it finds no state
file (``deployment-charts.md`` §1). Only existence is checked here; nothing is executed.
"""

from __future__ import annotations

import os

from mwlint.charts.helmfile import HelmfileFacts, read_helmfile
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, Optional

HELMFILE_NAMES = ("helmfile.yaml", "helmfile.yaml.gotmpl")


class HelmfileLookup(NamedTuple):
    """Which helmfile scap would use for (dir, namespace)."""

    status: str  # "ok", "no-dir-root" (helmfile.d/<dir>/ missing), "no-dir", "none", "both"
    directory: str  # helmfile.d/<dir>/<namespace>, relative to the checkout
    path: Optional[str]  # the helmfile, relative to the checkout, when status is "ok"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Checkout:
    def __init__(self, root: str):
        self.root = root
        self.real_root = os.path.realpath(root)

    def _isdir(self, rel: str) -> bool:
        full = os.path.join(self.root, rel)
        return os.path.isdir(full) and _inside(os.path.realpath(full), self.real_root)

    def lookup(self, cluster_dir: str, namespace: str) -> HelmfileLookup:
        directory = f"helmfile.d/{cluster_dir}/{namespace}"
        if not self._isdir(f"helmfile.d/{cluster_dir}"):
            return HelmfileLookup("no-dir-root", directory, None)
        if not self._isdir(directory):
            return HelmfileLookup("no-dir", directory, None)
        found = [n for n in HELMFILE_NAMES
                 if os.path.lexists(os.path.join(self.root, directory, n))]
        if not found:
            return HelmfileLookup("none", directory, None)
        if len(found) > 1:
            return HelmfileLookup("both", directory, None)
        return HelmfileLookup("ok", directory, f"{directory}/{found[0]}")

    def read(self, relpath: str, max_size: int) -> HelmfileFacts:
        return read_helmfile(self.root, relpath, max_size)


_CHECKOUTS: Dict[str, Checkout] = {}


def checkout_for(path: str) -> Checkout:
    """The checkout at ``path`` (cached). A path that is itself a ``helmfile.d`` directory
    is taken to mean its parent checkout."""
    c = _CHECKOUTS.get(path)
    if c is None:
        root = path
        if (not os.path.isdir(os.path.join(path, "helmfile.d"))
                and os.path.basename(os.path.normpath(path)) == "helmfile.d"):
            root = os.path.dirname(os.path.normpath(path)) or "."
        c = _CHECKOUTS[path] = Checkout(root)
    return c
