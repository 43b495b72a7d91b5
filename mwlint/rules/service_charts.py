"""What MW612 and MW613 share: the deploy-service catalog checked against the helmfiles
of a deployment-charts checkout, read statically with the reader MW308 uses
(deploy-service.md §3: scap never checks the directory or the environment, and finds a
missing release only when a deployer runs it). A plain module, not a rule."""

from __future__ import annotations

from mwlint.findings import Span
from mwlint.model.types import HieraFile
from mwlint.model.values import Value, quote
from mwlint.rules.base import fit
from mwlint.rules.predicates import ChartsView, HelmfileView
from mwlint.rules.service_loader import listing
from mwlint.settings import Settings
from mwlint.suggest import Budget, closest
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, List, Optional, Set, Tuple

if TYPE_CHECKING:
    from mwlint.model.services import EnvRef, Namespace, Service, ServiceConfig


class ChartOutcome(NamedTuple):
    code: str  # "MW612" (a mismatch) or "MW613" (could not be checked)
    at: Value
    message: str
    context: Tuple[Any, ...]
    help: Optional[str] = None


class _Reached(NamedTuple):
    """An env-ref or release outcome before it is worded: the same value reached from
    several namespaces through an anchor is one finding that names them all."""

    at: Value
    subject: str  # what is wrong, without the namespace
    namespace: str
    path: str  # the helmfile
    help: str
    context: Tuple[Any, ...]
    detail: str = ""  # said in parentheses after the subject when the message stays short


def _listed(names: Iterable[str]) -> str:
    return listing(sorted(names) if not isinstance(names, (list, tuple)) else names,
                   quoted=False)


def _path(path: str) -> str:
    """A helmfile path in a message: whole unless very long (a 1 MB namespace)."""
    return path if len(path) <= 100 else f"{path[:60]}\u2026{path[-30:]}"


def _worded(reached: List[_Reached]) -> Iterator[ChartOutcome]:
    """One MW612 per (place, subject): the namespaces that reach it through an anchor
    named in the message, their helmfiles in the help."""
    groups: Dict[Tuple[Span, str], List[_Reached]] = {}
    for r in reached:
        groups.setdefault((r.at.span, r.subject), []).append(r)
    for items in groups.values():
        first = items[0]
        names = list(dict.fromkeys(r.namespace for r in items))
        paths = list(dict.fromkeys(r.path for r in items))
        where = (f"namespace {quote(names[0])}" if len(names) == 1
                 else f"namespaces {listing(names, 2)}")
        help = f"{first.help} ({listing(paths, 1, show=_path)})"
        message = f"{where}: {first.subject}"
        if first.detail:
            message, help = fit(f"{message} ({first.detail})", message, help, first.detail)
        yield ChartOutcome("MW612", first.at, message, first.context, help)


# The last file's outcomes: MW612 and MW613 run on the same model one after the other.
_last: List[Any] = [None, None, ()]


def chart_outcomes(hiera: HieraFile, settings: Settings) -> Tuple[ChartOutcome, ...]:
    checkout = hiera.charts  # the deployment-charts facts the model stage loaded
    config = hiera.services
    if checkout is None or config is None or not config.services:
        return ()
    if _last[0] is hiera and _last[1] is settings:
        return _last[2]  # type: ignore[no-any-return]
    out = tuple(_outcomes(config, checkout))
    _last[:] = [hiera, settings, out]
    return out


def _outcomes(config: ServiceConfig, checkout: ChartsView) -> Iterator[ChartOutcome]:
    reported: Set[str] = set()
    reached: List[_Reached] = []
    budget = Budget()
    for s in config.services or ():  # None: chart_outcomes returned early
        g = s.group
        if g is None:
            continue  # MW606 or MW608
        for ns in s.namespaces:
            look = checkout.lookup(g.dir, ns.name)
            ctx = (ns.name, None, "helmfile", s.name)
            if look.status in ("no-dir-root", "no-dir"):
                missing = look.directory if look.status == "no-dir" else f"helmfile.d/{g.dir}"
                msg, help = fit(
                    f"no directory {missing}/ in deployment-charts for namespace "
                    f"{quote(ns.name)}",
                    f"no helmfile directory in deployment-charts for namespace "
                    f"{quote(ns.name)}",
                    f"fix the namespace or the dir of cluster group {quote(g.name)}",
                    f"{missing}/ does not exist")
                yield ChartOutcome("MW612", ns.name_value, msg, ctx, help)
                continue
            if look.status in ("none", "both"):
                what = ("holds no helmfile.yaml" if look.status == "none"
                        else "holds both helmfile.yaml and helmfile.yaml.gotmpl")
                msg, help = fit(f"{look.directory}/ {what}, so helmfile cannot run",
                                f"the helmfile directory of namespace {quote(ns.name)} {what}",
                                "keep exactly one helmfile in that directory",
                                f"the directory is {look.directory}/, where helmfile cannot run")
                yield ChartOutcome("MW612", ns.name_value, msg, ctx, help)
                continue
            if look.path is None:  # pragma: no cover - "ok" always has a path
                continue
            facts = checkout.read(look.path)
            if not facts.readable:
                if look.path not in reported:
                    reported.add(look.path)
                    msg, help = fit(
                        f"{facts.path} {facts.unknown}, so namespace {quote(ns.name)} was "
                        f"not checked",
                        f"the helmfile of namespace {quote(ns.name)} was not read, so it was "
                        f"not checked", "check it by hand: helmfile -e <env-ref> list",
                        f"{facts.path} {facts.unknown}")
                    yield ChartOutcome("MW613", ns.name_value, msg, ctx, help)
                continue
            unknown: List[str] = []
            for ref in ns.env_refs:
                reached.extend(_ref_outcomes(s, ns, ref, facts, unknown, budget))
            if unknown and look.path not in reported:
                reported.add(look.path)
                msg, help = fit(
                    f"{facts.path} is templated where it would decide, so namespace "
                    f"{quote(ns.name)} was partly not checked",
                    f"the helmfile of namespace {quote(ns.name)} is templated where it would "
                    f"decide, so it was partly not checked",
                    f"check {listing(unknown, 3, quoted=False)} by hand with helmfile -e "
                    f"<env-ref> list", f"the helmfile is {facts.path}")
                yield ChartOutcome("MW613", ns.name_value, msg, ctx, help)
    yield from _worded(reached)


def _ref_outcomes(s: Service, ns: Namespace, ref: EnvRef, facts: HelmfileView,
                  unknown: List[str], budget: Budget
                  ) -> Iterator[_Reached]:
    envs = facts.environments
    path = _path(facts.path)
    if ref.ref not in envs:
        if facts.environments_open:
            unknown.append(f"environment {quote(ref.ref)}")
            return
        defined = sorted(envs)
        env = ref.environment
        other = None
        if env is not None:
            other = next((n for n in [env.name] + [a for a, _v in env.aliases]
                          if n in envs and n != ref.ref), None)
        if other is not None:
            hint = (f"it has {_listed(defined)}: use {quote(other)}, the other name of that "
                    f"environment in its cluster group")
        else:
            guess = closest(ref.ref, defined, budget=budget)
            hint = (f"did you mean {quote(guess)}? " if guess else "") + \
                f"it has: {_listed(defined)}"
        yield _Reached(ref.name_value, f"{quote(ref.ref)} is not an environment of its "
                                       f"helmfile", ns.name, path, hint,
                       (ns.name, None, "environment", ref.ref))
        return
    if ref.releases is None:
        return
    install = envs.get(ref.ref)
    for rel in ref.releases:
        if rel.name not in facts.releases:
            if facts.releases_open:
                unknown.append(f"release {quote(rel.name)}")
                continue
            guess = closest(rel.name, facts.releases, budget=budget)
            yield _Reached(rel.name_value, (
                f"{quote(ref.ref)} installs no release {quote(rel.name)}"
                + (f" (did you mean {quote(guess)}?)" if guess else "")), ns.name, path,
                f"its releases: {_listed(facts.releases)}",
                (ns.name, rel.name, "release", ref.ref))
            continue
        if install is None:
            continue  # no literal install list: every defined release
        if install.open and rel.name not in install.names:
            unknown.append(f"release {quote(rel.name)} in {quote(ref.ref)}")
            continue
        if rel.name not in install.names:
            yield _Reached(rel.name_value,
                           f"{quote(ref.ref)} does not install {quote(rel.name)}", ns.name, path,
                           "add it to that environment's releases list in deployment-charts, "
                           "or remove it here", (ns.name, rel.name, "installed", ref.ref),
                           f"it installs {_listed(install.names)}")
