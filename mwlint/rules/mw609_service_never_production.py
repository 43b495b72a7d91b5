"""MW609: a service that never reaches a PRODUCTION environment (warning)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, clip_path, without_indexes
from mwlint.rules.service_loader import loads
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class NeverProduction(Rule):
    code = "MW609"
    name = "service-never-production"
    severity = "warning"
    summary = "Every environment a service deploys to is of type STAGING."
    rationale = (
        "scap accepts it, but a service in the catalog is there to be deployed to "
        "production; one that only reaches staging is most likely missing its production "
        "environments (or uses a staging alias by mistake)."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            staging: {}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            staging: {}
            eqiad: {}
            codfw: {}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            if not loads(config, s):
                continue  # what scap refuses first: MW601-MW606
            envs = [r.environment for ns in s.namespaces for r in ns.env_refs
                    if r.environment is not None]
            if not envs or any(e.type != "STAGING" for e in envs):
                continue
            yield self.finding_at(
                hiera.path, s.name_value.span,
                f"service {quote(s.name)} deploys only to STAGING environments, never to "
                f"production", clip_path(s.name_value.path),
                help="add its PRODUCTION environments",
                context=(None, None, without_indexes(s.name_value.path), s.name))
