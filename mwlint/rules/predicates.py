"""Predicates and helpers several rules share (one problem, one finding; one recipe).

Rules import this module and the model, never each other: what two rules must agree on
lives here. A plain module, not a rule."""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import STAGES, Entry, Field, HieraFile, Record, Release
from mwlint.model.values import Value, cap_list, quote
from mwlint.rules.base import Located, Rule, bounded, fit
from mwlint.settings import Settings
from mwlint.suggest import closest, few
from mwlint.typehints import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from typing import (
        Any,
        Dict,
        Iterable,
        Iterator,
        List,
        Mapping,
        Optional,
        Sequence,
        Set,
        Tuple,
        Union,
    )

COMPLEX_KEY = "<complex key>"  # the YAML path piece of a key that is not a scalar


# -- the deployment-charts facts, as rules read them ----------------------------------------
# Rules never import mwlint.charts (tests/test_rule_isolation.py): these protocols are what
# they read of ``hiera.charts`` (a :class:`mwlint.charts.facts.ChartsFacts`).
class InstallListView(Protocol):
    @property
    def names(self) -> Tuple[str, ...]: ...

    @property
    def open(self) -> bool: ...


class HelmfileView(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def unknown(self) -> Optional[str]: ...

    @property
    def environments(self) -> Mapping[str, Optional[InstallListView]]: ...

    @property
    def environments_open(self) -> bool: ...

    @property
    def releases(self) -> Tuple[str, ...]: ...

    @property
    def releases_open(self) -> bool: ...

    @property
    def readable(self) -> bool: ...


class LookupView(Protocol):
    @property
    def status(self) -> str: ...

    @property
    def directory(self) -> str: ...

    @property
    def path(self) -> Optional[str]: ...


class ChartsView(Protocol):
    def lookup(self, cluster_dir: str, namespace: str) -> LookupView: ...

    def read(self, relpath: str) -> HelmfileView: ...

    def subdirs(self, rel: str) -> List[str]: ...


def key_source(hiera: HieraFile, key: Value) -> str:
    """A short, one-line rendering of a key as written (for a finding's identity)."""
    text = " ".join(key.written(hiera.text).split())
    return text if len(text) <= 40 else text[:37] + "..."

# -- from MW201 ------------------------------------------------------------
def truthy(f: Field) -> bool:
    return bool(f.value) and f.value != "false"


def stage_ok(r: Release) -> bool:
    """The release's stage is valid (an invalid one is MW105's)."""
    f = r.get("stage")
    return f is None or (f.is_str and f.value in STAGES)


def migration_plan(e: Entry) -> Tuple[bool, List[Release], List[Tuple[Release, str]]]:
    """What the T389499 recipe does to a releases-map entry with ``debug: true``.

    Returns ``(add_kind, add_stage, by_hand)``: whether the namespace needs
    ``mw_kind: debug-image``, the releases that need ``stage: testservers``, and the
    releases a person must decide (explicit other stage or other release-level kind)."""
    ns_kind = e.get("mw_kind")
    add_kind = ns_kind is None or ns_kind.is_null
    add_stage: List[Release] = []
    by_hand: List[Tuple[Release, str]] = []
    for r in e.releases:
        stage = r.get("stage")
        kind = r.get("mw_kind")
        if kind is not None and not kind.is_null and kind.value != "debug-image":
            by_hand.append((r, f"release-level mw_kind: {kind.value}"))
        elif stage is not None and r.stage.value != "testservers":
            by_hand.append((r, f"stage: {stage.value}"))
        elif stage is None and r.deployable:
            add_stage.append(r)
    return add_kind, add_stage, by_hand


def once_per_key(found: Iterable[Tuple[int, Finding, str]]) -> Iterator[Finding]:
    """One finding per written key: a key merged into several places through an anchor or
    a merge key is reported once, where it is written, naming the other places. ``found``
    holds ``(key identity (Field.key_identity), finding, label)``."""
    first: Dict[int, Finding] = {}
    others: Dict[int, List[str]] = {}
    for key, finding, label in found:
        if key in first:
            others[key].append(label)
        else:
            first[key] = finding
            others[key] = []
    for k, finding in first.items():
        if others[k]:
            also = f"also applies to {cap_list(others[k])}, through an anchor or merge key"
            message, help = fit(f"{finding.message} ({also})", finding.message,
                                "edit it by hand: the key is shared, so --fix leaves it alone",
                                also)
            finding = bounded(finding._replace(message=message, help=help, fixable=False,
                                               fix=None))
        yield finding


# -- from MW202 ------------------------------------------------------------
def names(releases: Iterable[Release]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b' and 'c'``: release names, quoted."""
    return cap_list((quote(str(r.name)) for r in releases), limit=3, last_sep=" and ")


def see_mw201(entry: Entry) -> str:
    """Where the MW201 finding of a ``debug: true`` entry is: related findings point at it
    instead of repeating why."""
    f = entry.get("debug")
    return f"see MW201 at line {f.key_span.line}" if f is not None else "see MW201"


# -- from MW206 ------------------------------------------------------------
def null_override(release: Release) -> bool:
    """A release-level ``mw_kind: ~`` while the namespace sets ``mw_kind`` (MW206).

    scap takes a present key even when it is null, so the release runs the default kind
    ``image`` instead of the namespace's kind. MW202 and MW204 leave such releases to MW206
    (one problem, one finding)."""
    f = release.get("mw_kind")
    if f is None or not f.is_null:
        return False
    ns = release.entry.get("mw_kind")
    return ns is not None and ns.nonempty_str


# -- from MW208 ------------------------------------------------------------
def inheritors(entry: Entry, name: str) -> List[Release]:
    """Releases that take ``name`` from the namespace (no release-level key)."""
    return [r for r in entry.releases if name not in r.fields]


def namespace_value_used(entry: Entry, name: str) -> bool:
    """A namespace-level value is effective when a release inherits it, or when the entry
    has no releases to override it."""
    return not entry.releases or bool(inheritors(entry, name))


if TYPE_CHECKING:
    SiteContext = Tuple[Optional[str], Optional[str]]  # (namespace, release) of a finding


class Sites:
    """Wrong values grouped by the node that sets them: a value set once (an anchor or a
    merge key shared by several entries or releases) is reported once, at that node,
    naming everyone who uses it."""

    def __init__(self) -> None:
        # identity -> (field, owners, (label, release) users, context)
        self._by_node: Dict[int, Tuple[Field, List[str], List[Tuple[str, str]], SiteContext]] = {}

    def add(self, field: Field, owner: str, users: Iterable[Union[Release, str]],
            ctx: SiteContext) -> None:
        """``owner`` is where the key is written ("namespace 'x'", "release 'x/y'");
        ``users`` are the releases that inherit it from a namespace."""
        site = self._by_node.get(field.identity)
        if site is None:
            site = self._by_node[field.identity] = (field, [], [], ctx)
        site[1].append(owner)
        site[2].extend((str(u.label), str(u.name)) if isinstance(u, Release) else (str(u), str(u))
                       for u in users)

    def __iter__(self) -> Iterator[Tuple[Field, "Site", SiteContext]]:
        """``(field, description, context)`` per node, in document order of discovery."""
        for field, owners, users, ctx in self._by_node.values():
            value = f"{field.name} {quote(field.value)}"
            what = f"{value} of {cap_list(owners)}"
            # the short form names the first owner without saying what it is
            first = owners[0]
            short = f"{value} of {first.split(' ', 1)[1] if ' ' in first else first}"
            detail = f"set for {cap_list(owners)}"
            if len(owners) > 1:
                what += " (one value shared through an anchor or merge key)"
                short += f" and {len(owners) - 1} more"
                detail += ", one value shared through an anchor or merge key"
            if users:
                # one owner: its releases by name; several: namespace/release
                shown = [quote(name if len(owners) == 1 else label) for label, name in users]
                used = f"release{'s' if len(users) > 1 else ''} {few(shown)}"
                what += f" ({used})"
                detail += f", used by {used}"
            elif all(o.startswith("namespace") for o in owners):
                what += " (the namespace default)"
                detail += " (the namespace default)"
            yield field, Site(what, short, detail), ctx


class Site(NamedTuple):
    """How a message names a wrong value and where it is set: ``full`` with every owner
    and user, ``short`` (the first owner) when ``full`` makes the message too long, and
    ``detail``, what ``short`` leaves out, for the help."""

    full: str
    short: str
    detail: str

    def message(self, rest: str, help: str) -> Tuple[str, str]:
        """``(message, help)`` for a message that is this description then ``rest``."""
        return fit(f"{self.full}{rest}", f"{self.short}{rest}", help, self.detail)


# -- from MW301 ------------------------------------------------------------
# Characters a shell (or a path-joining script) would treat specially.
SHELL_METACHARACTERS = frozenset(";&|$`()<>*?[]{}!'\"\\#~")


def dir_syntax_problem(entry: Entry, settings: Settings) -> Optional[str]:
    """Why the entry's explicit string ``dir`` is not a usable helmfile.d subdirectory
    name, or None. A non-string ``dir`` is MW104's; an absent one is the default."""
    f = entry.get("dir")
    if f is None or not f.is_str:
        return None
    v = f.text
    assert v is not None  # a string
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
        reasons.append("contains shell metacharacters (" + cap_list(meta, sep=" ") + ")")
    if reasons:
        return " and ".join(reasons) if len(reasons) == 2 else ", ".join(reasons)
    known = getattr(settings, "known_dirs", None)
    if known is not None and v not in known:
        guess = closest(v, known)
        hint = f"; did you mean {guess!r}?" if guess else f" ({cap_list(known)})"
        return f"is not one of the known dirs{hint}"
    return None


def deployable_releases(entry: Entry) -> List[Release]:
    """The releases scap runs helmfile for: string names, effective ``deploy`` true."""
    return [r for r in entry.releases if isinstance(r.name, str) and r.deployable]


def has_deployable_records(entry: Entry) -> bool:
    clusters = entry.clusters()
    return bool(clusters) and bool(deployable_releases(entry))


class DirProblem(NamedTuple):
    node_field: Field  # the Field to point at
    message: str
    help: Optional[str] = None
    short: str = ""  # the message without the path, when the message gets too long
    moved: str = ""  # what the short message leaves out, for the help


def checkout_dir_problem(entry: Entry, settings: Settings,
                         checkout: ChartsView) -> Optional[DirProblem]:
    """With a deployment-charts checkout: ``helmfile.d/<dir>/<namespace>/`` missing for an
    entry that has deployable records. None when it exists or is not checked."""
    ns_field = entry.get("namespace")
    if ns_field is None or not ns_field.nonempty_str or entry.legacy is not None:
        return None
    assert ns_field.text is not None  # a non-empty string
    d = entry.dir
    if not isinstance(d.value, str) or dir_syntax_problem(entry, settings) is not None:
        return None
    if not has_deployable_records(entry):
        return None
    look = checkout.lookup(d.value, ns_field.text)
    if look.status == "no-dir-root":
        existing = checkout.subdirs("helmfile.d")
        guess = closest(d.value, existing)
        hint = f"; did you mean {guess!r}?" if guess else ""
        where = "dir" if d.field is not None else "default dir"
        target = d.field if d.field is not None else ns_field
        return DirProblem(target, (
            f"helmfile.d/{d.value}/ ({where} of {quote(entry.label)}) does not exist in "
            f"deployment-charts{hint}"), f"existing dirs: {cap_list(existing) or 'none'}",
            f"{where} {quote(d.value)} of {quote(entry.label)} is not in deployment-charts"
            f"{hint}", f"helmfile.d/{d.value}/ does not exist, so the sync fails there")
    if look.status == "no-dir":
        existing = checkout.subdirs(f"helmfile.d/{d.value}")
        guess = closest(ns_field.text, existing)
        hint = f"; did you mean {guess!r}?" if guess else ""
        return DirProblem(ns_field, (
            f"{look.directory}/ does not exist in deployment-charts{hint}"),
            None if guess else "add the namespace's helmfile to deployment-charts first, "
                               "or fix dir",
            f"no helmfile directory for {quote(entry.label)} in deployment-charts{hint}",
            f"{look.directory}/ does not exist, so the sync fails there")
    return None


# -- from MW302 ------------------------------------------------------------
def explicit_clusters(entry: Entry) -> Optional[List[str]]:
    """The entry's own ``clusters`` as strings; None when absent or not a list."""
    f = entry.get("clusters")
    if f is None or not f.is_seq:
        return None
    return [i.text for i in f.items() if i.kind == "str" and i.text]


# -- from MW308 ------------------------------------------------------------
class Outcome(NamedTuple):
    """One conclusion: ``code`` is MW308 (a mismatch) or MW309 (could not be checked)."""

    code: str
    entry: Entry
    target: Union[Located, Value]  # a Field, Release, Entry or Value (a clusters item)
    message: str
    context: Tuple[Any, ...]
    help: Optional[str] = None  # how to fix it, or None


def _listed(names: Sequence[str]) -> str:
    return cap_list(names) if names else "none"


def _fitted(code: str, entry: Entry, target: Union[Located, Value], full: str, short: str,
            moved: str, context: Tuple[Any, ...], help: Optional[str] = None) -> Outcome:
    """An :class:`Outcome` whose message is ``full``, or ``short`` when ``full`` (with a
    long helmfile path in it) would not be one short line; ``moved`` then goes in the help."""
    message, help = fit(full, short, help, moved)
    return Outcome(code, entry, target, message, context, help)


def _cluster_items(entry: Entry) -> Dict[str, Value]:
    """cluster name -> its item in the entry's clusters (first occurrence)."""
    f = entry.get("clusters")
    out: Dict[str, Value] = {}
    if f is None or not f.is_seq:
        return out
    for item in f.items():
        if item.kind != "str":
            continue  # MW104
        v = item.text
        if v and v not in out:
            out[v] = item
    return out


# The last file's outcomes: MW308 and MW309 run on the same model one after the other.
_last: List[Any] = [None, None, ()]


def helmfile_outcomes(hiera: HieraFile, settings: Settings) -> List[Outcome]:
    """Every MW308/MW309 conclusion for the file, entry by entry (deployable records only).
    Nothing without deployment-charts facts (``hiera.charts``)."""
    if hiera.charts is None:
        return []  # nothing to check, and nothing to keep alive after this file
    if _last[0] is hiera and _last[1] is settings:
        return _last[2]  # type: ignore[no-any-return]
    out = list(_outcomes(hiera, settings))
    _last[:] = [hiera, settings, out]
    return out


def _outcomes(hiera: HieraFile, settings: Settings) -> Iterator[Outcome]:
    checkout = hiera.charts  # the deployment-charts facts the model stage loaded
    if checkout is None:
        return
    for d in hiera.deployments:
        # entry -> its deployable records, in document order
        grouped: Dict[Entry, List[Record]] = {}
        order: List[Entry] = []
        for rec in d.records():
            if not rec.deploy:
                continue
            e = rec.source.entry
            if e not in grouped:
                grouped[e] = []
                order.append(e)
            grouped[e].append(rec)
        unverifiable_reported: Set[Tuple[str, str]] = set()
        for e in order:
            records = grouped[e]
            yield from _entry_outcomes(e, records, settings, checkout,
                                       unverifiable_reported)


def _entry_outcomes(e: Entry, records: List[Record], settings: Settings, checkout: ChartsView,
                    reported: Set[Tuple[str, str]]) -> Iterator[Outcome]:
    ns_field = e.get("namespace")
    ns = e.namespace
    cluster_dir = e.dir.value
    if not isinstance(cluster_dir, str) or not ns:
        return
    assert ns_field is not None  # it gives the namespace
    if dir_syntax_problem(e, settings) is not None:
        return  # MW301
    if checkout_dir_problem(e, settings, checkout) is not None:
        return  # MW301
    look = checkout.lookup(cluster_dir, ns)
    releases: List[Release] = []  # Release objects, in order
    clusters: List[str] = []
    nodes = _cluster_items(e)
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
        yield _fitted("MW308", e, ns_field, f"{what}, so helmfile cannot run for {quote(e.label)}",
                      f"the helmfile directory of {quote(e.label)} "
                      f"{what[len(look.directory) + 2:]}",
                      f"the directory is {look.directory}/, where helmfile cannot run",
                      (ns, None, "namespace", ns),
                      "keep exactly one helmfile in that directory")
        return
    if look.status != "ok" or look.path is None:
        return
    facts = checkout.read(look.path)
    ident = (cluster_dir, ns)
    if not facts.readable:
        if ident not in reported:
            reported.add(ident)
            yield _fitted("MW309", e, ns_field, (
                f"{facts.path} {facts.unknown}, so the records of {quote(e.label)} were not "
                f"checked"),
                f"the helmfile of {quote(e.label)} was not read, so its records were not "
                f"checked", f"{facts.path} {facts.unknown}", (ns, None, "helmfile", None),
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
            unknown.append(f"environment {quote(c)} (the environments are partly templated)")
        else:
            missing.append(c)
    where = f"defined: {_listed(defined)}" if defined else "it declares no environments"
    if missing and e.get("clusters") is None:
        # the default clusters: one conclusion about the entry, at its namespace
        envs_missing = " or ".join(quote(c) for c in missing)
        yield _fitted("MW308", e, ns_field, (
            f"{facts.path} defines no environment {envs_missing}, "
            f"the default clusters of {quote(e.label)}"),
            f"the helmfile of {quote(e.label)} defines no environment {envs_missing}, its "
            f"default clusters", f"the helmfile is {facts.path}",
            (ns, None, "clusters", ",".join(missing)),
            f"set clusters to environments of that helmfile ({where}), or fix dir")
    else:
        for c in missing:
            guess = closest(c, defined)
            hint = f"; did you mean {guess!r}?" if guess else ""
            target = nodes.get(c)
            yield _fitted("MW308", e, target if target is not None else ns_field,
                          f"{facts.path} defines no environment {quote(c)}{hint}",
                          f"the helmfile of {quote(e.label)} defines no environment "
                          f"{quote(c)}{hint}", f"the helmfile is {facts.path}",
                          (ns, None, "clusters", c),
                          None if guess else f"fix clusters or dir ({where})")
    if ok_clusters:
        for r in releases:
            yield from _release_outcomes(e, r, ok_clusters, facts, unknown)
    if unknown and ident not in reported:
        reported.add(ident)
        yield _fitted("MW309", e, ns_field, (
            f"{facts.path} is templated where it would decide, so some records of "
            f"{quote(e.label)} were not checked"),
            f"the helmfile of {quote(e.label)} is templated where it would decide, so some "
            f"records were not checked", f"the helmfile is {facts.path}",
            (ns, None, "helmfile", None),
            f"check {'; '.join(unknown)} by hand with helmfile -e <cluster> --selector "
            f"name=<release> build")


def _release_outcomes(e: Entry, r: Release, clusters: List[str], facts: HelmfileView,
                      unknown: List[str]) -> Iterator[Outcome]:
    name = r.name
    ns = e.namespace
    if name not in facts.releases:
        if facts.releases_open:
            unknown.append(f"release {quote(name)} (the release list is partly templated)")
            return
        guess = closest(name, facts.releases)
        hint = f"; did you mean {guess!r}?" if guess else ""
        yield _fitted("MW308", e, r, f"{facts.path} defines no release {quote(name)}{hint}",
                      f"the helmfile of {quote(e.label)} defines no release {quote(name)}{hint}",
                      f"the helmfile is {facts.path}", (ns, name, "release", name),
                      None if guess else f"rename the release or add it to the helmfile "
                                         f"(defined: {_listed(facts.releases)})")
        return
    missing: List[str] = []
    for c in clusters:
        install = facts.environments.get(c)
        if install is None or name in install.names:
            continue  # no literal install list (or the environment is not literal)
        if install.open:
            unknown.append(f"release {quote(name)} in the install list of {quote(c)} (templated)")
            continue
        missing.append(f"{c} (installs: {_listed(install.names)})")
    if missing:
        envs_missing = [m.split(" ")[0] for m in missing]
        yield _fitted("MW308", e, r, (
            f"release {quote(name)} is not installed in environment {', '.join(envs_missing)} of "
            f"{facts.path}"),
            f"release {quote(name)} is not installed in environment {', '.join(envs_missing)} of "
            f"its helmfile", f"the helmfile is {facts.path}",
            (ns, name, "installed", ",".join(envs_missing)),
            f"add {quote(name)} to the environment's releases list in deployment-charts "
            f"({'; '.join(missing)}), or change clusters")


def finding_for(rule: Rule, hiera: HieraFile, outcome: Outcome) -> Finding:
    target = outcome.target
    if isinstance(target, Value):
        return rule.finding_at(hiera.path, target.span, outcome.message,
                               target.path, context=outcome.context, help=outcome.help)
    return rule.at(hiera, target, outcome.message, context=outcome.context,
                   help=outcome.help)


