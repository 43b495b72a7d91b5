from __future__ import annotations

from mwlint.findings import Finding, Fix
from mwlint.model.types import Entry, Field, HieraFile, Release
from mwlint.model.values import clip, quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import (
    migration_plan,
    names,
    once_per_key,
    stage_ok,
    truthy,
)
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Optional, Tuple


def _shown(f: Field) -> str:
    """The value as written, for ``debug: <value>`` in messages."""
    text = f.text
    if text is not None:
        return clip(text)[0] if text != "" else "''"
    return "[...]" if f.kind == "seq" else "{...}"


class DeprecatedDebug(Rule):
    code = "MW201"
    name = "deprecated-debug"
    severity = "error"
    summary = (
        "`debug` at entry or release level, whatever its value: scap ignores it since April "
        "2025 and Puppet rejects it. The message says where the releases of a `debug: true` "
        "namespace land today (outside testservers, or with the production image); the help "
        "line gives the exact edit."
    )
    rationale = (
        "`debug: true` used to send every release of the namespace to testservers with the "
        "debug image. Since scap 1140ee83 (T389499) nothing is automatic: the debug image "
        "comes only from `mw_kind: debug-image` and the testservers stage only from "
        "`stage: testservers`. A leftover `debug: true` silently deploys the production "
        "image at the production stage; and Puppet's type rejects the key since its 2025 "
        "revision (the one that added `dir` and `clusters`, operations/puppet 18be5f65), "
        "which stops Puppet on the deployment server. `debug: false` has no effect and only "
        "needs deleting. A release with its own other `stage` or `mw_kind` in a debug "
        "namespace has no faithful translation: a debug namespace used to force debug-image "
        "at testservers whatever the release said (and, before April 2025, silently dropped "
        "`stage: canaries` releases), so a person decides. A `debug` inside a release was "
        "never valid in any generation of the format."
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
        "The T389499 recipe, on releases-map entries: for `debug: true`, set "
        "`mw_kind: debug-image` on the namespace (the `debug` pair becomes it in place, or a "
        "null mw_kind gets the value) and add `stage: testservers` to each deployable release "
        "without a stage (this also resolves the entry's MW202 and MW203); delete "
        "`debug: false` or null, a `debug` in an already migrated namespace, and a false or "
        "null `debug` inside a release. Left to a person: an entry whose namespace or release "
        "sets another mw_kind, or with a release that says `stage: canaries` (not edited at "
        "all: no faithful translation), a release with `stage: production` (the rest of the "
        "entry is fixed, that release keeps its MW203), a true `debug` inside a release, the "
        "legacy formats (MW205), and nodes reached through an anchor, alias or merge key. "
        "The finding of the entry's `debug` key carries the edits; the entry's other findings "
        "that they repair say \"repaired by the MW201 fix at line N\"."
    )

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            found: List[Tuple[int, Finding, str]] = []
            for e in d.entries:
                f = e.get("debug")
                if f is not None:
                    if e.legacy is not None:
                        found.append((f.key_identity, self._legacy(hiera, e, f), quote(e.label)))
                    else:
                        found.append((f.key_identity, self._entry(hiera, e, f), quote(e.label)))
                if e.legacy is None:
                    for r in e.releases:
                        f = r.get("debug")
                        if f is not None:
                            found.append((f.key_identity, self._release(hiera, e, r, f),
                                          quote(r.label)))
            yield from once_per_key(found)

    def _entry(self, hiera: HieraFile, e: Entry, f: Field) -> Finding:
        ctx = (e.namespace, None, "debug", str(f.value))
        fix = hiera.migration().debug_fix(e, f)
        head = f"debug: {_shown(f)} on {quote(e.label)}"
        if not truthy(f):
            return self.at(hiera, f, f"{head} has no effect any more, and {_REJECTED}",
                           key=True, fix=fix, context=ctx,
                           help=_by_hand(hiera, e, f, fix, "delete the line"))
        releases_f = e.get("releases")
        if releases_f is None or not releases_f.is_map:
            return self.at(
                hiera, f, f"{head} is ignored by scap, and nothing else makes this namespace "
                "a debug deployment", key=True, fix=fix, context=ctx,
                help=_by_hand(hiera, e, f, fix,
                              "give it releases, put mw_kind: debug-image on the namespace "
                              "and stage: testservers on each release, then delete debug"))
        add_kind, add_stage, by_hand = migration_plan(e)
        consequences = landing(e.releases)
        if not consequences and not by_hand:
            msg, help = fit(f"{head} is ignored by scap and {_REJECTED_BY}; the namespace is "
                            "already migrated",
                            f"{head} is ignored by scap; the namespace is already migrated",
                            "delete debug", _REJECTED)
        else:
            msg = f"{head} is ignored by scap"
            so = "so " + "; ".join(consequences) if consequences else ""
            edits: List[str] = []
            if add_kind:
                edits.append("put mw_kind: debug-image on the namespace")
            if add_stage:
                edits.append(f"add stage: testservers to {names(add_stage)}")
            edits.append("delete debug")
            help = ", ".join(edits[:-1]) + (", then " if len(edits) > 1 else "") + edits[-1]
            ns_kind = e.get("mw_kind")
            if ns_kind is not None and ns_kind.nonempty_str and ns_kind.value != "debug-image":
                help += (f"; decide by hand whether the namespace's mw_kind: {ns_kind.value} "
                         "should become debug-image")
            if by_hand:
                help += "; decide by hand for " + ", ".join(
                    f"{quote(str(r.name))} ({why})" for r, why in by_hand)
            if so:
                msg, help = fit(f"{msg}, {so}", msg, help, f"without it, {so[3:]}")
        return self.at(hiera, f, msg, key=True, fix=fix, context=ctx,
                       help=_by_hand(hiera, e, f, fix, help))

    def _legacy(self, hiera: HieraFile, e: Entry, f: Field) -> Finding:
        ctx = (e.namespace, None, "debug", str(f.value))
        head = f"debug: {_shown(f)} on {quote(e.label)}"
        if not truthy(f):
            msg = f"{head} has no effect any more, and {_REJECTED}"
            help = "delete it when converting this flat entry to a releases map (MW205)"
        else:
            rel = e.get("release")
            rel_name = rel.value if rel is not None and rel.nonempty_str else "<release>"
            canary = e.get("canary")
            drop = ""
            if canary is not None and canary.nonempty_str:
                drop = f", drop the canary {quote(canary.value)} (a debug entry never deployed it)"
            once = (f"once converted, {quote(rel_name)} would run the production image in "
                    f"production")
            msg, help = fit(
                f"{head} is ignored by scap: {once}", f"{head} is ignored by scap",
                f"convert it to `releases: {{{rel_name}: {{stage: testservers}}}}` with "
                f"mw_kind: debug-image on the namespace{drop}, and delete debug", once)
        return self.at(hiera, f, msg, key=True, context=ctx, help=help)

    def _release(self, hiera: HieraFile, e: Entry, r: Release, f: Field) -> Finding:
        ctx = (e.namespace, str(r.name), "debug", str(f.value))
        head = f"debug inside release {quote(r.label)} is not a valid key"
        migrated = r.kind.value == "debug-image" and r.stage.value == "testservers"
        if not truthy(f) or migrated:
            why = ("it has no effect" if not truthy(f) else
                   "the release already runs the debug image at testservers")
            fix = hiera.migration().debug_fix(e, f)
            return self.at(hiera, f, f"{head}; {why}", key=True, fix=fix,
                           context=ctx, help=_by_hand(hiera, e, f, fix, "delete the line"))
        runs = f"the release runs {_kind_phrase(str(r.kind.value))} at {r.stage.value}"
        msg, help = fit(f"{head}; {runs}", head,
                        "for a debug release set mw_kind: debug-image and stage: testservers on "
                        "it; in any case delete debug", runs)
        return self.at(hiera, f, msg, key=True, context=ctx, help=help)


# why a leftover debug fails the commit, whatever its value
_REJECTED = "Puppet's type rejects the key"
_REJECTED_BY = "rejected by Puppet's type"


def _by_hand(hiera: HieraFile, e: Entry, f: Field, fix: Optional[Fix], help: str) -> str:
    """``help``, and why ``--fix`` leaves this key to a person when it has no fix."""
    if fix is not None:
        return help
    reason = hiera.migration().why_not(e, f)
    return f"{help}; not fixed automatically: {reason}" if reason else help


def _kind_phrase(kind: str) -> str:
    if kind == "image":
        return "the production image"
    if kind == "debug-image":
        return "the debug image"
    return f"kind {quote(kind)}"


def landing(releases: Iterable[Release]) -> List[str]:
    """Where the releases of a ``debug: true`` namespace land without ``debug``: one phrase
    per (kind, stage) group, leaving out releases already at debug-image on testservers."""
    groups: Dict[Tuple[str, str], List[Release]] = {}
    for r in releases:
        kind = str(r.kind.value)
        if r.deployable:
            if not stage_ok(r):
                continue  # an invalid stage is MW105's
            where = f"at {r.stage.value}"
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
        who = names(rels) if len(rels) <= 3 else f"{len(rels)} releases"
        out.append(f"{who} {verb} {_kind_phrase(kind)} {where}")
    return out
