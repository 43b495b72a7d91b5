from __future__ import annotations

from mwlint.findings import UNSAFE, Finding, Fix
from mwlint.model.types import STAGES, Field, HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, fit
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Optional

_HINTS = {
    "canary": "canaries",
    "canaries": "canaries",
    "test": "testservers",
    "tests": "testservers",
    "testserver": "testservers",
    "testing": "testservers",
    "debug": "testservers",
    "prod": "production",
    "production": "production",
    "main": "production",
}


class InvalidStage(Rule):
    code = "MW105"
    name = "invalid-stage"
    severity = "error"
    summary = "A release's stage is not exactly testservers, canaries or production."
    rationale = (
        "scap stops loading the config with 'unsupported stage' (E6) and Puppet's Enum "
        "rejects it: no sync can run until it is fixed. scap's own docstring says `canary`, "
        "but the code and Puppet want `canaries`."
    )
    unsafe_fix = True
    fix = (
        "With `--unsafe-fixes` (a guess): a stage with one close match (`canary` -> "
        "`canaries`) is replaced by it, quoted as it was."
    )
    bad = """
releases:
  canary: {stage: canary}
"""
    good = """
releases:
  canary: {stage: canaries}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for r in d.releases():
                f = r.get("stage")
                if f is None:
                    continue
                v = f.value
                if f.is_str and v in STAGES:
                    allowed = getattr(settings, "allowed_stages", None)
                    if allowed is None or v in allowed:
                        continue
                    # scap accepts it, but the repository's own Puppet type does not
                    yield self.at(
                        hiera, f,
                        f"stage {quote(v)} of {quote(r.label)} is not allowed by this repository's "
                        f"Puppet type",
                        context=(r.entry.namespace, r.name, "stage", str(v)),
                        help=f"use one of {', '.join(allowed)}, or update the type in the "
                             f"same change",
                    )
                    continue
                hint = ""
                fix = None
                if isinstance(v, str):
                    guess = _HINTS.get(v.strip().lower())
                    if guess is None:
                        guess = closest(v, STAGES)
                    if guess:
                        hint = f"; did you mean {guess!r}?"
                        fix = _guess_fix(hiera, f, guess)
                what = quote(v) if f.is_str else f.describe()
                head = f"stage {what} of {quote(r.label)} is not"
                msg, help = fit(f"{head} testservers, canaries or production{hint}",
                                f"{head} a stage{hint}", None,
                                "the stages are testservers, canaries and production")
                yield self.at(
                    hiera, f, msg,
                    context=(r.entry.namespace, r.name, "stage", str(v)),
                    fix=fix, help=help,
                )


def _guess_fix(hiera: HieraFile, f: Field, guess: str) -> Optional[Fix]:
    """The did-you-mean as an unsafe fix (a guess: ``--fix --unsafe-fixes`` applies it)."""
    if not f.is_str:
        return None
    edit = hiera.migration().replace_scalar(f, guess)  # the planner loads only here
    if edit is None:
        return None
    return Fix(f"stage: {guess}", UNSAFE, (edit,))
