from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import deployable_releases, dir_syntax_problem, explicit_clusters
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable


class DirClustersMismatch(Rule):
    code = "MW302"
    name = "dir-clusters-mismatch"
    severity = "warning"
    options = ("default-clusters", "default-dir")
    summary = (
        "A non-default dir with the default clusters, or non-default clusters (not a "
        "subset of default-clusters) with the default dir. Not reported with "
        "deployment-charts = PATH, where MW308 checks the real helmfile environments."
    )
    rationale = (
        "Each cluster is passed to `helmfile -e <cluster>` in helmfile.d/<dir>/<namespace>: "
        "the wikikube environments (eqiad, codfw) live under services/, the DSE ones "
        "(dse-k8s-eqiad) under dse-k8s-services/. A dir moved without its clusters (or the "
        "reverse) makes helmfile fail mid-sync with 'environment not defined'. Entries whose "
        "releases are all deploy: false are not exempt: nothing is applied today, but their "
        "values files are still written, and re-enabling deploy would apply them. The default "
        "clusters are the default-clusters option, else scap::k8s_deployments.clusters of the "
        "same file ('set in this file'), else eqiad, codfw. The finding is at the dir line when "
        "the dir is set (a dir moved without its clusters), else at the clusters line."
    )
    bad = """
- namespace: mediawiki-dumps-legacy
  releases: {production: {}}
  dir: dse-k8s-services
"""
    good = """
- namespace: mediawiki-dumps-legacy
  releases: {production: {}}
  dir: dse-k8s-services
  clusters: [dse-k8s-eqiad]
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        if getattr(settings, "deployment_charts", None):
            return  # MW308 decides against the real helmfiles
        for d in hiera.deployments:
            defaults = tuple(d.default_clusters)
            origin = d.default_clusters_origin
            for e in d.entries:
                if e.legacy is not None:
                    continue
                dir_f = e.get("dir")
                if dir_f is not None and (not dir_f.is_str
                                          or dir_syntax_problem(e, settings) is not None):
                    continue  # MW104 / MW301
                cl_f = e.get("clusters")
                if cl_f is not None and not cl_f.is_seq:
                    continue  # MW104
                own = explicit_clusters(e)
                if own is not None and not own:
                    continue  # clusters: [] is MW303 only
                dir_value = dir_f.text if dir_f is not None else d.default_dir
                default_dir = dir_value == d.default_dir
                default_clusters = own is None or set(own) <= set(defaults)
                if default_dir == default_clusters:
                    continue
                src = _origin(origin)
                paused = not deployable_releases(e)  # values files only, nothing applied
                if not default_dir:
                    which, listed = (("the default clusters", f"{cap_list(defaults)}{src}")
                                     if own is None else
                                     ("default clusters only", cap_list(own)))
                    head = f"{quote(e.label)} sets dir {quote(dir_value)} with {which}"
                    msg, help = fit(f"{head} ({listed})", head,
                                    "set clusters to the environments of that dir (e.g. "
                                    "clusters: [dse-k8s-eqiad] for dse-k8s-services)",
                                    f"the clusters: {listed}")
                    at = dir_f  # the dir moved without its clusters
                else:
                    extra = [c for c in own or () if c not in defaults]
                    msg, help = fit(
                        f"{quote(e.label)} sets clusters {cap_list(extra)}, not default ones, "
                        f"but uses the default dir {quote(dir_value)}",
                        f"{quote(e.label)} sets clusters that are not default ones, but uses "
                        f"the default dir {quote(dir_value)}",
                        "set dir to the helmfile.d subdirectory of those clusters",
                        f"the clusters: {cap_list(extra)}")
                    at = dir_f if dir_f is not None else e.get("clusters")
                if paused:
                    help = "before re-enabling deploy, " + help
                assert at is not None  # a dir off the default is written; so are own clusters
                yield self.at(hiera, at, msg, help=help,
                              context=(e.namespace, None, "dir", str(dir_value)))


def _origin(origin: str) -> str:
    if origin == "scap::k8s_deployments.clusters":
        return ", set in this file"
    if origin == "option":
        return ", from default-clusters"
    return ""
