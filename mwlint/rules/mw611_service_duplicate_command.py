"""MW611: a command listed twice in one check (warning): scap drops it silently."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, clip_path, without_indexes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class DuplicateCommand(Rule):
    code = "MW611"
    name = "service-duplicate-command"
    severity = "warning"
    summary = "A commands check lists the same command twice."
    rationale = (
        "scap runs the commands of a check at the same time and drops duplicates silently: "
        "the second one never runs, which is rarely what was meant (a copy that was to "
        "target another host)."
    )
    bad = """
      checks:
        eqiad:
          DEFAULT:
            - commands:
                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"
                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"
"""
    good = """
      checks:
        eqiad:
          DEFAULT:
            - commands:
                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = hiera.services
        if config is None or not config.services:
            return
        for s in config.services:
            for cg in s.checks:
                for c in cg.checks:
                    seen = set()
                    for text, at in c.commands:
                        if text in seen:
                            yield self.finding_at(
                                hiera.path, at.span,
                                f"command {quote(text)} is listed twice in this check", clip_path(at.path),
                                help="remove the copy: scap runs it once",
                                context=(None, None, without_indexes(at.path), text))
                        seen.add(text)
