"""MW605: service-duplicate-name (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.duplicates` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceDuplicateName(LoaderProblemRule):
    code = "MW605"
    name = "service-duplicate-name"
    severity = "error"
    summary = (
        "Two deploy-service names clash: an environment name or alias that refers to more than one environment of a group (an alias equal to another environment's name, to its own environment's name, or listed twice in one aliases list included: scap counts references); a stage listed twice; two environment references (a name and its alias) to one environment in a namespace or in a service's checks."
    )
    rationale = (
        "scap's loader refuses the whole configuration: it cannot tell which environment a name means, or would deploy one environment twice."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  wikikube:
    environments:
      staging-eqiad: {datacenter: eqiad, type: STAGING, aliases: [staging]}
      staging: {datacenter: codfw, type: STAGING}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  wikikube:
    environments:
      staging-eqiad: {datacenter: eqiad, type: STAGING, aliases: [staging]}
      staging-codfw: {datacenter: codfw, type: STAGING}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    judge = staticmethod(service_loader.duplicates)
