"""The deployment-charts facts of one file, loaded in the model stage.

Rules never touch the disk: the engine asks each family which ``(dir, namespace)``
helmfiles its model needs (:meth:`mwlint.family.Family.helmfiles`), and :func:`load` reads
them once (bounded by ``max_size`` per file, the reader caching them across the files of a
run) into a :class:`ChartsFacts`, which the rules read through ``hiera.charts``.
"""

from __future__ import annotations

import os

from mwlint.charts.checkout import Checkout, HelmfileLookup, checkout_for
from mwlint.charts.helmfile import HelmfileFacts
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Tuple


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


class ChartsLoader:
    """The deployment-charts checkout of one run: each helmfile directory looked up, each
    helmfile read and each directory listed at most once per run, whatever the number of
    files that need it (bounded by ``max_size`` per helmfile)."""

    def __init__(self, root: str, max_size: int) -> None:
        self.checkout: Checkout = checkout_for(root)
        self.max_size = max_size
        self._lookups: Dict[Tuple[str, str], HelmfileLookup] = {}
        self._helmfiles: Dict[str, HelmfileFacts] = {}
        self._subdirs: Dict[str, List[str]] = {}

    def _listing(self, rel: str, out: Dict[str, List[str]]) -> None:
        if rel not in self._subdirs:
            self._subdirs[rel] = _subdirs(self.checkout.root, rel)
        out[rel] = self._subdirs[rel]

    def facts(self, wanted: Iterable[Tuple[str, str]]) -> ChartsFacts:
        """The facts for the ``(dir, namespace)`` pairs of one file."""
        lookups: Dict[Tuple[str, str], HelmfileLookup] = {}
        helmfiles: Dict[str, HelmfileFacts] = {}
        subdirs: Dict[str, List[str]] = {}
        for pair in wanted:
            if pair in lookups:
                continue
            look = self._lookups.get(pair)
            if look is None:
                look = self._lookups[pair] = self.checkout.lookup(*pair)
            lookups[pair] = look
            if look.status == "no-dir-root":
                self._listing("helmfile.d", subdirs)
            elif look.status == "no-dir":
                self._listing(f"helmfile.d/{pair[0]}", subdirs)
            elif look.status == "ok" and look.path is not None:
                facts = self._helmfiles.get(look.path)
                if facts is None:
                    facts = self._helmfiles[look.path] = self.checkout.read(look.path,
                                                                            self.max_size)
                helmfiles[look.path] = facts
        return ChartsFacts(lookups, helmfiles, subdirs)


def load(root: str, wanted: Iterable[Tuple[str, str]], max_size: int) -> ChartsFacts:
    """The facts of the checkout at ``root`` for the ``(dir, namespace)`` pairs (a loader
    of its own: :class:`ChartsLoader` shares them across the files of a run)."""
    return ChartsLoader(root, max_size).facts(wanted)


__all__ = ["ChartsFacts", "ChartsLoader", "load"]
