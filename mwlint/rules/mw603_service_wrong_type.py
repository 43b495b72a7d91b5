"""MW603: service-wrong-type (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.wrong_types` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceWrongType(LoaderProblemRule):
    code = "MW603"
    name = "service-wrong-type"
    severity = "error"
    summary = (
        'A deploy-service value has the wrong type or is empty where scap needs content: not a mapping, not a non-empty string (names and keys included: 123: or yes: is not a name), not a list; a group without environments, empty environment_stages, services, namespaces or environments; releases: {} (omit it to deploy every release); a check that is not exactly one key, a manual check that is not a string or null, commands that are not a list of strings.'
    )
    rationale = (
        'scap\'s loader refuses the whole configuration ("must be a mapping", "must be a non-empty string", "is empty"), so no service deploys until it is fixed.'
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    superset:
      cluster_group: dse-k8s
      namespaces:
        superset:
          environments:
            dse-k8s-eqiad: {releases: {}}
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
    judge = staticmethod(service_loader.wrong_types)
