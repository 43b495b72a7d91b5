"""Hypothesis strategies for the robustness suite: deployments configs in both forms (valid
and near-valid) rendered as YAML text, and byte mutations of the real fixtures.

Profiles: ``ci`` (the default: derandomized, so CI is reproducible) and ``thorough`` (25x
the examples, random), chosen with ``HYPOTHESIS_PROFILE=thorough``. The profiles are applied
per test with :func:`examples`, so loading this module changes no other test's settings.
"""

from __future__ import annotations

import os
import re
from typing import List

import yaml
from helpers import DEPLOYMENTS_KEY, REAL, RELEASES_KEY
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
_COMMON = dict(
    deadline=None,  # the machines are shared: wall-clock deadlines only make noise
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", **_COMMON)
SCALE = 25 if PROFILE == "thorough" else 1


def examples(n: int) -> settings:
    """The active profile with ``n`` examples (``n`` x 25 under ``thorough``)."""
    name = PROFILE if PROFILE in ("ci", "thorough") else "ci"
    return settings(settings.get_profile(name), max_examples=n * SCALE)


# -- valid configs -------------------------------------------------------------------------

# YAML 1.1 reads these plain words as booleans or null: not usable as plain release names.
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
STAGES = ("testservers", "canaries", "production")
KINDS = ("image", "cli-image", "debug-image")

names = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-", max_size=8),
).filter(lambda s: s not in _YAML11_WORDS)
flavour_suffix = st.sampled_from(["", "-74", "-81", "-83", "-bookworm", "-bullseye"])
mw_flavours = flavour_suffix.map(lambda s: "publish" + s)
web_flavours = flavour_suffix.map(lambda s: "webserver" + s)


@st.composite
def releases(draw):
    out = {}
    for name in draw(st.lists(names, min_size=1, max_size=4, unique=True)):
        r = {}
        if draw(st.booleans()):
            r["stage"] = draw(st.sampled_from(STAGES))
        if draw(st.integers(0, 4)) == 0:
            r["deploy"] = draw(st.booleans())
        if draw(st.integers(0, 5)) == 0:
            r["mw_flavour"] = draw(mw_flavours)
        out[name] = r
    return out


@st.composite
def entry(draw, namespace: str, mapping_form: bool):
    e = {"namespace": namespace, "releases": draw(releases()),
         "mw_flavour": draw(mw_flavours), "web_flavour": draw(web_flavours)}
    if draw(st.integers(0, 3)) == 0:
        e["mw_kind"] = draw(st.sampled_from(KINDS))
    if draw(st.integers(0, 4)) == 0:
        e["clusters"] = draw(st.lists(st.sampled_from(["eqiad", "codfw"]), min_size=1,
                                      max_size=2, unique=True))
    if mapping_form and draw(st.booleans()):
        e["scope"] = "train"
    keys = list(e)
    order = draw(st.permutations(keys))
    return {k: e[k] for k in order}


@st.composite
def configs(draw, form=None):
    """``(form, value)``: a deployments value as Python data, valid for the Puppet type."""
    form = form or draw(st.sampled_from(["list", "mapping"]))
    spaces = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    targets = [draw(entry("mw-" + ns, form == "mapping")) for ns in spaces]
    if form == "list":
        return form, targets
    rules = [{"scope": "train", "stages": {
        "canaries": [{"logstash_check": {"threshold": draw(st.integers(1, 500))}}],
        "production": [{"logstash_check": {"threshold": draw(st.integers(1, 500))}}],
    }}]
    return form, {"deployment_targets": targets, "supervision_rules": rules}


@st.composite
def documents(draw, value_strategy=None):
    """A whole hiera file as text: the deployments key among other keys, in a random style."""
    form, value = draw(value_strategy if value_strategy is not None else configs())
    key = RELEASES_KEY if form == "list" else DEPLOYMENTS_KEY
    doc = {}
    if draw(st.booleans()):
        doc["profile::admin::groups"] = ["deployment", "restricted"]
    if draw(st.booleans()):
        doc["scap::k8s_deployments"] = {"clusters": ["eqiad", "codfw"]}
    doc[key] = value
    if draw(st.booleans()):
        doc["profile::kubernetes::deployment_server::include_admin"] = True
    style = draw(st.sampled_from([False, None, True]))
    return yaml.safe_dump(doc, default_flow_style=style, sort_keys=draw(st.booleans()),
                          indent=draw(st.sampled_from([2, 4])), width=10_000,
                          allow_unicode=True)


# -- near-valid configs --------------------------------------------------------------------

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=True),
    st.just(""), st.text(max_size=12), st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(0, 3), max_size=2),
    st.sampled_from(["false", "no", "~", "canary", "debug-image", "publish", "*", "%{::site}"]),
)
ODD_KEYS = st.one_of(
    st.sampled_from(["mw_flavor", "flavour", "stages", "debug", "release", "canary", "name",
                     "scope", "dir", "clusters", "deploy", "<<", "kind", "namespace",
                     "deployment_targets", "supervision_rules", "releases"]),
    st.text(max_size=10),
    st.integers(-3, 3), st.booleans(),
)


def _containers(value, out: List, seen=None) -> List:
    """Every dict and list inside ``value`` (the value included; shared ones once, so the
    cycles that earlier mutations may have made are fine)."""
    seen = set() if seen is None else seen
    if isinstance(value, (dict, list)) and id(value) not in seen:
        seen.add(id(value))
        out.append(value)
        children = list(value.values()) if isinstance(value, dict) else list(value)
        for v in children:
            _containers(v, out, seen)
    return out


@st.composite
def near_valid_configs(draw):
    """A valid config with one to four structural mistakes: keys removed, renamed or added,
    values of the wrong type, shared (aliased) sub-structures, or a wrong top-level shape."""
    form, value = draw(configs())
    for _ in range(draw(st.integers(1, 4))):
        spots = _containers(value, [])
        target = draw(st.sampled_from(spots))
        op = draw(st.integers(0, 6))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(list(target)))
            if op == 0:
                del target[key]
            elif op == 1:
                target[key] = draw(ODD_VALUES)
            elif op == 2:
                target[draw(ODD_KEYS)] = draw(ODD_VALUES)
            elif op == 3:  # the same object twice: yaml.dump writes an anchor and an alias
                other = draw(st.sampled_from(spots))
                if other is not target:
                    target[key] = other
            elif op == 4:
                target[draw(ODD_KEYS)] = target.pop(key)
            else:
                target[key] = draw(ODD_VALUES)
        elif isinstance(target, list) and target:
            i = draw(st.integers(0, len(target) - 1))
            if op == 0:
                del target[i]
            elif op == 1:
                target.append(draw(ODD_VALUES))
            elif op == 2:
                target.append(target[i])  # aliased entry: a duplicate namespace
            else:
                target[i] = draw(ODD_VALUES)
    if draw(st.integers(0, 15)) == 0:
        value = draw(ODD_VALUES)
    return form, value


# -- text-level hostility ------------------------------------------------------------------

MERGE_SNIPPETS = [
    "base: &base {mw_flavour: publish, web_flavour: webserver}\n",
    "dbg: &dbg {mw_kind: debug-image}\n",
]


@st.composite
def merge_documents(draw):
    """List-form documents whose entries and releases use anchors, aliases and ``<<``."""
    lines = list(MERGE_SNIPPETS) + [RELEASES_KEY + ":"]
    for i in range(draw(st.integers(1, 4))):
        ns = f"mw-{i}"
        parts = [f"namespace: {ns}"]
        merge = draw(st.sampled_from(["<<: *base", "<<: [*base, *dbg]", "<<: *dbg",
                                      "<<: {}", "<<: []", "<<: x", "<<: *base\n    <<: *dbg"]))
        where = draw(st.sampled_from(["first", "last"]))
        if draw(st.booleans()):
            parts.append("mw_flavour: publish-x")
        parts.append("web_flavour: webserver" if draw(st.booleans()) else "web_flavour: ~")
        parts.append("releases: {main: {}, canary: {<<: *dbg, stage: canaries}}"
                     if draw(st.booleans()) else "releases: {main: {stage: production}}")
        parts = [merge] + parts if where == "first" else parts + [merge]
        lines.append("  - " + "\n    ".join(parts))
    return "\n".join(lines) + "\n"


def real_fixtures() -> List[bytes]:
    out = []
    for name in sorted(os.listdir(REAL)):
        if name.endswith(".yaml"):
            with open(os.path.join(REAL, name), "rb") as f:
                out.append(f.read())
    return out


FIXTURES = real_fixtures()
_KEY_AT = [max(0, data.find(b"::mediawiki::release::mw_")) for data in FIXTURES]
INSERTS = [b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\t", b"\r", b"\r\n", b"\n", b" ",
           b"  ", b"[", b"]", b"{", b"}", b"&a ", b"*a", b"<<: *a\n", b"- ", b": ", b"'",
           b'"', b"#", b"\xef\xbb\xbf", b"!!binary ", b"!ruby/regexp ", b"%YAML 1.1\n", b"---\n",
           b"...\n", b"~", b"? ", b"|", b">-", b"\\", b"\x1b[31m", b"deploy: ", b"stage: ",
           b"releases: ", b"namespace: "]


@st.composite
def mutated_fixtures(draw):
    """A real fixture with 1 to 6 byte-level edits, mostly inside the deployments value."""
    i = draw(st.integers(0, len(FIXTURES) - 1))
    data = bytearray(FIXTURES[i])
    start = _KEY_AT[i]
    for _ in range(draw(st.integers(1, 6))):
        n = len(data)
        if n == 0:
            break
        if draw(st.integers(0, 9)) < 7 and start < n:
            pos = draw(st.integers(start, n - 1))
        else:
            pos = draw(st.integers(0, n - 1))
        op = draw(st.integers(0, 5))
        if op == 0:  # overwrite one byte
            data[pos] = draw(st.integers(0, 255))
        elif op == 1:  # insert a token
            data[pos:pos] = draw(st.sampled_from(INSERTS))
        elif op == 2:  # delete a run
            del data[pos:pos + draw(st.integers(1, 40))]
        elif op == 3:  # duplicate the line (a repeated key, usually)
            a = data.rfind(b"\n", 0, pos) + 1
            b = data.find(b"\n", pos)
            b = n if b < 0 else b + 1
            data[b:b] = data[a:b]
        elif op == 4:  # truncate
            del data[pos:]
        else:  # change the indentation of a line
            a = data.rfind(b"\n", 0, pos) + 1
            if draw(st.booleans()):
                data[a:a] = b" " * draw(st.integers(1, 3))
            elif data[a:a + 1] == b" ":
                del data[a:a + 1]
    return bytes(data)


# -- checks --------------------------------------------------------------------------------

CODE = re.compile(r"\AMW\d{3}\Z")
_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def line_count(text: str) -> int:
    """Lines as the YAML parser counts them (CR, LF, CRLF, NEL, LS and PS all break)."""
    return len(_BREAKS.findall(text)) + 1
