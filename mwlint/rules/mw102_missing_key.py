from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.schema import REQUIRED_ENTRY_KEYS
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Tuple


class MissingKey(Rule):
    code = "MW102"
    name = "missing-key"
    severity = "error"
    summary = (
        "An entry lacks namespace, releases, mw_flavour or web_flavour (Puppet requires both "
        "flavours at namespace level, even when every release sets its own), or an "
        "mw_deployments value lacks supervision_rules."
    )
    rationale = (
        "Puppet's type fails to compile the deployment server's catalog, and scap aborts the "
        "sync (or crashes) on an entry it cannot resolve: scap indexes `namespace` and "
        "`releases` directly and crashes without them, and cannot pick a MediaWiki or web "
        "image without the flavours, which Puppet requires at namespace level. Without "
        "`supervision_rules` scap falls back to its scap.cfg thresholds. Real case: "
        "operations/puppet 64c41884 and 70fd8231 merged mw-misc without web_flavour."
    )
    bad = """
- namespace: mw-misc
  releases:
    main: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish
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
            if d.form == "mapping" and "supervision_rules" not in d.top_fields:
                first = d.top_fields.get("deployment_targets")
                yield self.finding_at(
                    hiera.path, first.key_span if first else d.span,
                    f"{d.short_name} has no supervision_rules, which Puppet's type requires",
                    d.prefix, context=(None, None, "supervision_rules", None),
                    help="add supervision_rules (an empty list [] when there are none)",
                )
            for e in d.entries:
                wanted: Tuple[str, ...] = REQUIRED_ENTRY_KEYS
                if e.legacy is not None:
                    wanted = ("mw_flavour", "web_flavour")
                missing = [k for k in wanted if k not in e.fields]
                if not missing:
                    continue
                names = " and ".join(missing)
                yield self.finding_at(
                    hiera.path, e.span,
                    f"entry {quote(e.label)} has no {names}: Puppet requires "
                    f"{'them' if len(missing) > 1 else 'it'}",
                    e.path,
                    context=(e.namespace, None, ",".join(missing), None),
                    help=f"add {names} at namespace level",
                )
