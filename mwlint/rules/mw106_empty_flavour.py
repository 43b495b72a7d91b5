from mwlint.model.schema import FLAVOUR_KEYS
from mwlint.rules.base import Rule


class EmptyFlavour(Rule):
    code = "MW106"
    name = "empty-flavour"
    severity = "error"
    summary = (
        "The effective mw_flavour or web_flavour of a release is empty or null, including a "
        "release-level `~` that does not fall back to the namespace's value."
    )
    rationale = (
        "scap takes a release-level key whenever it is present, even when null: it does not "
        "fall back to the namespace. The release then has no flavour and scap aborts the "
        "sync (E4/E5: 'has no mw_flavour set')."
    )
    bad = """
- namespace: mw-web
  releases:
    main: {mw_flavour: ~}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
- namespace: mw-web
  releases:
    main: {}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check(self, hiera, settings):
        for d in hiera.deployments:
            for e in d.entries:
                for name in FLAVOUR_KEYS:
                    f = e.get(name)
                    if f is not None and _empty(f):
                        users = [str(r.name) for r in e.releases if name not in r.fields]
                        who = (f"releases {', '.join(users)} inherit it" if users else
                               "every release overrides it, but Puppet requires a value here")
                        yield self.at(
                            hiera, f,
                            f"{name} of {e.label!r} is {_what(f)}: {who}, and scap aborts the "
                            f"sync when a release has no {name}; set the flavour "
                            f"(e.g. {_example(name)})",
                            context=(e.namespace, None, name, str(f.value)),
                        )
                if e.legacy is not None:
                    continue
                for r in e.releases:
                    for name in FLAVOUR_KEYS:
                        f = r.get(name)
                        if f is None or not _empty(f):
                            continue
                        ns_f = e.get(name)
                        fallback = ""
                        if ns_f is not None and ns_f.nonempty_str:
                            fallback = (f" (a release-level value does not fall back to the "
                                        f"namespace's {ns_f.value!r})")
                        yield self.at(
                            hiera, f,
                            f"{name} of release {r.label!r} is {_what(f)}{fallback}: scap "
                            f"aborts the sync because the release has no {name}; delete the "
                            f"key to inherit the namespace's, or set a flavour",
                            context=(e.namespace, r.name, name, str(f.value)),
                        )


def _empty(f) -> bool:
    return f.is_null or (f.is_str and f.node.value.strip() == "")


def _what(f) -> str:
    return "null" if f.is_null else "empty"


def _example(name: str) -> str:
    return "publish-83" if name == "mw_flavour" else "webserver-bookworm"
