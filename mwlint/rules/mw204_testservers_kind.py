from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import null_override
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class KindAtTestservers(Rule):
    code = "MW204"
    name = "testservers-kind"
    severity = "warning"
    options = ("known-kinds",)
    summary = "A release at `stage: testservers` whose effective kind is not debug-image."
    rationale = (
        "The testservers stage (the mwdebug hosts) is where debug images are tried before "
        "the canaries; every real testservers release runs debug-image. A testservers "
        "release with another kind is usually a half-done T389499 migration: "
        "`stage: testservers` was added but `mw_kind: debug-image` was forgotten, so the "
        "release runs the production image where the debug one is expected. Not reported in "
        "a namespace that MW202 reports when MW202 runs too (MW202 supersedes it), nor for a kind that is not in known-kinds (MW208: "
        "usually a misspelt debug-image)."
    )
    bad = """
- namespace: mw-misc
  releases:
    main: {stage: testservers}
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
        known = tuple(getattr(settings, "known_kinds", None) or ("image", "debug-image",
                                                                  "cli-image"))
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                for r in e.releases:
                    f = r.get("stage")
                    if f is None or not f.is_str or f.value != "testservers":
                        continue
                    kind = r.kind
                    if kind.value == "debug-image" or null_override(r):
                        continue
                    if kind.field is not None and not (kind.field.is_str or kind.field.is_null):
                        continue  # a non-string kind is MW104's
                    if kind.value not in known and kind.field is not None \
                            and not kind.field.is_null:
                        continue  # an unknown kind (a typo, usually) is MW208's
                    if kind.origin == "default" or (kind.field is not None
                                                      and kind.field.is_null):
                        what, detail = "the default kind 'image'", "no mw_kind set"
                    else:
                        what = f"kind {quote(kind.value)}"
                        detail = f"mw_kind set on the {kind.origin}"
                    head = f"release {quote(r.label)} is at stage testservers but runs {what}"
                    msg, help = fit(f"{head} ({detail})", head,
                                    "set mw_kind: debug-image on the namespace or the release, "
                                    "or move the release to canaries or production", detail)
                    yield self.at(
                        hiera, r, msg,
                        context=(e.namespace, str(r.name), "mw_kind", str(kind.value)),
                        help=help,
                    )
