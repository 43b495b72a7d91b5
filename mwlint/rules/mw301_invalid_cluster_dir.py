from __future__ import annotations

import os
from typing import List, NamedTuple, Optional

from mwlint.rules.base import Rule
from mwlint.suggest import closest

# Characters a shell (or a path-joining script) would treat specially.
SHELL_METACHARACTERS = frozenset(";&|$`()<>*?[]{}!'\"\\#~")


def dir_syntax_problem(entry, settings) -> Optional[str]:
    """Why the entry's explicit string ``dir`` is not a usable helmfile.d subdirectory
    name, or None. A non-string ``dir`` is MW104's; an absent one is the default."""
    f = entry.get("dir")
    if f is None or not f.is_str:
        return None
    v = f.node.value
    if v == "":
        return "is empty"
    reasons: List[str] = []
    if v.startswith("/"):
        reasons.append("is absolute")
    parts = v.split("/")
    if ".." in parts or "." in parts or ".." in v:
        reasons.append("contains '.' or '..'")
    if "/" in v and not v.startswith("/"):
        reasons.append("contains '/'")
    if any(c.isspace() for c in v):
        reasons.append("contains whitespace")
    meta = sorted({c for c in v if c in SHELL_METACHARACTERS})
    if meta:
        reasons.append("contains shell metacharacters (" + " ".join(meta) + ")")
    if reasons:
        return " and ".join(reasons) if len(reasons) == 2 else ", ".join(reasons)
    known = getattr(settings, "known_dirs", None)
    if known is not None and v not in known:
        guess = closest(v, known)
        hint = f"; did you mean {guess!r}?" if guess else f" ({', '.join(known)})"
        return f"is not one of the known dirs{hint}"
    return None


def _dir_help(value: str, problem: str) -> str:
    if value == "":
        return "delete the key to use the default dir"
    if problem.startswith("is not one of the known dirs"):
        return "use an existing helmfile.d directory, or add it to known-dirs"
    return ("write a single directory name under helmfile.d, like 'services' or "
            "'dse-k8s-services'")


def deployable_releases(entry) -> list:
    """The releases scap runs helmfile for: string names, effective ``deploy`` true."""
    return [r for r in entry.releases if isinstance(r.name, str) and r.deployable]


def has_deployable_records(entry) -> bool:
    clusters = entry.clusters()
    return bool(clusters) and bool(deployable_releases(entry))


class DirProblem(NamedTuple):
    node_field: object  # the Field to point at
    message: str
    help: Optional[str] = None


def checkout_dir_problem(entry, settings, checkout) -> Optional[DirProblem]:
    """With a deployment-charts checkout: ``helmfile.d/<dir>/<namespace>/`` missing for an
    entry that has deployable records. None when it exists or is not checked."""
    ns_field = entry.get("namespace")
    if ns_field is None or not ns_field.nonempty_str or entry.legacy is not None:
        return None
    d = entry.dir
    if not isinstance(d.value, str) or dir_syntax_problem(entry, settings) is not None:
        return None
    if not has_deployable_records(entry):
        return None
    look = checkout.lookup(d.value, ns_field.node.value)
    if look.status == "no-dir-root":
        existing = _subdirs(checkout.root, "helmfile.d")
        guess = closest(d.value, existing)
        hint = f"; did you mean {guess!r}?" if guess else ""
        where = "dir" if d.field is not None else "default dir"
        target = d.field if d.field is not None else ns_field
        return DirProblem(target, (
            f"helmfile.d/{d.value}/ ({where} of {entry.label!r}) does not exist in "
            f"deployment-charts{hint}"), f"existing dirs: {', '.join(existing) or 'none'}")
    if look.status == "no-dir":
        existing = _subdirs(checkout.root, f"helmfile.d/{d.value}")
        guess = closest(ns_field.node.value, existing)
        hint = f"; did you mean {guess!r}?" if guess else ""
        return DirProblem(ns_field, (
            f"{look.directory}/ does not exist in deployment-charts{hint}"),
            None if guess else "add the namespace's helmfile to deployment-charts first, "
                               "or fix dir")
    return None


def _subdirs(root: str, rel: str) -> List[str]:
    try:
        names = os.listdir(os.path.join(root, rel))
    except OSError:
        return []
    return sorted(n for n in names if not n.startswith((".", "_"))
                  and os.path.isdir(os.path.join(root, rel, n)))


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

    def check(self, hiera, settings):
        checkout = None
        if getattr(settings, "deployment_charts", None):
            from mwlint.charts import checkout_for

            checkout = checkout_for(settings.deployment_charts)
        for d in hiera.deployments:
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("dir")
                problem = dir_syntax_problem(e, settings)
                if problem is not None:
                    yield self.at(
                        hiera, f,
                        f"dir {f.node.value!r} of {e.label!r} {problem}",
                        context=(e.namespace, None, "dir", f.node.value),
                        help=_dir_help(f.node.value, problem),
                    )
                    continue
                if checkout is None:
                    continue
                found = checkout_dir_problem(e, settings, checkout)
                if found is not None:
                    yield self.at(hiera, found.node_field, found.message, help=found.help,
                                  context=(e.namespace, None, "dir", str(e.dir.value)))
