"""Table-driven tests for MW501-MW503 (supervision rules, scopes): a bad and a good snippet
per rule with (code, line, column) asserted, the "one problem, one finding" boundaries, and
the real fixtures (README §3.6: 263a58ee has none)."""

import glob
import os

import pytest
from helpers import REAL, deployments_doc, lint, releases_doc, triples

from mwlint.engine import lint_paths
from mwlint.settings import Settings

TARGETS = """
deployment_targets:
  - namespace: mw-web
    scope: train
    releases: {main: {}, canary: {stage: canaries}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""  # the key is line 1, deployment_targets line 2, this entry lines 3-7


def doc(rules: str, targets: str = TARGETS) -> str:
    """The mapping form: TARGETS (lines 2-7), then supervision_rules from line 8."""
    return deployments_doc(targets.strip("\n") + "\n" + rules.strip("\n") + "\n")


GOOD_RULES = """
supervision_rules:
  - scope: train
    stages:
      testservers:
        - commands:
          - "httpbb /srv/deployment/httpbb-tests/appserver/* --hosts=mwdebug.discovery.wmnet"
      canaries:
        - logstash_check:
            threshold: 10
      production:
        - logstash_check: {threshold: 150}
        - logstash_check: {threshold: 5, scope: train, stage: canaries}
"""

# (id, document, code prefix, expected (code, line, column))
# Lines: supervision_rules is line 8, "- scope:" line 9 (column 7), "stages:" line 10,
# the first stage key line 11 (column 9), its first check line 12 (column 13).
CASES = [
    ("good", doc(GOOD_RULES), "MW", []),
    # -- MW501 -----------------------------------------------------------------------
    ("501 supervision_rules not a list", doc("supervision_rules: {scope: train}"), "MW5",
     [("MW501", 8, 22)]),
    ("501 supervision_rules null", doc("supervision_rules: ~"), "MW5", [("MW501", 8, 22)]),
    ("501 rule not a mapping", doc("supervision_rules:\n  - train"), "MW5",
     [("MW501", 9, 7)]),
    ("501 no scope", doc("""
supervision_rules:
  - stages:
      canaries:
        - logstash_check: {threshold: 10}
"""), "MW5", [("MW501", 9, 7)]),
    ("501 empty scope", doc("""
supervision_rules:
  - scope: ""
    stages:
      canaries:
        - logstash_check: {threshold: 10}
"""), "MW501", [("MW501", 9, 14)]),
    ("501 no stages", doc("supervision_rules:\n  - scope: train"), "MW5", [("MW501", 9, 7)]),
    ("501 stages null", doc("supervision_rules:\n  - scope: train\n    stages:"), "MW5",
     [("MW501", 10, 14)]),
    ("501 unknown rule key", doc("""
supervision_rules:
  - scope: train
    stage:
      canaries:
        - logstash_check: {threshold: 10}
"""), "MW5", [("MW501", 9, 7), ("MW501", 10, 7)]),
    ("501 unknown stage", doc("""
supervision_rules:
  - scope: train
    stages:
      canary:
        - logstash_check: {threshold: 10}
"""), "MW5", [("MW501", 11, 9)]),
    ("501 unknown stage, its checks still checked", doc("""
supervision_rules:
  - scope: train
    stages:
      prod:
        - logstash_check: {threshold: "150"}
"""), "MW5", [("MW501", 11, 9), ("MW501", 12, 41)]),
    ("501 stage checks not a list", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries: {logstash_check: {threshold: 10}}
"""), "MW5", [("MW501", 11, 19)]),
    ("501 check with two keys", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: 10}
          commands: [true]
"""), "MW5", [("MW501", 12, 13)]),
    ("501 check not a mapping", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check
"""), "MW5", [("MW501", 12, 13)]),
    ("501 empty check mapping", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - {}
"""), "MW5", [("MW501", 12, 13)]),
    ("501 unknown check type", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash: {threshold: 10}
"""), "MW5", [("MW501", 12, 13)]),
    ("501 logstash_check under testservers", doc("""
supervision_rules:
  - scope: train
    stages:
      testservers:
        - logstash_check: {threshold: 10}
"""), "MW5", [("MW501", 12, 13)]),
    ("501 logstash_check not a mapping", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: 10
"""), "MW5", [("MW501", 12, 29)]),
    ("501 logstash_check without threshold", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {scope: train}
"""), "MW5", [("MW501", 12, 13)]),
    ("501 threshold a string", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: "10"}
"""), "MW5", [("MW501", 12, 41)]),
    ("501 threshold a boolean", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check:
            threshold: yes
"""), "MW5", [("MW501", 13, 26)]),
    ("501 threshold a float", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: 1.5}
"""), "MW5", [("MW501", 12, 41)]),
    ("501 logstash_check bad stage and scope, unknown key", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: 5, stage: canary, scope: ~, window: 5}
"""), "MW5", [("MW501", 12, 51), ("MW501", 12, 66), ("MW501", 12, 69)]),
    ("501 commands not a list", doc("""
supervision_rules:
  - scope: train
    stages:
      testservers:
        - commands: "httpbb --hosts=mwdebug.discovery.wmnet"
"""), "MW5", [("MW501", 12, 23)]),
    ("501 commands item not a string", doc("""
supervision_rules:
  - scope: train
    stages:
      testservers:
        - commands: ["httpbb", [nested], 3]
"""), "MW5", [("MW501", 12, 34), ("MW501", 12, 44)]),
    ("501 empty commands list is fine", doc("""
supervision_rules:
  - scope: train
    stages:
      testservers:
        - commands: []
"""), "MW5", []),
    ("501 empty stages is fine", doc("supervision_rules:\n  - scope: train\n    stages: {}"),
     "MW5", []),
    ("501 not in the list form", releases_doc("""
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""), "MW5", []),
    ("501 missing supervision_rules is MW102 only", deployments_doc(TARGETS), "MW", [
        ("MW102", 2, 3)]),
    # -- MW502 -----------------------------------------------------------------------
    ("502 rule scope no target has", doc("""
supervision_rules:
  - scope: train
    stages: {}
  - scope: pretrain
    stages: {}
"""), "MW5", [("MW502", 11, 14)]),
    ("502 target scope no rule covers", doc("""
supervision_rules:
  - scope: pretrain
    stages: {}
""", """
deployment_targets:
  - namespace: mw-web
    scope: pretrain
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
  - namespace: mw-api-int
    scope: train
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", [("MW502", 9, 14)]),
    ("502 default scope train", doc("""
supervision_rules:
  - scope: pretrain
    stages: {}
""", """
deployment_targets:
  - namespace: mw-web
    scope: pretrain
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
  - namespace: mw-api-int
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", [("MW502", 8, 7)]),
    ("502 default scope train is covered", doc(GOOD_RULES, """
deployment_targets:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", []),
    ("502 one finding per uncovered scope", doc("supervision_rules: []", """
deployment_targets:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
  - namespace: mw-api-int
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", [("MW502", 3, 7)]),
    ("502 non-deployable target needs no rule", doc("""
supervision_rules:
  - scope: train
    stages: {}
""", """
deployment_targets:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
  - namespace: mw-pretrain
    scope: pretrain
    releases: {main: {deploy: false}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", []),
    ("502 a rule for a non-deployable target's scope is fine", doc("""
supervision_rules:
  - scope: pretrain
    stages: {}
""", """
deployment_targets:
  - namespace: mw-pretrain
    scope: pretrain
    releases: {main: {deploy: false}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", []),
    ("502 empty clusters: not deployed", doc("supervision_rules: []", """
deployment_targets:
  - namespace: mw-web
    releases: {main: {}}
    clusters: []
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", []),
    ("502 a rule with an invalid check still covers its scope", doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {}
"""), "MW5", [("MW501", 12, 13)]),
    ("502 null target scope is MW104 only", doc(GOOD_RULES, """
deployment_targets:
  - namespace: mw-web
    scope: ~
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW", [("MW104", 4, 14)]),
    ("502 missing supervision_rules: no MW502", deployments_doc("""
deployment_targets:
  - namespace: mw-web
    scope: pretrain
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""), "MW5", []),
    # -- MW503 -----------------------------------------------------------------------
    ("503 scope in the list form", releases_doc("""
- namespace: mw-web
  scope: train
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""), "MW", [("MW503", 3, 5)]),
    ("503 null scope in the list form", releases_doc("""
- namespace: mw-web
  scope: ~
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""), "MW5", [("MW503", 3, 5)]),
    ("503 scope in the mapping form is fine", doc(GOOD_RULES), "MW503", []),
    ("503 rendered list form", """
- namespace: mw-web
  scope: train
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
""", "MW5", [("MW503", 3, 3)]),
]


@pytest.mark.parametrize("text,prefix,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rule_table(text, prefix, expected):
    path = "mediawiki-deployments.yaml" if text.startswith("\n-") else None
    fs = lint(text, path) if path else lint(text)
    assert triples(fs, prefix) == expected


def test_mw501_messages_and_paths():
    fs = lint(doc("""
supervision_rules:
  - scope: train
    stages:
      testservers:
        - logstash_check: {threshold: 10}
      canaries:
        - logstsh_check: {threshold: 10}
"""), select=("MW501",))
    assert [f.yaml_path for f in fs] == [
        "mw_deployments.supervision_rules[0].stages.testservers[0].logstash_check",
        "mw_deployments.supervision_rules[0].stages.canaries[0].logstsh_check",
    ]
    assert fs[0].message == ("check testservers[0] of supervision rule 0: scap refuses a "
                             "logstash_check under testservers")
    assert "commands" in fs[0].help
    assert "did you mean 'logstash_check'" in fs[1].message
    assert all(f.severity == "error" and f.context[0] == "train" for f in fs)


def test_mw501_threshold_boolean_message():
    (f,) = lint(doc("""
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: true}
"""), select=("MW501",))
    assert "boolean" in f.message and "integer" in f.message
    assert f.yaml_path.endswith("canaries[0].logstash_check.threshold")


def test_mw502_messages():
    (f,) = lint(doc("supervision_rules: []"), select=("MW502",))
    assert "'train'" in f.message and "mw-web" in f.message and "empty" in f.message
    assert f.severity == "warning"
    (f,) = lint(doc("""
supervision_rules:
  - scope: train
    stages: {}
  - scope: trian
    stages: {}
"""), select=("MW502",))
    assert "'trian'" in f.message and "train" in f.message


def test_mw503_message_and_no_mw103():
    fs = lint(releases_doc("""
- namespace: mw-web
  scope: train
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""))
    assert [f.code for f in fs] == ["MW503"]
    assert "list form, whose Puppet type rejects it" in fs[0].message
    assert "mw_deployments" in fs[0].help and fs[0].yaml_path == "mw_releases[0].scope"
    assert fs[0].severity == "warning"


def test_legacy_entry_scope_is_not_mw503():
    fs = lint(releases_doc("""
- namespace: mw-web
  release: main
  scope: train
  mw_flavour: publish
  web_flavour: webserver
  debug: false
"""), select=("MW5",))
    assert fs == []


FILES = sorted(glob.glob(os.path.join(REAL, "*.yaml")))


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(f)[7:26] for f in FILES])
def test_no_mw5xx_on_real_files(path):
    assert [f for f in lint_paths([path], Settings()).findings if f.code.startswith("MW5")] == []


def test_263a58ee_supervision_rules_are_read():
    """The real rule is valid: a broken copy of it is caught, so the silence above is
    not for want of looking."""
    (path,) = [f for f in FILES if "263a58ee" in f]
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    broken = text.replace("              threshold: 10\n", "              threshold: ten\n")
    assert broken != text
    fs = lint(broken, select=("MW5",))
    assert [(f.code, f.line) for f in fs] == [("MW501", 335)]
    renamed = text.replace("  supervision_rules:\n    - scope: train\n",
                           "  supervision_rules:\n    - scope: trian\n")
    assert renamed != text
    fs = lint(renamed, select=("MW5",))
    assert sorted((f.code, f.line) for f in fs) == [("MW502", 209), ("MW502", 327)]


# -- issue 12, item 2: MW502 did-you-mean and wording ---------------------------------------

def test_mw502_target_scope_typo_suggests_the_rule_scope():
    targets = TARGETS.replace("scope: train", "scope: trian")
    target, rule = lint(doc(GOOD_RULES, targets), select=("MW502",))
    assert target.message == ("scope 'trian' of 'mw-web' has no supervision rule; did you mean "
                              "'train'?")
    assert target.yaml_path == "mw_deployments.deployment_targets[0].scope"
    # the rule's 'train' is the default scope: never suggested to become the typo
    assert rule.message == "supervision rule 0 has scope 'train', which no deployment target has"


def test_mw502_rule_scope_typo_suggests_the_target_scope_never_the_reverse():
    rules = GOOD_RULES.replace("scope: train", "scope: trian")
    fs = lint(doc(rules, TARGETS.replace("    scope: train\n", "")), select=("MW502",))
    by_path = {f.yaml_path.rsplit(".", 1)[-1]: f for f in fs}
    assert "did you mean 'train'?" in by_path["scope"].message  # the rule's scope
    # the targets' default scope 'train' is not taken for a typo of the rule's 'trian'
    assert [f for f in fs if "did you mean 'trian'" in f.message] == []


def test_mw502_uncovered_scope_says_it_once():
    rules = GOOD_RULES.replace("scope: train", "scope: pretrain")
    fs = [f for f in lint(doc(rules), select=("MW502",)) if "has no supervision rule" in f.message]
    (f,) = fs
    assert f.message == "scope 'train' of 'mw-web' has no supervision rule"
    assert "no supervision rule has that scope" not in f.message
    assert f.help == "add a rule with scope: train"
