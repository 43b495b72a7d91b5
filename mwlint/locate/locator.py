"""Which deployments key a document sets, in which layout.

* ``...::mw_releases`` (list form) and ``...::mw_deployments`` (mapping form) at the top
  level of a hiera file;
* a file named ``mediawiki-deployments.yaml``: scap's rendered config, the whole document is
  the value;
* hiera's ``regex.yaml`` layout: top-level labels whose mappings carry ``__regex`` hold the
  key one level down.

Also reads ``scap::k8s_deployments.clusters`` (the default cluster set) from the same file.
"""

from __future__ import annotations

import functools
import re

from yaml.nodes import Node

from mwlint.parse.resolve import Resolver, is_map, is_scalar, is_seq, scalar_value
from mwlint.source.near import KNOWN_KEYS, NEAR_MARKERS, near_key
from mwlint.source.reader import is_rendered, rendered_service_key
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple

PREFIX = "profile::kubernetes::deployment_server::mediawiki::release::"
MW_RELEASES = PREFIX + "mw_releases"
MW_DEPLOYMENTS = PREFIX + "mw_deployments"
SHORT = {MW_RELEASES: "mw_releases", MW_DEPLOYMENTS: "mw_deployments"}
K8S_DEPLOYMENTS = "scap::k8s_deployments"
# ``scap deploy-service`` (deploy-service.md §0): two keys, possibly in different files
SERVICE_PREFIX = "profile::kubernetes::deployment_server::deploy_service::"
CLUSTER_GROUPS = SERVICE_PREFIX + "cluster_groups"
SERVICE_CATALOG = SERVICE_PREFIX + "service_catalog"
SERVICE_SHORT = {CLUSTER_GROUPS: "cluster_groups", SERVICE_CATALOG: "service_catalog"}
# A key close to one of either family (MW007): see :mod:`mwlint.source.near`.
NEAR_BUDGET = 200  # keys of one document compared at most

_PLAIN_KEY = re.compile(r"^[^.\[\]\"'\s]+$")
# A key longer than this is shown clipped in a YAML path (its head, its length and a
# digest, so two long keys stay apart): a path is built for every value under the key,
# and a finding carries it into every output format (a 1 MB key referenced 600 times
# made 600 MB of JSON).
KEY_LIMIT = 200


def yaml_key(name: object) -> str:
    """A mapping key as written in a YAML path (quoted when it needs to be); a long key
    clipped (``KEY_LIMIT``)."""
    return _yaml_key(str(name))


@functools.lru_cache(maxsize=1024)  # an anchored key recurs at every alias
def _yaml_key(s: str) -> str:
    if len(s) > KEY_LIMIT:
        import hashlib  # only for an over-long key

        digest = hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        s = f"{s[:KEY_LIMIT // 2]}\u2026 ({len(s):,} characters, {digest})"
    if _PLAIN_KEY.match(s):
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Located(NamedTuple):
    full_name: str  # the hiera key, or "mediawiki-deployments"
    short_name: str  # "mw_releases" / "mw_deployments" / "mediawiki-deployments"
    key_node: Optional[Node]  # None for a rendered file
    value_node: Optional[Node]  # None for an empty rendered document
    prefix: str  # YAML path of the value


class Location(NamedTuple):
    """Everything the locator found in one document."""

    values: Tuple[Located, ...]  # the values to lint, in document order
    repeated_keys: Tuple[Tuple[Node, str], ...]  # (earlier key node, short name): MW002
    both_keys: Optional[Tuple[Node, str]]  # (second key node, prefix) when both are set
    default_clusters: Optional[Tuple[str, ...]]  # from scap::k8s_deployments.clusters
    default_clusters_node: Optional[Node]
    rendered: bool
    root: Optional[Node] = None  # the composed document (the fixer's reference counts need it)
    # the deploy-service keys (``cluster_groups``, ``service_catalog``), in document order
    services: Tuple[Located, ...] = ()
    # keys of a family in a later YAML document, which hiera never reads:
    # (document number from 2, key node, short name)
    later_keys: Tuple[Tuple[int, Node, str], ...] = ()

    # (key node, the known key it is close to): a misspelt key of either family (MW007)
    misspelt: Tuple[Tuple[Node, str], ...] = ()


LATER_SHORT = {**SHORT, **SERVICE_SHORT}


def later_keys(roots: Sequence[Node]) -> Tuple[Tuple[int, Node, str], ...]:
    """The keys of either family at the top of ``roots`` (the second and later
    documents of a file, which hiera never reads)."""
    out: List[Tuple[int, Node, str]] = []
    for n, root in enumerate(roots, 2):
        if is_map(root):
            for k, _v in root.value:
                if is_scalar(k) and k.value in LATER_SHORT:
                    out.append((n, k, LATER_SHORT[k.value]))
    return tuple(out)


def _key_start(loc: Located) -> int:
    return loc.key_node.start_mark.index if loc.key_node is not None else -1


def locate(root: Optional[Node], path: str, resolver: Resolver) -> Location:
    service_key = rendered_service_key(path)
    if service_key is not None:  # /etc/scap/cluster-groups.yaml, service-catalog.yaml
        return Location((), (), None, None, None, True, root,
                        (Located(service_key, service_key, None, root, service_key),))
    if is_rendered(path):
        value = root
        return Location(
            (Located("mediawiki-deployments", "mediawiki-deployments", None, value,
                     "mediawiki-deployments"),),
            (),
            None,
            None,
            None,
            True,
            root,
        )
    values: List[Located] = []
    repeated: List[Tuple[Node, str]] = []
    both: Optional[Tuple[Node, str]] = None
    clusters: Optional[Tuple[str, ...]] = None
    clusters_node: Optional[Node] = None
    if not is_map(root):
        return Location((), (), None, None, None, False, root)

    def scan(mapping_node: Node, label: Optional[str]) -> None:
        nonlocal both
        found: Dict[str, Located] = {}
        # Raw pairs first: the hiera key set twice in one mapping (Psych keeps the last).
        last_key: Dict[str, Node] = {}
        for k, _v in mapping_node.value:
            if is_scalar(k) and k.value in SHORT:
                if k.value in last_key:
                    repeated.append((last_key[k.value], SHORT[k.value]))
                last_key[k.value] = k
        for k, v, _ in resolver.pairs(mapping_node):
            if is_scalar(k) and k.value in SHORT:
                short = SHORT[k.value]
                prefix = f"{yaml_key(label)}.{short}" if label is not None else short
                found[k.value] = Located(k.value, short, k, v, prefix)
        located = sorted(found.values(), key=_key_start)
        if len(located) == 2:
            second = located[1].key_node
            assert second is not None  # located here by its key
            both = (second, located[1].prefix)
        values.extend(located)

    scan(root, None)
    services: List[Located] = []
    seen_service: Dict[str, Node] = {}
    for k, _v in root.value:  # a deploy-service key set twice (Psych keeps the last): MW002
        if is_scalar(k) and k.value in SERVICE_SHORT:
            if k.value in seen_service:
                repeated.append((seen_service[k.value], SERVICE_SHORT[k.value]))
            seen_service[k.value] = k
    for k, v, _ in resolver.pairs(root):
        if not is_scalar(k):
            continue
        if k.value in SERVICE_SHORT:
            short = SERVICE_SHORT[k.value]
            services.append(Located(k.value, short, k, v, short))
            continue
        if k.value == K8S_DEPLOYMENTS and is_map(v):
            c = resolver.get(v, "clusters")
            if c is not None and is_seq(c):
                names = tuple(
                    str(scalar_value(i)) for i in c.value if is_scalar(i) and scalar_value(i)
                )
                if names:
                    clusters, clusters_node = names, c
        elif is_map(v) and resolver.get(v, "__regex") is not None:
            scan(v, k.value)
    return Location(tuple(values), tuple(repeated), both, clusters, clusters_node, False,
                    root, tuple(services), misspelt=near_misses(root))


def near_misses(root: Node) -> Tuple[Tuple[Node, str], ...]:
    """The top-level keys (and those one level down in hiera's ``regex.yaml`` layout) that
    are close to a key of either family without being one: ``...::release::mw_deployment``,
    ``...::deploy_service::service_catalogue``. Only keys that hold one of the families'
    shared pieces (``NEAR_MARKERS``) are compared, at most ``NEAR_BUDGET`` per document."""
    out: List[Tuple[Node, str]] = []
    budget = [NEAR_BUDGET]

    def look(mapping: Node, depth: int) -> None:
        for k, v in mapping.value:
            if not is_scalar(k) or not isinstance(k.value, str):
                continue
            name = k.value
            if name in _KNOWN:
                continue
            if depth == 0 and is_map(v) and any(
                    is_scalar(kk) and kk.value == "__regex" for kk, _ in v.value):
                look(v, 1)
                continue
            if budget[0] <= 0 or not any(m in name for m in NEAR_MARKERS):
                continue
            budget[0] -= 1
            meant = near_key(name)
            if meant is not None:
                out.append((k, meant))

    if is_map(root):
        look(root, 0)
    return tuple(out)


_KNOWN = frozenset(KNOWN_KEYS)
