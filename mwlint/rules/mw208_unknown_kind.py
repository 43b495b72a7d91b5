from mwlint.rules.base import Rule
from mwlint.suggest import closest, few


def inheritors(entry, name):
    """Releases that take ``name`` from the namespace (no release-level key)."""
    return [r for r in entry.releases if name not in r.fields]


def namespace_value_used(entry, name) -> bool:
    """A namespace-level value is effective when a release inherits it, or when the entry
    has no releases to override it."""
    return not entry.releases or bool(inheritors(entry, name))


def _normal(s: str) -> str:
    return s.strip().lower().replace("_", "-").replace(" ", "-")


def suggest_kind(value: str, known) -> str:
    n = _normal(value)
    for k in known:
        if _normal(k) == n:
            return k
    for k in known:  # "debug" -> "debug-image", "cli" -> "cli-image"
        if _normal(k) in (f"{n}-image", f"image-{n}") or n.replace("-image", "") == \
                _normal(k).replace("-image", "") and n != _normal(k):
            return k
    return closest(value, known) or ""


class UnknownKind(Rule):
    code = "MW208"
    name = "unknown-kind"
    severity = "warning"
    options = ("known-kinds",)
    summary = (
        "An effective mw_kind not in known-kinds (default image, debug-image, cli-image), "
        "with did-you-mean. Reported once where the value is set, listing the releases that "
        "use it."
    )
    rationale = (
        "Kinds are opaque keys into the image build report, so neither Puppet nor scap checks "
        "them when the config loads; a misspelt kind is only found after the images are "
        "built, when scap aborts the sync before writing any values file. Only a warning: "
        "the build report check (MW403) is the authority, and a new kind is legitimate once "
        "the release repository builds it (add it to known-kinds)."
    )
    bad = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
  mw_kind: debug_image
"""
    good = """
- namespace: mw-debug
  releases:
    pinkunicorn: {stage: testservers}
  mw_kind: debug-image
"""

    def check(self, hiera, settings):
        known = tuple(getattr(settings, "known_kinds", None) or ())
        if not known:
            return
        for d in hiera.deployments:
            sites = Sites()
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("mw_kind")
                if _unknown(f, known) and namespace_value_used(e, "mw_kind"):
                    sites.add(f, f"namespace {e.label!r}", inheritors(e, "mw_kind"),
                              (e.namespace, None))
                for r in e.releases:
                    f = r.get("mw_kind")
                    if _unknown(f, known):
                        sites.add(f, f"release {r.label!r}", (), (e.namespace, str(r.name)))
            for f, what, ctx in sites:
                yield self._finding(hiera, f, what, known, ctx)

    def _finding(self, hiera, f, what, known, ident):
        guess = suggest_kind(f.value, known)
        hint = f"; did you mean {guess!r}?" if guess else f" ({', '.join(known)})"
        return self.at(
            hiera, f,
            f"{what} is not a known kind{hint}",
            context=ident + ("mw_kind", f.value),
            help="fix the spelling, or add the kind to known-kinds if the release repository "
                 "builds it",
        )


class Sites:
    """Wrong values grouped by the node that sets them: a value set once (an anchor or a
    merge key shared by several entries or releases) is reported once, at that node,
    naming everyone who uses it."""

    def __init__(self):
        self._by_node = {}

    def add(self, field, owner, users, ctx):
        """``owner`` is where the key is written ("namespace 'x'", "release 'x/y'");
        ``users`` are the releases that inherit it from a namespace."""
        site = self._by_node.get(id(field.node))
        if site is None:
            site = self._by_node[id(field.node)] = (field, [], [], ctx)
        site[1].append(owner)
        site[2].extend((str(u.label), str(u.name)) if hasattr(u, "name") else (str(u), str(u))
                       for u in users)

    def __iter__(self):
        """``(field, description, context)`` per node, in document order of discovery."""
        for field, owners, users, ctx in self._by_node.values():
            what = f"{field.name} {field.value!r} of {', '.join(owners)}"
            if len(owners) > 1:
                what += " (one value shared through an anchor or merge key)"
            if users:
                # one owner: its releases by name; several: namespace/release
                shown = [repr(name if len(owners) == 1 else label) for label, name in users]
                what += f" (release{'s' if len(users) > 1 else ''} {few(shown)})"
            elif all(o.startswith("namespace") for o in owners):
                what += " (the namespace default)"
            yield field, what, ctx


def _unknown(f, known) -> bool:
    return f is not None and f.nonempty_str and f.value not in known
