"""MW308 (and, through :func:`helmfile_outcomes`, MW309): the deployable records checked
against the helmfiles of a deployment-charts checkout, read statically
(``deployment-charts.md`` §6)."""

from __future__ import annotations

from typing import Dict, Iterator, List, NamedTuple

from mwlint.rules.base import Rule
from mwlint.rules.mw301_invalid_cluster_dir import checkout_dir_problem, dir_syntax_problem
from mwlint.suggest import closest


class Outcome(NamedTuple):
    """One conclusion: ``code`` is MW308 (a mismatch) or MW309 (could not be checked)."""

    code: str
    entry: object
    target: object  # a Field, Release or Entry to point at, or a raw node
    message: str
    context: tuple
    help: object = None  # how to fix it (str), or None


class ClusterItem(NamedTuple):
    """An item of an entry's clusters list (its node and YAML path)."""

    node: object
    path: str


def _listed(names) -> str:
    return ", ".join(names) if names else "none"


def _cluster_nodes(entry) -> Dict[str, object]:
    """cluster name -> its item node in the entry's clusters (first occurrence)."""
    f = entry.get("clusters")
    out: Dict[str, object] = {}
    if f is None or not f.is_seq:
        return out
    for i, item in enumerate(f.node.value):
        if not getattr(item, "tag", "").endswith(":str"):
            continue  # MW104
        v = item.value
        if v and v not in out:
            out[v] = ClusterItem(item, f"{f.path}[{i}]")
    return out


# The last file's outcomes: MW308 and MW309 run on the same model one after the other.
_last: list = [None, None, ()]


def helmfile_outcomes(hiera, settings) -> List[Outcome]:
    """Every MW308/MW309 conclusion for the file, entry by entry (deployable records only).
    Nothing without ``settings.deployment_charts``."""
    if not getattr(settings, "deployment_charts", None):
        return []  # nothing to check, and nothing to keep alive after this file
    if _last[0] is hiera and _last[1] is settings:
        return _last[2]
    out = list(_outcomes(hiera, settings))
    _last[:] = [hiera, settings, out]
    return out


def _outcomes(hiera, settings) -> Iterator[Outcome]:
    root = getattr(settings, "deployment_charts", None)
    if not root:
        return
    from mwlint.charts import checkout_for

    checkout = checkout_for(root)
    max_size = getattr(settings, "max_file_size", 10 * 1024 * 1024)
    for d in hiera.deployments:
        # entry -> its deployable records, in document order
        grouped: Dict[int, list] = {}
        order: List[object] = []
        for rec in d.records():
            if not rec.deploy:
                continue
            e = rec.source.entry
            if id(e) not in grouped:
                grouped[id(e)] = []
                order.append(e)
            grouped[id(e)].append(rec)
        unverifiable_reported = set()
        for e in order:
            records = grouped[id(e)]
            yield from _entry_outcomes(e, records, settings, checkout, max_size,
                                       unverifiable_reported)


def _entry_outcomes(e, records, settings, checkout, max_size, reported) -> Iterator[Outcome]:
    ns_field = e.get("namespace")
    ns = e.namespace
    cluster_dir = e.dir.value
    if not isinstance(cluster_dir, str) or not ns:
        return
    if dir_syntax_problem(e, settings) is not None:
        return  # MW301
    if checkout_dir_problem(e, settings, checkout) is not None:
        return  # MW301
    look = checkout.lookup(cluster_dir, ns)
    releases = []  # Release objects, in order
    clusters: List[str] = []
    nodes = _cluster_nodes(e)
    explicit = e.get("clusters") is not None
    for rec in records:
        if explicit and rec.cluster not in nodes:
            continue  # not a string (MW104)
        if rec.source not in releases:
            releases.append(rec.source)
        if rec.cluster not in clusters:
            clusters.append(rec.cluster)
    if not clusters:
        return
    if look.status in ("none", "both"):
        if look.status == "none":
            what = f"{look.directory}/ holds no helmfile.yaml (nor helmfile.yaml.gotmpl)"
        else:
            what = f"{look.directory}/ holds both helmfile.yaml and helmfile.yaml.gotmpl"
        yield Outcome("MW308", e, ns_field, f"{what}, so helmfile cannot run for {e.label!r}",
                      (ns, None, "namespace", ns),
                      "keep exactly one helmfile in that directory")
        return
    if look.status != "ok":
        return
    facts = checkout.read(look.path, max_size)
    ident = (cluster_dir, ns)
    if not facts.readable:
        if ident not in reported:
            reported.add(ident)
            yield Outcome("MW309", e, ns_field, (
                f"{facts.path} {facts.unknown}, so the records of {e.label!r} were not "
                f"checked"), (ns, None, "helmfile", None),
                "check them by hand: helmfile -e <cluster> --selector name=<release> build")
        return
    envs = facts.environments
    defined = sorted(envs)
    unknown: List[str] = []
    ok_clusters: List[str] = []  # environment defined or not decidable
    missing: List[str] = []
    for c in clusters:
        if c in envs or c == "default":
            ok_clusters.append(c)
        elif facts.environments_open:
            ok_clusters.append(c)
            unknown.append(f"environment {c!r} (the environments are partly templated)")
        else:
            missing.append(c)
    where = f"defined: {_listed(defined)}" if defined else "it declares no environments"
    if missing and e.get("clusters") is None:
        # the default clusters: one conclusion about the entry, at its namespace
        yield Outcome("MW308", e, ns_field, (
            f"{facts.path} defines no environment {' or '.join(repr(c) for c in missing)}, "
            f"the default clusters of {e.label!r}"),
            (ns, None, "clusters", ",".join(missing)),
            f"set clusters to environments of that helmfile ({where}), or fix dir")
    else:
        for c in missing:
            guess = closest(c, defined)
            hint = f"; did you mean {guess!r}?" if guess else ""
            target = nodes.get(c)
            yield Outcome("MW308", e, target if target is not None else ns_field, (
                f"{facts.path} defines no environment {c!r}{hint}"),
                (ns, None, "clusters", c),
                None if guess else f"fix clusters or dir ({where})")
    if ok_clusters:
        for r in releases:
            yield from _release_outcomes(e, r, ok_clusters, facts, unknown)
    if unknown and ident not in reported:
        reported.add(ident)
        yield Outcome("MW309", e, ns_field, (
            f"{facts.path} is templated where it would decide, so some records of "
            f"{e.label!r} were not checked"),
            (ns, None, "helmfile", None),
            f"check {'; '.join(unknown)} by hand with helmfile -e <cluster> --selector "
            f"name=<release> build")


def _release_outcomes(e, r, clusters, facts, unknown) -> Iterator[Outcome]:
    name = r.name
    ns = e.namespace
    if name not in facts.releases:
        if facts.releases_open:
            unknown.append(f"release {name!r} (the release list is partly templated)")
            return
        guess = closest(name, facts.releases)
        hint = f"; did you mean {guess!r}?" if guess else ""
        yield Outcome("MW308", e, r, f"{facts.path} defines no release {name!r}{hint}",
                      (ns, name, "release", name),
                      None if guess else f"rename the release or add it to the helmfile "
                                         f"(defined: {_listed(facts.releases)})")
        return
    missing = []
    for c in clusters:
        install = facts.environments.get(c)
        if install is None or name in install.names:
            continue  # no literal install list (or the environment is not literal)
        if install.open:
            unknown.append(f"release {name!r} in the install list of {c!r} (templated)")
            continue
        missing.append(f"{c} (installs: {_listed(install.names)})")
    if missing:
        envs_missing = [m.split(" ")[0] for m in missing]
        yield Outcome("MW308", e, r, (
            f"release {name!r} is not installed in environment {', '.join(envs_missing)} of "
            f"{facts.path}"),
            (ns, name, "installed", ",".join(envs_missing)),
            f"add {name!r} to the environment's releases list in deployment-charts "
            f"({'; '.join(missing)}), or change clusters")


def finding_for(rule: Rule, hiera, outcome: Outcome):
    target = outcome.target
    if isinstance(target, ClusterItem):
        from mwlint.findings import span_of

        return rule.finding_at(hiera.path, span_of(target.node), outcome.message,
                               target.path, context=outcome.context, help=outcome.help)
    return rule.at(hiera, target, outcome.message, context=outcome.context,
                   help=outcome.help)


class HelmfileMismatch(Rule):
    code = "MW308"
    name = "helmfile-mismatch"
    severity = "error"
    options = ("deployment-charts",)
    summary = (
        "Only with deployment-charts = PATH, for deployable records: "
        "helmfile.d/<dir>/<namespace>/helmfile.yaml does not define an environment named "
        "after the cluster, or no release named after the release, or the release is "
        "defined but not in that environment's install list. The helmfile is read "
        "statically; templated parts are never guessed (MW309)."
    )
    rationale = (
        "scap runs helmfile -e <cluster> --selector name=<release> apply in that "
        "directory. A missing environment or release fails in the middle of a sync, after "
        "earlier stages were already applied; a release missing from the environment's "
        "install list silently deploys nothing (its installedTemplate is false there, so the "
        "apply deploys nothing or uninstalls it). An entry without clusters is checked "
        "against its default clusters. deploy: false releases are not checked (scap never "
        "runs helmfile for them)."
    )
    bad = """
# helmfile.d/services/mw-web/helmfile.yaml defines main, canary, next, migration
- namespace: mw-web
  releases: {mian: {}}
"""
    good = """
- namespace: mw-web
  releases: {main: {}}
"""

    def check(self, hiera, settings):
        for o in helmfile_outcomes(hiera, settings):
            if o.code == self.code:
                yield finding_for(self, hiera, o)

