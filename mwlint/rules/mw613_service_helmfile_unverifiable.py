"""MW613: a service's helmfile cannot be read or is templated where it would decide MW612
(info)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule, clip_path
from mwlint.rules.service_charts import chart_outcomes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class ServiceHelmfileUnverifiable(Rule):
    code = "MW613"
    name = "service-helmfile-unverifiable"
    severity = "info"
    options = ("deployment-charts",)
    summary = (
        "Only with deployment-charts = PATH: the helmfile of a service's namespace cannot "
        "be read (not UTF-8, too large, not YAML once its template actions are removed), "
        "or the part that would decide MW612 (environments, releases, an install list) is "
        "templated. One finding per helmfile."
    )
    rationale = (
        "mwlint never runs helmfile or a template engine, so it says what it could not "
        "check instead of guessing; check those by hand with helmfile -e <env-ref> list."
    )
    bad = """
# helmfile.d/services/eventstreams/helmfile.yaml: releases: [{{ .Values.generated }}]
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            eqiad: {releases: {canary: {stage: CANARY}}}
"""
    good = """
# helmfile.d/services/eventstreams/helmfile.yaml: literal release names
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            eqiad: {releases: {canary: {stage: CANARY}}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for o in chart_outcomes(hiera, settings):
            if o.code == self.code:
                yield self.finding_at(hiera.path, o.at.span, o.message, clip_path(o.at.path),
                                      context=o.context, help=o.help)
