from __future__ import annotations

import re

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable, Optional

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
RELEASE_NAME = re.compile(r"^[a-z0-9.-]+$")


def namespace_problem(name: str) -> Optional[str]:
    if len(name) > 63:
        return f"is {len(name)} characters long (at most 63)"
    if DNS1123_LABEL.match(name):
        return None
    reasons = []
    if name != name.lower():
        reasons.append("uppercase letters")
    bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c == "-"))})
    if bad:
        reasons.append(cap_list((repr(c) for c in bad), sep=" "))
    if reasons:
        return "contains " + " and ".join(reasons)
    return "does not start and end with a lowercase letter or digit"


def release_problem(name: str) -> Optional[str]:
    if name == "":
        return "is empty"
    if RELEASE_NAME.match(name):
        return None
    reasons = []
    if name != name.lower():
        reasons.append("uppercase letters")
    bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c in "-."))})
    if bad:
        reasons.append(cap_list((repr(c) for c in bad), sep=" "))
    return "contains " + " and ".join(reasons)


def cluster_problem(name: str) -> Optional[str]:
    reasons = []
    if any(c.isspace() for c in name):
        reasons.append("whitespace")
    if "," in name:
        reasons.append("a comma")
    if name != name.lower():
        reasons.append("uppercase letters")
    return ("contains " + " and ".join(reasons)) if reasons else None


class InvalidName(Rule):
    code = "MW306"
    name = "invalid-name"
    severity = "warning"
    summary = (
        "A namespace that is not a DNS-1123 label (lowercase letters, digits and '-', "
        "starting and ending with a letter or digit, at most 63 characters); a release "
        "name with anything but lowercase letters, digits, '-' and '.'; a cluster name "
        "with whitespace, a comma or uppercase letters."
    )
    rationale = (
        "scap and Puppet accept any string, but Kubernetes rejects such a namespace, Helm "
        "such a release name, and a cluster name is passed verbatim to helmfile -e (scap "
        "splits its own cluster list on commas and whitespace): the deploy fails mid-sync, "
        "after earlier stages were applied."
    )
    bad = """
- namespace: MW_Web
  releases: {Main: {}}
  clusters: ["eqiad, codfw"]
"""
    good = """
- namespace: mw-web
  releases: {main: {}}
  clusters: [eqiad, codfw]
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                ns = e.get("namespace")
                if ns is not None and ns.nonempty_str:
                    why = namespace_problem(ns.text or "")
                    if why:
                        head = f"namespace {quote(ns.text)} {why}"
                        msg, help = fit(f"{head}, so it is not a valid Kubernetes namespace name",
                                        head, "use lowercase letters, digits and '-'",
                                        "it is not a valid Kubernetes namespace name")
                        yield self.at(hiera, ns, msg, help=help,
                                      context=(e.namespace, None, "namespace", ns.text))
                for r in e.releases:
                    if not isinstance(r.name, str):
                        continue  # MW104
                    why = release_problem(r.name)
                    if why:
                        head = f"release name {quote(r.name)} in {quote(e.label)} {why}"
                        msg, help = fit(f"{head}, so no Helm release can match it", head,
                                        "rename it (and its helmfile release) with lowercase "
                                        "letters, digits, '-' and '.'",
                                        "no Helm release can match it")
                        yield self.at(hiera, r, msg, help=help,
                                      context=(e.namespace, r.name, "name", r.name))
                f = e.get("clusters")
                if f is None or not f.is_seq:
                    continue
                for item in f.items():
                    if not (item.kind == "str" and item.text):
                        continue  # MW104
                    why = cluster_problem(item.text)
                    if why:
                        head = f"cluster {quote(item.text)} of {quote(e.label)} {why}"
                        msg, help = fit(f"{head}, so no helmfile environment has that name",
                                        head, "write one lowercase cluster name per list item",
                                        "no helmfile environment has that name")
                        yield self.finding_at(
                            hiera.path, item.span, msg, item.path,
                            context=(e.namespace, None, "clusters", item.text), help=help,
                        )
