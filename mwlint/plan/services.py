"""The ``scap deploy-service`` plan (deploy-service.md §4): for each service, the groups
(environment, stage) scap deploys one after the other, each with its ``helmfile -e <env-ref>
[-l name=<release>] apply`` commands (run at the same time), their directories, then its
checks (commands first, then the manual questions).

Order: environment type STAGING then PRODUCTION; within it the group's stages in order;
within a stage the environments of that type the service uses, in the group's declaration
order but the primary datacenter's last. The primary datacenter is runtime state
(conftool): the plan takes it as an option and says which it assumed.

Library use::

    from mwlint.plan.services import plan_services, text
    print(text(plan_services([model], primary_dc="eqiad")))
"""

from __future__ import annotations

import argparse

from mwlint.charts.checkout import checkout_for
from mwlint.findings import Finding
from mwlint.gcpause import without_gc
from mwlint.model.services import PRODUCTION, STAGING, Check, Service
from mwlint.plan import escape as esc
from mwlint.plan import refusals
from mwlint.plan.model import (
    CheckItem,
    FamilyPlan,
    PlanInputs,
    Planner,
    PlanOptions,
    PlanUsageError,
    Record,
)
from mwlint.suggest import did_you_mean
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

DEFAULT_PRIMARY_DC = "eqiad"


class ServiceCommand(NamedTuple):
    namespace: str
    release: Optional[str]  # None: every release of the environment
    directory: str  # relative to the deployment-charts checkout
    argv: Tuple[str, ...]
    # with --deployment-charts, for release None: the releases the environment installs
    installs: Optional[Tuple[str, ...]] = None

    def as_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"namespace": self.namespace, "release": self.release,
             "directory": self.directory, "argv": list(self.argv)}
        if self.installs is not None:
            d["installs"] = list(self.installs)
        return d


class ServiceGroup(NamedTuple):
    environment: str
    env_ref: str
    type: str
    stage: str
    commands: Tuple[ServiceCommand, ...]
    check_commands: Tuple[str, ...]
    manual: Tuple[Optional[str], ...]  # None: scap's default question

    def as_dict(self) -> Dict[str, Any]:
        return {"environment": self.environment, "env_ref": self.env_ref, "type": self.type,
                "stage": self.stage, "commands": [c.as_dict() for c in self.commands],
                "checks": {"commands": list(self.check_commands),
                           "manual": list(self.manual)}}


class ServicePlan(NamedTuple):
    service: str
    cluster_group: Optional[str]
    primary_dc: str
    groups: Tuple[ServiceGroup, ...]
    path: str  # the file of the catalog
    problem: Optional[str] = None  # why there is no plan (scap refuses, groups not found)

    def as_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"service": self.service, "cluster_group": self.cluster_group,
             "primary_dc": self.primary_dc, "groups": [g.as_dict() for g in self.groups]}
        if self.problem is not None:
            d["problem"] = self.problem
        return d


# the rules whose errors say scap's loader refuses the configuration (deploy-service.md §2)
LOADER_CODES = frozenset({"MW601", "MW602", "MW603", "MW604", "MW605", "MW606"})
STOP_CODE = "MW607"  # scap stops before deploying (§3): a check on a group that deploys nothing


@without_gc
def plan_services(models: Sequence[Any], primary_dc: str = DEFAULT_PRIMARY_DC,
                  service: Optional[str] = None, charts: Optional[str] = None,
                  max_size: int = 10 * 1024 * 1024,
                  verdicts: Optional[Dict[str, Sequence[Finding]]] = None
                  ) -> List[ServicePlan]:
    """The plan of every service of the catalogs in ``models`` (or only ``service``).
    ``verdicts``: the run's findings per path; a service has no plan when they say scap
    refuses the configuration (MW601-MW606 errors) or stops before deploying it (MW607):
    the plan never judges the configuration a second time."""
    out: List[ServicePlan] = []
    verdicts = verdicts or {}
    for m in models:
        config = getattr(m, "services", None)
        if config is None or not config.services:
            continue
        paths = [m.path] + ([config.groups_from] if config.groups_from else [])
        found = [f for p in dict.fromkeys(paths) for f in verdicts.get(p, ())
                 if f.severity == "error"]
        refused = sum(1 for f in found if f.code in LOADER_CODES)
        for s in config.services:
            if service is not None and s.name != service:
                continue
            stop = _stop(s, found)
            if config.groups_missing:
                out.append(ServicePlan(s.name, s.cluster_group, primary_dc, (), m.path,
                                       "its cluster groups are in no file of the run"))
            elif refused:
                out.append(ServicePlan(
                    s.name, s.cluster_group, primary_dc, (), m.path,
                    f"scap refuses the configuration ({refused} problem"
                    f"{'s' if refused != 1 else ''}: mwlint check lists them)"))
            elif stop is not None or s.group is None:
                out.append(ServicePlan(s.name, s.cluster_group, primary_dc, (), m.path,
                                       stop or "its cluster group is not defined"))
            else:
                out.append(ServicePlan(s.name, s.cluster_group, primary_dc,
                                       _groups(s, primary_dc, charts, max_size), m.path))
    return out


def _stop(s: Any, found: Sequence[Finding]) -> Optional[str]:
    """Why scap stops before deploying service ``s``: its MW607 finding, if any."""
    where = f".services.{s.name}."
    for f in found:
        if f.code == STOP_CODE and where in f".{f.yaml_path}.":
            return f"scap stops before deploying: {f.message} ({f.code})"
    return None


def _groups(s: Service, primary_dc: str, charts: Optional[str], max_size: int
            ) -> Tuple[ServiceGroup, ...]:
    """The groups scap deploys one after the other; linear in the environments, env-refs,
    releases and checks (each is visited once, then looked up by (environment, stage))."""
    g = s.group
    if g is None:  # planned only with its cluster group (plan_services)
        return ()
    # (environment, stage) -> its commands in namespace order, and the first env-ref used
    buckets: Dict[Tuple[int, str], List[ServiceCommand]] = {}
    first_ref: Dict[Tuple[int, str], str] = {}
    used: Dict[int, object] = {}
    for ns in s.namespaces:
        directory = f"helmfile.d/{g.dir}/{ns.name}"
        for ref in ns.env_refs:
            env = ref.environment
            if env is None:
                continue
            used[id(env)] = env
            if ref.releases is None:
                if g.default_stage is None:
                    continue
                key = (id(env), g.default_stage)
                first_ref.setdefault(key, ref.ref)
                buckets.setdefault(key, []).append(ServiceCommand(
                    ns.name, None, directory, ("helmfile", "-e", ref.ref, "apply"),
                    _installs(charts, max_size, g.dir, ns.name, ref.ref)))
                continue
            for rel in ref.releases:
                if rel.stage is None:
                    continue
                key = (id(env), rel.stage)
                first_ref.setdefault(key, ref.ref)
                buckets.setdefault(key, []).append(ServiceCommand(
                    ns.name, rel.name, directory,
                    ("helmfile", "-e", ref.ref, "-l", f"name={rel.name}", "apply")))
    checks: Dict[Tuple[str, str], List[Check]] = {}
    for cg in s.checks:
        if cg.environment is not None:
            checks.setdefault((cg.environment.name, cg.stage), []).extend(cg.checks)
    order = [e for e in g.environments if id(e) in used]  # the group's declaration order
    out: List[ServiceGroup] = []
    for etype in (STAGING, PRODUCTION):
        envs = [e for e in order if e.type == etype]
        envs = [e for e in envs if e.datacenter != primary_dc] + \
            [e for e in envs if e.datacenter == primary_dc]
        for stage in g.stages:
            for env in envs:
                commands = buckets.get((id(env), stage))
                if not commands:
                    continue
                cmds: Dict[str, None] = {}
                manual: List[Optional[str]] = []
                for c in checks.get((env.name, stage), ()):
                    if c.kind == "commands":
                        for t, _v in c.commands:
                            cmds.setdefault(t, None)
                    else:
                        manual.append(c.question)
                out.append(ServiceGroup(env.name, first_ref.get((id(env), stage), env.name),
                                        etype, stage, tuple(commands), tuple(cmds),
                                        tuple(manual)))
    return tuple(out)


def _installs(charts: Optional[str], max_size: int, cluster_dir: str, namespace: str,
              env_ref: str) -> Optional[Tuple[str, ...]]:
    """What "every release" means there: the literal install list of the environment in
    the helmfile (or its releases when it has no list); ``None`` when unknown."""
    if not charts:
        return None
    checkout = checkout_for(charts)
    look = checkout.lookup(cluster_dir, namespace)
    if look.status != "ok" or look.path is None:
        return None
    facts = checkout.read(look.path, max_size)
    if not facts.readable or env_ref not in facts.environments:
        return None
    install = facts.environments[env_ref]
    if install is None:
        return None if facts.releases_open else tuple(facts.releases)
    return None if install.open else tuple(install.names)


# -- the family-neutral records ----------------------------------------------------------

DEPLOY_SERVICE = "deploy-service"


@without_gc
def records_of(plans: Sequence[ServicePlan]) -> Tuple[Record, ...]:
    """One record per (service, namespace/release) (``namespace/*``: every release of the
    environment), its environments a field of it; its stage, or each environment's stage
    when they differ (``CANARY on codfw; DEFAULT on eqiad``). Its place in the run is the
    first group that applies it."""
    by: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for p in plans:
        for i, g in enumerate(p.groups):
            for c in g.commands:
                rel = f"{c.namespace}/{c.release if c.release is not None else '*'}"
                r = by.setdefault((p.service, rel), {
                    "stages": {}, "envs": {}, "refs": {}, "production": False,
                    "dir": c.directory, "group": p.cluster_group, "rank": i,
                    "first": g.stage})
                r["stages"].setdefault(g.stage, []).append(g.environment)
                r["envs"].setdefault(g.environment, None)
                r["refs"].setdefault(c.argv[2], None)
                r["production"] = r["production"] or g.type == PRODUCTION
    out = []
    for (service, rel), r in by.items():
        stages = r["stages"]
        stage = next(iter(stages)) if len(stages) == 1 else "; ".join(
            f"{st} on {', '.join(dict.fromkeys(envs))}" for st, envs in stages.items())
        fields = (("stage", stage), ("deploy", True), ("environments", tuple(r["envs"])),
                  ("env_refs", tuple(r["refs"])), ("directory", r["dir"]),
                  ("cluster_group", r["group"]))
        out.append(Record(DEPLOY_SERVICE, service, rel, r["first"], r["rank"], True,
                          r["production"], fields))
    return tuple(out)


def check_items(plans: Sequence[ServicePlan]) -> Tuple[CheckItem, ...]:
    out = []
    for p in plans:
        for i, g in enumerate(p.groups):
            for cmd in g.check_commands:
                out.append(CheckItem(DEPLOY_SERVICE, g.stage, i,
                                     (p.service, g.environment, g.stage, "commands", cmd),
                                     f"{p.service} after {g.environment} at {g.stage}: "
                                     f"commands: {cmd}"))
            for q in g.manual:
                out.append(CheckItem(DEPLOY_SERVICE, g.stage, i,
                                     (p.service, g.environment, g.stage, "manual", q),
                                     f"{p.service} after {g.environment} at {g.stage}: "
                                     f"manual: {q if q is not None else '(no question)'}"))
    return tuple(out)


class DeployServiceFamily(Planner):
    """scap deploy-service (``deploy_service::service_catalog``) as a plan family (the plan
    side of :class:`mwlint.families.deploy_service.DeployService`)."""

    name = DEPLOY_SERVICE

    # -- its options of ``mwlint plan`` --------------------------------------------------
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--service", metavar="NAME",
                            help="scap deploy-service: plan only this service")
        parser.add_argument("--primary-dc", metavar="DC", default=None,
                            help="scap deploy-service: the primary datacenter, deployed last "
                                 "in each stage (default: eqiad)")

    def check_arguments(self, args: argparse.Namespace, inputs: PlanInputs
                        ) -> Mapping[str, Any]:
        """``--primary-dc``: a datacenter of the run's cluster groups (any case), else the
        default; what the plan says it assumed."""
        primary = _primary_dc(args.primary_dc, inputs.models)
        assumed = (f"primary datacenter {primary}"
                   + (" (the default: --primary-dc to change)" if args.primary_dc is None
                      else " (--primary-dc)"))
        return {"primary_dc": primary, "service": args.service, "assumed": assumed}

    def check_plans(self, args: argparse.Namespace, inputs: PlanInputs) -> None:
        """``--service NAME``: the run has a service catalog, and NAME is a service of it."""
        if args.service is None:
            return
        models = inputs.models
        if not any(getattr(m, "services", None) is not None for m in models):
            raise PlanUsageError(f"--service {args.service}: no service catalog in the given "
                                 "paths")
        if not inputs.plans:
            names = [s.name for m in models if getattr(m, "services", None) is not None
                     for s in (m.services.services or ())]
            raise PlanUsageError(f"--service {args.service}: no such service in the catalog"
                                 f"{did_you_mean(args.service, names)}")

    # -- the plan --------------------------------------------------------------------------
    def plan(self, model: Any, verdicts: Sequence[Finding], options: PlanOptions
             ) -> Optional[FamilyPlan]:
        config = getattr(model, "services", None)
        if config is None or not config.services:
            return None
        path = getattr(model, "path", "")
        own = options.of(self.name)
        # the run's findings of every file: a catalog's cluster groups may be in another
        plans = plan_services([model], own.get("primary_dc") or DEFAULT_PRIMARY_DC,
                              own.get("service"), options.charts, options.max_size,
                              {**options.verdicts, path: verdicts})
        return FamilyPlan(DEPLOY_SERVICE, path, records_of(plans),
                          refusals(verdicts, path), check_items(plans), tuple(plans))

    def problems(self, plans: Sequence[FamilyPlan]) -> int:
        return sum(1 for s in _services(plans) if s.problem)

    def text_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions) -> List[str]:
        services = _services(plans)
        if not services:
            return []
        assumed = _assumed(options)
        return ["", f"deploy-service plan, {esc.text(assumed)}:" if assumed
                else "deploy-service plan:", ""] + text_lines(services)

    def markdown_lines(self, plans: Sequence[FamilyPlan], options: PlanOptions
                       ) -> List[str]:
        services = _services(plans)
        if not services:
            return []
        assumed = _assumed(options)
        return ["", f"### deploy-service plan, {esc.md_text(assumed)}"
                if assumed else "### deploy-service plan"] + markdown_lines(services)

    def json_fields(self, plans: Sequence[FamilyPlan], options: PlanOptions
                    ) -> Dict[str, Any]:
        services = _services(plans)
        if not services:
            return {}
        return {"services": as_json_docs(services), "assumed": _assumed(options)}

    def html_section(self, plans: Sequence[FamilyPlan], options: PlanOptions, env: Any
                     ) -> str:
        page: str = env.from_string(_HTML).render(services=html_view(_services(plans)),
                                                  assumed=_assumed(options))
        return page + "\n"


def _assumed(options: PlanOptions) -> str:
    """What the plan assumed (``"primary datacenter eqiad (--primary-dc)"``), or ``""``."""
    return str(options.of(DEPLOY_SERVICE).get("assumed", ""))


def _primary_dc(given: Optional[str], models: Sequence[Any]) -> str:
    """``--primary-dc``: a datacenter of the run's cluster groups (any case); the default
    otherwise."""
    if given is None:
        return DEFAULT_PRIMARY_DC
    known = datacenters(models)
    if given in known:
        return str(given)  # a str: argparse gave it
    folded = [d for d in known if d.casefold() == given.casefold()]
    if len(folded) == 1:
        return folded[0]
    if not known:
        raise PlanUsageError(f"--primary-dc {given!r}: the given paths define no cluster "
                             "group, so no datacenter")
    raise PlanUsageError(f"--primary-dc {given!r}: not a datacenter of the cluster groups "
                         f"({', '.join(known[:10])}){did_you_mean(given, known)}")


def _services(plans: Sequence[FamilyPlan]) -> List[ServicePlan]:
    return [s for fp in plans for s in (fp.detail or ())]


_HTML = """{% if services %}
<section>
<h2>deploy-service</h2>
<p class="note">deploy-service: {{ assumed }}</p>
{% for p in services %}
<h3>{{ p.service }} (cluster group {{ p.cluster_group }}, primary datacenter {{ p.primary_dc }})</h3>
{% if p.problem %}<p class="problem">no plan: {{ p.problem }}</p>{% else %}
<table>
<tr><th>#</th><th>type/stage</th><th>environment</th><th>commands</th><th>checks</th></tr>
{% for g in p.groups %}<tr><td>{{ loop.index }}</td><td>{{ g.type }}/{{ g.stage }}</td><td class="mono">{{ g.environment }}</td>
<td class="mono">{% for c in g.commands %}{{ c }}<br>{% endfor %}</td>
<td>{% for c in g.checks %}<code>{{ c }}</code><br>{% endfor %}</td></tr>
{% endfor %}</table>{% endif %}
{% endfor %}
</section>
{% endif %}
"""


def datacenters(models: Sequence[Any]) -> List[str]:
    """The datacenters of the cluster groups of a run's models, in declaration order."""
    out: Dict[str, None] = {}
    for m in models:
        config = getattr(m, "services", None)
        groups = getattr(config, "groups", None) or {}
        for g in groups.values():
            for e in g.environments:
                if isinstance(e.datacenter, str):
                    out.setdefault(e.datacenter, None)
    return list(out)


# -- rendering (the values of every line escaped one by one) ---------------------------------

def command_line(c: ServiceCommand) -> str:
    """The command to paste, every word shell-quoted."""
    return f"(cd {esc.shell([c.directory])} && {esc.shell(c.argv)})"


def _question(g: ServiceGroup, q: Optional[str]) -> str:
    if q is None:
        return (f"(no question: \"The deployment of {g.environment} at stage {g.stage} is "
                "complete.\")")
    return q


def text_lines(plans: Sequence[ServicePlan]) -> List[str]:
    """The plan as the fixture README writes it (one block per service), each value
    neutralised."""
    t = esc.text
    out: List[str] = []
    for p in plans:
        if out:
            out.append("")
        out.append(f"{t(p.service)} (cluster group {t(p.cluster_group or '~')}, primary "
                   f"datacenter {t(p.primary_dc)}):")
        if p.problem is not None:
            out.append(f"   no plan: {t(p.problem)}")
            continue
        for n, g in enumerate(p.groups, 1):
            out.append(f"{n}. [{t(g.type)}/{t(g.stage)}] {t(g.environment)}")
            for c in g.commands:
                out.append(f"     {t(command_line(c))}")
                if c.installs is not None:
                    out.append("       every release installed there: "
                               + (", ".join(t(x) for x in c.installs) or "none"))
            for cmd in g.check_commands:
                out.append(f"     check: {t(cmd)}")
            for q in g.manual:
                out.append(f"     manual: {t(_question(g, q))}")
    return out


def text(plans: Sequence[ServicePlan]) -> str:
    return "\n".join(text_lines(plans)) + "\n"


def markdown_lines(plans: Sequence[ServicePlan]) -> List[str]:
    """The plan as CommonMark: a heading per service, a paragraph per group, its commands
    and checks as a list; every value a code span (or escaped prose)."""
    c = esc.md_code
    out: List[str] = []
    for p in plans:
        out.append("")
        out.append(f"#### deploy-service {c(p.service)} (cluster group "
                   f"{c(p.cluster_group or '~')}, primary datacenter {c(p.primary_dc)})")
        if p.problem is not None:
            out.append("")
            out.append(f"No plan: {esc.md_text(p.problem)}")
            continue
        for n, g in enumerate(p.groups, 1):
            out.append("")
            out.append(f"**{n}. {esc.md_text(g.type)}/{esc.md_text(g.stage)}** "
                       f"{c(g.environment)}")
            out.append("")
            for cmd in g.commands:
                out.append(f"- {c(command_line(cmd))}")
                if cmd.installs is not None:
                    out.append("  every release installed there: "
                               + (", ".join(c(x) for x in cmd.installs) or "none"))
            for k in g.check_commands:
                out.append(f"- check: {c(k)}")
            for q in g.manual:
                out.append(f"- manual: {esc.md_text(_question(g, q))}")
    return out


def html_view(plans: Sequence[ServicePlan]) -> List[Dict[str, Any]]:
    """What the HTML template shows (it escapes and neutralises every value)."""
    return [{"service": p.service, "cluster_group": p.cluster_group or "~",
             "primary_dc": p.primary_dc, "problem": p.problem,
             "groups": [{"type": g.type, "stage": g.stage, "environment": g.environment,
                         "commands": [command_line(c) for c in g.commands],
                         "checks": [f"check: {k}" for k in g.check_commands]
                         + [f"manual: {_question(g, q)}" for q in g.manual]}
                        for g in p.groups]} for p in plans]


def as_json_docs(plans: Sequence[ServicePlan]) -> List[Dict[str, Any]]:
    return [p.as_dict() for p in plans]


__all__ = ["plan_services", "text", "text_lines", "markdown_lines", "html_view",
           "as_json_docs", "records_of", "check_items", "datacenters", "command_line",
           "DeployServiceFamily", "ServicePlan", "ServiceGroup", "ServiceCommand",
           "DEFAULT_PRIMARY_DC", "DEPLOY_SERVICE"]
