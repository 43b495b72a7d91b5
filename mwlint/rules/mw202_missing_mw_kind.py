from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import Entry, HieraFile, Release
from mwlint.model.values import quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import names, null_override, see_mw201
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, List


def kindless(entry: Entry) -> List[Release]:
    """Releases of a modern entry with no effective ``mw_kind`` (absent everywhere, or a
    release-level null), leaving null overrides of a namespace kind to MW206."""
    return [r for r in entry.releases
            if r.effective("mw_kind").value is None and not null_override(r)]


def legacy_kindless(entry: Entry) -> bool:
    f = entry.get("mw_kind")
    return f is None or f.is_null


def debug_namespace_finding(entry: Entry) -> bool:
    """MW202's first case: ``debug: true`` and a release (for a T299648 flat entry: the
    entry) without an effective mw_kind."""
    if not entry.debug_true:
        return False
    if entry.legacy is not None:
        return legacy_kindless(entry)
    return bool(kindless(entry))


class MissingMwKind(Rule):
    code = "MW202"
    name = "missing-mw-kind"
    severity = "error"
    options = ("require-mw-kind",)
    # a namespace MW202 reports gets no MW204 on its releases: adding the kind fixes both
    supersedes = ("MW204",)
    summary = (
        "A namespace with `debug: true` where a release has no effective mw_kind: once "
        "`debug` is gone it silently deploys the production image. With require-mw-kind, "
        "also every release with no explicit effective mw_kind."
    )
    rationale = (
        "Until April 2025 `debug: true` chose the debug image for every release of the "
        "namespace. scap ignores `debug` since 1140ee83 (T389499): a release uses the debug "
        "image only through `mw_kind: debug-image`. A leftover `debug: true` without mw_kind "
        "therefore ships the production image to what was meant to be a debug deployment, "
        "silently. With require-mw-kind, every release must say which image kind it runs."
    )
    fix = (
        "Part of MW201's recipe: `mwlint --fix` adds `mw_kind: debug-image` to a releases-map "
        "namespace whose `debug: true` it migrates (see MW201 for when it does not): the "
        "finding's fix has no edits of its own and says \"repaired by the MW201 fix at line "
        "N\". The require-mw-kind case and the legacy flat entries (MW205) are left to a "
        "person."
    )
    bad = """
- namespace: mw-debug
  releases:
    pinkunicorn: {}
  mw_flavour: publish
  web_flavour: webserver
  debug: true
"""
    good = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish
  web_flavour: webserver
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        require = getattr(settings, "require_mw_kind", False)
        for d in hiera.deployments:
            for e in d.entries:
                if debug_namespace_finding(e):
                    yield self._debug_namespace(hiera, e)
                    continue
                if require and e.legacy is None:
                    for r in kindless(e):
                        yield self._required(hiera, e, r)

    def _debug_namespace(self, hiera: HieraFile, e: Entry) -> Finding:
        see = see_mw201(e)
        if e.legacy is not None:
            msg = (f"entry {quote(e.label)} has debug: true but no mw_kind, so it ships the "
                   f"production image")
            msg, help = fit(f"{msg} ({see})", msg,
                            "add mw_kind: debug-image to the namespace when converting it to a "
                            "releases map (MW205)", see)
            return self.at(hiera, e, msg, context=(e.namespace, None, "mw_kind", None),
                           help=help)
        missing = kindless(e)
        ns_kind = e.get("mw_kind")
        where = ("to the namespace" if ns_kind is None or ns_kind.is_null
                 else "to these releases")
        many = len(missing) > 1
        rest = (f"{'have' if many else 'has'} no mw_kind: {'they' if many else 'it'} "
                f"{'get' if many else 'gets'} the production image")
        msg, help = fit(
            f"{quote(e.label)} has debug: true but {names(missing)} {rest}",
            f"{quote(e.label)} has debug: true but {len(missing)} releases {rest}" if many
            else f"{quote(e.label)} has debug: true but a release {rest}",
            f"add mw_kind: debug-image {where} ({see})",
            f"without mw_kind: {names(missing)}")
        return self.at(hiera, e, msg, context=(e.namespace, None, "mw_kind", None),
                       fix=hiera.migration().kind_fix(e), help=help)

    def _required(self, hiera: HieraFile, e: Entry, r: Release) -> Finding:
        f = r.get("mw_kind")
        how = ("sets mw_kind: null" if f is not None else
               "sets no mw_kind, nor does its namespace")
        return self.at(
            hiera, r,
            f"release {quote(r.label)} {how}, and require-mw-kind is on",
            context=(e.namespace, str(r.name), "mw_kind", None),
            help="set mw_kind on the namespace or on the release (image, debug-image, "
                 "cli-image, ...)",
        )


