"""MW308 (and, through :func:`helmfile_outcomes`, MW309): the deployable records checked
against the helmfiles of a deployment-charts checkout, read statically
(``deployment-charts.md`` §6)."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule
from mwlint.rules.predicates import finding_for, helmfile_outcomes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class HelmfileMismatch(Rule):
    code = "MW308"
    name = "helmfile-mismatch"
    severity = "error"
    options = ("deployment-charts",)
    summary = (
        "Only with deployment-charts = PATH, for deployable records: "
        "helmfile.d/<dir>/<namespace>/helmfile.yaml does not define an environment named "
        "after the cluster, or no release named after the release, or the release is "
        "defined but not in that environment's install list. The helmfile is read "
        "statically; templated parts are never guessed (MW309)."
    )
    rationale = (
        "scap runs helmfile -e <cluster> --selector name=<release> apply in that "
        "directory. A missing environment or release fails in the middle of a sync, after "
        "earlier stages were already applied; a release missing from the environment's "
        "install list silently deploys nothing (its installedTemplate is false there, so the "
        "apply deploys nothing or uninstalls it). An entry without clusters is checked "
        "against its default clusters. deploy: false releases are not checked (scap never "
        "runs helmfile for them)."
    )
    bad = """
# helmfile.d/services/mw-web/helmfile.yaml defines main, canary, next, migration
- namespace: mw-web
  releases: {mian: {}}
"""
    good = """
- namespace: mw-web
  releases: {main: {}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for o in helmfile_outcomes(hiera, settings):
            if o.code == self.code:
                yield finding_for(self, hiera, o)

