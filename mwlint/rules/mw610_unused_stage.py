"""MW610: a stage of the cluster group that no release of the service uses (warning)."""

from __future__ import annotations

from mwlint.model import quote
from mwlint.rules.base import Rule, without_indexes
from mwlint.rules.service_loader import loads


class UnusedStage(Rule):
    code = "MW610"
    name = "service-unused-stage"
    severity = "warning"
    summary = (
        "A stage of the service's cluster group deploys nothing for the service: no release "
        "has that stage (an environment without releases deploys at the default stage)."
    )
    rationale = (
        "scap accepts it and skips the stage, so a service that was meant to go through "
        "CANARY first goes straight to DEFAULT everywhere."
    )
    bad = """
# cluster group wikikube: environment_stages [CANARY, DEFAULT]
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    shellbox:
      cluster_group: wikikube
      namespaces:
        shellbox:
          environments:
            eqiad: {releases: {main: {}}}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    shellbox:
      cluster_group: wikikube
      namespaces:
        shellbox:
          environments:
            eqiad: {releases: {main: {}, migration: {stage: CANARY}}}
"""

    def check(self, hiera, settings):
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            if not loads(config, s):
                continue  # what scap refuses first: MW601-MW606
            g = s.group
            deployed = s.deploys()
            if g is None or not deployed:
                continue
            used = {stage for (_e, stage) in deployed}
            unused = [st for st in g.stages if st not in used]
            if not unused:
                continue
            yield self.finding_at(
                hiera.path, s.name_value.span,
                f"service {quote(s.name)} deploys nothing at stage"
                f"{'s' if len(unused) > 1 else ''} {', '.join(unused)} of cluster group "
                f"{quote(g.name)}", s.name_value.path,
                help="give a release that stage, or ignore MW610 if skipping it is meant",
                context=(None, None, without_indexes(s.name_value.path), s.name))
