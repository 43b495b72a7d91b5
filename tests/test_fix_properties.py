"""Property tests of ``--fix`` (hypothesis, in-process) on generated ``releases``-map configs
in many layouts: block and flow releases, quoting, key orders, comments, blank lines, CRLF,
list and mapping forms.

For every generated config:

* the fixed text parses, and fixing it again changes nothing (idempotent);
* its value equals the *intended* one, computed here independently from the generator's
  description (the recipe of deployments-config.md §3.2) and read back with PyYAML;
* no byte outside the edited spans changes, and every comment not on a removed ``debug``
  line survives;
* no MW201 is left except where the recipe leaves the decision to a person, and MW201's
  ``fixable`` flag is true exactly for the keys the fixer rewrites.
"""

import yaml
from helpers import DEPLOYMENTS_KEY, KEY_PATH, RELEASES_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mwlint.engine import lint_text, load_model
from mwlint.findings import Finding
from mwlint.fix import fix_text
from mwlint.settings import Settings

# value as written -> Python value (YAML 1.1, as PyYAML and Psych read it)
DEBUG = {"true": True, "false": False, "~": None, "yes": True, "no": False, '"true"': "true"}
KIND = {"debug-image": "debug-image", "cli-image": "cli-image", "image": "image", "~": None}
STAGE = ["testservers", "canaries", "production"]


@st.composite
def release(draw, name):
    fields = []
    if draw(st.booleans()):
        fields.append(("stage", draw(st.sampled_from(STAGE))))
    if draw(st.integers(0, 3)) == 0:
        fields.append(("mw_kind", draw(st.sampled_from(sorted(KIND)))))
    if draw(st.booleans()):
        fields.append(("deploy", draw(st.sampled_from(["true", "false"]))))
    if draw(st.booleans()):
        fields.append(("mw_flavour", "publish-81"))
    fields = draw(st.permutations(fields))
    layout = draw(st.sampled_from(["flow", "block"])) if fields else "flow"
    return {"name": name, "fields": fields, "layout": layout,
            "comment": draw(st.booleans())}


@st.composite
def entry(draw, index):
    n = draw(st.integers(0, 3))
    releases = [draw(release(f"r{i}")) for i in range(n)]
    keys = ["namespace", "releases", "mw_flavour", "web_flavour"]
    ns_kind = draw(st.sampled_from([None, None, "debug-image", "cli-image", "~"]))
    if ns_kind is not None:
        keys.append("mw_kind")
    debug = draw(st.sampled_from([None, "true", "true", "false", "~", "yes", "no", '"true"']))
    if debug is not None:
        keys.append("debug")
    return {
        "namespace": f"ns-{index}",
        "releases": releases,
        "ns_kind": ns_kind,
        "debug": debug,
        "order": draw(st.permutations(keys)),
        "quote": draw(st.sampled_from(["", '"'])),
        "comments": draw(st.lists(st.booleans(), min_size=8, max_size=8)),
        "blank_before": draw(st.booleans()),
    }


@st.composite
def config(draw):
    entries = [draw(entry(i)) for i in range(draw(st.integers(1, 4)))]
    return {"entries": entries, "form": draw(st.sampled_from(["list", "mapping"])),
            "crlf": draw(st.integers(0, 4)) == 0}


def render(cfg):
    """The YAML text of a generated config."""
    comment_no = [0]

    def comment(on):
        if not on:
            return ""
        comment_no[0] += 1
        return f"  # note {comment_no[0]}"

    lines = ["# header: the deployments of MediaWiki"]
    if cfg["form"] == "list":
        lines.append(RELEASES_KEY + ":")
        dash, ind = "  - ", "    "
    else:
        lines += [DEPLOYMENTS_KEY + ":", "  deployment_targets:"]
        dash, ind = "    - ", "      "
    for e in cfg["entries"]:
        if e["blank_before"]:
            lines.append("")
        q = e["quote"]
        c = iter(e["comments"])
        body = []
        for key in e["order"]:
            if key == "namespace":
                body.append(f"namespace: {e['namespace']}{comment(next(c))}")
            elif key == "mw_flavour":
                body.append(f"mw_flavour: {q}publish{q}{comment(next(c))}")
            elif key == "web_flavour":
                body.append(f"web_flavour: {q}webserver{q}{comment(next(c))}")
            elif key == "mw_kind":
                body.append(f"mw_kind: {e['ns_kind']}")
            elif key == "debug":
                body.append(f"debug: {e['debug']}{comment(next(c))}")
            elif key == "releases":
                if not e["releases"]:
                    body.append("releases: {}")
                    continue
                body.append("releases:")
                for r in e["releases"]:
                    tail = comment(r["comment"])
                    if r["layout"] == "flow":
                        inner = ", ".join(f"{k}: {v}" for k, v in r["fields"])
                        body.append(f"  {r['name']}: {{{inner}}}{tail}")
                    else:
                        body.append(f"  {r['name']}:{tail}")
                        body += [f"    {k}: {v}" for k, v in r["fields"]]
        lines.append(dash + body[0])
        lines += [ind + b for b in body[1:]]
    if cfg["form"] == "mapping":
        lines += ["  supervision_rules:", "    - scope: train", "      stages: {}"]
    lines.append("other::key: {debug: true}  # not ours")
    nl = "\r\n" if cfg["crlf"] else "\n"
    return nl.join(lines) + nl


def plain(v):
    return {"true": True, "false": False}.get(v, v)


def original_value(e):
    """The entry as PyYAML reads it."""
    out = {"namespace": e["namespace"], "mw_flavour": "publish", "web_flavour": "webserver",
           "releases": {r["name"]: {k: (KIND[v] if k == "mw_kind" else plain(v))
                                    for k, v in r["fields"]} for r in e["releases"]}}
    if e["ns_kind"] is not None:
        out["mw_kind"] = KIND[e["ns_kind"]]
    if e["debug"] is not None:
        out["debug"] = DEBUG[e["debug"]]
    return out


def left_to_a_person(e):
    """The recipe's exceptions (deployments-config.md §3.2): no faithful translation."""
    d = e["debug"]
    if d is None or d in ("false", "~", "no"):
        return False
    if d == '"true"':  # not a boolean
        return True
    if e["ns_kind"] == "cli-image":
        return True
    # a release that says stage: canaries: dropped before April 2025, testservers after
    return any((k == "mw_kind" and v in ("cli-image", "image"))
               or (k == "stage" and v == "canaries")
               for r in e["releases"] for k, v in r["fields"])


def intended_value(e):
    """The recipe applied to one entry, computed from its description."""
    out = original_value(e)
    d = e["debug"]
    if d is None or left_to_a_person(e):
        return out
    del out["debug"]
    if DEBUG[d] is True:
        if out.get("mw_kind") is None:
            out["mw_kind"] = "debug-image"
        for rel in out["releases"].values():
            if rel.get("deploy", True) and "stage" not in rel:
                rel["stage"] = "testservers"
    return out


def value_of(text, form):
    doc = yaml.safe_load(text)
    if form == "list":
        return doc[RELEASES_KEY]
    return doc[DEPLOYMENTS_KEY]["deployment_targets"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config())
def test_fix_properties(cfg):
    text = render(cfg)
    # the generator is right about the original
    assert value_of(text, cfg["form"]) == [original_value(e) for e in cfg["entries"]]

    result = fix_text(text, KEY_PATH)
    assert result.error is None
    fixed = result.fixed

    # MW201 promises a fix exactly where the fixer makes one
    done = {f.yaml_path for f in result.repaired if f.code == "MW201"}
    for f in lint_text(text, KEY_PATH):
        if f.code == "MW201":
            assert f.fixable == (f.yaml_path in done), f.yaml_path

    # parses, and equals the intended value; the rest of the document is untouched
    assert not isinstance(load_model(fixed, KEY_PATH, Settings()), (Finding, type(None)))
    assert value_of(fixed, cfg["form"]) == [intended_value(e) for e in cfg["entries"]]
    assert yaml.safe_load(fixed)["other::key"] == {"debug": True}

    # idempotent
    assert fix_text(fixed, KEY_PATH).fixed == fixed

    # no byte outside the edited spans changes
    pos, npos = 0, 0
    for e in result.edits:
        seg = text[pos:e.start.offset]
        assert fixed[npos:npos + len(seg)] == seg
        npos += len(seg)
        assert fixed[npos:npos + len(e.content)] == e.content
        npos += len(e.content)
        pos = e.end.offset
    assert fixed[npos:] == text[pos:]
    # edits only ever touch debug pairs, mw_kind values and release mappings
    for e in result.edits:
        removed = text[e.start.offset:e.end.offset]
        assert "namespace" not in removed and "flavour" not in removed

    # comments survive (the one on a removed debug line may go with it); none is added
    def comments(t, skip_debug=False):
        return [line[line.index("#"):].strip() for line in t.splitlines()
                if "#" in line and not (skip_debug and "debug:" in line)]
    after = iter(comments(fixed))
    assert all(c in after for c in comments(text, skip_debug=True))  # in order
    assert set(comments(fixed)) <= set(comments(text))

    # what is left: MW201 only where a person decides
    left = {f.yaml_path for f in lint_text(fixed, KEY_PATH) if f.code == "MW201"}
    prefix = "mw_releases" if cfg["form"] == "list" else "mw_deployments.deployment_targets"
    expected = {f"{prefix}[{i}].debug" for i, e in enumerate(cfg["entries"])
                if e["debug"] is not None and left_to_a_person(e)}
    assert left == expected
