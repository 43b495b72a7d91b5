"""MW602: service-missing-key (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.missing_keys` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceMissingKey(LoaderProblemRule):
    code = "MW602"
    name = "service-missing-key"
    severity = "error"
    summary = (
        "A required deploy-service key is absent: a cluster group's environments, environment_stages or environment_default_stage; an environment's datacenter or type; the catalog's services; a service's cluster_group or namespaces; a namespace's environments."
    )
    rationale = (
        "scap's loader refuses the whole configuration when a required key is missing, on the deploy host, after merge and a Puppet run."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  dse-k8s:
    environments:
      dse-k8s-eqiad: {datacenter: eqiad}
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
    judge = staticmethod(service_loader.missing_keys)
