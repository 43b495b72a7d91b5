from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import Entry, HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import explicit_clusters
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional


def effective_clusters(entry: Entry) -> Optional[List[str]]:
    """The clusters scap expands the entry to (string names only); None when ``clusters``
    is not a list (MW104)."""
    f = entry.get("clusters")
    if f is None:
        return list(entry.deployments.default_clusters)
    return explicit_clusters(entry)


class DuplicateNamespace(Rule):
    code = "MW304"
    name = "duplicate-namespace"
    severity = "error"
    options = ("default-clusters",)
    summary = (
        "The same namespace in two entries whose effective cluster sets overlap (an absent "
        "clusters means the default clusters), or one cluster listed twice in an entry's "
        "clusters."
    )
    rationale = (
        "scap refuses to load the config ('deployment is already defined for cluster'), so "
        "no sync can run until it is fixed; Puppet accepts it. The same namespace in two "
        "entries with disjoint clusters is fine (one entry per cluster family)."
    )
    bad = """
- namespace: mw-web
  releases: {main: {}}
- namespace: mw-web
  releases: {next: {}}
"""
    good = """
- namespace: mw-web
  releases: {main: {}, next: {}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            seen: Dict[Any, List[Any]] = {}  # namespace -> [(entry, its cluster set)]: linear in the entries
            for e in d.entries:
                ns = e.namespace
                if e.legacy is not None or ns is None:
                    continue
                clusters = effective_clusters(e)
                if clusters is None:
                    continue
                if e.get("clusters") is not None:
                    repeated = []
                    for c in clusters:
                        if clusters.count(c) > 1 and c not in repeated:
                            repeated.append(c)
                    if repeated:
                        msg, help = fit(
                            f"{quote(e.label)} lists cluster {cap_list(repeated)} more than "
                            f"once, so scap refuses the config",
                            f"{quote(e.label)} lists a cluster more than once, so scap refuses "
                            f"the config", "list each cluster once",
                            f"repeated: {cap_list(repeated)}")
                        yield self.at(hiera, e, msg, help=help,
                                      context=(ns, None, "clusters", ",".join(repeated)))
                earlier = []
                overlap: List[Any] = []
                for prev, prev_clusters in seen.get(ns, ()):
                    common = [c for c in dict.fromkeys(clusters) if c in prev_clusters]
                    if common:
                        earlier.append(prev)
                        overlap.extend(c for c in common if c not in overlap)
                if earlier:
                    where = cap_list(f"line {p.span.line}" for p in earlier)
                    defined = f"already defined at {where} for cluster {cap_list(overlap)}"
                    msg, help = fit(
                        f"namespace {quote(ns)} is {defined}, so scap refuses the config",
                        f"namespace {quote(ns)} is already defined for the same clusters, so "
                        f"scap refuses the config",
                        "merge the releases into one entry, or give the entries disjoint "
                        "clusters", defined)
                    yield self.at(hiera, e, msg, help=help,
                                  context=(ns, None, "namespace", ",".join(overlap)))
                seen.setdefault(ns, []).append((e, set(clusters)))
