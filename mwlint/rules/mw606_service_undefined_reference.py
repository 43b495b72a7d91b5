"""MW606: service-undefined-reference (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.undefined` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceUndefinedReference(LoaderProblemRule):
    code = "MW606"
    name = "service-undefined-reference"
    severity = "error"
    summary = (
        'A service names a cluster group that is not defined, or an environment (in its namespaces or its checks) that its cluster group has no environment or alias for; the message lists what exists and suggests the closest name. Groups defined in another file of the same run count.'
    )
    rationale = (
        'scap\'s loader refuses the whole configuration ("refers to undefined cluster group", "which cluster group G has no environment or alias for").'
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    superset:
      cluster_group: dse-k8
      namespaces:
        superset:
          environments:
            dse-k8s-eqiad: {}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    superset:
      cluster_group: dse-k8s
      namespaces:
        superset:
          environments:
            dse-k8s-eqiad: {}
"""
    fix = (
        'Unsafe (a guess, applied with --unsafe-fixes): when exactly one environment name or alias of the group is close to a misspelt env-ref, it is written instead.'
    )
    judge = staticmethod(service_loader.undefined)
