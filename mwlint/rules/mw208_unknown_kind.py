from mwlint.rules.base import Rule
from mwlint.rules.mw202_missing_mw_kind import names
from mwlint.suggest import closest


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
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("mw_kind")
                if _unknown(f, known) and namespace_value_used(e, "mw_kind"):
                    users = inheritors(e, "mw_kind")
                    who = (f"used by release{'s' if len(users) > 1 else ''} {names(users)}"
                           if users else "the namespace default")
                    yield self._finding(hiera, f, f"mw_kind {f.value!r} of namespace "
                                        f"{e.label!r} ({who})", known, (e.namespace, None))
                for r in e.releases:
                    f = r.get("mw_kind")
                    if _unknown(f, known):
                        yield self._finding(hiera, f, f"mw_kind {f.value!r} of release "
                                            f"{r.label!r}", known, (e.namespace, str(r.name)))

    def _finding(self, hiera, f, what, known, ident):
        guess = suggest_kind(f.value, known)
        hint = f"did you mean {guess!r}? " if guess else ""
        return self.at(
            hiera, f,
            f"{what} is not a known kind ({', '.join(known)}): kinds are keys into the image "
            f"build report and nothing checks them at load, so a wrong one aborts the sync "
            f"after the build; {hint}fix the spelling, or add the kind to known-kinds if the "
            f"release repository builds it",
            context=ident + ("mw_kind", f.value),
        )


def _unknown(f, known) -> bool:
    return f is not None and f.nonempty_str and f.value not in known
