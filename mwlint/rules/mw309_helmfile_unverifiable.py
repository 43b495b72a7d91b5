from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule
from mwlint.rules.predicates import finding_for, helmfile_outcomes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class HelmfileUnverifiable(Rule):
    code = "MW309"
    name = "helmfile-unverifiable"
    severity = "info"
    options = ("deployment-charts",)
    summary = (
        "Only with deployment-charts = PATH: the helmfile part that would decide MW308 is "
        "templated (a generated release name, a templated install list or environment) or "
        "the helmfile cannot be read (not UTF-8, too large, not YAML once its template "
        "actions are removed, outside the checkout). One finding per namespace."
    )
    rationale = (
        "mwlint never runs helmfile or renders templates, so what a template would produce "
        "is unknown: the records concerned were not checked, and that is said instead of "
        "guessing. Never an error (real case: mw-script's release named by the "
        "RELEASE_NAME environment variable)."
    )
    bad = """
# helmfile.d/services/mw-script/helmfile.yaml names its release {{ env "RELEASE_NAME" }}
- namespace: mw-script
  releases: {main: {}}
"""
    good = """
- namespace: mw-script
  releases: {main: {deploy: false}}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for o in helmfile_outcomes(hiera, settings):
            if o.code == self.code:
                yield finding_for(self, hiera, o)
