"""MW006: a key of a family (MediaWiki deployments or deploy-service) in the second or a
later YAML document of a file (error):
hiera reads only the first document, so the key is never set."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator


class KeyInLaterDocument(Rule):
    code = "MW006"
    name = "key-in-later-document"
    severity = "error"
    summary = (
        "A deployments key (mw_releases, mw_deployments) or deploy-service key "
        "(cluster_groups, service_catalog) is set after a '---' document marker, in the "
        "second or a later YAML document of the file."
    )
    rationale = (
        "Hiera reads only the first document of a YAML file, so Puppet never sets the key "
        "and scap keeps its old configuration: the change is silently lost. mwlint lints "
        "only the first document too, so nothing in that key was checked either."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments: {}
---
profile::kubernetes::deployment_server::deploy_service::cluster_groups: {}
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments: {}
profile::kubernetes::deployment_server::deploy_service::cluster_groups: {}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterator[Finding]:
        for key, short, document in hiera.later_keys:
            yield self.finding_at(
                hiera.path, key.span,
                f"{short} is in YAML document {document}, which hiera never reads", short,
                help="move it into the first document (remove the '---' before it)",
                context=(None, None, f"later-document:{short}", str(document)))
