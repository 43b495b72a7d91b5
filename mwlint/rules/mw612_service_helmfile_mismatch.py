"""MW612: the deploy-service catalog against the helmfiles of deployment-charts
(deploy-service.md §3)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule, clip_path
from mwlint.rules.service_charts import chart_outcomes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class ServiceHelmfileMismatch(Rule):
    code = "MW612"
    name = "service-helmfile-mismatch"
    severity = "error"
    options = ("deployment-charts",)
    summary = (
        "Only with deployment-charts = PATH: a service's helmfile directory "
        "helmfile.d/<group dir>/<namespace>/ is missing or holds no single helmfile; an "
        "env-ref is not an environment of that helmfile (the message says which it has, "
        "and the other name of the environment to use); a named release is not defined, "
        "or not installed in that environment. Read statically; templated parts are never "
        "guessed (MW613)."
    )
    rationale = (
        "scap runs helmfile -e <env-ref> [-l name=<release>] apply in that directory. It "
        "never checks the directory or the environment: a missing one fails in helmfile, "
        "after earlier groups were deployed. A release the environment does not install "
        "stops scap before the deploy (its own helmfile list check), on the deploy host, after merge."
    )
    bad = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            staging-eqiad: {}   # the helmfile calls it staging
            eqiad: {releases: {canary: {stage: CANARY}, production: {}}}
"""
    good = """
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    eventstreams:
      cluster_group: wikikube
      namespaces:
        eventstreams:
          environments:
            staging: {}
            eqiad: {releases: {canary: {stage: CANARY}, production: {}}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for o in chart_outcomes(hiera, settings):
            if o.code == self.code:
                yield self.finding_at(hiera.path, o.at.span, o.message, clip_path(o.at.path),
                                      context=o.context, help=o.help)
