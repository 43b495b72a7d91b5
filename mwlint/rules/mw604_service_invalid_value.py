"""MW604: service-invalid-value (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.invalid_values` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceInvalidValue(LoaderProblemRule):
    code = "MW604"
    name = "service-invalid-value"
    severity = "error"
    summary = (
        "A deploy-service value scap does not accept: an environment type that is not exactly STAGING or PRODUCTION; a default stage, a release's stage or a check's stage that is not among the cluster group's environment_stages; a check type other than commands or manual. The message suggests the closest valid value."
    )
    rationale = (
        "scap's loader refuses the whole configuration for it; the type is case-sensitive, so Production or staging is refused too."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  dse-k8s:
    environments:
      dse-k8s-eqiad: {datacenter: eqiad, type: Production}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  dse-k8s:
    environments:
      dse-k8s-eqiad: {datacenter: eqiad, type: PRODUCTION}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    fix = (
        'Unsafe (a guess, applied with --unsafe-fixes): when exactly one stage of the group is close to a misspelt stage, it is written instead.'
    )
    judge = staticmethod(service_loader.invalid_values)
