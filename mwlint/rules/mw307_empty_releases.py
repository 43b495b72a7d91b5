from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class EmptyReleases(Rule):
    code = "MW307"
    name = "empty-releases"
    severity = "warning"
    summary = "An entry sets releases: {} (an empty mapping)."
    rationale = (
        "An entry without releases expands to no record: scap deploys and writes nothing "
        "for the namespace, silently, while the entry suggests that something is deployed "
        "there. Puppet and scap accept it."
    )
    bad = """
- namespace: mw-pretrain
  releases: {}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
- namespace: mw-pretrain
  releases:
    main: {deploy: false}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("releases")
                if f is None or not f.is_map or f.size:
                    continue
                yield self.at(
                    hiera, f,
                    f"releases of {quote(e.label)} is empty, so scap deploys nothing for this "
                    f"namespace",
                    context=(e.namespace, None, "releases", "{}"),
                    help="add its releases (deploy: false to keep one paused) or delete the "
                         "entry",
                )
