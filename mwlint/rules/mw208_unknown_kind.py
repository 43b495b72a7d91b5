from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import Field, HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule
from mwlint.rules.predicates import Site, Sites, inheritors, namespace_value_used
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Iterable, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from typing import TypeGuard  # Python 3.10: annotations only


def _normal(s: str) -> str:
    return s.strip().lower().replace("_", "-").replace(" ", "-")


def suggest_kind(value: str, known: Sequence[str]) -> str:
    n = _normal(value)
    for k in known:
        if _normal(k) == n:
            return k
    for k in known:  # "debug" -> "debug-image", "cli" -> "cli-image"
        if _normal(k) in (f"{n}-image", f"image-{n}") or n.replace("-image", "") == \
                _normal(k).replace("-image", "") and n != _normal(k):
            return k
    return closest(value, known) or ""


class UnknownKind(Rule):
    code = "MW208"
    name = "unknown-kind"
    severity = "warning"
    options = ("known-kinds",)
    summary = (
        "An effective mw_kind not in known-kinds (default image, debug-image, cli-image), "
        "with did-you-mean. Reported once where the value is set, listing the releases that "
        "use it."
    )
    rationale = (
        "Kinds are opaque keys into the image build report, so neither Puppet nor scap checks "
        "them when the config loads; a misspelt kind is only found after the images are "
        "built, when scap aborts the sync before writing any values file. Only a warning: "
        "the build report check (MW403) is the authority, and a new kind is legitimate once "
        "the release repository builds it (add it to known-kinds)."
    )
    bad = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
  mw_kind: debug_image
"""
    good = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
  mw_kind: debug-image
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        known = tuple(getattr(settings, "known_kinds", None) or ())
        if not known:
            return
        for d in hiera.deployments:
            sites = Sites()
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("mw_kind")
                if _unknown(f, known) and namespace_value_used(e, "mw_kind"):
                    sites.add(f, f"namespace {quote(e.label)}", inheritors(e, "mw_kind"),
                              (e.namespace, None))
                for r in e.releases:
                    f = r.get("mw_kind")
                    if _unknown(f, known):
                        sites.add(f, f"release {quote(r.label)}", (), (e.namespace, str(r.name)))
            for f, what, ctx in sites:
                yield self._finding(hiera, f, what, known, ctx)

    def _finding(self, hiera: HieraFile, f: Field, what: Site, known: Sequence[str],
                 ident: Tuple[Any, ...]) -> Finding:
        guess = suggest_kind(f.value, known)
        hint = f"; did you mean {guess!r}?" if guess else ""
        help = ("fix the spelling, or add the kind to known-kinds if the release repository "
                "builds it")
        if not guess:
            help = f"the known kinds are {cap_list(known)}: {help}"
        msg, help = what.message(f" is not a known kind{hint}", help)
        return self.at(hiera, f, msg, context=ident + ("mw_kind", f.value), help=help)


def _unknown(f: Optional[Field], known: Sequence[str]) -> TypeGuard[Field]:
    return f is not None and f.nonempty_str and f.value not in known
