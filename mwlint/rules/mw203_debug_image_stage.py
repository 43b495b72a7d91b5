from mwlint.rules.base import Rule
from mwlint.rules.mw201_deprecated_debug import _stage_ok


def debug_cause(r):
    """Why a release counts as a debug release, or ``None``: its effective kind is
    debug-image, or its namespace has ``debug: true``."""
    kind = r.kind
    if kind.value == "debug-image":
        where = "the release" if kind.origin == "release" else "its namespace"
        return f"runs the debug image (mw_kind: debug-image on {where})"
    if r.entry.debug_true:
        tail = ("" if kind.origin != "default" else
                ", and without mw_kind it even runs the production image")
        return f"belongs to a debug: true namespace (scap no longer reads debug{tail})"
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

    def check(self, hiera, settings):
        for d in hiera.deployments:
            for r in d.releases():
                if not r.deployable or not _stage_ok(r):
                    continue
                stage = r.stage
                if stage.value == "testservers":
                    continue
                cause = debug_cause(r)
                if cause is None:
                    continue
                where = (f"stage: {stage.value}" if stage.origin == "release"
                         else "no stage, so production")
                yield self.at(
                    hiera, r,
                    f"release {r.label!r} {cause} but is not at testservers ({where}): scap "
                    f"applies this debug deployment at the {stage.value} stage, where the "
                    f"debug image must not go; set stage: testservers on the release, or "
                    f"deploy: false to park it",
                    context=(r.entry.namespace, str(r.name), "stage", str(stage.value)),
                )
