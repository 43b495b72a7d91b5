from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.rules.base import Rule, because, without_indexes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable

_NODE_ID = {"map": "mapping", "seq": "sequence"}  # a finding's identity, as before
# why it fails, when the model's message does not say (issue 20 item 6)
_REFUSED = ", which Puppet's type rejects"
_REFUSED_RENDERED = ", so scap cannot load it"


class InvalidShape(Rule):
    code = "MW101"
    name = "invalid-shape"
    severity = "error"
    scope = ("check", "report")
    summary = (
        "The mw_releases value is not a list; the mw_deployments value is not a mapping "
        "with a deployment_targets list; an entry is not a mapping; a rendered "
        "mediawiki-deployments.yaml is empty. The message names the generation of the "
        "format the input looks like when it matches one."
    )
    rationale = (
        "Puppet's type rejects the value, so the deployment server stops applying Puppet; "
        "scap refuses to load it (or crashes), so no sync can run. Nothing inside a value "
        "of the wrong shape is checked further."
    )
    bad = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""
    good = """
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  deployment_targets:
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
  supervision_rules: []
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.shape_error is not None:
                msg, value, help = d.shape_error
                span = value.span if value is not None else d.key_span
                msg = because(msg, _REFUSED_RENDERED if d.prefix == "mediawiki-deployments"
                              else _REFUSED)
                yield self.finding_at(hiera.path, span, msg, d.prefix, help=help,
                                      context=(None, None, d.prefix, None))
            for _i, value, path, msg in d.bad_entries:
                what = str(value.text) if value.is_scalar else _NODE_ID[value.kind]
                yield self.finding_at(hiera.path, value.span, because(msg, _REFUSED), path,
                                      context=(None, None, without_indexes(path), what),
                                      help="write a mapping with namespace, releases, "
                                           "mw_flavour and web_flavour")
