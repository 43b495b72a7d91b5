from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class EmptyClusters(Rule):
    code = "MW303"
    name = "empty-clusters"
    severity = "warning"
    summary = "An entry sets clusters: [] (an empty list)."
    rationale = (
        "An explicit clusters list replaces the default clusters, so an empty one yields no "
        "record at all: scap deploys nothing for the namespace and writes no values file, "
        "silently. Puppet and scap accept it."
    )
    bad = """
- namespace: mw-experimental
  releases: {pinkllama: {}}
  clusters: []
"""
    good = """
- namespace: mw-experimental
  releases: {pinkllama: {deploy: false}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("clusters")
                if f is None or not f.is_seq or f.size:
                    continue
                yield self.at(
                    hiera, f,
                    f"clusters of {quote(e.label)} is an empty list, so scap silently deploys "
                    f"nothing for this namespace",
                    context=(e.namespace, None, "clusters", "[]"),
                    help="delete the key to use the default clusters, list the clusters, or "
                         "use deploy: false on the releases to pause them",
                )
