"""Table-driven tests for MW0xx (input) and MW1xx (shape and types): a bad and a good
snippet per rule, with code, line and column asserted."""

import pytest
from helpers import DEPLOYMENTS_KEY, RELEASES_KEY, lint, releases_doc, triples

SHARED = "profile::kubernetes::deployment_server::"
GOOD_ENTRY = """
- namespace: mw-web
  releases:
    main: {}
    canary: {stage: canaries}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

# (id, document, code prefix to look at, expected (code, line, column) list)
CASES = [
    ("good list form", releases_doc(GOOD_ENTRY), "MW", []),
    ("good mapping form", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      scope: train
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
  supervision_rules: []
""", "MW1", []),
    # MW002
    ("duplicate release", releases_doc("""
- namespace: mw-web
  releases:
    main: {}
    main: {stage: canaries}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW002", [("MW002", 5, 7)]),
    ("duplicate entry key", releases_doc("""
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish
  web_flavour: webserver
  mw_flavour: publish-83
"""), "MW002", [("MW002", 6, 5)]),
    ("quoted and plain key differ by type", releases_doc("""
- namespace: mw-web
  releases: {"15": {}, 15: {}}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW002", []),
    # MW101
    ("mw_releases mapping", RELEASES_KEY + ":\n  namespace: mw-web\n", "MW1", [("MW101", 2, 3)]),
    ("mw_releases scalar", RELEASES_KEY + ": mw-web\n", "MW1", [("MW101", 1, 74)]),
    ("mw_releases null", RELEASES_KEY + ":\n", "MW1", [("MW101", 1, 73)]),
    ("mw_deployments list", DEPLOYMENTS_KEY + ":\n  - namespace: mw-web\n", "MW1",
     [("MW101", 2, 3)]),
    ("mw_deployments without targets", DEPLOYMENTS_KEY + ":\n  supervision_rules: []\n", "MW1",
     [("MW101", 2, 3)]),
    ("mw_deployments targets not a list", DEPLOYMENTS_KEY
     + ":\n  deployment_targets: {a: 1}\n  supervision_rules: []\n", "MW1", [("MW101", 2, 23)]),
    ("entry not a mapping", releases_doc("- mw-web\n" + GOOD_ENTRY), "MW1", [("MW101", 2, 5)]),
    # MW102
    ("missing web_flavour", releases_doc("""
- namespace: mw-misc
  releases: {main: {web_flavour: webserver}}
  mw_flavour: publish
"""), "MW1", [("MW102", 2, 5)]),
    ("missing namespace and releases", releases_doc("""
- mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW102", 2, 5)]),
    ("missing supervision_rules", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
""", "MW1", [("MW102", 2, 3)]),
    # MW103
    ("misspelt entry key", releases_doc(GOOD_ENTRY + "  cluster_dir: dse\n"), "MW103",
     [("MW103", 8, 5)]),
    ("stages on a release", releases_doc("""
- namespace: mw-web
  releases:
    canary: {stages: canaries}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW103", [("MW103", 4, 16)]),
    ("stage on an entry", releases_doc(GOOD_ENTRY + "  stage: canaries\n"), "MW103",
     [("MW103", 8, 5)]),
    ("debug and legacy keys are not MW103", releases_doc(GOOD_ENTRY + "  debug: false\n"),
     "MW103", []),
    ("scope allowed in mapping form", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      scope: train
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
  supervision_rules: []
  extra_top: 1
""", "MW103", [("MW103", 9, 3)]),
    ("complex key on an entry", releases_doc(GOOD_ENTRY + "  ? [dir]\n  : dse\n"), "MW1",
     [("MW103", 8, 7)]),
    ("complex key on a release", releases_doc("""
- namespace: mw-web
  releases:
    main: {? {stage: canaries} : x}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW103", 4, 16)]),
    ("complex key at the top of mw_deployments", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
  supervision_rules: []
  ? [supervision_rules]
  : []
""", "MW1", [("MW103", 8, 5)]),
    ("quoted key that looks like a list is a plain unknown key", releases_doc(
        GOOD_ENTRY + '  "[dir]": dse\n'), "MW1", [("MW103", 8, 5)]),
    # MW104
    ("complex release names, list form", releases_doc("""
- namespace: mw-web
  releases:
    ? [main]
    : {}
    ? {a: b}
    : {stage: canary}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 4, 9), ("MW104", 6, 9)]),
    ("complex release name, mapping form", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      releases: {main: {}, ? [canary] : {}}
      mw_flavour: publish
      web_flavour: webserver
  supervision_rules: []
""", "MW1", [("MW104", 4, 30)]),
    ("release name that looks like a list, quoted, is a string", releases_doc("""
- namespace: mw-web
  releases:
    "[main]": {}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW104", []),
    ("release null", releases_doc("""
- namespace: mw-web
  releases:
    main:
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 4, 7)]),
    ("deploy string", releases_doc("""
- namespace: mw-web
  releases:
    main: {deploy: "false"}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 4, 22)]),
    ("deploy null", releases_doc("""
- namespace: mw-web
  releases:
    main: {deploy: ~}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 4, 22)]),
    ("deploy yes is a boolean", releases_doc("""
- namespace: mw-web
  releases:
    main: {deploy: no}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", []),
    ("release name boolean", releases_doc("""
- namespace: mw-web
  releases:
    no: {}
    123: {}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 4, 7), ("MW104", 5, 7)]),
    ("releases a list", releases_doc("""
- namespace: mw-web
  releases: [main]
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 3, 15)]),
    ("clusters null and bad items", releases_doc("""
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish
  web_flavour: webserver
  clusters: ~
- namespace: mw-api
  releases: {main: {}}
  mw_flavour: publish
  web_flavour: webserver
  clusters: [eqiad, "", 3]
"""), "MW1", [("MW104", 6, 15), ("MW104", 11, 23), ("MW104", 11, 27)]),
    ("namespace not a string", releases_doc("""
- namespace: 42
  releases: {main: {}}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW104", 2, 16)]),
    ("mw_kind null is allowed", releases_doc("""
- namespace: mw-web
  releases: {main: {mw_kind: ~}}
  mw_kind: ~
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", []),
    ("scope in list form is MW503 only", releases_doc(GOOD_ENTRY + "  scope: ~\n"), "MW", [
        ("MW503", 8, 5)]),
    ("scope null in mapping form", DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      scope: ~
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
  supervision_rules: []
""", "MW104", [("MW104", 4, 14)]),
    # MW105
    ("stage canary", releases_doc("""
- namespace: mw-web
  releases:
    canary: {stage: canary}
    p: {stage: Production}
    n: {stage: ~}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW105", 4, 23), ("MW105", 5, 18), ("MW105", 6, 18)]),
    # MW106
    ("release-level null flavour does not fall back", releases_doc("""
- namespace: mw-web
  releases:
    main: {mw_flavour: ~}
    other: {web_flavour: ""}
  mw_flavour: publish
  web_flavour: webserver
"""), "MW1", [("MW106", 4, 26), ("MW106", 5, 28)]),
    ("namespace-level empty flavour reported once", releases_doc("""
- namespace: mw-web
  releases: {main: {}, canary: {stage: canaries}}
  mw_flavour: ""
  web_flavour: webserver
"""), "MW1", [("MW106", 4, 17)]),
    # MW007: a key close to one of either family, at the key
    ("misspelt mw_deployments", SHARED + "mediawiki::release::mw_deployment:\n  a: {}\n",
     "MW007", [("MW007", 1, 1)]),
    ("misspelt releases piece", "x: 1\n" + SHARED + "mediawiki::releases::mw_deployments: {}\n",
     "MW007", [("MW007", 2, 1)]),
    ("misspelt service_catalog", SHARED + "deploy_service::service_catalogue: {}\n", "MW007",
     [("MW007", 1, 1)]),
    ("misspelt cluster_groups", SHARED + "deploy_service::cluster_group: {}\n", "MW007",
     [("MW007", 1, 1)]),
    ("misspelt key beside a right one", releases_doc(GOOD_ENTRY)
     + SHARED + "mediawiki::release::mw_relases: []\n", "MW007", [("MW007", 8, 1)]),
    ("misspelt key in a regex.yaml label", "web:\n  __regex: x\n  " + SHARED
     + "mediawiki::release::mw_deploymens: {}\n", "MW007", [("MW007", 3, 3)]),
    ("other deployment_server parameters", "".join(
        f"{SHARED}{k}: 1\n" for k in ("services", "general", "user_defaults", "include_admin",
                                      "helm_user_group", "mediawiki::release::mw_releases_old",
                                      "deploy_service::catalog")), "MW", []),
    ("missing flavour is MW102 only", releases_doc("""
- namespace: mw-web
  releases: {main: {}, canary: {stage: canaries}}
  web_flavour: webserver
"""), "MW1", [("MW102", 2, 5)]),
]


@pytest.mark.parametrize("doc,prefix,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_table(doc, prefix, expected):
    assert triples(lint(doc), prefix) == expected


def test_mw102_names_web_flavour_and_where_to_add_it():
    (f,) = lint(releases_doc("""
- namespace: mw-misc
  releases: {main: {}}
  mw_flavour: publish
"""))
    assert f.code == "MW102"
    # what is wrong, and in a few words why it fails (issue 20 item 6)
    assert f.message == "entry 'mw-misc' has no web_flavour: Puppet requires it"
    assert f.help == "add web_flavour at namespace level"
    assert f.yaml_path == "mw_releases[0]"


def test_mw103_did_you_mean_and_level_hint():
    fs = lint(releases_doc(GOOD_ENTRY + "  kind: debug-image\n  stage: canaries\n"))
    msgs = {f.line: f.message for f in fs if f.code == "MW103"}
    assert "did you mean 'mw_kind'" in msgs[8]
    assert "stage belongs on each release" in msgs[9]


def test_mw105_hint():
    (f,) = lint(releases_doc("""
- namespace: mw-web
  releases: {canary: {stage: canary}}
  mw_flavour: publish
  web_flavour: webserver
"""))
    assert "did you mean 'canaries'" in f.message
    assert f.yaml_path == "mw_releases[0].releases.canary.stage"


def test_mw104_deploy_message_says_what_scap_does():
    (f,) = lint(releases_doc("""
- namespace: mw-web
  releases: {main: {deploy: "false"}}
  mw_flavour: publish
  web_flavour: webserver
"""))
    assert "scap reads it as true and deploys the release" in f.message
    assert f.end_column > f.column


def test_yaml_path_quotes_odd_keys():
    fs = lint(releases_doc("""
- namespace: mw-web
  releases:
    "a.b": {stage: x}
  mw_flavour: publish
  web_flavour: webserver
"""), select=("MW105",))
    assert fs[0].yaml_path == 'mw_releases[0].releases."a.b".stage'


def test_select_and_ignore():
    doc = releases_doc("""
- namespace: mw-web
  releases: {main: {stage: x, foo: 1}}
  mw_flavour: publish
""")
    assert {f.code for f in lint(doc)} == {"MW102", "MW103", "MW105"}
    assert {f.code for f in lint(doc, select=("MW10",), ignore=("unknown-key",))} == {
        "MW102", "MW105"}
    assert {f.code for f in lint(doc, severity={"MW105": "warning"}) if f.severity == "warning"} \
        == {"MW105"}


@pytest.mark.parametrize("key, meant", [
    ("mediawiki::release::mw_deployment", "mediawiki::release::mw_deployments"),
    ("mediawiki::releases::mw_deployments", "mediawiki::release::mw_deployments"),
    ("deploy_service::service_catalogue", "deploy_service::service_catalog"),
    ("deploy_service::cluster_group", "deploy_service::cluster_groups"),
])
def test_mw007_message_and_help(key, meant):
    (f,) = lint(SHARED + key + ":\n  a: {}\n")
    assert (f.code, f.severity, f.yaml_path) == ("MW007", "error", SHARED + key)
    assert f.message == (f"'::{key}' is no key Puppet reads: did you mean '::{meant}'?")
    assert len(f.message) <= 120
    assert f.help == f"rename the key to {SHARED}{meant}; until then Puppet ignores its value"


def test_mw007_prefilter_stays_cheap_and_reads_only_near_keys():
    """A file that sets other deployment_server parameters is not parsed (the pre-filter
    looks at its key lines); one with a key close to a known one is."""
    from mwlint.engine import lint_text
    from mwlint.source import read_bytes

    other = "".join(f"{SHARED}{k}: 1\n" for k in ("services", "general", "user_defaults"))
    assert read_bytes(other.encode(), "x.yaml", 1 << 20) is None
    assert read_bytes(b"a: 1\n", "x.yaml", 1 << 20) is None
    near = other + SHARED + "mediawiki::releases::mw_deployments: {}\n"  # no old marker
    assert read_bytes(near.encode(), "x.yaml", 1 << 20) is not None
    assert read_bytes(near.encode("utf-16"), "x.yaml", 1 << 20) is not None
    assert read_bytes(other.encode("utf-16"), "x.yaml", 1 << 20) is None
    assert [f.code for f in lint_text(near, "x.yaml", force=False)] == ["MW007"]


def test_mw007_many_keys_are_bounded():
    """Thousands of keys holding the marker: the comparisons per document are capped."""
    import time

    text = "".join(f"{SHARED}mediawiki::release::mw_deployment{i}: 1\n" for i in range(20000))
    t = time.perf_counter()
    found = lint(text)
    assert time.perf_counter() - t < 5
    assert 0 < len([f for f in found if f.code == "MW007"]) <= 200
