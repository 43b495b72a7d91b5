from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile, Release
from mwlint.model.values import quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import see_mw201, stage_ok
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Optional


def debug_cause(r: Release) -> Optional[str]:
    """Why a release counts as a debug release, or ``None``: its effective kind is
    debug-image, or its namespace has ``debug: true``."""
    kind = r.kind
    if kind.value == "debug-image":
        return "runs the debug image"
    if r.entry.debug_true:
        return "of a debug: true namespace"
    return None


class DebugImageStage(Rule):
    code = "MW203"
    name = "debug-image-stage"
    severity = "error"
    summary = (
        "A deployable release (effective deploy true) whose effective kind is debug-image, or "
        "whose namespace has `debug: true`, but whose stage is not testservers. "
        "`deploy: false` releases are exempt."
    )
    rationale = (
        "A debug image belongs on the testservers stage only. Since scap 1140ee83 the stage "
        "comes only from `stage`: a debug-image release without `stage: testservers` is "
        "applied with the production releases (or the canaries), and a former `debug: true` "
        "namespace without stages becomes a production deployment. A `deploy: false` release "
        "is never applied, so its stage does not matter (real: mw-experimental/pinkllama)."
    )
    fix = (
        "Part of MW201's recipe: in a `debug: true` namespace that `mwlint --fix` migrates "
        "(see MW201 for when it does not), each deployable release without a stage gets "
        "`stage: testservers`: the finding's fix has no edits of its own and says "
        "\"repaired by the MW201 fix at line N\". A release with its own other stage, and a "
        "debug-image release outside a `debug: true` namespace, are left to a person."
    )
    bad = """
- namespace: mw-misc
  releases:
    main: {}
  mw_kind: debug-image
  mw_flavour: publish
  web_flavour: webserver
"""
    good = """
- namespace: mw-misc
  releases:
    main: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish
  web_flavour: webserver
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for r in d.releases():
                if not r.deployable or not stage_ok(r):
                    continue
                stage = r.stage
                if stage.value == "testservers":
                    continue
                cause = debug_cause(r)
                if cause is None:
                    continue
                verb = "but deploys" if cause.startswith("runs") else "deploys"
                msg = f"release {quote(r.label)} {cause} {verb} at the {stage.value} stage"
                help: Optional[str] = ("set stage: testservers on the release, or deploy: false "
                                       "to park it")
                fix = None
                detail = ""
                if r.entry.debug_true:
                    detail = see_mw201(r.entry)
                    fix = hiera.migration().stage_fix(r)
                elif stage.origin != "release":
                    detail = "it sets no stage"
                if detail:
                    msg, help = fit(f"{msg} ({detail})", msg, help, detail)
                yield self.at(
                    hiera, r, msg, fix=fix,
                    context=(r.entry.namespace, str(r.name), "stage", str(stage.value)),
                    help=help,
                )
