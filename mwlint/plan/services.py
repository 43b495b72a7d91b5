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

from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.charts import checkout_for
from mwlint.model.services import PRODUCTION, STAGING
from mwlint.rules.service_loader import refused as refused_by_scap
from mwlint.safe_text import neutralise

DEFAULT_PRIMARY_DC = "eqiad"


class ServiceCommand(NamedTuple):
    namespace: str
    release: Optional[str]  # None: every release of the environment
    directory: str  # relative to the deployment-charts checkout
    argv: Tuple[str, ...]
    # with --deployment-charts, for release None: the releases the environment installs
    installs: Optional[Tuple[str, ...]] = None

    def as_dict(self) -> dict:
        d = {"namespace": self.namespace, "release": self.release,
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

    def as_dict(self) -> dict:
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

    def as_dict(self) -> dict:
        d = {"service": self.service, "cluster_group": self.cluster_group,
             "primary_dc": self.primary_dc, "groups": [g.as_dict() for g in self.groups]}
        if self.problem is not None:
            d["problem"] = self.problem
        return d


def plan_services(models: Sequence, primary_dc: str = DEFAULT_PRIMARY_DC,
                  service: Optional[str] = None, charts: Optional[str] = None,
                  max_size: int = 10 * 1024 * 1024) -> List[ServicePlan]:
    """The plan of every service of the catalogs in ``models`` (or only ``service``)."""
    out: List[ServicePlan] = []
    for m in models:
        config = getattr(m, "services", None)
        if config is None or not config.services:
            continue
        refused = refused_by_scap(config)
        for s in config.services:
            if service is not None and s.name != service:
                continue
            if config.groups_missing:
                out.append(ServicePlan(s.name, s.cluster_group, primary_dc, (), m.path,
                                       "its cluster groups are in no file of the run"))
            elif refused:
                out.append(ServicePlan(
                    s.name, s.cluster_group, primary_dc, (), m.path,
                    f"scap refuses the configuration ({refused} problem"
                    f"{'s' if refused != 1 else ''}: mwlint check lists them)"))
            else:
                stop = _check_on_nothing(s)
                groups = () if stop else _groups(s, primary_dc, charts, max_size)
                out.append(ServicePlan(s.name, s.cluster_group, primary_dc, groups, m.path,
                                       stop))
    return out


def _check_on_nothing(s) -> Optional[str]:
    """scap's pre-deploy assertion (§3): every check belongs to a group that deploys."""
    deployed = s.deploys()
    for cg in s.checks:
        env = cg.environment
        if env is not None and (env.name, cg.stage) not in deployed:
            return (f"scap stops before deploying: the check for {cg.ref} at {cg.stage} is "
                    f"on a group that deploys nothing (MW607)")
    return None


def _groups(s, primary_dc: str, charts: Optional[str], max_size: int
            ) -> Tuple[ServiceGroup, ...]:
    g = s.group
    used = []  # environments some namespace uses, in the group's order
    for env in g.environments:
        if any(r.environment is env for ns in s.namespaces for r in ns.env_refs):
            used.append(env)
    checks: Dict[Tuple[str, str], list] = {}
    for cg in s.checks:
        if cg.environment is not None:
            checks.setdefault((cg.environment.name, cg.stage), []).extend(cg.checks)
    out: List[ServiceGroup] = []
    for etype in (STAGING, PRODUCTION):
        envs = [e for e in used if e.type == etype]
        envs = [e for e in envs if e.datacenter != primary_dc] + \
            [e for e in envs if e.datacenter == primary_dc]
        for stage in g.stages:
            for env in envs:
                commands: List[ServiceCommand] = []
                env_ref = None
                for ns in s.namespaces:
                    for ref in ns.env_refs:
                        if ref.environment is not env:
                            continue
                        directory = f"helmfile.d/{g.dir}/{ns.name}"
                        if ref.releases is None:
                            if stage == g.default_stage:
                                env_ref = env_ref or ref.ref
                                commands.append(ServiceCommand(
                                    ns.name, None, directory,
                                    ("helmfile", "-e", ref.ref, "apply"),
                                    _installs(charts, max_size, g.dir, ns.name, ref.ref)))
                            continue
                        for rel in ref.releases:
                            if rel.stage == stage:
                                env_ref = env_ref or ref.ref
                                commands.append(ServiceCommand(
                                    ns.name, rel.name, directory,
                                    ("helmfile", "-e", ref.ref, "-l", f"name={rel.name}",
                                     "apply")))
                if not commands:
                    continue
                cmds: List[str] = []
                manual: List[Optional[str]] = []
                for c in checks.get((env.name, stage), ()):
                    if c.kind == "commands":
                        cmds.extend(t for t, _v in c.commands if t not in cmds)
                    else:
                        manual.append(c.question)
                out.append(ServiceGroup(env.name, env_ref or env.name, etype, stage,
                                        tuple(commands), tuple(cmds), tuple(manual)))
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


# -- rendering ------------------------------------------------------------------------------

def _shell(argv: Sequence[str]) -> str:
    return " ".join(argv)


def text(plans: Sequence[ServicePlan]) -> str:
    """The plan as the fixture README writes it (one block per service)."""
    out: List[str] = []
    for p in plans:
        if out:
            out.append("")
        out.append(f"{p.service} (cluster group {p.cluster_group}, primary datacenter "
                   f"{p.primary_dc}):")
        if p.problem is not None:
            out.append(f"   no plan: {p.problem}")
            continue
        for n, g in enumerate(p.groups, 1):
            out.append(f"{n}. [{g.type}/{g.stage}] {g.environment}")
            for c in g.commands:
                out.append(f"     (cd {c.directory} && {_shell(c.argv)})")
                if c.installs is not None:
                    out.append(f"       every release installed there: "
                               f"{', '.join(c.installs) or 'none'}")
            for cmd in g.check_commands:
                out.append(f"     check: {cmd}")
            for q in g.manual:
                if q is None:
                    q = (f"(no question: \"The deployment of {g.environment} at stage "
                         f"{g.stage} is complete.\")")
                out.append(f"     manual: {q}")
    return "\n".join(out) + "\n"


def as_json_docs(plans: Sequence[ServicePlan]) -> List[dict]:
    return [p.as_dict() for p in plans]


_HTML = """
<section>
<h2>deploy-service</h2>
{% for p in plans %}
<h3>{{ p.service }} (cluster group {{ p.cluster_group }}, primary datacenter {{ p.primary_dc }})</h3>
{% if p.problem %}<p class="problem">no plan: {{ p.problem }}</p>{% else %}
<table>
<tr><th>#</th><th>type/stage</th><th>environment</th><th>commands</th><th>checks</th></tr>
{% for g in p.groups %}<tr><td>{{ loop.index }}</td><td>{{ g.type }}/{{ g.stage }}</td><td class="mono">{{ g.environment }}</td>
<td class="mono">{% for c in g.commands %}(cd {{ c.directory }} &amp;&amp; {{ c.argv|join(" ") }})<br>{% endfor %}</td>
<td>{% for c in g.check_commands %}check: <code>{{ c }}</code><br>{% endfor %}{% for q in g.manual %}manual: {{ q if q is not none else "(no question)" }}<br>{% endfor %}</td></tr>
{% endfor %}</table>{% endif %}
{% endfor %}
</section>
"""


def html_section(plans: Sequence[ServicePlan]) -> str:
    import jinja2  # only HTML needs it

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             finalize=lambda v: neutralise(v) if type(v) is str else v)
    return env.from_string(_HTML).render(plans=plans)


# -- differences (plan --against REV) -------------------------------------------------------

class ServiceChange(NamedTuple):
    service: str
    old: Optional[ServicePlan]  # None: not in the catalog at REV
    new: Optional[ServicePlan]  # None: removed from the catalog


def diff_services(old: Sequence[ServicePlan], new: Sequence[ServicePlan]
                  ) -> List[ServiceChange]:
    """The services whose plan differs between ``old`` and ``new`` (new order, removed
    ones last)."""
    before = {p.service: p for p in old}
    after = {p.service: p for p in new}
    out = []
    for name, p in after.items():
        q = before.get(name)
        if q is None or _key(q) != _key(p):
            out.append(ServiceChange(name, q, p))
    out += [ServiceChange(name, q, None) for name, q in before.items() if name not in after]
    return out


def _key(p: ServicePlan) -> tuple:
    return (p.cluster_group, p.groups, p.problem)


def diff_text(changes: Sequence[ServiceChange], rev: str) -> str:
    """Each changed service's plan as a unified difference, REV -> working tree."""
    import difflib  # only plan --against needs it

    out: List[str] = []
    for c in changes:
        a = text([c.old]).splitlines() if c.old is not None else []
        b = text([c.new]).splitlines() if c.new is not None else []
        out.append(f"{c.service}: " + ("added" if c.old is None else
                                      "removed" if c.new is None else "changed")
                   + f" ({rev} -> working tree)")
        out += [line for line in difflib.unified_diff(a, b, rev, "working tree", n=99,
                                                      lineterm="")][2:]
        out.append("")
    if not changes:
        out.append(f"no change to any deploy-service plan since {rev}")
    return "\n".join(neutralise(line) for line in out).rstrip("\n") + "\n"


def diff_docs(changes: Sequence[ServiceChange]) -> List[dict]:
    return [{"service": c.service,
             "change": "added" if c.old is None else "removed" if c.new is None
             else "changed",
             "old": c.old.as_dict() if c.old is not None else None,
             "new": c.new.as_dict() if c.new is not None else None} for c in changes]


__all__ = ["diff_services", "diff_text", "diff_docs", "ServiceChange", "plan_services", "text", "as_json_docs", "html_section", "ServicePlan",
           "ServiceGroup", "ServiceCommand", "DEFAULT_PRIMARY_DC"]
