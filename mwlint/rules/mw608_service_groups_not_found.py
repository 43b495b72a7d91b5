"""MW608: a service catalog whose cluster groups are in no file of the run (info)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule, clip_path
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class GroupsNotFound(Rule):
    code = "MW608"
    name = "service-groups-not-found"
    severity = "info"
    summary = (
        "The service catalog is linted, but the cluster groups it refers to are in no file "
        "of the run, so its references (cluster groups, environments, stages, checks) are "
        "not checked. Said once per catalog."
    )
    rationale = (
        "The two deploy-service keys may sit in different hiera files. mwlint resolves the "
        "catalog against the cluster groups of any file of the same run, and says so when "
        "it cannot instead of guessing."
    )
    bad = """
# this file only; the cluster groups are set elsewhere
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    superset:
      cluster_group: dse-k8s
      namespaces:
        superset:
          environments:
            dse-k8s-eqiad: {}
"""
    good = """
# lint the file that sets the cluster groups in the same run, e.g. the whole hieradata
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = hiera.services
        if config is None or not config.groups_missing:
            return
        at = config.catalog_value
        assert at is not None  # set with services, which groups_missing needs
        yield self.finding_at(
            hiera.path, at.span,
            "the cluster groups of this service catalog are in no file of the run, so its "
            "references are not checked", clip_path(at.path),
            help="lint the file that sets profile::kubernetes::deployment_server::"
                 "deploy_service::cluster_groups in the same run",
            context=(None, None, clip_path(at.path), None))
