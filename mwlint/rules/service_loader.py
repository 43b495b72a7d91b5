"""scap's deploy-service loader (deploy-service.md §2), read as judgements over the facts of
:mod:`mwlint.model.services`: what it refuses, with the message, help, did-you-mean and,
for a misspelling with one close match, an unsafe fix. A plain module, not a rule: MW601 to
MW606 each report the refusals of one function of it (:func:`unknown_keys` ...), and the
rules that judge what a loaded service deploys (MW607, MW609, MW610) and the plan ask
:func:`loads` whether scap loads a service at all.

Every value goes into a message through :func:`~mwlint.model.values.quote` (clipped) and
every list into a help line through :func:`listing` (capped); the hints of one file share
one :class:`~mwlint.suggest.Budget`.
"""

from __future__ import annotations

import re
from itertools import islice

from mwlint.findings import Edit, Fix
from mwlint.model.service_schema import (
    CHECK_TYPES,
    LIST,
    MAPPING,
    NAME,
    ONE_KEY,
    SCHEMAS,
    STRING,
    STRING_OR_NULL,
    TYPES,
)
from mwlint.model.values import Value, clip, quote
from mwlint.suggest import Budget, closest, only_match
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import (
        Callable,
        Collection,
        Dict,
        FrozenSet,
        Iterable,
        Iterator,
        List,
        Optional,
        Sequence,
        Tuple,
    )

if TYPE_CHECKING:  # the model loads only for a file with deploy-service keys
    from mwlint.model.services import (
        ClusterGroup,
        Environment,
        Owner,
        Service,
        ServiceConfig,
        ShapeFact,
    )

UNKNOWN_KEY, MISSING_KEY, WRONG_TYPE, INVALID_VALUE, DUPLICATE, UNDEFINED = (
    "MW601", "MW602", "MW603", "MW604", "MW605", "MW606")

LIST_LIMIT = 6  # names a help line lists before "and N more"

# the keys each kind of mapping must have
REQUIRED: Dict[str, Tuple[str, ...]] = {
    "cluster group": ("environments", "environment_stages", "environment_default_stage"),
    "environment": ("datacenter", "type"),
    "service catalog": ("services",),
    "service": ("cluster_group", "namespaces"),
    "namespace": ("environments",),
}


class Refusal(NamedTuple):
    """One thing scap's loader refuses, at the value (or key) that is wrong."""

    code: str
    at: Value
    message: str
    help: Optional[str] = None
    fix: Optional[Fix] = None
    service: Optional[Service] = None  # the service it is in (or refers from)
    group: Optional[ClusterGroup] = None  # the cluster group it is in


def listing(names: Collection[object], limit: int = LIST_LIMIT, quoted: bool = True,
            total: Optional[int] = None,
            show: Optional[Callable[[str], str]] = None) -> str:
    """``'a', 'b' and 3 more`` (``none`` when empty): every list of a help line goes
    through here, each name clipped (:func:`quote`), at most ``limit`` shown (the work is
    in ``limit``, not in the length of ``names``). ``total``: how many there are when
    ``names`` holds only the first ones; ``show`` words one name (default: quoted and
    clipped, or only clipped when not ``quoted``)."""
    shown = [show(str(n)) if show is not None else quote(n) if quoted else _plain(n)
             for n in islice(names, limit)]
    if not shown:
        return "none"
    more = (len(names) if total is None else total) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _plain(name: object) -> str:
    text, tail = clip(str(name))
    return text + tail


def replace_fix(at: Value, text: str, what: str) -> Optional[Fix]:
    """An unsafe fix that writes ``text`` where ``at`` is written (a guess: the closest
    name), keeping a quoted scalar quoted; None when ``at`` has no position to edit."""
    start, end = at.positions()
    written = at.text
    if written is None:
        return None
    if at.style == "'":
        content = "'" + text.replace("'", "''") + "'"
    elif at.style == '"' or not _PLAIN_SAFE.match(text) or text.lower() in _YAML_WORDS:
        import json  # only to write a fix that needs quotes

        content = json.dumps(text)
    else:
        content = text
    return Fix(f"replace {quote(written)} by {quote(text)} ({what})", "unsafe",
               (Edit(content, start, end),))


_PLAIN_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class _Hints:
    """Did-you-mean for one file: bounded work (one budget for the file)."""

    def __init__(self) -> None:
        self.budget = Budget()

    def guess(self, word: Optional[str], candidates: Iterable[str]) -> Optional[str]:
        if word is None:
            return None
        c = closest(word, candidates, budget=self.budget)
        return c if c is not None and c != word else None

    def fix_to(self, word: Optional[str], candidates: Sequence[str]) -> Optional[str]:
        """The one close match a fix may write (None: none, or several are close)."""
        if word is None:
            return None
        c = only_match(word, candidates, budget=self.budget)
        return c if c is not None and c != word else None


def _mean(guess: Optional[str]) -> str:
    return f" (did you mean {quote(guess)}?)" if guess is not None else ""


# -- how an element is named in a message ----------------------------------------------

_ELEMENT = {"cluster group": "cluster group", "environment": "environment",
            "service": "service", "namespace": "namespace", "env-ref": "environment",
            "release": "release", "check env-ref": "environment",
            "check stage": "stage"}


def _element(owner: Owner, depth: int = 1) -> str:
    role, name = owner[-depth]
    return f"{_ELEMENT[role]} {quote(name)}"


def _name_of(owner: Owner, role: str) -> Optional[str]:
    for r, n in owner:
        if r == role:
            return n
    return None


def _check_place(owner: Owner) -> str:
    return f"{quote(_name_of(owner, 'check env-ref'))} at {quote(_name_of(owner, 'check stage'))}"


def _what(fact: ShapeFact) -> str:
    """What the value is, for its message (``the environments of cluster group 'g'``)."""
    place, owner = fact.place, fact.owner
    if place in ("cluster_groups", "service_catalog", "services"):
        return place
    if place in ("cluster group", "environment", "service", "namespace", "env-ref",
                 "release"):
        return _element(owner)
    if place in ("environments", "namespaces", "releases", "aliases", "dir",
                 "environment_stages", "environment_default_stage", "datacenter",
                 "cluster_group"):
        return f"the {place} of {_element(owner)}"
    if place == "checks":
        return f"the checks of {_element(owner)}"
    if place == "check env-ref":
        return (f"the checks of service {quote(_name_of(owner, 'service'))} for "
                f"{quote(_name_of(owner, 'check env-ref'))}")
    if place == "stage":
        if owner and owner[-1][0] == "release":
            return f"the stage of {_element(owner)}"
        return f"a stage of {_element(owner)}"
    if place == "alias":
        return f"an alias of {_element(owner)}"
    if place == "check list":
        return _check_place(owner)
    if place in ("check", "manual", "commands", "command"):
        article = "the commands" if place == "commands" else \
            "a manual check" if place == "manual" else f"a {place}"
        return f"{article} of {_check_place(owner)}"
    names = {"cluster group name": "a cluster group name",
             "service name": "a service name"}
    if place in names:
        return names[place]
    if place == "environment name":
        return f"an environment name of {_element(owner)}"
    if place == "namespace name":
        return f"a namespace of {_element(owner)}"
    if place == "env-ref name":
        return f"an environment of {_element(owner)}"
    if place == "release name":
        return f"a release name of {_element(owner)}"
    if place == "check env-ref name":
        return f"an environment of the checks of {_element(owner)}"
    if place == "check stage name":
        return (f"a stage of the checks of service {quote(_name_of(owner, 'service'))} "
                f"for {quote(_name_of(owner, 'check env-ref'))}")
    return place  # pragma: no cover - every place of the builder is named above


def _owner_what(schema: str, owner: Owner, config_key: Optional[str]) -> str:
    if schema == "service catalog":
        return config_key or "service_catalog"
    return _element(owner)


# -- the judgements, one per rule ----------------------------------------------------------

if TYPE_CHECKING:
    _Judge = Callable[["ServiceConfig"], Iterator[Refusal]]
_CACHE: Dict[str, Tuple[object, object, Tuple[Refusal, ...]]] = {}


def _once(judge: _Judge) -> Callable[["ServiceConfig"], Tuple[Refusal, ...]]:
    """The judgement of the last file, kept: the rule and :func:`refusals` (for
    :func:`loads` and the plan) read it, the hints are worked out once."""
    name = judge.__name__

    def cached(config: "ServiceConfig") -> Tuple[Refusal, ...]:
        got = _CACHE.get(name)
        if got is not None and got[0] is config and got[1] is config.groups:
            return got[2]
        out = tuple(judge(config))
        _CACHE[name] = (config, config.groups, out)
        return out

    cached.__name__ = name
    cached.__doc__ = judge.__doc__
    return cached


@_once
def unknown_keys(config: ServiceConfig) -> Iterator[Refusal]:
    """MW601: keys scap does not read; did-you-mean, and an unsafe fix for one match."""
    hints = _Hints()
    for k in config.keys:
        allowed = SCHEMAS[k.schema]
        what = _owner_what(k.schema, k.owner, config.catalog_key)
        for kv, name in k.unknown:
            shown = name if name is not None else "<complex key>"
            free = [a for a in allowed if a not in k.present]
            guess = hints.guess(name, free)
            only = hints.fix_to(name, free) if guess is not None else None
            fix = replace_fix(kv, only, "the closest key scap reads") \
                if only is not None else None
            yield Refusal(UNKNOWN_KEY, kv, f"{what} has unexpected key {quote(shown)}"
                          f"{_mean(guess)}",
                          f"the keys scap reads here: {listing(allowed, quoted=False)}",
                          fix, k.service, k.group)


@_once
def missing_keys(config: ServiceConfig) -> Iterator[Refusal]:
    """MW602: required keys that are absent."""
    for k in config.keys:
        what = _owner_what(k.schema, k.owner, config.catalog_key)
        for name in REQUIRED.get(k.schema, ()):
            if name not in k.present:
                yield Refusal(MISSING_KEY, k.at, f"{what} has no {name}",
                              f"add {name}: scap refuses the configuration without it",
                              None, k.service, k.group)


_EMPTY = {
    "environment_stages": ("the environment_stages of {} is empty",
                           "list the stages in deploy order, e.g. [CANARY, DEFAULT]"),
    "services": ("services is empty", "add a service, or remove the key"),
    "releases": ("the releases of {} is empty", "omit the key to deploy all releases"),
}


@_once
def wrong_types(config: ServiceConfig) -> Iterator[Refusal]:
    """MW603: values of a kind scap does not read there, and empty ones it refuses."""
    for f in config.shapes:
        at = f.at
        what = _what(f)
        help: Optional[str] = None
        if f.reads == MAPPING:
            msg = f"{what} must be a mapping, not {at.describe()}"
        elif f.reads == NAME:
            msg = f"{what} must be a non-empty string, not {at.describe()}"
            help = "quote it as a string"
        elif f.reads == STRING:
            msg = f"{what} must be a{' non-empty' if f.place != 'command' else ''} string, " \
                  f"not {at.describe()}"
        elif f.reads == STRING_OR_NULL:
            msg = f"{what} must be a string or null, not {at.describe()}"
        elif f.reads == ONE_KEY:
            msg = f"{what} must have exactly one key, commands or manual"
            help = "write one check per list item"
        elif f.reads == LIST:
            of = {"environment_stages": "stage names", "aliases": "names",
                  "check list": "checks", "commands": "strings"}[f.place]
            msg = f"{what} must be a list of {of}, not {at.describe()}"
        else:  # CONTENT: empty where scap reads content
            if f.place == "environments" and f.owner and f.owner[-1][0] == "cluster group":
                msg, help = (f"{_element(f.owner)} defines no environments",
                             "add at least one environment")
            elif f.place == "environments":
                msg, help = (f"{_element(f.owner)} has no environments",
                             "add the environments it deploys to")
            elif f.place == "namespaces":
                msg, help = (f"{_element(f.owner)} has no namespaces",
                             "add the namespace the service deploys to")
            else:
                template, help = _EMPTY[f.place]
                owner = f.owner if f.place != "environment_stages" else f.owner[:1]
                msg = template.format(_element(owner) if owner else "")
        yield Refusal(WRONG_TYPE, at, msg, help, None, f.service, f.group)


@_once
def invalid_values(config: ServiceConfig) -> Iterator[Refusal]:
    """MW604: an environment type, a stage or a check type scap does not accept."""
    hints = _Hints()
    stage_sets: Dict[int, FrozenSet[str]] = {}  # per group: membership in O(1)

    def stages_of(g: ClusterGroup) -> FrozenSet[str]:
        got = stage_sets.get(id(g))
        if got is None:
            got = stage_sets[id(g)] = frozenset(g.stages)
        return got

    for g in config.defined_groups:
        what = f"cluster group {quote(g.name)}"
        d, dv = g.default_stage, g.default_stage_value
        if d is not None and dv is not None and g.stages and d not in stages_of(g):
            guess = hints.guess(d, g.stages)
            yield Refusal(INVALID_VALUE, dv, f"default stage {quote(d)} is not a stage of "
                                             f"{what}{_mean(guess)}",
                          f"its stages: {listing(g.stages)}",
                          _stage_fix(dv, guess and hints.fix_to(d, g.stages)), None, g)
        for e in g.environments:
            tv = e.type_value
            if tv is None or e.type in TYPES:
                continue
            shown = tv.text if tv.is_scalar else None
            guess = hints.guess(shown, TYPES)
            yield Refusal(INVALID_VALUE, tv, f"environment {quote(e.name)} has type "
                                             f"{tv.describe()}, not STAGING or PRODUCTION"
                                             f"{_mean(guess)}",
                          "scap reads exactly STAGING or PRODUCTION (upper case)", None, None, g)
    for s in config.services or ():
        for checks in s.checks:
            for c in checks.checks:
                if c.kind in CHECK_TYPES or c.key is None:
                    continue
                where = f"{quote(checks.ref)} at {quote(checks.stage)}"
                guess = hints.guess(c.key.text if c.key.is_scalar else None, CHECK_TYPES)
                yield Refusal(INVALID_VALUE, c.key, f"unsupported check type "
                                                    f"{quote(c.kind)} in {where}{_mean(guess)}",
                              "a check is commands (a list of strings) or manual (a question)",
                              None, s)
        sg = s.group
        if sg is None or not sg.stages:
            continue
        for ns in s.namespaces:
            for ref in ns.env_refs:
                for rel in ref.releases or ():
                    sv = rel.stage_value
                    if sv is not None and rel.stage is not None and rel.stage not in stages_of(sg):
                        guess = hints.guess(rel.stage, sg.stages)
                        yield Refusal(INVALID_VALUE, sv,
                                      f"release {quote(rel.name)} has stage {quote(rel.stage)}, "
                                      f"not a stage of cluster group {quote(sg.name)}"
                                      f"{_mean(guess)}",
                                      f"its stages: {listing(sg.stages)}",
                                      _stage_fix(sv, guess and hints.fix_to(rel.stage,
                                                                            sg.stages)), s)
        for cg in s.checks:
            if cg.stage not in stages_of(sg):
                guess = hints.guess(cg.stage, sg.stages)
                yield Refusal(INVALID_VALUE, cg.stage_key,
                              f"the check for {quote(cg.ref)} has stage {quote(cg.stage)}, "
                              f"not a stage of cluster group {quote(sg.name)}{_mean(guess)}",
                              f"its stages: {listing(sg.stages)}",
                              _stage_fix(cg.stage_key,
                                         guess and hints.fix_to(cg.stage, sg.stages)), s)


def _stage_fix(at: Value, guess: Optional[str]) -> Optional[Fix]:
    return replace_fix(at, guess, "the closest stage of the group") \
        if guess is not None else None


@_once
def duplicates(config: ServiceConfig) -> Iterator[Refusal]:
    """MW605: a name or alias used twice in a group (scap counts references: an alias
    equal to its own environment's name, or listed twice, too), a stage listed twice, two
    env-refs to one environment."""
    for g in config.defined_groups:
        what = f"cluster group {quote(g.name)}"
        seen_stage: Dict[str, bool] = {}
        for stage, item in g.stage_values:
            if stage in seen_stage:
                yield Refusal(DUPLICATE, item, f"stage {quote(stage)} is listed twice in "
                                               f"{what}", None, None, None, g)
            seen_stage[stage] = True
        taken: Dict[str, Environment] = {}
        for e in g.environments:
            labels = [(e.name, e.name_value)] + list(e.aliases)
            for label, at in labels:
                if label not in taken:
                    taken[label] = e
                    continue
                other = taken[label]
                help = ("remove the repeated alias" if other is e and label != e.name
                        else "an environment's own name needs no alias"
                        if other is e else
                        "give every environment and alias of a group its own name")
                yield Refusal(DUPLICATE, at, f"{quote(label)} refers to more than one "
                                             f"environment of {what}", help, None, None, g)
    for s in config.services or ():
        for ns in s.namespaces:
            seen: Dict[int, str] = {}
            for ref in ns.env_refs:
                env = ref.environment
                if env is None:
                    continue
                first = seen.get(id(env))
                if first is not None:
                    yield Refusal(DUPLICATE, ref.name_value,
                                  f"{quote(first)} and {quote(ref.ref)} both refer to "
                                  f"environment {quote(env.name)} in namespace {quote(ns.name)}",
                                  "keep one of them", None, s)
                else:
                    seen[id(env)] = ref.ref
        seen_checks: Dict[int, str] = {}
        for cg in s.checks:
            env = cg.environment
            if env is None:
                continue
            first = seen_checks.get(id(env))
            if first is not None and first != cg.ref:
                yield Refusal(DUPLICATE, cg.ref_key,
                              f"{quote(first)} and {quote(cg.ref)} both refer to environment "
                              f"{quote(env.name)} in the checks of service {quote(s.name)}",
                              "keep one of them", None, s)
            elif first is None:
                seen_checks[id(env)] = cg.ref


@_once
def undefined(config: ServiceConfig) -> Iterator[Refusal]:
    """MW606: an undefined cluster group, an env-ref the group has no environment or alias
    for; did-you-mean, and an unsafe fix for an env-ref with one close match."""
    groups = config.groups
    if groups is None or config.services is None:
        return
    hints = _Hints()
    names: Dict[int, List[str]] = {}  # per group, computed once
    for s in config.services:
        if s.cluster_group is None:
            continue
        g = s.group
        if g is None:
            at = s.cluster_group_value if s.cluster_group_value is not None else s.name_value
            guess = hints.guess(s.cluster_group, groups)
            yield Refusal(UNDEFINED, at,
                          f"service {quote(s.name)} refers to undefined cluster group "
                          f"{quote(s.cluster_group)}{_mean(guess)}",
                          f"the cluster groups: {listing(groups, 5)}", None, s)
            continue
        known = names.get(id(g))
        if known is None:
            known = names[id(g)] = g.names()
        refs: List[Tuple[str, Value]] = [(r.ref, r.name_value) for ns in s.namespaces
                                         for r in ns.env_refs if r.environment is None]
        refs += [(cg.ref, cg.ref_key) for cg in s.checks if cg.environment is None]
        for ref, at in refs:
            guess = hints.guess(ref, known)
            only = hints.fix_to(ref, known) if guess is not None else None
            fix = replace_fix(at, only, "the closest environment or alias of the group") \
                if only is not None else None
            yield Refusal(UNDEFINED, at,
                          f"{quote(ref)} is no environment or alias of cluster group "
                          f"{quote(g.name)}{_mean(guess)}",
                          f"its environments and aliases: {listing(known)}", fix, s)


JUDGES = {UNKNOWN_KEY: unknown_keys, MISSING_KEY: missing_keys, WRONG_TYPE: wrong_types,
          INVALID_VALUE: invalid_values, DUPLICATE: duplicates, UNDEFINED: undefined}

def refusals(config: ServiceConfig) -> Tuple[Refusal, ...]:
    """Everything scap's loader refuses in ``config``, each place once (a value reached
    through an anchor from several places is one refusal)."""
    out: List[Refusal] = []
    seen = set()
    for judge in JUDGES.values():
        for r in judge(config):
            key = (r.code, r.at.span, r.message)
            if key not in seen:
                seen.add(key)
                out.append(r)
    return tuple(out)


def of_code(config: ServiceConfig, code: str) -> Iterator[Refusal]:
    return (r for r in refusals(config) if r.code == code)


def loads(config: ServiceConfig, service: Service) -> bool:
    """scap loads ``service`` and its group as the model says (its cluster group resolved,
    nothing refused in the service or in its group): the rules that judge what it deploys
    look only at those."""
    g = service.group
    if g is None:
        return False
    owners = _refused_owners(config)
    return id(service) not in owners and id(g) not in owners


_OWNERS: List[object] = [None, None, frozenset()]


def _refused_owners(config: ServiceConfig) -> FrozenSet[int]:
    """The ids of the services and groups with a refusal (worked out once per file)."""
    if _OWNERS[0] is config and _OWNERS[1] is config.groups:
        return _OWNERS[2]  # type: ignore[return-value]
    ids = set()
    for judge in JUDGES.values():
        for r in judge(config):
            if r.service is not None:
                ids.add(id(r.service))
            if r.group is not None:
                ids.add(id(r.group))
    out = frozenset(ids)
    _OWNERS[:] = [config, config.groups, out]
    return out


def refused(config: ServiceConfig) -> int:
    """How many refusals scap's loader has for ``config`` (0: it loads)."""
    return len(refusals(config))  # (once per file: the plan asks)


__all__ = ["Refusal", "refusals", "of_code", "loads", "refused", "listing", "replace_fix",
           "unknown_keys", "missing_keys", "wrong_types", "invalid_values", "duplicates",
           "undefined"]

