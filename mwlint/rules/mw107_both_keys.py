from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class BothKeys(Rule):
    code = "MW107"
    name = "both-keys"
    severity = "error"
    scope = ("check", "report")
    summary = "One file sets both mw_releases and mw_deployments."
    rationale = (
        "A given Puppet version reads only one of the two keys, so edits to the other never "
        "deploy; typically a stale mw_releases left behind after the rename to "
        "mw_deployments."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_releases: [...]
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments: {...}
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments: {...}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        if hiera.both_keys is None:
            return
        key, prefix = hiera.both_keys
        yield self.finding_at(
            hiera.path, key.span,
            "this file sets both mw_releases and mw_deployments, but Puppet reads only one",
            prefix, context=(None, None, "mw_releases,mw_deployments", None),
            help="delete the stale one (mw_releases, since the rename to mw_deployments)",
        )
