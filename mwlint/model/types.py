"""Immutable model objects. Every value keeps the YAML node it came from, so a rule can
point at the exact place that sets it."""

from __future__ import annotations

from yaml.nodes import Node

from mwlint.findings import Span, span_of
from mwlint.model.values import Value
from mwlint.parse.resolve import is_map, is_scalar, is_seq, scalar_value
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Tuple

if TYPE_CHECKING:  # imported when first used (start-up time): see HieraFile.migration
    from mwlint.model.migration import Migration

STAGES = ("testservers", "canaries", "production")
DEFAULT_STAGE = "production"
DEFAULT_KIND = "image"
INHERITED = ("mw_kind", "mw_flavour", "web_flavour")

DEFAULT_SCOPE = "train"  # the scope of a target without one


class Field(NamedTuple):
    """One ``key: value`` pair as written."""

    name: str
    key: Node  # key node
    node: Node  # value node
    path: str  # YAML path of the value
    via_alias: bool  # reached through an alias or a merge key

    @property
    def value(self) -> Any:
        return scalar_value(self.node)

    @property
    def span(self) -> Span:
        return span_of(self.node)

    @property
    def key_span(self) -> Span:
        return span_of(self.key)

    @property
    def is_null(self) -> bool:
        return is_scalar(self.node) and self.node.tag == "tag:yaml.org,2002:null"

    @property
    def is_str(self) -> bool:
        return is_scalar(self.node) and self.node.tag == "tag:yaml.org,2002:str"

    @property
    def is_map(self) -> bool:
        return is_map(self.node)

    @property
    def is_seq(self) -> bool:
        return is_seq(self.node)

    @property
    def nonempty_str(self) -> bool:
        return self.is_str and self.node.value != ""

    # -- the value as a rule sees it (:class:`~mwlint.model.values.Value`) ---------------
    @property
    def v(self) -> Value:
        """The value, as a :class:`Value` (kind, text, items, ``describe()``)."""
        return Value(self.node, self.path, self.via_alias)

    @property
    def kind(self) -> str:
        """``str``, ``int``, ``float``, ``bool``, ``null``, ``map``, ``seq`` or ``other``."""
        return self.v.kind

    @property
    def text(self) -> Optional[str]:
        """A scalar's text as written; ``None`` for a list or a mapping."""
        return self.node.value if is_scalar(self.node) else None

    @property
    def is_bool(self) -> bool:
        return is_scalar(self.node) and self.node.tag == "tag:yaml.org,2002:bool"

    def items(self) -> Tuple[Value, ...]:
        """The items of a list value (empty for anything else)."""
        return self.v.items()

    @property
    def size(self) -> int:
        """Items of a list or pairs of a mapping as written; 0 for a scalar."""
        return len(self.v)

    @property
    def identity(self) -> int:
        """Equal for two fields that share one written value (an anchor, a merge key)."""
        return id(self.node)

    @property
    def key_identity(self) -> int:
        """Equal for two fields reached through one written key (a merge key)."""
        return id(self.key)

    def describe(self) -> str:
        return self.v.describe()


class Effective(NamedTuple):
    """An effective value: the release key if present, else the namespace key, else the
    default. A key present with a null value does not fall back."""

    value: object
    field: Optional[Field]  # the node that sets it; None for the default
    origin: str  # "release", "namespace" or "default"


class Release:
    __slots__ = ("name", "key", "node", "path", "fields", "entry", "via_alias", "complex_keys")

    def __init__(self, name: Any, key: Node, node: Node, path: str, fields: Dict[str, Field],
                 entry: Entry, via_alias: bool) -> None:
        self.name = name  # the key as read (a str for a valid release)
        self.key = key
        self.node = node
        self.path = path
        self.fields: Dict[str, Field] = fields
        self.entry: "Entry" = entry
        self.via_alias = via_alias
        # keys of the release mapping that are not scalars (not in ``fields``), as Values
        self.complex_keys: Tuple[Value, ...] = ()

    @property
    def span(self) -> Span:
        return span_of(self.key)

    key_span = span

    @property
    def value(self) -> Value:
        """The release's value (a mapping for a valid release)."""
        return Value(self.node, self.path, self.via_alias)

    @property
    def name_value(self) -> Value:
        """The release's key as written (its name)."""
        return Value(self.key, self.path, self.via_alias)

    def get(self, name: str) -> Optional[Field]:
        return self.fields.get(name)

    def effective(self, name: str, default: object = None) -> Effective:
        f = self.fields.get(name)
        if f is not None:
            return Effective(f.value, f, "release")
        if name in INHERITED:
            f = self.entry.fields.get(name)
            if f is not None:
                return Effective(f.value, f, "namespace")
        return Effective(default, None, "default")

    @property
    def stage(self) -> Effective:
        return self.effective("stage", DEFAULT_STAGE)

    @property
    def kind(self) -> Effective:
        """Effective ``mw_kind``; the value is ``image`` when unset or null."""
        e = self.effective("mw_kind")
        if e.value is None:
            return Effective(DEFAULT_KIND, e.field, e.origin)
        return e

    @property
    def deploy(self) -> Effective:
        return self.effective("deploy", True)

    @property
    def deployable(self) -> bool:
        """scap's truthiness: the string "false" deploys, null does not."""
        return bool(self.deploy.value)

    @property
    def label(self) -> str:
        return f"{self.entry.namespace or '?'}/{self.name}"

    def __repr__(self) -> str:
        return f"<Release {self.path}>"


class Entry:
    """One deployment target (namespace level)."""

    __slots__ = ("index", "path", "node", "fields", "releases", "legacy", "via_alias",
                 "deployments", "complex_keys", "complex_releases")

    def __init__(self, index: int, path: str, node: Node, fields: Dict[str, Field],
                 releases: Tuple[Release, ...], legacy: Optional[str], via_alias: bool,
                 deployments: Deployments) -> None:
        self.index = index
        self.path = path
        self.node = node
        self.fields: Dict[str, Field] = fields
        self.releases: Tuple[Release, ...] = releases
        # "G3" for a T299648 flat entry (release/canary/name without releases), else None
        self.legacy: Optional[str] = legacy
        self.via_alias = via_alias
        self.deployments: "Deployments" = deployments
        # keys that are not scalars (``? [a] : b``), not in ``fields`` / ``releases``, as Values:
        # of the entry mapping, and of its releases mapping
        self.complex_keys: Tuple[Value, ...] = ()
        self.complex_releases: Tuple[Value, ...] = ()

    def get(self, name: str) -> Optional[Field]:
        return self.fields.get(name)

    @property
    def span(self) -> Span:
        """The entry's first key (the line of ``- namespace:``)."""
        if is_map(self.node) and self.node.value:
            return span_of(self.node.value[0][0])
        return span_of(self.node)

    key_span = span

    @property
    def namespace(self) -> Optional[str]:
        f = self.fields.get("namespace")
        if f is not None and f.is_str:
            name: str = f.node.value
            return name
        return None

    @property
    def label(self) -> str:
        return self.namespace or f"entry {self.index}"

    @property
    def has_complex_keys(self) -> bool:
        """A key of the entry, its releases map or a release is a list or a mapping."""
        return bool(self.complex_keys or self.complex_releases
                    or any(r.complex_keys for r in self.releases))

    @property
    def debug_true(self) -> bool:
        f = self.fields.get("debug")
        return f is not None and bool(f.value) and f.value != "false"

    def clusters(self) -> Optional[Tuple[str, ...]]:
        """Effective clusters: the entry's list, else the default set. ``None`` when the
        entry's ``clusters`` is not a list (scap crashes)."""
        f = self.fields.get("clusters")
        if f is None:
            return self.deployments.default_clusters
        if not f.is_seq:
            return None
        return tuple(str(scalar_value(i)) for i in f.node.value if is_scalar(i))

    @property
    def dir(self) -> Effective:
        f = self.fields.get("dir")
        if f is not None:
            return Effective(f.value, f, "namespace")
        return Effective(self.deployments.default_dir, None, "default")

    @property
    def scope(self) -> Effective:
        f = self.fields.get("scope")
        if f is not None:
            return Effective(f.value, f, "namespace")
        return Effective(DEFAULT_SCOPE, None, "default")

    def __repr__(self) -> str:
        return f"<Entry {self.path} {self.namespace}>"


class SupervisionRule:
    """One item of ``supervision_rules``; ``value`` is the item, its mappings read as scap
    reads them (merge keys resolved) through :meth:`Value.pairs`."""

    __slots__ = ("index", "path", "node", "fields", "value")

    def __init__(self, index: int, path: str, node: Node, fields: Dict[str, Field],
                 value: Value) -> None:
        self.index = index
        self.path = path
        self.node = node
        self.fields = fields
        self.value = value

    @property
    def span(self) -> Span:
        if is_map(self.node) and self.node.value:
            return span_of(self.node.value[0][0])
        return span_of(self.node)

    @property
    def key_span(self) -> Span:
        return self.span

    def get(self, name: str) -> Optional[Value]:
        """The rule's ``name`` value (mappings under it read as scap reads them)."""
        f = self.fields.get(name)
        if f is None:
            return None
        return Value(f.node, f.path, f.via_alias, "", self.value._resolver)

    def __repr__(self) -> str:
        return f"<SupervisionRule {self.path}>"


class Record(NamedTuple):
    """What scap derives: one (namespace, release, cluster) with its effective settings."""

    namespace: str
    release: str
    cluster: str
    stage: object
    deploy: bool
    kind: object
    mw_flavour: object
    web_flavour: object
    dir: object
    scope: object
    source: Release

    @property
    def values_file(self) -> str:
        return values_file_name(self.namespace, self.release, self.cluster)

    @property
    def helmfile_dir(self) -> str:
        return f"helmfile.d/{self.dir}/{self.namespace}"


def values_file_name(namespace: str, release: str, cluster: str) -> str:
    return f"{namespace}-{release}-{cluster}.yaml"


class Deployments:
    """One deployments value (``mw_releases``, ``mw_deployments`` or a rendered file)."""

    def __init__(self, **kw: Any) -> None:
        self.path: str = kw["path"]  # file path as displayed
        self.full_name: str = kw["full_name"]
        self.short_name: str = kw["short_name"]
        self.prefix: str = kw["prefix"]
        self.key_node: Optional[Node] = kw["key_node"]
        self.node: Optional[Node] = kw["node"]
        # "list" or "mapping" when the shape is understood, else None
        self.form: Optional[str] = kw.get("form")
        # MW101: (message, Value or None, help) when the value fails its shape
        # (message, the value or None, help)
        self.shape_error: Optional[Tuple[str, Optional[Value], str]] = kw.get("shape_error")
        # MW205 for the 2022 shapes: "G1"/"G2" and [(key Value, path)] per namespace / item
        self.legacy_shape: Optional[str] = kw.get("legacy_shape")
        self.legacy_items: Tuple[Tuple[Value, str], ...] = kw.get("legacy_items", ())
        self.entries: Tuple[Entry, ...] = kw.get("entries", ())
        # MW101 per entry: (index, Value, path, message)
        self.bad_entries: Tuple[Tuple[int, Value, str, str], ...] = kw.get("bad_entries", ())
        self.top_fields: Dict[str, Field] = kw.get("top_fields", {})
        self.complex_top_keys: Tuple[Value, ...] = kw.get("complex_top_keys", ())  # non-scalar top keys (Values)
        self.supervision_rules: Tuple[SupervisionRule, ...] = kw.get("supervision_rules", ())
        self.duplicates: Tuple[Tuple[Value, Value, str], ...] = kw.get("duplicates", ())  # (key Value, first key Value, path)
        self.default_clusters: Tuple[str, ...] = kw.get("default_clusters", ("eqiad", "codfw"))
        self.default_clusters_origin: str = kw.get("default_clusters_origin", "default")
        self.default_dir: str = kw.get("default_dir", "services")
        self._records: Optional[Tuple[Record, ...]] = None

    @property
    def span(self) -> Span:
        node = self.node if self.node is not None else self.key_node
        return span_of(node) if node is not None else Span(1, 1, 1, 1)

    @property
    def key_span(self) -> Span:
        return span_of(self.key_node) if self.key_node is not None else self.span

    @property
    def path_label(self) -> str:
        return self.prefix

    def releases(self) -> Iterator[Release]:
        """Every release of every modern (non-legacy) entry."""
        for e in self.entries:
            if e.legacy is None:
                yield from e.releases

    def records(self) -> Tuple[Record, ...]:
        """One record per (cluster x release), as scap expands them."""
        if self._records is None:
            out: List[Record] = []
            for e in self.entries:
                if e.legacy is not None or e.namespace is None:
                    continue
                clusters = e.clusters()
                if not clusters:
                    continue
                d = e.dir.value
                scope = e.scope.value
                for r in e.releases:
                    if not isinstance(r.name, str):
                        continue
                    stage = r.stage.value
                    deploy = r.deployable
                    kind = r.kind.value
                    mwf = r.effective("mw_flavour").value
                    wf = r.effective("web_flavour").value
                    for c in clusters:
                        out.append(Record(e.namespace, r.name, c, stage, deploy, kind, mwf,
                                          wf, d, scope, r))
            self._records = tuple(out)
        return self._records


class HieraFile:
    """The model of one linted file: the models of its configuration families, by family
    name (:mod:`mwlint.family`), and file-level facts."""

    def __init__(self, path: str, text: str, models: Dict[str, Any],
                 repeated_keys: Tuple[Tuple[Value, str], ...],
                 both_keys: Optional[Tuple[Value, str]], root: Any = None,
                 charts: Any = None,
                 misspelt_keys: Tuple[Tuple[Value, str], ...] = ()) -> None:
        self.path: str = path
        self.text: str = text
        # family name -> that family's model; a family without keys in the file is absent
        self.models: Dict[str, Any] = models
        # (earlier key Value, short name): the hiera key set twice (MW002)
        self.repeated_keys = repeated_keys
        # (second key Value, prefix): both keys in one file (MW107)
        self.both_keys = both_keys
        self.root = root  # the composed document, for the migration's reference counts
        # (key Value, the known hiera key it is close to): a misspelt key (MW007)
        self.misspelt_keys = misspelt_keys
        # the deployment-charts facts of the file's helmfiles
        # (:class:`mwlint.charts.facts.ChartsFacts`), None without deployment-charts
        self.charts = charts
        self._migration: Optional[Migration] = None
        # family keys in a later YAML document, which hiera never reads:
        # ((key as a Value, short name, document number), ...)
        self.later_keys: Tuple[Tuple[Value, str, int], ...] = ()

    @property
    def deployments(self) -> Tuple[Deployments, ...]:
        """The MediaWiki deployments values of the file (that family's model)."""
        return self.models.get("mediawiki", ())  # type: ignore[no-any-return]

    @property
    def services(self) -> Any:
        """The ``scap deploy-service`` keys of the file
        (:class:`mwlint.model.services.ServiceConfig`), None when it sets neither. (Typed
        ``Any`` while that model is rebuilt facts-only: type it as ServiceConfig then.)"""
        return self.models.get("deploy-service")

    def migration(self) -> Migration:
        """The T389499 migration of this file's ``debug`` keys
        (:class:`mwlint.model.migration.Migration`), planned entry by entry on first use."""
        if self._migration is None:
            # imported here for start-up time: only a file with debug keys ever needs it
            from mwlint.model.migration import Migration

            self._migration = Migration(self)
        return self._migration
