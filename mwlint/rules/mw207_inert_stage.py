from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import STAGES, HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class InertStage(Rule):
    code = "MW207"
    name = "inert-stage"
    severity = "info"
    summary = "`stage` is set on a `deploy: false` release, where it has no effect today."
    rationale = (
        "scap writes the values file of a `deploy: false` release but never applies, diffs, "
        "rolls back or supervises it, so its stage has no observable effect. The stage still "
        "decides where the release lands when deploy is re-enabled: keeping "
        "`stage: testservers` on a paused debug release is right, and this finding only "
        "makes the dormant setting visible."
    )
    bad = """
releases:
  pinkllama: {stage: canaries, deploy: false}
"""
    good = """
releases:
  pinkllama: {deploy: false}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for r in d.releases():
                stage = r.get("stage")
                deploy = r.get("deploy")
                if stage is None or deploy is None:
                    continue
                if not (stage.is_str and stage.value in STAGES):
                    continue  # MW105
                if not deploy.is_bool or deploy.value:
                    continue  # a non-boolean deploy is MW104's
                if stage.value == "testservers" and r.kind.value == "debug-image":
                    advice = ("nothing to change: it keeps this paused debug release on "
                              "testservers when deploy is re-enabled")
                else:
                    advice = (f"check that {stage.value} is where the release should land "
                              f"when deploy is re-enabled; otherwise change or delete the "
                              f"stage")
                yield self.at(
                    hiera, r,
                    f"stage: {stage.value} on {quote(r.label)} has no effect while deploy is false",
                    context=(r.entry.namespace, str(r.name), "stage", stage.value),
                    help=advice,
                )
