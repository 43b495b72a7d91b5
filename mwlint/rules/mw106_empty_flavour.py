from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.schema import FLAVOUR_KEYS
from mwlint.model.types import Field, HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Sequence


class EmptyFlavour(Rule):
    code = "MW106"
    name = "empty-flavour"
    severity = "error"
    summary = (
        "The effective mw_flavour or web_flavour of a release is empty or null, including a "
        "release-level `~` that does not fall back to the namespace's value."
    )
    rationale = (
        "scap takes a release-level key whenever it is present, even when null: it does not "
        "fall back to the namespace. The release then has no flavour and scap aborts the "
        "sync (E4/E5: 'has no mw_flavour set')."
    )
    bad = """
- namespace: mw-web
  releases:
    main: {mw_flavour: ~}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
- namespace: mw-web
  releases:
    main: {}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for e in d.entries:
                for name in FLAVOUR_KEYS:
                    f = e.get(name)
                    if f is not None and _empty(f):
                        users = [str(r.name) for r in e.releases if name not in r.fields]
                        who = (f", so {_releases(users)} {'has' if len(users) == 1 else 'have'}"
                               f" no {name}" if users else
                               " (every release sets its own, but Puppet requires it here)")
                        head = f"{name} of {quote(e.label)} is {_what(f)}"
                        tail = "" if "Puppet" in who else ": scap aborts the sync"
                        msg, help = fit(f"{head}{who}{tail}", f"{head}{tail}",
                                        f"set the flavour (e.g. {_example(name)})",
                                        who.strip(" ,()").replace("so ", "", 1))
                        yield self.at(
                            hiera, f, msg,
                            context=(e.namespace, None, name, str(f.value)),
                            help=help,
                        )
                if e.legacy is not None:
                    continue
                for r in e.releases:
                    for name in FLAVOUR_KEYS:
                        f = r.get(name)
                        if f is None or not _empty(f):
                            continue
                        ns_f = e.get(name)
                        inherit = "the namespace's"
                        if ns_f is not None and ns_f.nonempty_str:
                            inherit += f" {quote(ns_f.value)}"
                        head = f"{name} of release {quote(r.label)} is {_what(f)}"
                        msg, help = fit(f"{head}, so it has no {name}: scap aborts the sync",
                                        f"{head}: scap aborts the sync",
                                        f"delete the key to inherit {inherit}, or set a flavour",
                                        f"the release has no {name}")
                        yield self.at(
                            hiera, f, msg,
                            context=(e.namespace, r.name, name, str(f.value)),
                            help=help,
                        )


def _empty(f: Field) -> bool:
    return f.is_null or (f.is_str and (f.text or "").strip() == "")


def _releases(names: Sequence[str]) -> str:
    if len(names) == 1:
        return f"release {quote(names[0])}"
    if len(names) <= 3:
        return "releases " + cap_list(names)
    return f"its {len(names)} releases"


def _what(f: Field) -> str:
    return "null" if f.is_null else "empty"


def _example(name: str) -> str:
    return "publish-83" if name == "mw_flavour" else "webserver-bookworm"
