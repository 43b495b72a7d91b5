from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import quote
from mwlint.rules.base import Rule, because, fit
from mwlint.rules.predicates import checkout_dir_problem, dir_syntax_problem
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


def _dir_help(value: str, problem: str) -> str:
    if value == "":
        return "delete the key to use the default dir"
    if problem.startswith("is not one of the known dirs"):
        return "use an existing helmfile.d directory, or add it to known-dirs"
    return ("write a single directory name under helmfile.d, like 'services' or "
            "'dse-k8s-services'")


class InvalidClusterDir(Rule):
    code = "MW301"
    name = "invalid-cluster-dir"
    severity = "error"
    options = ("known-dirs", "deployment-charts")
    summary = (
        "dir is empty, absolute, contains '/', '..', whitespace or shell metacharacters, or "
        "is not in known-dirs when that option is set; with deployment-charts = PATH, "
        "helmfile.d/<dir>/<namespace>/ does not exist for an entry with deployable releases."
    )
    rationale = (
        "scap joins dir into the helmfile path (helmfile.d/<dir>/<namespace>) without any "
        "check and runs helmfile there: a bad dir makes every deployable release of the "
        "namespace fail in the middle of a sync, after earlier stages were applied. An empty "
        "dir runs helmfile in helmfile.d/ itself; an absolute one discards the helmfile.d/ "
        "prefix and leaves the checkout; '.' or '..' point outside the helmfile.d/<dir>/ "
        "level; whitespace and shell metacharacters are split or interpreted by the "
        "shell-driven helmfile run."
    )
    bad = """
- namespace: mediawiki-dumps-legacy
  releases: {production: {}}
  dir: dse-k8s-services/
  clusters: [dse-k8s-eqiad]
"""
    good = """
- namespace: mediawiki-dumps-legacy
  releases: {production: {}}
  dir: dse-k8s-services
  clusters: [dse-k8s-eqiad]
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        checkout = hiera.charts  # the deployment-charts facts, None without the option
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("dir")
                problem = dir_syntax_problem(e, settings)
                if problem is not None and f is not None:
                    head = f"dir {quote(f.text)} of {quote(e.label)} {problem}"
                    msg, help = fit(because(head, ", so helmfile fails mid-sync", always=True),
                                    head, _dir_help(f.text or "", problem),
                                    "helmfile would fail mid-sync")
                    yield self.at(hiera, f, msg, help=help,
                                  context=(e.namespace, None, "dir", f.text))
                    continue
                if checkout is None:
                    continue
                found = checkout_dir_problem(e, settings, checkout)
                if found is not None:
                    msg = because(found.message, ", so the sync fails there", always=True)
                    msg, found_help = fit(msg, found.short, found.help, found.moved)
                    yield self.at(hiera, found.node_field, msg, help=found_help,
                                  context=(e.namespace, None, "dir", str(e.dir.value)))
