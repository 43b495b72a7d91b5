"""Steps 2-4: parser (Psych merges, aliases, tags), locator and the typed model."""

import textwrap

import pytest
from helpers import DEPLOYMENTS_KEY, RELEASES_KEY, lint, releases_doc, triples

from mwlint.locate import locate
from mwlint.model import build_hiera_file
from mwlint.parse import ParseError, Resolver, compose
from mwlint.settings import Settings


def model(text, path="k.yaml", **settings):
    text = textwrap.dedent(text)
    root = compose(text)
    loc = locate(root, path, Resolver())
    return build_hiera_file(path, text, loc, Settings(**settings), 10_000)


ENTRY = """
- namespace: mw-web
  releases:
    main: {}
    canary: {stage: canaries, mw_flavour: publish-next}
    nulled: {mw_kind: ~, web_flavour: webserver-x}
  mw_kind: debug-image
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""


def test_effective_values_release_then_namespace_then_default():
    d = model(releases_doc(ENTRY)).deployments[0]
    main, canary, nulled = d.entries[0].releases
    assert main.kind.value == "debug-image" and main.kind.origin == "namespace"
    assert main.stage.value == "production" and main.stage.origin == "default"
    assert canary.stage.value == "canaries" and canary.stage.origin == "release"
    assert canary.effective("mw_flavour").value == "publish-next"
    assert main.effective("mw_flavour").value == "publish-83"
    # present null does NOT fall back: kind image, not the namespace's debug-image
    assert nulled.kind.value == "image" and nulled.kind.origin == "release"
    assert nulled.effective("web_flavour").value == "webserver-x"
    assert main.deployable


def test_records_one_per_cluster_and_release_with_values_files():
    d = model(releases_doc(ENTRY)).deployments[0]
    recs = d.records()
    assert len(recs) == 6
    assert recs[0].values_file == "mw-web-main-eqiad.yaml"
    assert recs[0].helmfile_dir == "helmfile.d/services/mw-web"
    assert {r.cluster for r in recs} == {"eqiad", "codfw"}


def test_default_clusters_from_scap_k8s_deployments():
    text = releases_doc(ENTRY) + "scap::k8s_deployments:\n  clusters: [traindev]\n"
    d = model(text).deployments[0]
    assert d.default_clusters == ("traindev",)
    assert d.default_clusters_origin == "scap::k8s_deployments.clusters"
    assert {r.cluster for r in d.records()} == {"traindev"}
    d = model(text, default_clusters=("a",)).deployments[0]
    assert d.default_clusters == ("a",)


def test_explicit_clusters_replace_default_and_dir():
    text = releases_doc("""
        - namespace: dumps
          dir: dse-k8s-services
          clusters: [dse-k8s-eqiad]
          releases: {production: {deploy: false}}
          mw_flavour: publish
          web_flavour: webserver
    """)
    d = model(text).deployments[0]
    (rec,) = d.records()
    assert rec.cluster == "dse-k8s-eqiad" and rec.helmfile_dir == "helmfile.d/dse-k8s-services/dumps"
    assert rec.deploy is False


def test_deploy_truthiness_is_scaps():
    text = releases_doc("""
        - namespace: a
          releases: {s: {deploy: "false"}, n: {deploy: ~}, f: {deploy: no}}
          mw_flavour: publish
          web_flavour: webserver
    """)
    s, n, f = model(text).deployments[0].entries[0].releases
    assert s.deployable and not n.deployable and not f.deployable


def test_psych_merge_in_document_order():
    text = """
    dbg: &dbg {mw_kind: debug-image, mw_flavour: publish-dbg}
    %s:
      - namespace: a
        releases:
          after: {mw_kind: image, <<: *dbg}
          before: {<<: *dbg, mw_kind: image}
        mw_flavour: publish
        web_flavour: webserver
    """ % RELEASES_KEY
    after, before = model(text).deployments[0].entries[0].releases
    assert after.kind.value == "debug-image"  # the later << overrides (Psych, not PyYAML)
    assert before.kind.value == "image"
    assert after.get("mw_kind").via_alias and not before.get("mw_kind").via_alias


def test_merge_sequence_first_wins():
    text = """
    a: &a {mw_kind: from-a}
    b: &b {mw_kind: from-b, stage: canaries}
    %s:
      - namespace: x
        releases:
          r: {<<: [*a, *b]}
        mw_flavour: publish
        web_flavour: webserver
    """ % RELEASES_KEY
    (r,) = model(text).deployments[0].entries[0].releases
    assert r.kind.value == "from-a" and r.stage.value == "canaries"


def test_unknown_tags_are_tolerated():
    text = releases_doc("""
        - namespace: !vault mw-web
          releases: {main: {}}
          mw_flavour: !ruby/string publish
          web_flavour: webserver
    """) + "x: !ruby/regexp /^a$/\n"
    hiera = model(text)
    assert hiera.deployments[0].entries[0].fields["namespace"].value == "mw-web"


def test_syntax_error_position():
    with pytest.raises(ParseError) as e:
        compose("a: [b, c\nd: e\n")
    assert e.value.line == 2


@pytest.mark.parametrize("text,code,line,col", [
    (RELEASES_KEY + ":\n  - namespace: [\n", "MW001", 3, 1),
    (RELEASES_KEY + ": &x [*x]\n", "MW001", 1, 74),
])
def test_parse_failures_are_mw001(text, code, line, col):
    assert triples(lint(text)) == [(code, line, col)]


def test_alias_bomb_is_mw001_not_a_hang():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "\n".join(lines) + f"\n{RELEASES_KEY}: [*a8]\n"
    (f,) = lint(text)
    assert f.code == "MW001" and "budget" in f.message


def test_alias_bomb_outside_the_value_is_ignored():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "\n".join(lines) + "\n" + releases_doc("""
        - namespace: a
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
    """)
    assert lint(text) == []


def test_recursive_merge_is_mw001():
    text = RELEASES_KEY + ":\n  - &e {namespace: a, <<: *e}\n"
    fs = lint(text)
    assert [f.code for f in fs] == ["MW001"]


def test_regex_yaml_layout():
    text = textwrap.dedent("""
    deploy:
      __regex: !ruby/regexp /^deploy1/
      %s:
        - namespace: a
          releases: {main: {stagex: 1}}
          mw_flavour: publish
          web_flavour: webserver
    """ % RELEASES_KEY)
    fs = lint(text, path="hieradata/regex.yaml")
    assert [(f.code, f.yaml_path) for f in fs] == [
        ("MW103", "deploy.mw_releases[0].releases.main.stagex")]


def test_rendered_file_whole_document_is_the_value():
    text = "- namespace: a\n  releases: {main: {}}\n  mw_flavour: publish\n"
    fs = lint(text, path="etc/mediawiki-deployments.yaml")
    assert [(f.code, f.yaml_path) for f in fs] == [("MW102", "mediawiki-deployments[0]")]


def test_empty_rendered_file_is_mw101_and_empty_hiera_nothing():
    assert [f.code for f in lint("", path="mediawiki-deployments.yaml")] == ["MW101"]
    assert lint("", path="kubernetes.yaml") == []
    assert lint("# only a comment\n", path="kubernetes.yaml") == []


def test_key_twice_is_mw002_at_first_and_last_value_linted():
    text = (RELEASES_KEY + ":\n  - namespace: a\n    releases: {main: {}}\n"
            "    mw_flavour: publish\n    web_flavour: webserver\n"
            + RELEASES_KEY + ":\n  - namespace: b\n")
    fs = lint(text)
    assert [(f.code, f.line, f.column) for f in fs] == [("MW002", 1, 1), ("MW102", 7, 5)]


def test_both_keys_mw107_at_second_and_both_linted():
    text = (RELEASES_KEY + ":\n  - namespace: a\n"
            + DEPLOYMENTS_KEY + ":\n  deployment_targets:\n    - namespace: b\n"
            "  supervision_rules: []\n")
    fs = lint(text)
    got = [(f.code, f.line, f.column) for f in fs]
    assert ("MW107", 3, 1) in got
    assert ("MW102", 2, 5) in got and ("MW102", 5, 7) in got


def test_via_alias_for_anchors_defined_elsewhere():
    text = """
    common: &rel {stage: canaries}
    %s:
      - namespace: a
        releases:
          canary: *rel
          main: {}
        mw_flavour: publish
        web_flavour: webserver
    """ % RELEASES_KEY
    canary, main = model(text).deployments[0].entries[0].releases
    assert canary.via_alias and not main.via_alias
    assert canary.stage.value == "canaries"


def test_legacy_shapes_are_recognised():
    g1 = model(RELEASES_KEY + ":\n  mwdebug: {name: pinkunicorn, mw_flavour: p, web_flavour: w}\n")
    assert g1.deployments[0].legacy_shape == "G1"
    g2 = model(RELEASES_KEY + ":\n  - mwdebug: {name: pinkunicorn, mw_flavour: p}\n")
    assert g2.deployments[0].legacy_shape == "G2"
    g3 = model(RELEASES_KEY + ":\n  - {namespace: a, release: main, canary: ~, mw_flavour: p, web_flavour: w}\n")
    assert g3.deployments[0].entries[0].legacy == "G3"


@pytest.mark.parametrize("nest", [
    "[" * 100_000 + "]" * 100_000,
    "{a: " * 100_000 + "}" * 100_000,
    "\n" + "- " * 100_000 + "x",
])
def test_100k_nesting_is_mw001_quickly(nest):
    import time

    t = time.perf_counter()
    fs = lint(RELEASES_KEY + ": " + nest + "\n")
    assert [f.code for f in fs] == ["MW001"]
    assert time.perf_counter() - t < 5


def test_150_levels_of_block_nesting_inside_limits_do_not_recurse():
    text = RELEASES_KEY + ":\n" + "- " * 150 + "x\n"
    assert [f.code for f in lint(text)] == ["MW101"]


@pytest.mark.parametrize("prefix", ["", "é: ü\n"])
def test_control_character_is_mw001_at_its_position(prefix):
    text = prefix + RELEASES_KEY + ": [a\x07]\n"
    (f,) = lint(text)
    line = 1 + prefix.count("\n")
    assert (f.code, f.line, f.column) == ("MW001", line, 76)
    assert "U+0007" in f.message


# --- values: what rules read instead of parser nodes -----------------------------------
VALUES_DOC = RELEASES_KEY + """:
  - namespace: mw-web
    releases: {main: {}, b: {deploy: yes}}
    clusters: [eqiad, 3, ~]
    mw_flavour: publish
    web_flavour: webserver
    debug: 0x1f
"""


@pytest.mark.parametrize("name,kind,text,value,described", [
    ("namespace", "str", "mw-web", "mw-web", "the string 'mw-web'"),
    ("debug", "int", "0x1f", 31, "the integer 0x1f"),
    ("clusters", "seq", None, None, "a list"),
    ("releases", "map", None, None, "a mapping"),
])
def test_a_field_is_a_value_with_kind_text_and_description(name, kind, text, value,
                                                            described):
    e = model(VALUES_DOC).deployments[0].entries[0]
    f = e.get(name)
    assert (f.kind, f.text, f.value, f.describe()) == (kind, text, value, described)
    assert f.v.span == f.span and f.v.path == f.path


def test_list_items_are_values_with_their_paths_and_spans():
    f = model(VALUES_DOC).deployments[0].entries[0].get("clusters")
    items = f.items()
    assert [(i.kind, i.text, i.path, i.span.line) for i in items] == [
        ("str", "eqiad", f"{f.path}[0]", 4), ("int", "3", f"{f.path}[1]", 4),
        ("null", "~", f"{f.path}[2]", 4)]
    assert f.size == 3 and [i.describe() for i in items] == [
        "the string 'eqiad'", "the integer 3", "null"]


def test_a_release_shows_its_name_and_value_as_values():
    r = model(VALUES_DOC).deployments[0].entries[0].releases[1]
    assert (r.name_value.kind, r.name_value.text, r.value.kind) == ("str", "b", "map")
    assert r.get("deploy").is_bool and r.get("deploy").describe() == "the boolean yes"


def test_supervision_rules_are_read_with_merge_keys_resolved():
    text = DEPLOYMENTS_KEY + """:
  deployment_targets: []
  supervision_rules:
    - scope: train
      stages:
        <<: {canaries: [{commands: [a]}]}
        production: []
"""
    rule = model(text).deployments[0].supervision_rules[0]
    assert rule.value.kind == "map"
    pairs = rule.get("stages").pairs()
    assert [(k.text, v.kind, v.via_alias) for k, v in pairs] == [
        ("canaries", "seq", True), ("production", "seq", False)]


@pytest.mark.parametrize("value,expected", [
    ("short", "'short'"),
    ("x" * 40, repr("x" * 40)),
    ("x" * 41, "'" + "x" * 30 + "\u2026' (41 characters)"),
    ("0x" + "f" * 3600, "'0x" + "f" * 28 + "\u2026' (3,602 characters)"),
    (3, "3"),
    (None, "None"),
])
def test_quote_clips_long_values(value, expected):
    from mwlint.model import quote

    assert quote(value) == expected


def test_no_message_quotes_a_3600_digit_value():
    big = "0x" + "f" * 3600
    text = releases_doc(f"""
        - namespace: mw-web
          releases:
            main: {{deploy: {big}}}
            b: {{stage: {big}}}
          clusters: [{big}]
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: {big}
        """)
    findings = lint(text)
    assert {f.code for f in findings} >= {"MW104", "MW105"}
    for f in findings:
        assert len(f.message) < 300, (f.code, f.message[:120])
        assert "(3,602 characters)" in f.message, (f.code, f.message[:120])


def test_migration_without_the_document_still_sees_shared_nodes():
    """A model built without its document plans over the deployments values: a releases
    map shared through an anchor is still refused (the planner once counted references
    inside the Python list of values, i.e. none, and would have edited the shared map)."""
    text = releases_doc("""
        - namespace: mw-debug
          releases: &rels
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        - namespace: mw-misc
          releases: *rels
          mw_flavour: publish
          web_flavour: webserver
        """)
    root = compose(text)
    loc = locate(root, "k.yaml", Resolver())
    for document in (root, None):
        hiera = build_hiera_file("k.yaml", text, loc._replace(root=document), Settings(),
                                 10_000)
        entry = hiera.deployments[0].entries[0]
        plan = hiera.migration().of(entry)
        assert plan.fix is None
        assert [s.path for s in plan.skipped] == ["mw_releases[0].debug"]
        assert "shared through an anchor" in plan.skipped[0].reason
