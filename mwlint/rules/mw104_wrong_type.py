from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import Entry, Field, HieraFile, Release
from mwlint.model.values import Value, clip, quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import COMPLEX_KEY, key_source
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Iterator, Optional


class WrongType(Rule):
    code = "MW104"
    name = "wrong-type"
    severity = "error"
    summary = (
        "namespace, mw_kind, mw_flavour, web_flavour, dir or scope is not a non-empty "
        "string; releases is not a mapping; a release value is null (`main:`) or not a "
        "mapping; a release name is not a string (`no: {}`, `? [main] : {}`); deploy is not a YAML boolean; "
        "clusters is not a list of non-empty strings."
    )
    rationale = (
        "Puppet's type rejects these, and scap does something surprising with them: "
        "`deploy: \"false\"` is truthy, so the release IS deployed; `deploy: ~` silently "
        "skips it; `main:` (null) and `clusters: ~` crash scap mid-sync."
    )
    bad = """
- namespace: mw-web
  releases:
    main:
    canary: {stage: canaries, deploy: "false"}
"""
    good = """
- namespace: mw-web
  releases:
    main: {}
    canary: {stage: canaries, deploy: false}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                yield from self._entry(hiera, e)
                for k in e.complex_releases:
                    yield self._complex_release(hiera, e, k)
                for r in e.releases:
                    yield from self._release(hiera, e, r)

    def _entry(self, hiera: HieraFile, e: Entry) -> Iterator[Finding]:
        ns = e.namespace
        for name in ("namespace", "mw_kind", "dir", "scope"):
            f = e.get(name)
            if f is None or f.nonempty_str:
                continue
            if name == "mw_kind" and f.is_null:
                continue  # Optional: null means image (MW206 where it overrides)
            if name == "dir" and f.is_str:
                continue  # dir: "" is MW301
            if name == "scope" and e.deployments.form != "mapping":
                continue  # scope in the list form is MW503, whatever its value
            yield self._bad(hiera, f, name, "a non-empty string", ns)
        for name in ("mw_flavour", "web_flavour"):
            f = e.get(name)
            if f is None or f.is_str or f.is_null:
                continue  # null/empty is MW106
            yield self._bad(hiera, f, name, "a non-empty string", ns)
        f = e.get("releases")
        if f is not None and not f.is_map:
            yield self._bad(hiera, f, "releases",
                            "a mapping of release name to settings ({} for the defaults)", ns)
        f = e.get("clusters")
        if f is not None:
            if not f.is_seq:
                yield self._bad(hiera, f, "clusters", "a list of cluster names", ns)
            else:
                for i, item in enumerate(f.items()):
                    if item.kind == "str" and item.text:
                        continue
                    yield self.finding_at(
                        hiera.path, item.span,
                        f"clusters item {i} of {quote(e.label)} is {item.describe()}, not a cluster "
                        f"name: Puppet rejects it",
                        item.path,
                        context=(ns, None, "clusters", str(item.value)),
                        help="write the helmfile environment name as a string",
                    )

    def _complex_release(self, hiera: HieraFile, e: Entry, k: Value) -> Finding:
        rel = e.get("releases")
        assert rel is not None  # the complex key is one of its keys
        return self.finding_at(
            hiera.path, k.span,
            f"a release name in {quote(e.label)} is {k.describe()}, not a string: Puppet rejects "
            f"it",
            f"{rel.path}.{COMPLEX_KEY}", context=(e.namespace, COMPLEX_KEY, "name",
                                                  key_source(hiera, k)),
            help="write the name as a plain string (nothing under it is checked)",
        )

    def _release(self, hiera: HieraFile, e: Entry, r: Release) -> Iterator[Finding]:
        ns = e.namespace
        key = r.name_value
        assert key.text is not None  # a release's key is a scalar (else a complex key)
        if not isinstance(r.name, str):
            yield self.finding_at(
                hiera.path, r.span,
                f"release name {quote(key.text)} in {quote(e.label)} is read by YAML as "
                f"{key.describe()}, not a string: Puppet rejects it",
                r.path, context=(ns, str(key.text), "name", None),
                help=f"quote it ('{clip(key.text)[0]}': {{}})",
            )
        value = r.value
        if value.kind != "map":
            yield self.finding_at(
                hiera.path, value.span if value.kind != "null" else r.span,
                f"release {quote(r.label)} is {value.describe()}, not a mapping: Puppet rejects "
                f"it",
                r.path, context=(ns, str(r.name), None, None),
                help=f"write `{clip(key.text)[0]}: {{}}` for a release with all defaults",
            )
        for name in ("mw_kind", "mw_flavour", "web_flavour"):
            f = r.get(name)
            if f is None or f.is_str or f.is_null:
                continue  # null kind: MW206; null/empty flavour: MW106; "" kind below
            yield self._bad(hiera, f, name, "a non-empty string", ns, r.name)
        f = r.get("mw_kind")
        if f is not None and f.is_str and f.text == "":
            yield self._bad(hiera, f, "mw_kind", "a non-empty string", ns, r.name)
        f = r.get("deploy")
        if f is not None and not f.is_bool:
            effect = ("scap reads it as true and deploys the release" if f.value else
                      "scap reads it as false and silently skips the release")
            head = f"deploy of {quote(r.label)} is {f.describe()}, not a boolean"
            msg, help = fit(f"{head}: {effect}", head,
                            "write deploy: true or deploy: false, unquoted", effect)
            yield self.at(hiera, f, msg, context=(ns, r.name, "deploy", str(f.value)),
                          help=help)

    def _bad(self, hiera: HieraFile, f: Field, name: str, expected: str,
             ns: Optional[str] = None, rel: object = None) -> Finding:
        return self.at(
            hiera, f,
            f"{name} is {f.describe()}, but Puppet requires {expected}",
            context=(ns, rel, name, str(f.value)),
        )


