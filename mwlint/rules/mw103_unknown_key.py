from __future__ import annotations

from mwlint.findings import UNSAFE, Finding, Fix
from mwlint.model.schema import (
    ALIASES,
    ENTRY_KEYS,
    ENTRY_KEYS_MAPPING_FORM,
    RELEASE_KEYS,
    TOP_KEYS,
)
from mwlint.model.types import Field, HieraFile
from mwlint.model.values import Value, quote
from mwlint.rules.base import Rule
from mwlint.rules.predicates import COMPLEX_KEY, key_source
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Collection, Iterable, Optional, Tuple

# Keys that have their own rule at each level (one problem, one finding).
_ENTRY_OWN = {"debug", "release", "canary", "name"}
_ENTRY_OWN_LIST_FORM = _ENTRY_OWN | {"scope"}
_RELEASE_OWN = {"debug"}


def allowed_keys(settings: Settings, level: str, form: Optional[str] = None) -> Tuple[str, ...]:
    """The keys allowed at ``level``: the repository's Puppet types when they describe that
    level (``settings.allowed_keys``), else the built-in sets; plus ``extra-keys``."""
    extra = tuple(getattr(settings, "extra_keys", {}).get(level, ()))
    override = getattr(settings, "allowed_keys", None) or {}
    if level in override:
        return tuple(override[level]) + extra
    if level == "top":
        return TOP_KEYS + extra
    if level == "entry":
        return (ENTRY_KEYS_MAPPING_FORM if form == "mapping" else ENTRY_KEYS) + extra
    return RELEASE_KEYS + extra


class UnknownKey(Rule):
    code = "MW103"
    name = "unknown-key"
    severity = "error"
    options = ("extra-keys",)
    summary = (
        "A key that the closed Puppet Struct does not allow, at top, entry or release level "
        "(a key that is a list or a mapping included). "
        "Suggests the intended key (cluster_dir -> dir, kind -> mw_kind, flavor -> "
        "mw_flavour, ...) and names the right level when the key belongs to the other one."
    )
    rationale = (
        "scap ignores unknown keys silently, so a misspelt `mw_flavor` or `stages` deploys as "
        "if it were not there; Puppet's closed Struct rejects it, which stops Puppet on the "
        "deployment server."
    )
    unsafe_fix = True
    fix = (
        "With `--unsafe-fixes` (a guess): a key with one close match that the mapping does "
        "not already have (`mw_flavor` -> `mw_flavour`) is renamed to it."
    )
    bad = """
- namespace: mw-web
  releases:
    canary: {stages: canaries}
"""
    good = """
- namespace: mw-web
  releases:
    canary: {stage: canaries}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.form == "mapping":
                top = allowed_keys(settings, "top")
                for name, f in d.top_fields.items():
                    if name not in top:
                        yield self._unknown(hiera, f, name, top, "at the top of "
                                            f"{d.short_name}", None, d.top_fields)
                for k in d.complex_top_keys:
                    yield self._complex(hiera, k, d.prefix, f"at the top of {d.short_name}")
            entry_keys = allowed_keys(settings, "entry", d.form)
            release_keys = allowed_keys(settings, "release")
            own = _ENTRY_OWN if d.form == "mapping" else _ENTRY_OWN_LIST_FORM
            for e in d.entries:
                if e.legacy is not None:
                    continue
                for name, f in e.fields.items():
                    if name in entry_keys or name in own:
                        continue
                    hint = None
                    if name in release_keys:
                        hint = f"{name} belongs on each release, under releases.<name>"
                    yield self._unknown(hiera, f, name, entry_keys, "on an entry", hint,
                                        e.fields, e.namespace)
                for k in e.complex_keys:
                    yield self._complex(hiera, k, e.path, f"on entry {quote(e.label)}", e.namespace)
                for r in e.releases:
                    for k in r.complex_keys:
                        yield self._complex(hiera, k, r.path, f"on release {quote(r.label)}",
                                            e.namespace, r.name)
                    for name, f in r.fields.items():
                        if name in release_keys or name in _RELEASE_OWN:
                            continue
                        hint = None
                        if name in entry_keys:
                            hint = f"{name} belongs on the entry (namespace level)"
                        yield self._unknown(hiera, f, name, release_keys, "on a release",
                                            hint, r.fields, e.namespace, r.name)

    def _complex(self, hiera: HieraFile, k: Value, parent_path: str, where: str,
                 ns: Optional[str] = None, rel: object = None) -> Finding:
        return self.finding_at(
            hiera.path, k.span,
            f"a key {where} is {k.describe()}, not a string: Puppet's closed type rejects it",
            f"{parent_path}.{COMPLEX_KEY}",
            context=(ns, rel, COMPLEX_KEY, key_source(hiera, k)),
            help="write a plain key name (nothing under it is checked)",
        )

    def _unknown(self, hiera: HieraFile, f: Field, name: str, allowed: Tuple[str, ...], where: str,
                 hint: Optional[str], present: Collection[str], ns: Optional[str] = None,
                 rel: object = None) -> Finding:
        suggestion = None
        if hint is None:
            alias = ALIASES.get(str(name).lower())
            if alias in allowed:
                suggestion = alias
            else:
                suggestion = closest(str(name), allowed)
        help = None
        fix = None
        if hint:
            tail = f"; {hint}"
            help = "move it there"
        elif suggestion:
            tail = f"; did you mean {suggestion!r}?"
            if suggestion not in present:  # renaming it must not make a duplicate key
                fix = _rename(hiera, f, suggestion)
        else:
            tail = ""
            help = f"allowed here: {', '.join(allowed)}"
        return self.at(
            hiera, f,
            f"unknown key {quote(name)} {where}, which Puppet's type rejects{tail}",
            key=True,
            context=(ns, rel, name, None),
            help=help,
            fix=fix,
        )


def _rename(hiera: HieraFile, f: Field, suggestion: str) -> Optional[Fix]:
    """The did-you-mean as an unsafe fix (a guess: ``--fix --unsafe-fixes`` applies it)."""
    edit = hiera.migration().replace_scalar(f, suggestion, key=True)  # loads only here
    return Fix(f"rename the key to {suggestion}", UNSAFE, (edit,)) if edit else None
