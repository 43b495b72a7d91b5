"""MW601: service-unknown-key (deploy-service.md §2): what scap's loader refuses, judged by
:func:`mwlint.rules.service_loader.unknown_keys` over the facts of the deploy-service model."""

from __future__ import annotations

from mwlint.rules import service_loader
from mwlint.rules.base import LoaderProblemRule


class ServiceUnknownKey(LoaderProblemRule):
    code = "MW601"
    name = "service-unknown-key"
    severity = "error"
    summary = (
        'A deploy-service mapping (cluster group, environment, service catalog, service, namespace, environment reference, release) has a key scap does not read; the message suggests the closest known key.'
    )
    rationale = (
        'scap\'s loader refuses the whole configuration for one unexpected key ("has unexpected key(s)"), so no service can be deployed until the next Puppet run with a fix. Puppet types both keys only as Hash[String, Hash] and lets it through.'
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  dse-k8s:
    dirs: dse-k8s-services
    environments:
      dse-k8s-eqiad: {datacenter: eqiad, type: PRODUCTION}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  dse-k8s:
    dir: dse-k8s-services
    environments:
      dse-k8s-eqiad: {datacenter: eqiad, type: PRODUCTION}
    environment_stages: [DEFAULT]
    environment_default_stage: DEFAULT
"""
    fix = (
        'Unsafe (a guess, applied with --unsafe-fixes): when exactly one key scap reads there is close to the misspelt one, it is written instead.'
    )
    judge = staticmethod(service_loader.unknown_keys)
