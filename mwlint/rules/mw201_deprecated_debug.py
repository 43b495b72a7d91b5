from mwlint.model.types import STAGES
from mwlint.parse.resolve import BOOL_TAG, NULL_TAG, is_scalar
from mwlint.rules.base import Rule
from mwlint.rules.mw202_missing_mw_kind import names

_IGNORED = ("scap ignores it since 1140ee83 (April 2025, T389499) and Puppet's type rejects "
            "it since V6")


def _shown(f) -> str:
    """The value as written, for ``debug: <value>`` in messages."""
    node = f.node
    if isinstance(node.value, str):
        return node.value if node.value != "" else "''"
    return "[...]" if node.id == "sequence" else "{...}"


def _boolean(f) -> bool:
    """A YAML boolean or null: the values the recipe knows how to translate."""
    return is_scalar(f.node) and f.node.tag in (BOOL_TAG, NULL_TAG)


def _truthy(f) -> bool:
    return bool(f.value) and f.value != "false"


def _stage_ok(r) -> bool:
    """The release's stage is valid (an invalid one is MW105's)."""
    f = r.get("stage")
    return f is None or (f.is_str and f.value in STAGES)


def migration_plan(e):
    """What the T389499 recipe does to a releases-map entry with ``debug: true``.

    Returns ``(add_kind, add_stage, by_hand)``: whether the namespace needs
    ``mw_kind: debug-image``, the releases that need ``stage: testservers``, and the
    releases a person must decide (explicit other stage or other release-level kind)."""
    ns_kind = e.get("mw_kind")
    add_kind = ns_kind is None or ns_kind.is_null
    add_stage, by_hand = [], []
    for r in e.releases:
        stage = r.get("stage")
        kind = r.get("mw_kind")
        if kind is not None and not kind.is_null and kind.value != "debug-image":
            by_hand.append((r, f"release-level mw_kind: {kind.value}"))
        elif stage is not None and r.stage.value != "testservers":
            by_hand.append((r, f"stage: {stage.value}"))
        elif stage is None and r.deployable:
            add_stage.append(r)
    return add_kind, add_stage, by_hand


class DeprecatedDebug(Rule):
    code = "MW201"
    name = "deprecated-debug"
    severity = "error"
    summary = (
        "`debug` at entry or release level, whatever its value: scap ignores it since April "
        "2025 and Puppet rejects it. The message lists the releases that would land outside "
        "testservers, or run the production image, once it is gone, and the exact edit."
    )
    rationale = (
        "`debug: true` used to send every release of the namespace to testservers with the "
        "debug image. Since scap 1140ee83 (T389499) nothing is automatic: the debug image "
        "comes only from `mw_kind: debug-image` and the testservers stage only from "
        "`stage: testservers`. A leftover `debug: true` silently deploys the production "
        "image at the production stage; and Puppet V6+ rejects the key, which stops Puppet "
        "on the deployment server. `debug: false` has no effect and only needs deleting."
    )
    bad = """
- namespace: mw-debug
  releases:
    pinkunicorn: {}
    next: {}
  mw_flavour: publish
  web_flavour: webserver
  debug: true
"""
    good = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
    next: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish
  web_flavour: webserver
"""
    fix = (
        "The T389499 recipe, on releases-map entries: for `debug: true`, add "
        "`mw_kind: debug-image` to the namespace (unless it sets a kind) and "
        "`stage: testservers` to each deployable release without a stage, then delete "
        "`debug`; delete `debug: false` (and a `debug` in an already migrated namespace). "
        "A release with another explicit stage or kind stays a finding for a person to "
        "decide. Legacy formats (MW205) and nodes reached through an anchor, alias or merge "
        "key are not edited."
    )

    def check(self, hiera, settings):
        for d in hiera.deployments:
            found = []
            for e in d.entries:
                f = e.get("debug")
                if f is not None:
                    if e.legacy is not None:
                        found.append((f.key, self._legacy(hiera, e, f), repr(e.label)))
                    else:
                        found.append((f.key, self._entry(hiera, e, f), repr(e.label)))
                if e.legacy is None:
                    for r in e.releases:
                        f = r.get("debug")
                        if f is not None:
                            found.append((f.key, self._release(hiera, e, r, f),
                                          repr(r.label)))
            yield from once_per_key(found)

    def _entry(self, hiera, e, f):
        ctx = (e.namespace, None, "debug", str(f.value))
        # an entry with a list or mapping key (MW103/MW104) is not modelled whole: no fix
        editable = not (f.via_alias or e.via_alias or e.has_complex_keys) and _boolean(f)
        head = f"debug: {_shown(f)} on {e.label!r}: {_IGNORED}"
        if not _truthy(f):
            return self.at(
                hiera, f, f"{head}; it has no effect, so delete the line (nothing else "
                "changes)", key=True, fixable=editable, context=ctx)
        releases_f = e.get("releases")
        if releases_f is None or not releases_f.is_map:
            return self.at(
                hiera, f,
                f"{head}; once it is gone nothing makes this namespace a debug deployment: "
                "give it releases, put mw_kind: debug-image on the namespace and "
                "stage: testservers on each release, then delete debug",
                key=True, fixable=False, context=ctx)
        add_kind, add_stage, by_hand = migration_plan(e)
        consequences = landing(e.releases)
        if not consequences and not by_hand:
            msg = (f"{head}; the namespace is already migrated (mw_kind: debug-image and "
                   "stage: testservers where it matters), so delete debug")
        else:
            edits = []
            if add_kind:
                edits.append("put mw_kind: debug-image on the namespace")
            if add_stage:
                edits.append(f"add stage: testservers to {names(add_stage)}")
            edits.append("delete debug")
            msg = f"{head}; once it is gone, {'; '.join(consequences) or 'nothing changes'}"
            msg += f". Fix (T389499 recipe): {', '.join(edits)}"
            ns_kind = e.get("mw_kind")
            if ns_kind is not None and ns_kind.nonempty_str and ns_kind.value != "debug-image":
                msg += (f"; decide by hand whether the namespace's mw_kind: {ns_kind.value} "
                        "should become debug-image (during the April 2025 transition debug "
                        "overrode it)")
            if by_hand:
                msg += "; decide by hand for " + ", ".join(
                    f"{r.name} ({why}: no faithful translation, a debug namespace used to "
                    f"force debug-image at testservers)" for r, why in by_hand)
        ns_kind = e.get("mw_kind")
        kind_conflict = (ns_kind is not None and not ns_kind.is_null
                         and ns_kind.value != "debug-image") or any(
            why.startswith("release-level mw_kind") for _r, why in by_hand)
        scalar_release = any(r.node.id == "scalar" and not r.node.tag.endswith(":null")
                             for r in e.releases)  # main: yes (MW104): no place for a stage
        fixable = editable and not kind_conflict and not scalar_release and not any(
            r.via_alias for r in add_stage) and not (add_kind and e.via_alias)
        return self.at(hiera, f, msg, key=True, fixable=fixable, context=ctx)

    def _legacy(self, hiera, e, f):
        ctx = (e.namespace, None, "debug", str(f.value))
        head = f"debug: {_shown(f)} on {e.label!r}: {_IGNORED}"
        if not _truthy(f):
            msg = (f"{head}; it has no effect: delete it when converting this T299648 flat "
                   "entry to a releases map (MW205)")
        else:
            rel = e.get("release")
            rel_name = rel.value if rel is not None and rel.nonempty_str else "<release>"
            canary = e.get("canary")
            drop = ""
            if canary is not None and canary.nonempty_str:
                drop = (f", and drop the canary {canary.value!r} (a debug: true entry never "
                        "deployed its canary)")
            msg = (f"{head}; once it is gone, release {rel_name!r} would run the production "
                   f"image at the production stage. Convert this T299648 flat entry to a "
                   f"releases map (MW205) as `releases: {{{rel_name}: {{stage: testservers}}}}` "
                   f"with mw_kind: debug-image on the namespace{drop}, and delete debug")
        return self.at(hiera, f, msg, key=True, fixable=False, context=ctx)

    def _release(self, hiera, e, r, f):
        ctx = (e.namespace, str(r.name), "debug", str(f.value))
        head = (f"debug inside release {r.label!r} was never valid in any generation of the "
                f"format: {_IGNORED}")
        migrated = r.kind.value == "debug-image" and r.stage.value == "testservers"
        if not _truthy(f) or migrated:
            why = ("it has no effect" if not _truthy(f) else
                   "the release already runs debug-image at testservers")
            return self.at(hiera, f, f"{head}; {why}, so delete the line", key=True,
                           fixable=not (f.via_alias or e.has_complex_keys) and _boolean(f)
                           and not _truthy(f),
                           context=ctx)
        return self.at(
            hiera, f,
            f"{head}; the release runs kind {r.kind.value!r} at {r.stage.value}. If it is "
            f"meant to be a debug release, set mw_kind: debug-image and stage: testservers on "
            f"it; in any case delete debug",
            key=True, fixable=False, context=ctx)


def once_per_key(found):
    """One finding per key node: a key merged into several places through an anchor or a
    merge key is reported once, where it is written, naming the other places."""
    first, others = {}, {}
    for key, finding, label in found:
        if id(key) in first:
            others[id(key)].append(label)
        else:
            first[id(key)] = finding
            others[id(key)] = []
    for k, finding in first.items():
        if others[k]:
            finding = finding._replace(
                message=f"{finding.message} (this key is shared through an anchor or merge "
                        f"key: it also applies to {', '.join(others[k])}; edit it by hand)",
                fixable=False)
        yield finding


def _kind_phrase(kind) -> str:
    if kind == "image":
        return "the production image"
    if kind == "debug-image":
        return "the debug image"
    return f"kind {kind!r}"


def landing(releases):
    """Where the releases of a ``debug: true`` namespace land without ``debug``: one phrase
    per (kind, stage) group, leaving out releases already at debug-image on testservers."""
    groups = {}
    for r in releases:
        kind = str(r.kind.value)
        if r.deployable:
            if not _stage_ok(r):
                continue  # an invalid stage is MW105's
            where = f"at the {r.stage.value} stage"
            if kind == "debug-image" and r.stage.value == "testservers":
                continue
        else:
            if kind == "debug-image":
                continue
            where = "(deploy: false, values file only)"
        groups.setdefault((kind, where), []).append(r)
    out = []
    for (kind, where), rels in groups.items():
        verb = "deploys" if len(rels) == 1 else "deploy"
        if where.startswith("("):
            verb = "gets" if len(rels) == 1 else "get"
        out.append(f"{names(rels)} {verb} {_kind_phrase(kind)} {where}")
    return out
