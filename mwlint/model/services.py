"""The typed model of the ``scap deploy-service`` configuration (deploy-service.md):
cluster groups (environments with datacenter, type and aliases; stages; default stage) and
the service catalog (services, namespaces, env-refs, releases, checks), with positions.

The builder reads both values as scap's loader does (§2) and records, instead of stopping
at the first, every problem the loader would refuse, as a :class:`Problem` of a *kind*
(``unknown-key``, ``missing-key``, ``wrong-type``, ``invalid-value``, ``duplicate``,
``undefined``); the MW6xx rules report them. What parses is typed, so the plan (§4) and the
mid-run checks (§3) read the same objects.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.locate.locator import Located, yaml_key
from mwlint.model.values import Value
from mwlint.parse.resolve import Resolver, is_map, is_scalar, is_seq
from mwlint.suggest import did_you_mean, few

STAGING, PRODUCTION = "STAGING", "PRODUCTION"
TYPES = (STAGING, PRODUCTION)
DEFAULT_GROUP_DIR = "services"  # scap.cfg helmfile_default_cluster_dir

GROUP_KEYS = ("dir", "environments", "environment_stages", "environment_default_stage")
ENVIRONMENT_KEYS = ("datacenter", "type", "aliases")
CATALOG_KEYS = ("services",)
SERVICE_KEYS = ("cluster_group", "checks", "namespaces")
NAMESPACE_KEYS = ("environments",)
ENV_REF_KEYS = ("releases",)
RELEASE_KEYS = ("stage",)
CHECK_TYPES = ("commands", "manual")

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"

# problem kinds (one MW6xx rule each)
UNKNOWN_KEY, MISSING_KEY, WRONG_TYPE, INVALID_VALUE, DUPLICATE, UNDEFINED = (
    "unknown-key", "missing-key", "wrong-type", "invalid-value", "duplicate", "undefined")


class Problem(NamedTuple):
    """One thing scap's loader refuses, at the value (or key) that is wrong."""

    kind: str
    message: str
    at: Value
    help: Optional[str] = None


class Environment:
    __slots__ = ("name", "name_value", "datacenter", "type", "aliases", "group", "index")

    def __init__(self, name: str, name_value: Value, datacenter: Optional[str],
                 type: Optional[str], aliases: Tuple[Tuple[str, Value], ...],
                 group: "ClusterGroup", index: int) -> None:
        self.name = name
        self.name_value = name_value  # the environment's name as written
        self.datacenter = datacenter
        self.type = type
        self.aliases = aliases
        self.group = group
        self.index = index  # declaration order in the group

    def __repr__(self) -> str:
        return f"<Environment {self.group.name}/{self.name}>"


class ClusterGroup:
    __slots__ = ("name", "name_value", "path", "dir", "environments", "stages",
                 "default_stage", "file", "problems")

    def __init__(self, name: str, name_value: Value, path: str, file: str) -> None:
        self.name = name
        self.name_value = name_value
        self.path = path
        self.file = file  # the file that defines it
        self.dir = DEFAULT_GROUP_DIR
        self.environments: Tuple[Environment, ...] = ()
        self.stages: Tuple[str, ...] = ()
        self.default_stage: Optional[str] = None
        self.problems = 0  # loader problems inside the group's definition

    @property
    def clean(self) -> bool:
        return self.problems == 0

    def names(self) -> List[str]:
        """Every environment name and alias, in declaration order."""
        out: List[str] = []
        for e in self.environments:
            out.append(e.name)
            out.extend(a for a, _v in e.aliases)
        return out

    def resolve(self, ref: str) -> Optional[Environment]:
        for e in self.environments:
            if e.name == ref or any(a == ref for a, _v in e.aliases):
                return e
        return None

    def __repr__(self) -> str:
        return f"<ClusterGroup {self.name}>"


class ServiceRelease(NamedTuple):
    name: str
    name_value: Value
    stage: Optional[str]  # effective: the release's, else the group's default
    stage_value: Optional[Value]  # the written ``stage``, if any


class EnvRef:
    """One ``env-ref: {releases: ...}`` of a namespace."""

    __slots__ = ("ref", "name_value", "environment", "releases", "releases_value", "namespace")

    def __init__(self, ref: str, name_value: Value, environment: Optional[Environment],
                 releases: Optional[Tuple[ServiceRelease, ...]],
                 releases_value: Optional[Value], namespace: "Namespace") -> None:
        self.ref = ref  # what ``helmfile -e`` gets
        self.name_value = name_value
        self.environment = environment  # None when it resolves to nothing (or no group)
        self.releases = releases  # None: every release, at the group's default stage
        self.releases_value = releases_value
        self.namespace = namespace


class Namespace:
    __slots__ = ("name", "name_value", "env_refs", "service")

    def __init__(self, name: str, name_value: Value, service: "Service") -> None:
        self.name = name
        self.name_value = name_value
        self.env_refs: Tuple[EnvRef, ...] = ()
        self.service = service


class Check(NamedTuple):
    kind: str  # "commands" or "manual"
    value: Value  # the check's mapping
    commands: Tuple[Tuple[str, Value], ...] = ()
    question: Optional[str] = None  # manual: None = the default question


class CheckGroup(NamedTuple):
    """The checks of one (env-ref, stage)."""

    ref: str
    ref_key: Value
    environment: Optional[Environment]
    stage: str
    stage_key: Value
    checks: Tuple[Check, ...]


class Service:
    __slots__ = ("name", "name_value", "path", "cluster_group", "cluster_group_value", "group",
                 "namespaces", "checks", "problems")

    def __init__(self, name: str, name_value: Value, path: str) -> None:
        self.name = name
        self.name_value = name_value
        self.path = path
        self.cluster_group: Optional[str] = None
        self.cluster_group_value: Optional[Value] = None
        self.group: Optional[ClusterGroup] = None  # resolved (None: undefined or not found)
        self.namespaces: Tuple[Namespace, ...] = ()
        self.checks: Tuple[CheckGroup, ...] = ()
        self.problems = 0  # loader problems inside the service (its references included)

    @property
    def clean(self) -> bool:
        """scap loads this service and its group: what it deploys is what the model says
        (the rules that judge the deployment look only at clean services)."""
        return self.problems == 0 and self.group is not None and self.group.clean

    def deploys(self) -> Dict[Tuple[str, str], List[Tuple[EnvRef, Optional[str]]]]:
        """(environment name, stage) -> the (env-ref, release or None = all) deployed
        there, in namespace order; only env-refs that resolve to an environment."""
        out: Dict[Tuple[str, str], List[Tuple[EnvRef, Optional[str]]]] = {}
        default = self.group.default_stage if self.group is not None else None
        for ns in self.namespaces:
            for ref in ns.env_refs:
                if ref.environment is None:
                    continue
                if ref.releases is None:
                    if default is not None:
                        out.setdefault((ref.environment.name, default), []).append((ref, None))
                    continue
                for rel in ref.releases:
                    if rel.stage is not None:
                        out.setdefault((ref.environment.name, rel.stage), []).append(
                            (ref, rel.name))
        return out

    def __repr__(self) -> str:
        return f"<Service {self.name}>"


class ServiceConfig:
    """The deploy-service keys of one file, as typed objects and loader problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.groups_value: Optional[Value] = None  # the cluster_groups value (or key)
        self.catalog_value: Optional[Value] = None
        self.groups: Optional[Dict[str, ClusterGroup]] = None  # None: not in this file
        self.services: Optional[Tuple[Service, ...]] = None  # None: no catalog here
        # the catalog's groups came from another file of the run (its path)
        self.groups_from: Optional[str] = None
        self.problems: List[Problem] = []

    @property
    def groups_missing(self) -> bool:
        """A catalog whose cluster groups are nowhere in the run (references unchecked)."""
        return self.services is not None and self.groups is None


# -- the builder ---------------------------------------------------------------------------

class _Builder:
    def __init__(self, out: ServiceConfig, resolver: Resolver) -> None:
        self.out = out
        self.r = resolver

    # helpers
    def problem(self, kind: str, at: Value, message: str, help: Optional[str] = None) -> None:
        self.out.problems.append(Problem(kind, message, at, help))

    def pairs(self, node, path: str) -> List[Tuple[Value, Value, Any, Any]]:
        out: List[Tuple[Value, Value, Any, Any]] = []
        for k, v, merged in self.r.pairs(node):
            name = yaml_key(k.value) if is_scalar(k) else "<complex key>"
            p = f"{path}.{name}"
            out.append((Value(k, p, merged), Value(v, p, merged), k, v))
        return out

    def mapping(self, value: Value, node, what: str) -> bool:
        if is_map(node):
            return True
        self.problem(WRONG_TYPE, value, f"{what} must be a mapping, not {value.describe()}")
        return False

    def name_of(self, key: Value, knode, what: str) -> Optional[str]:
        """A mapping key that scap reads as a name: a non-empty string."""
        if is_scalar(knode) and knode.tag == _STR and knode.value != "":
            return knode.value
        self.problem(WRONG_TYPE, key, f"{what} must be a non-empty string, not "
                                      f"{key.describe()}", "quote it as a string")
        return None

    def nonempty_str(self, value: Value, node, what: str) -> Optional[str]:
        if is_scalar(node) and node.tag == _STR and node.value != "":
            return node.value
        self.problem(WRONG_TYPE, value, f"{what} must be a non-empty string, not "
                                        f"{value.describe()}")
        return None

    def keys(self, owner: Value, pairs, allowed: Sequence[str], what: str,
             required: Sequence[str] = ()) -> Dict[str, Tuple[Value, Any]]:
        """The known keys of a mapping (name -> (value, node)); unknown and missing ones
        are problems."""
        found: Dict[str, Tuple[Value, Any]] = {}
        for kv, vv, kn, vn in pairs:
            if is_scalar(kn) and kn.tag == _STR and kn.value in allowed:
                found[kn.value] = (vv, vn)
                continue
            shown = kv.text if kv.is_scalar else "<complex key>"
            self.problem(UNKNOWN_KEY, kv,
                         f"{what} has unexpected key {shown!r}"
                         f"{did_you_mean(str(shown), allowed)}",
                         f"the keys scap reads here: {', '.join(allowed)}")
        for name in required:
            if name not in found:
                self.problem(MISSING_KEY, owner, f"{what} has no {name}",
                             f"add {name}: scap refuses the configuration without it")
        return found

    # cluster groups (§2.1)
    def groups(self, loc: Located) -> None:
        node = loc.value_node
        value = Value(node, loc.prefix) if node is not None else None
        out = self.out
        out.groups_value = value if value is not None else Value(loc.key_node, loc.prefix)
        out.groups = {}
        if node is None or value is None or not self.mapping(value, node, loc.short_name):
            return
        for kv, vv, kn, vn in self.pairs(node, loc.prefix):
            name = self.name_of(kv, kn, "a cluster group name")
            if name is None:
                continue
            g = ClusterGroup(name, kv, vv.path, out.path)
            out.groups[name] = g
            before = len(out.problems)
            self.group(g, vv, vn)
            g.problems = len(out.problems) - before

    def group(self, g: ClusterGroup, value: Value, node) -> None:
        what = f"cluster group {g.name!r}"
        if not self.mapping(value, node, what):
            return
        f = self.keys(g.name_value, self.pairs(node, value.path), GROUP_KEYS, what,
                      ("environments", "environment_stages", "environment_default_stage"))
        if "dir" in f:
            d = self.nonempty_str(*f["dir"], f"the dir of {what}")
            if d is not None:
                g.dir = d
        if "environment_stages" in f:
            sv, sn = f["environment_stages"]
            stages: List[str] = []
            if not is_seq(sn):
                self.problem(WRONG_TYPE, sv, f"the environment_stages of {what} must be a "
                                             f"list of stage names, not {sv.describe()}")
            elif not sn.value:
                self.problem(WRONG_TYPE, sv, f"the environment_stages of {what} is empty",
                             "list the stages in deploy order, e.g. [CANARY, DEFAULT]")
            else:
                for item in sv.items():
                    s = self.nonempty_str(item, _node_of(item, sn), f"a stage of {what}")
                    if s is None:
                        continue
                    if s in stages:
                        self.problem(DUPLICATE, item, f"stage {s!r} is listed twice in {what}")
                    else:
                        stages.append(s)
            g.stages = tuple(stages)
        if "environment_default_stage" in f:
            dv, dn = f["environment_default_stage"]
            d = self.nonempty_str(dv, dn, f"the environment_default_stage of {what}")
            if d is not None:
                g.default_stage = d
                if g.stages and d not in g.stages:
                    self.problem(INVALID_VALUE, dv,
                                 f"default stage {d!r} is not a stage of {what}"
                                 f"{did_you_mean(d, g.stages)}",
                                 f"its stages: {', '.join(g.stages)}")
        if "environments" in f:
            self.environments(g, *f["environments"])

    def environments(self, g: ClusterGroup, value: Value, node) -> None:
        what = f"cluster group {g.name!r}"
        if not self.mapping(value, node, f"the environments of {what}"):
            return
        pairs = self.pairs(node, value.path)
        if not pairs:
            self.problem(WRONG_TYPE, value, f"{what} defines no environments",
                         "add at least one environment")
            return
        envs: List[Environment] = []
        owner: Dict[str, Optional[Environment]] = {}  # name or alias -> environment
        taken: List[Tuple[str, Value, Optional[Environment]]] = []
        for kv, vv, kn, vn in pairs:
            name = self.name_of(kv, kn, f"an environment name of {what}")
            if name is None:
                continue
            ewhat = f"environment {name!r}"
            datacenter = etype = None
            aliases: List[Tuple[str, Value]] = []
            if self.mapping(vv, vn, ewhat):
                f = self.keys(kv, self.pairs(vn, vv.path), ENVIRONMENT_KEYS, ewhat,
                              ("datacenter", "type"))
                if "datacenter" in f:
                    datacenter = self.nonempty_str(*f["datacenter"], f"the datacenter of "
                                                                     f"{ewhat}")
                if "type" in f:
                    tv, tn = f["type"]
                    t = tv.value if tv.kind == "str" else None
                    if t in TYPES:
                        etype = t
                    else:
                        shown = tv.text if tv.is_scalar else None
                        hint = did_you_mean(str(shown), TYPES) if shown else ""
                        self.problem(INVALID_VALUE, tv,
                                     f"{ewhat} has type {tv.describe()}, not STAGING or "
                                     f"PRODUCTION{hint}",
                                     "scap reads exactly STAGING or PRODUCTION (upper case)")
                if "aliases" in f:
                    av, an = f["aliases"]
                    if not is_seq(an):
                        self.problem(WRONG_TYPE, av, f"the aliases of {ewhat} must be a list "
                                                     f"of names, not {av.describe()}")
                    else:
                        for item in av.items():
                            a = self.nonempty_str(item, _node_of(item, an),
                                                  f"an alias of {ewhat}")
                            if a is not None:
                                aliases.append((a, item))
            env = Environment(name, kv, datacenter, etype, tuple(aliases), g, len(envs))
            envs.append(env)
            taken.append((name, kv, env))
            taken.extend((a, item, env) for a, item in aliases)
        for label, at, holder in taken:
            other = owner.get(label)
            if other is None:
                owner[label] = holder
            elif other is not holder:
                self.problem(DUPLICATE, at,
                             f"{label!r} refers to more than one environment of {what}",
                             "give every environment and alias of a group its own name")
        g.environments = tuple(envs)

    # service catalog (§2.2, §2.3)
    def catalog(self, loc: Located) -> None:
        node = loc.value_node
        out = self.out
        value = Value(node, loc.prefix) if node is not None else None
        out.catalog_value = value if value is not None else Value(loc.key_node, loc.prefix)
        out.services = ()
        if node is None or value is None or not self.mapping(value, node, loc.short_name):
            return
        f = self.keys(value, self.pairs(node, loc.prefix), CATALOG_KEYS, loc.short_name,
                      ("services",))
        if "services" not in f:
            return
        sv, sn = f["services"]
        if not self.mapping(sv, sn, "services"):
            return
        pairs = self.pairs(sn, sv.path)
        if not pairs:
            self.problem(WRONG_TYPE, sv, "services is empty", "add a service, or remove "
                                                              "the key")
            return
        services = []
        for kv, vv, kn, vn in pairs:
            name = self.name_of(kv, kn, "a service name")
            if name is None:
                continue
            s = Service(name, kv, vv.path)
            services.append(s)
            before = len(out.problems)
            self.service(s, vv, vn)
            s.problems = len(out.problems) - before
        out.services = tuple(services)

    def resolve_groups(self) -> None:
        """Bind each service to its cluster group (when the groups are known) and check
        every reference to the group: env-refs, stages."""
        out = self.out
        if out.services is None or out.groups is None:
            return
        for s in out.services:
            before = len(out.problems)
            self.resolve_service(s)
            s.problems += len(out.problems) - before

    def resolve_service(self, s: Service) -> None:
        groups = self.out.groups or {}
        if s.cluster_group is None:
            return
        g = groups.get(s.cluster_group)
        if g is None:
            known = list(groups)
            at = s.cluster_group_value if s.cluster_group_value is not None else s.name_value
            self.problem(UNDEFINED, at,
                         f"service {s.name!r} refers to undefined cluster group "
                         f"{s.cluster_group!r}{did_you_mean(s.cluster_group, known)}",
                         f"the cluster groups: {few(known, 5) or 'none'}")
            return
        s.group = g
        for ns in s.namespaces:
            self.bind_refs(s, g, ns.env_refs, f"namespace {ns.name!r}")
        self.bind_checks(s, g)

    def _resolve(self, s: Service, g: ClusterGroup, ref: str, at: Value,
                 what: str) -> Optional[Environment]:
        env = g.resolve(ref)
        if env is None:
            names = g.names()
            self.problem(UNDEFINED, at,
                         f"{ref!r} is no environment or alias of cluster group {g.name!r}"
                         f"{did_you_mean(ref, names)}",
                         f"its environments and aliases: {few(names, 6) or 'none'}")
        return env

    def _stage(self, g: ClusterGroup, stage: str, at: Value, what: str) -> None:
        if g.stages and stage not in g.stages:
            self.problem(INVALID_VALUE, at,
                         f"{what} has stage {stage!r}, not a stage of cluster group "
                         f"{g.name!r}{did_you_mean(stage, g.stages)}",
                         f"its stages: {', '.join(g.stages)}")

    def bind_refs(self, s: Service, g: ClusterGroup, refs: Sequence[EnvRef],
                  what: str) -> None:
        seen: Dict[int, EnvRef] = {}
        for ref in refs:
            env = self._resolve(s, g, ref.ref, ref.name_value, what)
            ref.environment = env
            if env is not None:
                first = seen.get(id(env))
                if first is not None:
                    self.problem(DUPLICATE, ref.name_value,
                                 f"{first.ref!r} and {ref.ref!r} both refer to environment "
                                 f"{env.name!r} in {what}", "keep one of them")
                else:
                    seen[id(env)] = ref
            if ref.releases is not None:
                new = []
                for rel in ref.releases:
                    if rel.stage_value is not None and rel.stage is not None:
                        self._stage(g, rel.stage, rel.stage_value,
                                    f"release {rel.name!r}")
                        new.append(rel)
                    else:
                        new.append(rel._replace(stage=g.default_stage))
                ref.releases = tuple(new)

    def bind_checks(self, s: Service, g: ClusterGroup) -> None:
        seen: Dict[int, str] = {}
        what = f"the checks of service {s.name!r}"
        bound = []
        for cg in s.checks:
            env = self._resolve(s, g, cg.ref, cg.ref_key, what)
            if env is not None:
                first = seen.get(id(env))
                if first is not None and first != cg.ref:
                    self.problem(DUPLICATE, cg.ref_key,
                                 f"{first!r} and {cg.ref!r} both refer to environment "
                                 f"{env.name!r} in {what}", "keep one of them")
                elif first is None:
                    seen[id(env)] = cg.ref
            self._stage(g, cg.stage, cg.stage_key, f"the check for {cg.ref!r}")
            bound.append(cg._replace(environment=env))
        s.checks = tuple(bound)

    def service(self, s: Service, value: Value, node) -> None:
        what = f"service {s.name!r}"
        if not self.mapping(value, node, what):
            return
        f = self.keys(s.name_value, self.pairs(node, value.path), SERVICE_KEYS, what,
                      ("cluster_group", "namespaces"))
        if "cluster_group" in f:
            cv, cn = f["cluster_group"]
            s.cluster_group = self.nonempty_str(cv, cn, f"the cluster_group of {what}")
            s.cluster_group_value = cv
        if "namespaces" in f:
            nv, nn = f["namespaces"]
            if self.mapping(nv, nn, f"the namespaces of {what}"):
                pairs = self.pairs(nn, nv.path)
                if not pairs:
                    self.problem(WRONG_TYPE, nv, f"{what} has no namespaces",
                                 "add the namespace the service deploys to")
                namespaces = []
                for kv, vv, kn, vn in pairs:
                    name = self.name_of(kv, kn, f"a namespace of {what}")
                    if name is None:
                        continue
                    ns = Namespace(name, kv, s)
                    namespaces.append(ns)
                    self.namespace(ns, vv, vn)
                s.namespaces = tuple(namespaces)
        if "checks" in f:
            self.checks(s, *f["checks"])

    def namespace(self, ns: Namespace, value: Value, node) -> None:
        what = f"namespace {ns.name!r}"
        if not self.mapping(value, node, what):
            return
        f = self.keys(ns.name_value, self.pairs(node, value.path), NAMESPACE_KEYS, what,
                      ("environments",))
        if "environments" not in f:
            return
        ev, en = f["environments"]
        if not self.mapping(ev, en, f"the environments of {what}"):
            return
        pairs = self.pairs(en, ev.path)
        if not pairs:
            self.problem(WRONG_TYPE, ev, f"{what} has no environments",
                         "add the environments it deploys to")
        refs = []
        for kv, vv, kn, vn in pairs:
            ref = self.name_of(kv, kn, f"an environment of {what}")
            if ref is None:
                continue
            rwhat = f"environment {ref!r}"
            releases: Optional[Tuple[ServiceRelease, ...]] = None
            rel_value: Optional[Value] = None
            if self.mapping(vv, vn, rwhat):
                rf = self.keys(kv, self.pairs(vn, vv.path), ENV_REF_KEYS, rwhat)
                if "releases" in rf:
                    rel_value, rn = rf["releases"]
                    releases = self.releases(rel_value, rn, rwhat)
            refs.append(EnvRef(ref, kv, None, releases, rel_value, ns))
        ns.env_refs = tuple(refs)

    def releases(self, value: Value, node, what: str
                 ) -> Optional[Tuple[ServiceRelease, ...]]:
        if is_scalar(node) and node.tag == _NULL:
            return None  # every release
        if not self.mapping(value, node, f"the releases of {what}"):
            return None
        pairs = self.pairs(node, value.path)
        if not pairs:
            self.problem(WRONG_TYPE, value, f"the releases of {what} is empty",
                         "omit the key to deploy all releases")
            return None
        out = []
        for kv, vv, kn, vn in pairs:
            name = self.name_of(kv, kn, f"a release name of {what}")
            if name is None:
                continue
            rwhat = f"release {name!r}"
            stage = stage_value = None
            if self.mapping(vv, vn, rwhat):
                f = self.keys(kv, self.pairs(vn, vv.path), RELEASE_KEYS, rwhat)
                if "stage" in f:
                    stage_value = f["stage"][0]
                    stage = self.nonempty_str(*f["stage"], f"the stage of {rwhat}")
                    if stage is None:
                        stage_value = None
            out.append(ServiceRelease(name, kv, stage, stage_value))
        return tuple(out)

    def checks(self, s: Service, value: Value, node) -> None:
        what = f"the checks of service {s.name!r}"
        if is_scalar(node) and node.tag == _NULL:
            return
        if not self.mapping(value, node, what):
            return
        groups = []
        for kv, vv, kn, vn in self.pairs(node, value.path):
            ref = self.name_of(kv, kn, f"an environment of {what}")
            if ref is None or not self.mapping(vv, vn, f"{what} for {ref!r}"):
                continue
            for skv, sv, skn, sn in self.pairs(vn, vv.path):
                stage = self.name_of(skv, skn, f"a stage of {what} for {ref!r}")
                if stage is None:
                    continue
                cwhat = f"{ref!r} at {stage}"
                if not is_seq(sn):
                    self.problem(WRONG_TYPE, sv, f"{cwhat} must be a list of checks, not "
                                                 f"{sv.describe()}")
                    continue
                checks = []
                for item in sv.items():
                    c = self.check(item, _node_of(item, sn), cwhat)
                    if c is not None:
                        checks.append(c)
                groups.append(CheckGroup(ref, kv, None, stage, skv, tuple(checks)))
        s.checks = tuple(groups)

    def check(self, value: Value, node: Any, what: str) -> Optional[Check]:
        if not self.mapping(value, node, f"a check of {what}"):
            return None
        pairs = self.pairs(node, value.path)
        if len(pairs) != 1:
            self.problem(WRONG_TYPE, value,
                         f"a check of {what} must have exactly one key, commands or manual",
                         "write one check per list item")
            return None
        kv, vv, kn, vn = pairs[0]
        kind = kn.value if is_scalar(kn) and kn.tag == _STR else None
        if kind not in CHECK_TYPES:
            shown = kv.text if kv.is_scalar else "<complex key>"
            self.problem(INVALID_VALUE, kv,
                         f"unsupported check type {shown!r} in {what}"
                         f"{did_you_mean(str(shown), CHECK_TYPES)}",
                         "a check is commands (a list of strings) or manual (a question)")
            return None
        if kind == "manual":
            if is_scalar(vn) and vn.tag in (_STR, _NULL):
                return Check("manual", value, (), vn.value if vn.tag == _STR else None)
            self.problem(WRONG_TYPE, vv, f"a manual check of {what} must be a string or "
                                         f"null, not {vv.describe()}")
            return None
        if not is_seq(vn):
            self.problem(WRONG_TYPE, vv, f"the commands of {what} must be a list of "
                                         f"strings, not {vv.describe()}")
            return None
        commands = []
        ok = True
        for item in vv.items():
            n = _node_of(item, vn)
            if is_scalar(n) and n.tag == _STR:
                commands.append((n.value, item))
            else:
                ok = False
                self.problem(WRONG_TYPE, item, f"a command of {what} must be a string, not "
                                               f"{item.describe()}")
        return Check("commands", value, tuple(commands)) if ok else None


def _node_of(item: Value, seq_node):
    """The node of a list item Value (the builder is in the model layer)."""
    for n in seq_node.value:
        if id(n) == item.identity:
            return n
    return None  # pragma: no cover - items come from this list


def build_service_config(path: str, located: Sequence[Located],
                         resolver: Resolver) -> ServiceConfig:
    """The deploy-service model of one file's ``located`` keys (the last of a key set
    twice wins, as in Psych)."""
    out = ServiceConfig(path)
    b = _Builder(out, resolver)
    by_short = {loc.short_name: loc for loc in located}
    if "cluster_groups" in by_short:
        b.groups(by_short["cluster_groups"])
    if "service_catalog" in by_short:
        b.catalog(by_short["service_catalog"])
        b.resolve_groups()
    return out


def bind_groups(config: ServiceConfig, groups: Dict[str, ClusterGroup],
                resolver: Resolver, source: str) -> None:
    """Resolve a catalog against the cluster groups of another file of the run."""
    config.groups = groups
    config.groups_from = source
    _Builder(config, resolver).resolve_groups()


__all__ = ["ServiceConfig", "Service", "ClusterGroup", "Environment", "Namespace", "EnvRef",
           "ServiceRelease", "Check", "CheckGroup", "Problem", "build_service_config",
           "bind_groups", "STAGING", "PRODUCTION"]
