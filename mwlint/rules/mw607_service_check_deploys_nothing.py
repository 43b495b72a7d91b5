"""MW607: a check on an (environment, stage) where the service deploys nothing
(deploy-service.md §3, scap's ``_assert_checks_run``)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, clip_path, without_indexes
from mwlint.rules.service_loader import listing, loads
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class CheckDeploysNothing(Rule):
    code = "MW607"
    name = "service-check-deploys-nothing"
    severity = "error"
    summary = (
        "A service's check is set for an (environment, stage) where the service deploys no "
        "release: no namespace deploys that environment, or none of its releases has that "
        "stage (an environment without releases deploys at the group's default stage)."
    )
    rationale = (
        "scap checks this only when a deployer runs scap deploy-service: the command stops "
        "before deploying, on the deploy host, after merge. A check on a stage that deploys "
        "nothing never runs, so it protects nothing."
    )
    bad = """
# cluster group wikikube: environment_stages [CANARY, DEFAULT]
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            eqiad: {releases: {production: {}}}
      checks:
        eqiad:
          CANARY:
            - manual: "Do the canary's error graphs look normal?"
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            eqiad: {releases: {production: {}, canary: {stage: CANARY}}}
      checks:
        eqiad:
          CANARY:
            - manual: "Do the canary's error graphs look normal?"
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            g = s.group
            if g is None or not loads(config, s):
                continue  # what scap refuses first: MW601-MW606
            deployed = s.deploys()
            for cg in s.checks:
                env = cg.environment
                if env is None or (env.name, cg.stage) in deployed:
                    continue
                at = [st for (e, st) in deployed if e == env.name]
                where = (f"it deploys {quote(env.name)} only at {listing(sorted(set(at)))}"
                         if at else f"it never deploys {quote(env.name)}")
                yield self.finding_at(
                    hiera.path, cg.stage_key.span,
                    f"service {quote(s.name)} has a check for {quote(cg.ref)} at {quote(cg.stage)}, where it "
                    f"deploys nothing", clip_path(cg.stage_key.path),
                    help=f"{where}: move the check to a stage that deploys, or remove it",
                    context=(None, None, without_indexes(cg.stage_key.path), s.name))
