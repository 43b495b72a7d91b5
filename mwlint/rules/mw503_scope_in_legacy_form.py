from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class ScopeInLegacyForm(Rule):
    code = "MW503"
    name = "scope-in-legacy-form"
    severity = "warning"
    summary = "An entry of the legacy mw_releases list form sets scope."
    rationale = (
        "scope exists only in the mw_deployments mapping form (Puppet V7, scap ca348aec). "
        "The list form's Puppet type is a closed Struct without scope, so it rejects the "
        "value and Puppet stops on the deployment server; and without supervision_rules "
        "the scope has nothing to select."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_releases:
  - namespace: mw-web
    scope: train
    releases: {main: {}}
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  deployment_targets:
    - namespace: mw-web
      scope: train
      releases: {main: {}}
  supervision_rules: []
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.form != "list":
                continue
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("scope")
                if f is None:
                    continue
                yield self.at(
                    hiera, f,
                    f"scope on {quote(e.label)} in the {d.short_name} list form, whose Puppet type "
                    f"rejects it",
                    key=True,
                    help="delete it, or move the whole value to mw_deployments "
                         "(deployment_targets + supervision_rules)",
                    context=(e.namespace, None, "scope", str(f.value)),
                )
