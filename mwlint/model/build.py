"""Build the model from located nodes.

The builder walks the whole deployments value once (iteratively, so depth never recurses),
recording repeated keys (MW002) and charging every visit made through an alias or a merge
key against the budget (MW001 when exceeded), then types the entries and releases.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mwlint.locate.locator import Located, Location, yaml_key
from mwlint.model.types import Deployments, Entry, Field, HieraFile, Release, SupervisionRule
from mwlint.model.values import Value
from mwlint.parse.resolve import (
    MERGE_TAG,
    BudgetExceeded,
    Resolver,
    is_map,
    is_scalar,
    is_seq,
    key_identity,
    scalar_value,
)
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

LEGACY_ENTRY_KEYS = ("release", "canary", "name")


# a node's place in the value: the prefix, or (parent link, key node or item index)
if TYPE_CHECKING:
    _Link = Union[str, Tuple[Any, Union[Node, int]]]


def _walk(resolver: Resolver, root: Node, prefix: str) -> List[Tuple[Node, Node, str]]:
    """Visit every node of the value, complex keys included; return repeated keys as
    (key, first key, path).

    Paths are kept as links ``(parent link, key node or index)`` and spelled out only for a
    repeated key: formatting a path per node was most of the walk's cost.
    """
    duplicates: List[Tuple[Node, Node, str]] = []
    stack: List[Tuple[Node, _Link, bool]] = [(root, prefix, False)]  # (node, link, via)
    seen: Set[int] = set()
    charge = resolver.charge
    pairs = resolver.pairs
    while stack:
        node, link, via = stack.pop()
        if via:
            charge(1, node)
        if isinstance(node, MappingNode):
            if id(node) in seen and not via:
                continue
            seen.add(id(node))
            if not via:
                first: Dict[Tuple[str, object], Node] = {}
                for k, _v in node.value:
                    if isinstance(k, ScalarNode) and k.tag == MERGE_TAG:
                        continue
                    ident = key_identity(k)
                    if ident in first:
                        duplicates.append((k, first[ident], _link_path((link, k))))
                    else:
                        first[ident] = k
            start = node.start_mark.index
            for k, v, merged in pairs(node):
                child_via = via or merged or v.start_mark.index < k.end_mark.index
                stack.append((v, (link, k), child_via))
                if not isinstance(k, ScalarNode):
                    # a complex key (``? *x : v``) is part of the value too: hashing it
                    # (Psych, the fixer's proof) walks its whole expansion
                    key_via = via or merged or k.start_mark.index < start
                    stack.append((k, (link, k), key_via))
        elif isinstance(node, SequenceNode):
            if id(node) in seen and not via:
                continue
            seen.add(id(node))
            prev = node.start_mark.index
            for i, item in enumerate(node.value):
                start = item.start_mark.index
                if i == 0:
                    child_via = via or start <= prev
                else:
                    child_via = via or start < prev
                end = item.end_mark.index
                if end > prev:
                    prev = end
                stack.append((item, (link, i), child_via))
    return duplicates


def _link_path(link: _Link) -> str:
    """The YAML path of a ``_walk`` link."""
    pieces: List[Union[Node, int]] = []
    while isinstance(link, tuple):
        link, piece = link
        pieces.append(piece)
    out: List[str] = [link]
    for piece in reversed(pieces):
        out.append(f"[{piece}]" if isinstance(piece, int) else "." + _key_text(piece))
    return "".join(out)


def _key_text(k: Node) -> str:
    if is_scalar(k):
        return _yaml_key(k.value)
    return "<complex key>"


_KEY_SPELLING: Dict[str, str] = {}


def _yaml_key(name: str) -> str:
    """:func:`yaml_key`, remembered: the same few key names recur on every entry."""
    s = _KEY_SPELLING.get(name)
    if s is None:
        if len(_KEY_SPELLING) > 4096:
            _KEY_SPELLING.clear()
        s = _KEY_SPELLING[name] = yaml_key(name)
    return s


def _fields(resolver: Resolver, node: Node, path: str, via: bool) -> Dict[str, Field]:
    out: Dict[str, Field] = {}
    for k, v, merged in resolver.pairs(node):
        if not is_scalar(k):
            continue
        name = k.value
        out[name] = Field(
            name, k, v, f"{path}.{_yaml_key(name)}",
            via or merged or v.start_mark.index < k.end_mark.index,
        )
    return out


def _complex_keys(resolver: Resolver, node: Node) -> Tuple[Value, ...]:
    """The keys of a mapping that are not scalars (``? [main] : {}``): Puppet keys are
    strings, so these are findings, and nothing under them is modelled."""
    if not is_map(node):
        return ()
    return tuple(Value(k) for k, _v, _m in resolver.pairs(node) if not is_scalar(k))


def _one_key_legacy(resolver: Resolver, node: Node) -> bool:
    """A G2 item: a one-key mapping whose value is a mapping with ``name``."""
    if not is_map(node):
        return False
    pairs = resolver.pairs(node)
    if len(pairs) != 1:
        return False
    v = pairs[0][1]
    return is_map(v) and resolver.get(v, "name") is not None


def _is_g1(resolver: Resolver, node: Node) -> bool:
    pairs = resolver.pairs(node)
    return bool(pairs) and all(
        is_map(v) and resolver.get(v, "name") is not None for _k, v, _m in pairs
    )


def build_deployments(loc: Located, path: str, location: Location, settings: Settings,
                      budget: int) -> Deployments:
    resolver = Resolver(budget)
    node = loc.value_node
    common: Dict[str, Any] = dict(
        path=path, full_name=loc.full_name, short_name=loc.short_name, prefix=loc.prefix,
        key_node=loc.key_node, node=node,
        default_dir=getattr(settings, "default_dir", None) or "services",
    )
    explicit = getattr(settings, "default_clusters", None)
    if explicit:
        common.update(default_clusters=tuple(explicit), default_clusters_origin="option")
    elif location.default_clusters:
        common.update(default_clusters=location.default_clusters,
                      default_clusters_origin="scap::k8s_deployments.clusters")

    if node is None or (is_scalar(node) and node.tag == "tag:yaml.org,2002:null"):
        what = "the rendered file is empty" if loc.key_node is None else "the value is null"
        return Deployments(**common, shape_error=(
            f"{loc.short_name}: {what}", _value(node),
            f"make it {_expected(loc.short_name)}"))
    duplicates = _walk(resolver, node, loc.prefix)
    common["duplicates"] = tuple((Value(k), Value(first), p) for k, first, p in duplicates)
    short = loc.short_name

    targets: Optional[Node] = None  # the list of entries
    targets_path = loc.prefix
    top_fields: Dict[str, Field] = {}
    form: Optional[str] = None
    if is_seq(node):
        if short == "mw_deployments":
            return Deployments(**common, shape_error=(
                "mw_deployments holds a list, the mw_releases form", Value(node),
                "make it a mapping with deployment_targets (the list) and supervision_rules, "
                "or rename the key back to mw_releases"))
        targets, form = node, "list"
    elif is_map(node):
        top_fields = _fields(resolver, node, loc.prefix, False)
        if "deployment_targets" in top_fields and short != "mw_releases":
            dt = top_fields["deployment_targets"]
            if not dt.is_seq:
                return Deployments(**common, top_fields=top_fields, shape_error=(
                    "deployment_targets is not a list of deployment entries", dt.v,
                    "make it a list of entries (- namespace: ...)"))
            targets, form, targets_path = dt.node, "mapping", dt.path
        elif short == "mw_releases" and _is_g1(resolver, node):
            items = tuple((Value(k), f"{loc.prefix}.{_key_text(k)}")
                          for k, _v, _m in resolver.pairs(node))
            return Deployments(**common, legacy_shape="G1", legacy_items=items)
        elif short == "mw_releases" and "deployment_targets" in top_fields:
            return Deployments(**common, top_fields=top_fields, shape_error=(
                "mw_releases holds a mapping with deployment_targets, the mw_deployments "
                "form", Value(node),
                "rename the key to mw_deployments, or make the value a list of entries"))
        elif short == "mw_releases":
            return Deployments(**common, shape_error=(
                "mw_releases is a mapping that matches no known generation of the format",
                Value(node), "make it a list of deployment entries (- namespace: ...)"))
        else:
            return Deployments(**common, top_fields=top_fields, shape_error=(
                f"{short} has no deployment_targets, so scap refuses it", Value(node),
                "add deployment_targets (the list of entries)"))
    else:
        return Deployments(**common, shape_error=(
            f"{short} is a scalar", Value(node), f"make it {_expected(short)}"))

    d = Deployments(**common, form=form, top_fields=top_fields,
                    complex_top_keys=_complex_keys(resolver, node))
    entries: List[Entry] = []
    bad: List[Tuple[int, Value, str, str]] = []
    legacy_items: List[Tuple[Value, str]] = []
    assert targets is not None  # every other shape returned above
    for i, item in enumerate(targets.value):
        ipath = f"{targets_path}[{i}]"
        via = item.start_mark.index < targets.start_mark.index
        if form == "list" and short == "mw_releases" and _one_key_legacy(resolver, item):
            legacy_items.append((Value(item.value[0][0]), ipath))
            continue
        if not is_map(item):
            bad.append((i, Value(item, ipath), ipath,
                        f"entry {i} is not a mapping"))
            continue
        fields = _fields(resolver, item, ipath, via)
        legacy = None
        if "releases" not in fields and any(k in fields for k in LEGACY_ENTRY_KEYS):
            legacy = "G3"
        entry = Entry(i, ipath, item, fields, (), legacy, via, d)
        entry.complex_keys = _complex_keys(resolver, item)
        rel = fields.get("releases")
        releases: List[Release] = []
        if rel is not None and rel.is_map:
            complex_names: List[Value] = []
            for k, v, merged in resolver.pairs(rel.node):
                if not is_scalar(k):
                    complex_names.append(Value(k))
                    continue
                name = scalar_value(k)
                rpath = f"{rel.path}.{_yaml_key(k.value)}"
                rvia = rel.via_alias or merged or v.start_mark.index < k.end_mark.index
                rfields = _fields(resolver, v, rpath, rvia) if is_map(v) else {}
                release = Release(name, k, v, rpath, rfields, entry, rvia)
                release.complex_keys = _complex_keys(resolver, v)
                releases.append(release)
            entry.complex_releases = tuple(complex_names)
        entry.releases = tuple(releases)
        entries.append(entry)
    d.entries = tuple(entries)
    d.bad_entries = tuple(bad)
    if legacy_items:
        d.legacy_shape = "G2"
        d.legacy_items = tuple(legacy_items)
    sr = top_fields.get("supervision_rules")
    if sr is not None and sr.is_seq:
        rules: List[SupervisionRule] = []
        # the rules' mappings are read lazily (MW501), with a budget of their own
        rule_resolver = Resolver(budget)
        for i, item in enumerate(sr.node.value):
            rpath = f"{sr.path}[{i}]"
            rf = _fields(resolver, item, rpath, sr.via_alias) if is_map(item) else {}
            rules.append(SupervisionRule(i, rpath, item, rf,
                                         Value(item, rpath, sr.via_alias, "", rule_resolver)))
        d.supervision_rules = tuple(rules)
    return d


def _value(node: Optional[Node]) -> Optional[Value]:
    return Value(node) if node is not None else None


def _expected(short: str) -> str:
    if short == "mw_releases":
        return "a list of deployment entries"
    if short == "mw_deployments":
        return "a mapping with deployment_targets and supervision_rules"
    return "a list of entries or a mapping with deployment_targets"


def build_hiera_file(path: str, text: str, location: Location, settings: Settings,
                     budget: int) -> HieraFile:
    """The file's model with the models of the two built-in families (the engine builds
    it family by family: :mod:`mwlint.families`). Raises :class:`BudgetExceeded` when
    alias expansion exceeds the budget."""
    models: Dict[str, object] = {}
    if location.values:
        models["mediawiki"] = tuple(build_deployments(loc, path, location, settings, budget)
                                    for loc in location.values)
    if location.services:
        # only a file with deploy-service keys pays for that model's module (start-up time)
        from mwlint.model.services import build_service_config

        walk_charged(location.services, budget)
        models["deploy-service"] = build_service_config(path, location.services,
                                                        Resolver(budget))
    return file_model(path, text, location, models)


def file_model(path: str, text: str, location: Location, models: Dict[str, object],
               charts: object = None) -> HieraFile:
    """The model of one file: its families' models (by family name) and file-level facts."""
    both = location.both_keys
    hiera = HieraFile(path, text, models,
                      tuple((Value(k), short) for k, short in location.repeated_keys),
                      (Value(both[0]), both[1]) if both is not None else None,
                      location.root, charts,
                      tuple((Value(k), known) for k, known in location.misspelt))
    if location.later_keys:
        hiera.later_keys = tuple((Value(k, short), short, n)
                                 for n, k, short in location.later_keys)
    return hiera


def walk_charged(located: Sequence[Located], budget: int) -> None:
    """Visit every node of the values, charging every alias visit against ``budget``:
    :class:`BudgetExceeded` (MW001) for an alias bomb."""
    resolver = Resolver(budget)
    for loc in located:
        if loc.value_node is not None:
            _walk(resolver, loc.value_node, loc.prefix)


__all__ = ["build_hiera_file", "build_deployments", "file_model", "walk_charged",
           "BudgetExceeded"]
