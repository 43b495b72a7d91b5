from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, without_indexes
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class DuplicateKey(Rule):
    code = "MW002"
    name = "duplicate-key"
    severity = "error"
    scope = ("check", "report")
    summary = (
        "A mapping key is repeated inside the deployments value (release names, entry keys, "
        "...), or the deployments hiera key itself is set twice in one file."
    )
    rationale = (
        "YAML loaders, Ruby's and Python's alike, keep the last value of a repeated key "
        "without a word: a release or a setting written first silently vanishes, and scap "
        "never deploys it."
    )
    bad = """
releases:
  main: {}
  main: {stage: canaries}
"""
    good = """
releases:
  main: {}
  canary: {stage: canaries}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for key, short in hiera.repeated_keys:
            yield self.finding_at(
                hiera.path, key.span,
                f"the hiera key {short} is set again later in this file, so this value is "
                f"never used",
                short, help="merge the two values into one",
                context=(None, None, short, None),
            )
        for d in hiera.deployments:
            for key, first, path in d.duplicates:
                yield self.finding_at(
                    hiera.path, key.span,
                    f"key {quote(key.text)} repeats the one at line "
                    f"{first.line}, which YAML silently drops",
                    path, help="rename or merge one of them",
                    context=(None, None, without_indexes(path), str(key.text)),
                )
