"""The deployment-charts facts of one file, loaded in the model stage.

Rules never touch the disk: the engine asks each family which ``(dir, namespace)``
helmfiles its model needs (:meth:`mwlint.family.Family.helmfiles`), and :func:`load` reads
them once (bounded by ``max_size`` per file, the reader caching them across the files of a
run) into a :class:`ChartsFacts`, which the rules read through ``hiera.charts``.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Tuple

from mwlint.charts.checkout import Checkout, HelmfileLookup, checkout_for
from mwlint.charts.helmfile import HelmfileFacts


class ChartsFacts:
    """What a deployment-charts checkout holds for the helmfiles of one file: plain data."""

    def __init__(self, lookups: Dict[Tuple[str, str], HelmfileLookup],
                 helmfiles: Dict[str, HelmfileFacts], subdirs: Dict[str, List[str]]) -> None:
        self._lookups = lookups
        self._helmfiles = helmfiles
        self._subdirs = subdirs

    def lookup(self, cluster_dir: str, namespace: str) -> HelmfileLookup:
        """Which helmfile scap would use for ``(dir, namespace)`` (see :class:`Checkout`)."""
        found = self._lookups.get((cluster_dir, namespace))
        if found is None:  # not asked for by the family: nothing known, nothing claimed
            return HelmfileLookup("none", f"helmfile.d/{cluster_dir}/{namespace}", None)
        return found

    def read(self, relpath: str) -> HelmfileFacts:
        """The facts of a helmfile that :meth:`lookup` found."""
        facts = self._helmfiles.get(relpath)
        if facts is None:
            return HelmfileFacts(relpath, "was not loaded", {}, False, (), False, ())
        return facts

    def subdirs(self, rel: str) -> List[str]:
        """The visible directories under ``rel`` (``helmfile.d``, ``helmfile.d/<dir>``)."""
        return self._subdirs.get(rel, [])


def _subdirs(root: str, rel: str) -> List[str]:
    try:
        names = os.listdir(os.path.join(root, rel))
    except OSError:
        return []
    return sorted(n for n in names if not n.startswith((".", "_"))
                  and os.path.isdir(os.path.join(root, rel, n)))


def load(root: str, wanted: Iterable[Tuple[str, str]], max_size: int) -> ChartsFacts:
    """The facts of the checkout at ``root`` for the ``(dir, namespace)`` pairs."""
    checkout: Checkout = checkout_for(root)
    lookups: Dict[Tuple[str, str], HelmfileLookup] = {}
    helmfiles: Dict[str, HelmfileFacts] = {}
    subdirs: Dict[str, List[str]] = {}
    for cluster_dir, namespace in wanted:
        if (cluster_dir, namespace) in lookups:
            continue
        look = lookups[(cluster_dir, namespace)] = checkout.lookup(cluster_dir, namespace)
        if look.status == "no-dir-root" and "helmfile.d" not in subdirs:
            subdirs["helmfile.d"] = _subdirs(checkout.root, "helmfile.d")
        elif look.status == "no-dir":
            rel = f"helmfile.d/{cluster_dir}"
            if rel not in subdirs:
                subdirs[rel] = _subdirs(checkout.root, rel)
        elif look.status == "ok" and look.path is not None and look.path not in helmfiles:
            helmfiles[look.path] = checkout.read(look.path, max_size)
    return ChartsFacts(lookups, helmfiles, subdirs)


__all__ = ["ChartsFacts", "load"]
