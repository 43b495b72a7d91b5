from __future__ import annotations

import re

from mwlint.findings import Finding
from mwlint.model.schema import FLAVOUR_KEYS
from mwlint.model.types import Field, HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule
from mwlint.rules.predicates import Site, Sites, inheritors, namespace_value_used
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Optional, Pattern, Set, Tuple

if TYPE_CHECKING:
    from typing import TypeGuard  # Python 3.10: annotations only

_OPTION = {"mw_flavour": "mw-flavour-pattern", "web_flavour": "web-flavour-pattern"}


def _patterns(settings: Settings) -> Dict[str, Pattern[str]]:
    out: Dict[str, Pattern[str]] = {}
    for name, attr in (("mw_flavour", "mw_flavour_pattern"),
                       ("web_flavour", "web_flavour_pattern")):
        pattern = getattr(settings, attr, None)
        if not pattern:
            continue
        try:
            out[name] = re.compile(pattern)
        except re.error:
            continue  # the configuration layer reports a bad pattern
    return out


def _flavour(f: Optional[Field]) -> TypeGuard[Field]:
    """A non-empty string flavour (empty or null is MW106, another type MW104)."""
    return f is not None and f.is_str and (f.text or "").strip() != ""


class UnexpectedFlavour(Rule):
    code = "MW209"
    name = "unexpected-flavour"
    severity = "warning"
    options = ("mw-flavour-pattern", "web-flavour-pattern")
    summary = (
        "An effective mw_flavour not matching mw-flavour-pattern (default "
        "`^publish(-[a-z0-9]+)*$`) or web_flavour not matching web-flavour-pattern (default "
        "`^webserver(-[a-z0-9]+)*$`). Legacy entries included."
    )
    rationale = (
        "Flavours are opaque keys into the image build report: nothing checks them until "
        "after the images are built, when a missing one aborts the sync. Without a report, "
        "the naming pattern catches mistakes early, like the real `mw_flavour: \"debug\"` "
        "merged in operations/puppet 64c41884 (meant as debug: true). Reported once where "
        "the value is set."
    )
    bad = """
- namespace: mw-misc
  releases:
    main: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: debug
  web_flavour: webserver
"""
    good = """
- namespace: mw-misc
  releases:
    main: {stage: testservers}
  mw_kind: debug-image
  mw_flavour: publish
  web_flavour: webserver
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        patterns = _patterns(settings)
        if not patterns:
            return
        for d in hiera.deployments:
            seen: Dict[str, Set[str]] = {name: set() for name in FLAVOUR_KEYS}
            sites = Sites()
            for e in d.entries:
                for name, pat in patterns.items():
                    f = e.get(name)
                    if f is not None and _flavour(f):
                        if pat.search(f.value):
                            seen[name].add(f.value)
                        elif e.legacy is not None:
                            users = [f"{e.label}/{v.value}" for v in
                                     (e.get("release"), e.get("canary"), e.get("name"))
                                     if v is not None and _flavour(v)]
                            sites.add(f, f"flat entry {quote(e.label)}", users,
                                      (e.namespace, None))
                        elif namespace_value_used(e, name):
                            sites.add(f, f"namespace {quote(e.label)}", inheritors(e, name),
                                      (e.namespace, None))
                    if e.legacy is not None:
                        continue
                    for r in e.releases:
                        f = r.get(name)
                        if f is None or not _flavour(f):
                            continue
                        if pat.search(f.value):
                            seen[name].add(f.value)
                        else:
                            sites.add(f, f"release {quote(r.label)}", (),
                                      (e.namespace, str(r.name)))
            for f, what, ctx in sites:
                yield self._finding(hiera, f, what, patterns[f.name], seen[f.name],
                                    ctx + (f.name, f.value), settings)

    def _finding(self, hiera: HieraFile, f: Field, what: Site, pat: Pattern[str], seen: Set[str],
                 ctx: Tuple[Any, ...], settings: Settings) -> Finding:
        kinds = tuple(getattr(settings, "known_kinds", ()) or ())
        value = f.value
        hint = ""
        help = (f"use the intended flavour, or widen {_OPTION[f.name]} ({pat.pattern}) if this "
                f"name is deliberate")
        if f.name == "mw_flavour" and (value == "debug" or value in kinds
                                       or value.endswith("image")):
            hint = ", and looks like a kind"
            help = ("to run the debug image set mw_kind: debug-image and keep a publish "
                    "flavour")
        else:
            guess = closest(value, sorted(seen))
            if guess:
                hint = f"; did you mean {guess!r}?"
        if hint == ", and looks like a kind":
            msg, help = what.message(" looks like a kind, not a flavour", help)
        else:
            msg, help = what.message(f" does not match {_OPTION[f.name]}{hint}", help)
        return self.at(hiera, f, msg, context=ctx, help=help)
