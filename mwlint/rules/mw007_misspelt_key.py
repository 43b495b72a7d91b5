from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

# What every key of both families starts with: a message shows the rest (a key is ~70
# characters, a message at most 120).
SHARED_PREFIX = "profile::kubernetes::deployment_server"


def _short(key: str) -> str:
    return key[len(SHARED_PREFIX):] if key.startswith(SHARED_PREFIX) else key


class MisspeltKey(Rule):
    code = "MW007"
    name = "misspelt-key"
    severity = "error"
    scope = ("check", "report")
    summary = (
        "A hiera key of the file is close to a key mwlint knows (mw_releases, mw_deployments, "
        "deploy_service::cluster_groups or deploy_service::service_catalog, under "
        "profile::kubernetes::deployment_server) without being it: a typo."
    )
    rationale = (
        "Hiera takes any key and Puppet looks up only the names its classes declare, so a "
        "misspelt key is ignored without a word: Puppet never sets the parameter, scap "
        "keeps deploying the old value, and the change looks merged and done. It is the "
        "worst typo there is, and no other check sees it: the value under the key is never "
        "read as deployments."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployment:
  mw-web: {...}
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  mw-web: {...}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterator[Finding]:
        for key, known in hiera.misspelt_keys:
            written = str(key.text)
            yield self.finding_at(
                hiera.path, key.span,
                f"{quote(_short(written))} is no key Puppet reads: did you mean "
                f"{quote(_short(known))}?",
                written,
                context=(None, None, "misspelt-key", written),
                help=f"rename the key to {known}; until then Puppet ignores its value",
            )
