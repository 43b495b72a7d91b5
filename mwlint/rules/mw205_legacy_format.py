from mwlint.findings import span_of
from mwlint.locate.locator import yaml_key
from mwlint.rules.base import Rule
from mwlint.rules.mw201_deprecated_debug import once_per_key

LEGACY_KEYS = ("release", "canary", "name")

_GENERATIONS = {
    "G1": ("the 2022 hash (G1: mw_releases: {<namespace>: {name, canary, mw_flavour, "
           "web_flavour, debug}}, operations/puppet 2022-03 to 2022-07)"),
    "G2": ("the 2022 list of one-key hashes (G2: - <namespace>: {name, canary, mw_flavour, "
           "web_flavour, debug}, operations/puppet 2022-07 to 2022-09)"),
}

_CONVERT_2022 = (
    "rewrite it as a list entry: `- namespace: {ns}` with `releases: {{<name>: {{}}}}` (the "
    "value of name; a non-empty canary becomes `<canary>: {{stage: canaries}}`), mw_flavour "
    "and web_flavour; for debug: true put mw_kind: debug-image on the namespace and "
    "stage: testservers on each release instead of debug"
)


def _str(f):
    return f.value if f is not None and f.nonempty_str else None


def g3_recipe(e) -> str:
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
            dropped = (f"; drop the canary {canary!r}: in a debug: true entry it was never "
                       "deployed")
        else:
            parts.append(f"{yaml_key(canary)}: {{stage: canaries}}")
    if not parts:
        return "give it a `releases` map (release name: {}) and delete release/canary/name"
    out = (f"replace release/canary/name with `releases: {{{', '.join(parts)}}}`{dropped}")
    if e.debug_true:
        out += ", and put mw_kind: debug-image on the namespace instead of debug (MW201)"
    return out


class LegacyFormat(Rule):
    code = "MW205"
    name = "legacy-format"
    severity = "error"
    summary = (
        "A format scap dropped in October 2024 (391609c1): the T299648 flat entry (`release`, "
        "`canary`), the 2022 `name` key, or the 2022 hash / list-of-one-key-hashes shapes. "
        "The message names the generation and how to convert it."
    )
    rationale = (
        "scap reads only the `releases` map since 391609c1: a flat entry has no `releases`, "
        "so scap crashes on it, and its release/canary keys deploy nothing; the 2022 shapes "
        "were never read by any scap. Puppet's type rejects all of them since V4 (2024-10-15). "
        "Nothing inside a 2022 shape is checked further; a flat entry only gets MW201/MW202 "
        "for its debug key and the flavour checks."
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

    def check(self, hiera, settings):
        for d in hiera.deployments:
            if d.legacy_shape in _GENERATIONS:
                gen = _GENERATIONS[d.legacy_shape]
                for key, path in d.legacy_items:
                    ns = str(key.value)
                    yield self.finding_at(
                        hiera.path, span_of(key),
                        f"{ns!r} is in {gen}: no scap version ever read this shape and "
                        f"Puppet's type rejects it since 2022-09, so nothing in it deploys; "
                        + _CONVERT_2022.format(ns=ns),
                        path, context=(ns, None, None, None),
                    )
            mixed = []
            for e in d.entries:
                if e.legacy is not None:
                    present = [k for k in LEGACY_KEYS if k in e.fields]
                    yield self.at(
                        hiera, e,
                        f"entry {e.label!r} is in the T299648 flat format (G3: "
                        f"{'/'.join(present)} instead of a releases map, 2022-09 to 2024-10): "
                        f"scap dropped it in 391609c1 (October 2024) and crashes on the "
                        f"missing releases, and Puppet's type rejects it since V4; "
                        + g3_recipe(e),
                        context=(e.namespace, None, None, None),
                    )
                    continue
                for k in LEGACY_KEYS:
                    f = e.get(k)
                    if f is None:
                        continue
                    mixed.append((f.key, self.at(hiera, f, _mixed_message(e, f), key=True,
                                                 context=(e.namespace, None, k,
                                                          str(f.value))), repr(e.label)))
            yield from once_per_key(mixed)


def _mixed_message(e, f) -> str:
    v = _str(f)
    if f.name == "name":
        origin = "the 2022 shapes (G1/G2)"
        move = (f"the release belongs under releases as `{yaml_key(v)}: {{}}`" if v
                else "the release belongs under releases")
    elif f.name == "release":
        origin = "the T299648 flat format (G3)"
        move = (f"move it under releases as `{yaml_key(v)}: {{}}`" if v
                else "move the release under releases")
    else:
        origin = "the T299648 flat format (G3)"
        move = (f"move it under releases as `{yaml_key(v)}: {{stage: canaries}}`" if v
                else "delete it (an empty canary deployed nothing)")
    e7 = (" (between e85156ca and 391609c1 it refused an entry with both, E7)"
          if f.name == "release" else "")
    return (
        f"{f.name!r} next to releases in entry {e.label!r} is a key of {origin}: scap ignores "
        f"it since 391609c1{e7}, so it deploys nothing, and Puppet's type rejects it since "
        f"V4; {move}, or delete it"
    )
