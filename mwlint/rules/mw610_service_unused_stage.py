"""MW610: a service stages its releases in some environments of a type but skips that
stage in another of the same type (warning). Narrowed in 0.3: a stage that no release of
the service uses is not reported (the group's stages are shared by its services, and scap
skips an empty stage), only the uneven use a deployer would fix."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, clip_path, without_indexes
from mwlint.rules.service_loader import LIST_LIMIT, listing, loads
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Optional, Set, Tuple

if TYPE_CHECKING:
    from mwlint.model.services import Environment, EnvRef


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

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            g = s.group
            if g is None or not loads(config, s):
                continue  # what scap refuses first: MW601-MW606
            deployed = s.deploys()
            # (type, stage) -> the first environment staging there
            staged: Dict[Tuple[Optional[str], Optional[str]], Environment] = {}
            for ns in s.namespaces:
                for ref in ns.env_refs:
                    env = ref.environment
                    for rel in ref.releases or ():
                        if env is not None and rel.stage_value is not None \
                                and rel.stage != g.default_stage:
                            staged.setdefault((env.type, rel.stage), env)
            if not staged:
                continue
            # environment name -> its first env-ref naming releases
            first_ref: Dict[str, EnvRef] = {}
            for ns in s.namespaces:
                for ref in ns.env_refs:
                    if ref.environment is not None and ref.releases is not None:
                        first_ref.setdefault(ref.environment.name, ref)
            # type -> {stage: environment}, in stage order of first use
            by_type: Dict[Optional[str], Dict[Optional[str], Environment]] = {}
            for (etype, stage), env in staged.items():
                by_type.setdefault(etype, {})[stage] = env
            # environment name -> the stages it deploys at
            at_env: Dict[str, Set[Optional[str]]] = {}
            for (ename, stage) in deployed:
                at_env.setdefault(ename, set()).add(stage)
            for ename, ref in first_ref.items():
                env = ref.environment
                assert env is not None  # first_ref holds resolved env-refs only
                wanted = by_type.get(env.type, {})
                have = at_env.get(ename, set())
                if len(have & wanted.keys()) == len(wanted):
                    continue
                # the first few stages it lacks (bounded work: see listing)
                missing: List[Optional[str]] = []
                for stage in wanted:
                    if stage not in have:
                        missing.append(stage)
                        if len(missing) > LIST_LIMIT:
                            break
                count = len(wanted) - len(have & wanted.keys())
                model = wanted[missing[0]]
                at = ref.name_value
                stages = listing(missing, total=count)
                yield self.finding_at(
                    hiera.path, at.span,
                    f"service {quote(s.name)} deploys nothing at stage"
                    f"{'s' if count > 1 else ''} {stages} in {quote(ref.ref)}, unlike "
                    f"{quote(model.name)}", clip_path(at.path),
                    help=f"give a release of {quote(ref.ref)} that stage, or ignore MW610 "
                         f"if it is meant",
                    context=(None, missing[0], without_indexes(at.path), s.name))

