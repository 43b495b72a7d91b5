"""MW606: service-undefined-reference (deploy-service.md §2): what scap's loader refuses, recorded by the
model as problems of kind ``undefined``."""

from __future__ import annotations

from mwlint.rules.base import Rule, without_indexes


class ServiceUndefinedReference(Rule):
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
    kind = "undefined"

    def check(self, hiera, settings):
        config = hiera.services
        if config is None:
            return
        for p in config.problems:
            if p.kind == self.kind:
                yield self.finding_at(hiera.path, p.at.span, p.message, p.at.path,
                                      help=p.help,
                                      context=(None, None, without_indexes(p.at.path),
                                               p.message))
