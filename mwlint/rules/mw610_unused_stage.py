"""MW610: a service stages its releases in some environments of a type but skips that
stage in another of the same type (warning). Narrowed in 0.3: a stage that no release of
the service uses is not reported (the group's stages are shared by its services, and scap
skips an empty stage), only the uneven use a deployer would fix."""

from __future__ import annotations

from mwlint.model import quote
from mwlint.rules.base import Rule, without_indexes
from mwlint.rules.service_loader import loads


class UnusedStage(Rule):
    code = "MW610"
    name = "service-unused-stage"
    severity = "warning"
    summary = (
        "A service gives a release an explicit non-default stage (CANARY) in some "
        "environments of one type, and names the releases of another environment of that "
        "type without any at that stage. An environment without releases (every release "
        "at the default stage) is a choice, not reported; a stage no release of the service uses at all is not "
        "reported: the group's stages are shared, and scap skips an empty stage."
    )
    rationale = (
        "scap accepts it and skips the stage in that environment, so the canary goes out "
        "in eqiad but codfw gets the new version straight at DEFAULT: usually a release "
        "forgotten when the environment was added."
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
            eqiad: {releases: {canary: {stage: CANARY}, production: {}}}
            codfw: {releases: {production: {}}}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            eqiad: {releases: {canary: {stage: CANARY}, production: {}}}
            codfw: {releases: {canary: {stage: CANARY}, production: {}}}
"""

    def check(self, hiera, settings):
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            g = s.group
            if g is None or not loads(config, s):
                continue  # what scap refuses first: MW601-MW606
            deployed = s.deploys()
            staged: dict = {}  # (type, stage) -> the first environment staging there
            for ns in s.namespaces:
                for ref in ns.env_refs:
                    env = ref.environment
                    for rel in ref.releases or ():
                        if env is not None and rel.stage_value is not None \
                                and rel.stage != g.default_stage:
                            staged.setdefault((env.type, rel.stage), env)
            if not staged:
                continue
            first_ref: dict = {}  # environment name -> its first env-ref naming releases
            for ns in s.namespaces:
                for ref in ns.env_refs:
                    if ref.environment is not None and ref.releases is not None:
                        first_ref.setdefault(ref.environment.name, ref)
            for stage in g.stages:
                for env in g.environments:
                    model = staged.get((env.type, stage))
                    ref = first_ref.get(env.name)
                    if model is None or ref is None or (env.name, stage) in deployed:
                        continue
                    at = ref.name_value
                    yield self.finding_at(
                        hiera.path, at.span,
                        f"service {quote(s.name)} deploys nothing at stage {quote(stage)} in "
                        f"{quote(ref.ref)}, unlike {quote(model.name)}", at.path,
                        help=f"give a release of {quote(ref.ref)} stage {quote(stage)}, or "
                             f"ignore MW610 if it is meant",
                        context=(None, stage, without_indexes(at.path), s.name))
