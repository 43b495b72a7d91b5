from __future__ import annotations

from mwlint.rules.base import Rule
from mwlint.rules.mw301_invalid_cluster_dir import dir_syntax_problem


def explicit_clusters(entry):
    """The entry's own ``clusters`` as strings; None when absent or not a list."""
    f = entry.get("clusters")
    if f is None or not f.is_seq:
        return None
    return [i.value for i in f.node.value
            if getattr(i, "tag", "").endswith(":str") and i.value]


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
        "releases are all deploy: false are not exempt: their values files are still "
        "written, and re-enabling deploy would apply them."
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

    def check(self, hiera, settings):
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
                dir_value = dir_f.node.value if dir_f is not None else d.default_dir
                default_dir = dir_value == d.default_dir
                default_clusters = own is None or set(own) <= set(defaults)
                if default_dir == default_clusters:
                    continue
                src = _origin(origin)
                if not default_dir:
                    which = ("no clusters, so the default clusters" if own is None
                             else f"clusters {', '.join(own)}, all default clusters")
                    msg = (
                        f"{e.label!r} sets the non-default dir {dir_value!r} but has "
                        f"{which} ({', '.join(defaults)}{src}): scap runs helmfile -e "
                        f"<cluster> in helmfile.d/{dir_value}/{e.label}/, and the "
                        f"environments of the default clusters rarely exist there, so the "
                        f"apply fails mid-sync; set clusters to the environments of that dir "
                        f"(e.g. clusters: [dse-k8s-eqiad] for dse-k8s-services)"
                    )
                else:
                    extra = [c for c in own if c not in defaults]
                    msg = (
                        f"{e.label!r} sets clusters {', '.join(own)} ({', '.join(extra)} "
                        f"not among the default clusters {', '.join(defaults)}{src}) but "
                        f"uses the default dir {dir_value!r}: scap runs helmfile -e <cluster> in "
                        f"helmfile.d/{dir_value}/{e.label}/, where the environments of "
                        f"another cluster family rarely exist, so the apply fails mid-sync; "
                        f"set dir to the helmfile.d subdirectory of those clusters"
                    )
                yield self.at(hiera, e, msg,
                              context=(e.namespace, None, "dir", str(dir_value)))


def _origin(origin: str) -> str:
    if origin == "scap::k8s_deployments.clusters":
        return ", from scap::k8s_deployments.clusters in this file"
    if origin == "option":
        return ", from the default-clusters option"
    return ""
