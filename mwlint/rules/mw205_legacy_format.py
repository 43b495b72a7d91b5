from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model import yaml_key
from mwlint.model.types import Entry, Field, HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.rules.predicates import once_per_key
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, List, Optional, Tuple

LEGACY_KEYS = ("release", "canary", "name")

_GENERATIONS = {
    "G1": "the 2022 hash format (mw_releases: {<namespace>: {name, ...}})",
    "G2": "the 2022 list of one-key hashes (- <namespace>: {name, ...})",
}

_CONVERT_2022 = (
    "rewrite it as `- namespace: {ns}` with `releases: {{<name>: {{}}}}` (the value of name), "
    "mw_flavour and web_flavour, as `mwlint rule MW205` shows"
)


def _str(f: Optional[Field]) -> Optional[str]:
    return f.text if f is not None and f.nonempty_str else None  # a str's value is its text


def g3_recipe(e: Entry) -> str:
    """The ``releases`` map a T299648 flat entry converts to (deployments-config §3.2)."""
    parts = []
    dropped = ""
    release, canary, name = (_str(e.get(k)) for k in LEGACY_KEYS)
    stage = ", stage: testservers" if e.debug_true else ""
    for value in (release, name):
        if value is not None:
            parts.append(f"{yaml_key(value)}: {{{stage.lstrip(', ')}}}")
    if canary is not None:
        if e.debug_true:
            dropped = (f", drop the canary {quote(canary)} (a debug: true entry never deployed "
                       "it)")
        else:
            parts.append(f"{yaml_key(canary)}: {{stage: canaries}}")
    if not parts:
        return "give it a `releases` map (release name: {}) and delete release/canary/name"
    out = (f"replace release/canary/name with `releases: {{{', '.join(parts)}}}`{dropped}")
    if e.debug_true:
        out += ", and put mw_kind: debug-image on the namespace instead of debug"
    return out


class LegacyFormat(Rule):
    code = "MW205"
    name = "legacy-format"
    severity = "error"
    summary = (
        "A format scap dropped in October 2024 (391609c1): the T299648 flat entry (`release`, "
        "`canary`), the 2022 `name` key, or the 2022 hash / list-of-one-key-hashes shapes. "
        "The message names the format; the help line says how to convert it."
    )
    rationale = (
        "scap reads only the `releases` map since 391609c1: a flat entry has no `releases`, "
        "so scap crashes on it, and its release/canary keys deploy nothing; the 2022 shapes "
        "were never read by any scap. Puppet's type rejects all of them since its 2024-10-15 "
        "revision (the 2022 shapes since 2022-09). Between scap e85156ca and 391609c1 an entry "
        "with both `release` and `releases` was refused outright. The formats: the 2022 hash "
        "(`mw_releases: {<namespace>: {name, canary, mw_flavour, web_flavour, debug}}`, "
        "operations/puppet 2022-03 to 2022-07), the 2022 list of one-key hashes "
        "(`- <namespace>: {name, canary, ...}`, 2022-07 to 2022-09) and the T299648 flat entry "
        "(`- {namespace, release, canary, mw_flavour, web_flavour, debug}`, 2022-09 to "
        "2024-10). To convert: the value of `name` or `release` becomes a release "
        "(`<name>: {}`), a non-empty `canary` becomes `<canary>: {stage: canaries}`; for "
        "`debug: true` put `mw_kind: debug-image` on the namespace and `stage: testservers` "
        "on each release instead of `debug`, and drop the canary (a debug entry never "
        "deployed it). Nothing inside a 2022 shape is checked further; a flat entry only gets "
        "MW201/MW202 for its debug key and the flavour checks."
    )
    bad = """
- namespace: mw-web
  release: main
  canary: canary
  mw_flavour: publish
  web_flavour: webserver
"""
    good = """
- namespace: mw-web
  releases:
    main: {}
    canary: {stage: canaries}
  mw_flavour: publish
  web_flavour: webserver
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.legacy_shape in _GENERATIONS:
                gen = _GENERATIONS[d.legacy_shape]
                for key, path in d.legacy_items:
                    ns = str(key.text)
                    yield self.finding_at(
                        hiera.path, key.span,
                        f"{quote(ns)} is in {gen}, which no scap version ever read",
                        path, context=(ns, None, None, None),
                        help=_CONVERT_2022.format(ns=ns),
                    )
            mixed: List[Tuple[int, Finding, str]] = []
            for e in d.entries:
                if e.legacy is not None:
                    present = [k for k in LEGACY_KEYS if k in e.fields]
                    yield self.at(
                        hiera, e,
                        f"entry {quote(e.label)} uses the flat {'/'.join(present)} format, which "
                        f"scap dropped in October 2024",
                        context=(e.namespace, None, None, None),
                        help=g3_recipe(e),
                    )
                    continue
                for k in LEGACY_KEYS:
                    f = e.get(k)
                    if f is None:
                        continue
                    msg, help = _mixed_message(e, f)
                    mixed.append((f.key_identity, self.at(hiera, f, msg, key=True,
                                                 context=(e.namespace, None, k,
                                                          str(f.value)), help=help),
                                  quote(e.label)))
            yield from once_per_key(mixed)


def _mixed_message(e: Entry, f: Field) -> Tuple[str, str]:
    """The message and the help of a legacy key next to ``releases``."""
    v = _str(f)
    if f.name == "name":
        origin = "the 2022 formats"
        move = (f"the release belongs under releases as `{yaml_key(v)}: {{}}`" if v
                else "the release belongs under releases")
    elif f.name == "release":
        origin = "the flat format"
        move = (f"move it under releases as `{yaml_key(v)}: {{}}`" if v
                else "move the release under releases")
    else:
        origin = "the flat format"
        move = (f"move it under releases as `{yaml_key(v)}: {{stage: canaries}}`" if v
                else "delete it (an empty canary deployed nothing)")
    return (f"{quote(f.name)} next to releases in entry {quote(e.label)} is a key of {origin}, which "
            f"scap ignores", f"{move}, or delete it")
