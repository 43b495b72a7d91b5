"""What MW612 and MW613 share: the deploy-service catalog checked against the helmfiles
of a deployment-charts checkout, read statically with the reader MW308 uses
(deploy-service.md §3: scap never checks the directory or the environment, and finds a
missing release only when a deployer runs it). A plain module, not a rule."""

from __future__ import annotations

from typing import Iterator, List, NamedTuple, Optional, Set, Tuple

from mwlint.model.values import Value, quote
from mwlint.suggest import closest


class ChartOutcome(NamedTuple):
    code: str  # "MW612" (a mismatch) or "MW613" (could not be checked)
    at: Value
    message: str
    context: tuple
    help: Optional[str] = None


def _listed(names) -> str:
    return ", ".join(names) if names else "none"


# The last file's outcomes: MW612 and MW613 run on the same model one after the other.
_last: list = [None, None, ()]


def chart_outcomes(hiera, settings) -> Tuple[ChartOutcome, ...]:
    checkout = hiera.charts  # the deployment-charts facts the model stage loaded
    config = hiera.services
    if checkout is None or config is None or not config.services:
        return ()
    if _last[0] is hiera and _last[1] is settings:
        return _last[2]
    out = tuple(_outcomes(config, checkout))
    _last[:] = [hiera, settings, out]
    return out


def _outcomes(config, checkout) -> Iterator[ChartOutcome]:
    reported: Set[str] = set()
    for s in config.services:
        g = s.group
        if g is None:
            continue  # MW606 or MW608
        for ns in s.namespaces:
            look = checkout.lookup(g.dir, ns.name)
            ctx = (ns.name, None, "helmfile", s.name)
            if look.status in ("no-dir-root", "no-dir"):
                missing = look.directory if look.status == "no-dir" else f"helmfile.d/{g.dir}"
                yield ChartOutcome("MW612", ns.name_value, (
                    f"no directory {missing}/ in deployment-charts for namespace "
                    f"{quote(ns.name)}"), ctx,
                    f"fix the namespace or the dir of cluster group {quote(g.name)}")
                continue
            if look.status in ("none", "both"):
                what = ("holds no helmfile.yaml" if look.status == "none"
                        else "holds both helmfile.yaml and helmfile.yaml.gotmpl")
                yield ChartOutcome("MW612", ns.name_value,
                                   f"{look.directory}/ {what}, so helmfile cannot run", ctx,
                                   "keep exactly one helmfile in that directory")
                continue
            if look.path is None:  # pragma: no cover - "ok" always has a path
                continue
            facts = checkout.read(look.path)
            if not facts.readable:
                if look.path not in reported:
                    reported.add(look.path)
                    yield ChartOutcome("MW613", ns.name_value, (
                        f"{facts.path} {facts.unknown}, so namespace {quote(ns.name)} was "
                        f"not checked"), ctx,
                        "check it by hand: helmfile -e <env-ref> list")
                continue
            unknown: List[str] = []
            for ref in ns.env_refs:
                yield from _ref_outcomes(ns, ref, facts, unknown)
            if unknown and look.path not in reported:
                reported.add(look.path)
                yield ChartOutcome("MW613", ns.name_value, (
                    f"{facts.path} is templated where it would decide, so namespace "
                    f"{quote(ns.name)} was partly not checked"), ctx,
                    f"check {'; '.join(unknown)} by hand with helmfile -e <env-ref> list")


def _ref_outcomes(ns, ref, facts, unknown: List[str]) -> Iterator[ChartOutcome]:
    envs = facts.environments
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
            hint = (f"it has {_listed(defined)}: use {other!r}, the other name of that "
                    f"environment in its cluster group")
        else:
            guess = closest(ref.ref, defined)
            hint = (f"did you mean {guess!r}? " if guess else "") + \
                f"it has: {_listed(defined)}"
        yield ChartOutcome("MW612", ref.name_value, (
            f"{quote(ref.ref)} is not an environment of {facts.path}"),
            (ns.name, None, "environment", ref.ref), hint)
        return
    if ref.releases is None:
        return
    install = envs.get(ref.ref)
    for rel in ref.releases:
        if rel.name not in facts.releases:
            if facts.releases_open:
                unknown.append(f"release {quote(rel.name)}")
                continue
            guess = closest(rel.name, facts.releases)
            yield ChartOutcome("MW612", rel.name_value, (
                f"{quote(ref.ref)} installs no release {quote(rel.name)}"
                + (f" (did you mean {guess!r}?)" if guess else "")),
                (ns.name, rel.name, "release", ref.ref),
                f"releases of {facts.path}: {_listed(facts.releases)}")
            continue
        if install is None:
            continue  # no literal install list: every defined release
        if install.open and rel.name not in install.names:
            unknown.append(f"release {quote(rel.name)} in {quote(ref.ref)}")
            continue
        if rel.name not in install.names:
            yield ChartOutcome("MW612", rel.name_value, (
                f"{quote(ref.ref)} does not install {quote(rel.name)} (it installs "
                f"{_listed(install.names)})"), (ns.name, rel.name, "installed", ref.ref),
                "add it to that environment's releases list in deployment-charts, or "
                "remove it here")
