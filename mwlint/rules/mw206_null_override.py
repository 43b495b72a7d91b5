from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.rules.predicates import null_override
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class NullOverride(Rule):
    code = "MW206"
    name = "null-override"
    severity = "warning"
    summary = (
        "A release sets `mw_kind: ~` while its namespace sets mw_kind: the null does not fall "
        "back to the namespace's kind, it silently means `image`."
    )
    rationale = (
        "scap takes a release-level key whenever it is present, even when it is null, and a "
        "null kind is the default `image`. A release in a `mw_kind: debug-image` namespace "
        "that says `mw_kind: ~` therefore deploys the production image, and Puppet's "
        "`Optional[String]` lets it through. No finding when the namespace sets no kind "
        "(the null then means `image` either way)."
    )
    bad = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
    next: {stage: testservers, mw_kind: ~}
  mw_kind: debug-image
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
    next: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for r in d.releases():
                if not null_override(r):
                    continue
                ns_field = r.entry.get("mw_kind")
                assert ns_field is not None  # null_override: the namespace sets it
                ns_kind = ns_field.value
                yield self.at(
                    hiera, r,
                    f"release {quote(r.label)} sets mw_kind: ~, so it runs kind 'image', not its "
                    f"namespace's {quote(ns_kind)}",
                    context=(r.entry.namespace, str(r.name), "mw_kind", None),
                    help=f"delete the release's mw_kind line to inherit {quote(ns_kind)}, or write "
                         f"mw_kind: image if the production image is intended",
                )
