"""A finding's message is one short sentence of what is wrong, at most 120 characters
(style.md); the details go in its help. Checked on every fixture under tests/ and on the
messages that long but real values used to push past the limit: the whole command of a real
supervision check written where a list belongs, the longest real namespace
('mediawiki-dumps-legacy', 22 characters) with a release, and helmfile paths."""

from __future__ import annotations

import glob
import os

import pytest
from helpers import FIXTURES, HERE, deployments_doc, lint, releases_doc

from mwlint.engine import check_report_text, lint_paths
from mwlint.rules.base import MESSAGE_LIMIT
from mwlint.settings import Settings

ROOT = os.path.dirname(HERE)
CHARTS = os.path.join(FIXTURES, "deployment-charts")
NS = "mediawiki-dumps-legacy"  # the longest namespace of the real configs
# the command of a real supervision check (fixtures/real, 263a58ee): 182 characters
CMD = ("httpbb /srv/deployment/httpbb-tests/pretrain/* --hosts=mw-pretrain.discovery.wmnet "
       "--https_port=30443 --request_header 'x-wikimedia-debug: backend=k8s-mw-pretrain' "
       "--retry_on_timeout")


def test_the_limit_is_the_style_guide_s():
    assert MESSAGE_LIMIT == 120 and len(CMD) == 182


# -- every fixture under tests/ ------------------------------------------------------------

YAML_FIXTURES = sorted(glob.glob(os.path.join(FIXTURES, "**", "*.yaml"), recursive=True)
                       + glob.glob(os.path.join(ROOT, "examples", "**", "*.yaml"),
                                   recursive=True))
REPORTS = sorted(glob.glob(os.path.join(FIXTURES, "build-report", "*.json")))
CONFIGS = sorted(glob.glob(os.path.join(FIXTURES, "real", "*.yaml")))


def _long(findings):
    return [(os.path.basename(f.path), f.line, f.code, len(f.message), f.message)
            for f in findings if len(f.message) > MESSAGE_LIMIT]


@pytest.mark.parametrize("settings", [
    Settings(), Settings(deployment_charts=CHARTS), Settings(require_mw_kind=True),
    Settings(known_dirs=("services",)),
], ids=["default", "deployment-charts", "require-mw-kind", "known-dirs"])
def test_every_yaml_fixture_gives_short_messages(settings):
    found = lint_paths(YAML_FIXTURES, settings).findings
    assert len(YAML_FIXTURES) >= 30 and len(found) > 100
    assert _long(found) == []


def test_every_report_against_every_real_config_gives_short_messages():
    found = []
    for report in REPORTS:
        with open(report, encoding="utf-8") as fh:
            text = fh.read()
        for config in CONFIGS + [None]:
            hiera = None
            if config is not None:
                with open(config, encoding="utf-8") as fh:
                    hiera = fh.read()
            found += check_report_text(text, hiera, report_path=report,
                                       hiera_path=config or "k.yaml")
    assert len(found) > 50
    assert _long(found) == []


# -- MW501: every message it builds, with long but real values ------------------------------

TARGETS = f"""deployment_targets:
  - namespace: {NS}
    scope: pretrain
    releases: {{production: {{}}}}
    mw_flavour: publish-85
    web_flavour: webserver-bookworm
"""  # the key is line 1, supervision_rules line 8


def _rule(stages: str) -> str:
    return "supervision_rules:\n  - scope: pretrain\n    stages:\n" + stages


W_TEST = "check testservers[0] of supervision rule 0"
W_PROD = "check production[0] of supervision rule 0"

# (id, supervision_rules, [(line, column, message, help)])
MW501 = [
    ("rules a string", f'supervision_rules: "{CMD}"\n', [
        (8, 22, "supervision_rules is a string, not a list of rules: scap refuses it",
         "write a list of rules (- scope: ..., stages: ...), or [] for none")]),
    ("rule a string", f'supervision_rules:\n  - "{CMD}"\n', [
        (9, 7, "supervision rule 0 is a string, not a mapping: scap refuses it",
         "write a mapping with scope and stages")]),
    ("unknown rule key", "supervision_rules:\n  - scope: pretrain\n"
                         "    environment_default_stage: production\n    stages: {}\n", [
        (10, 7, "unknown key 'environment_default_stage' in supervision rule 0, which scap "
                "ignores", "a rule has only scope and stages")]),
    ("no scope", "supervision_rules:\n  - stages: {}\n", [
        (9, 7, "supervision rule 0 has no scope, so scap refuses the config",
         "add scope: <name> (the targets' scope, train by default)")]),
    ("scope a list", "supervision_rules:\n  - scope: [train, pretrain]\n    stages: {}\n", [
        (9, 14, "scope of supervision rule 0 is a list, not a non-empty string: scap refuses it",
         "write the targets' scope (e.g. train)")]),
    ("no stages", "supervision_rules:\n  - scope: pretrain\n", [
        (9, 7, "supervision rule 0 has no stages, so it checks nothing",
         "add stages: {<stage>: [checks]}")]),
    ("stages a string", f'supervision_rules:\n  - scope: pretrain\n    stages: "{CMD}"\n', [
        (10, 15, "stages of supervision rule 0 is a string, not a mapping of stage to checks: "
                 "scap refuses it", "write stages: {<stage>: [checks]}")]),
    ("unknown stage", _rule("      productoin: []\n"), [
        (11, 9, "unknown stage 'productoin' in supervision rule 0: scap refuses it; did you "
                "mean 'production'?", "the stages are testservers, canaries and production")]),
    ("checks a string", _rule(f'      production: "{CMD}"\n'), [
        (11, 21, "checks of stage production in supervision rule 0 are a string, not a list: "
                 "scap refuses it",
         "write a list (- logstash_check: {threshold: N} or - commands: [...])")]),
    ("check a string", _rule(f'      testservers:\n        - "{CMD}"\n'), [
        (12, 13, f"{W_TEST} is a string, not a single check: scap refuses it",
         "write one list item per check, each with one key: logstash_check or commands")]),
    ("check with two keys", _rule(f'      testservers:\n        - commands: ["{CMD}"]\n'
                                  "          logstash_check: {threshold: 10}\n"), [
        (12, 13, f"{W_TEST} is a mapping with 2 keys, not a single check: scap refuses it",
         "write one list item per check, each with one key: logstash_check or commands")]),
    ("unknown check type", _rule("      production:\n        - logstash_chek: {threshold: 10}\n"),
     [(12, 13, f"{W_PROD}: unknown check type 'logstash_chek'; did you mean 'logstash_check'?",
       None)]),
    ("commands a string", _rule(f'      testservers:\n        - commands: "{CMD}"\n'), [
        (12, 23, f"{W_TEST}: commands is a string, not a list of strings; scap refuses it",
         'write commands: ["..."], one string per command')]),
    ("command a mapping", _rule("      testservers:\n        - commands: [{host: mwdebug}]\n"),
     [(12, 24, f"{W_TEST}: command 0 is a mapping, not a string; scap refuses it",
       "quote the command")]),
    ("logstash_check under testservers",
     _rule("      testservers:\n        - logstash_check: {threshold: 10}\n"), [
         (12, 13, f"{W_TEST}: scap refuses a logstash_check under testservers",
          "use commands there, and logstash_check under canaries or production")]),
    ("logstash_check a string",
     _rule('      production:\n        - logstash_check: "threshold: 10"\n'), [
         (12, 29, f"{W_PROD}: logstash_check is the string 'threshold: 10', not a mapping; "
                  "scap refuses it", "write logstash_check: {threshold: N}")]),
    ("logstash_check key typo", _rule("      production:\n        - logstash_check: "
                                      "{treshold: 10}\n"), [
        (12, 13, f"{W_PROD}: logstash_check has no threshold, so scap refuses the config",
         "add threshold: <error count at which the check fails>"),
        (12, 30, f"{W_PROD}: unknown logstash_check key 'treshold'; did you mean 'threshold'?",
         None)]),
    ("threshold a string", _rule('      production:\n        - logstash_check: '
                                 '{threshold: "1,000"}\n'), [
        (12, 41, f"{W_PROD}: threshold is the string '1,000', not an integer; scap refuses it",
         "write a whole number, unquoted (e.g. threshold: 10)")]),
    ("logstash_check scope null", _rule("      production:\n        - logstash_check: "
                                        "{threshold: 10, scope: ~}\n"), [
        (12, 52, f"{W_PROD}: logstash_check scope is null, not a scope; scap refuses it",
         "name a scope, or leave it out to watch the rule's own scope")]),
    ("logstash_check stage typo", _rule("      production:\n        - logstash_check: "
                                        "{threshold: 10, stage: productoin}\n"), [
        (12, 52, f"{W_PROD}: unknown logstash_check stage 'productoin'; did you mean "
                 "'production'?",
         "use testservers, canaries or production, or leave it out to watch the current "
         "stage")]),
    ("logstash_check stage a list", _rule("      production:\n        - logstash_check: "
                                          "{threshold: 10, stage: [canaries]}\n"), [
        (12, 52, f"{W_PROD}: logstash_check stage is a list, not a stage; scap refuses it",
         "use testservers, canaries or production, or leave it out to watch the current "
         "stage")]),
]


@pytest.mark.parametrize("rules,expected", [c[1:] for c in MW501], ids=[c[0] for c in MW501])
def test_mw501_messages_with_long_real_values(rules, expected):
    found = [f for f in lint(deployments_doc(TARGETS + rules)) if f.code == "MW501"]
    assert [(f.line, f.column, f.message, f.help) for f in found] == expected
    assert all(len(f.message) <= MESSAGE_LIMIT for f in found)


# -- the other rules: the longest real namespace, and what moved to the help ----------------

def _entry(releases: str, extra: str = "", flavour: str = "publish-85") -> str:
    return (f"- namespace: {NS}\n  releases: {releases}\n{extra}  mw_flavour: {flavour}\n"
            f"  web_flavour: webserver-bookworm\n")


# (id, document, settings, code, message, how the help starts)
OTHERS = [
    ("MW104 deploy a string", releases_doc(_entry("{production: {deploy: 'false'}}")), {},
     "MW104", f"deploy of '{NS}/production' is the string 'false', not a boolean",
     "scap reads it as true and deploys the release; write deploy: true or deploy: false"),
    ("MW105 stage typo", releases_doc(_entry("{production: {stage: Production}}")), {},
     "MW105", f"stage 'Production' of '{NS}/production' is not a stage; did you mean "
              "'production'?", "the stages are testservers, canaries and production"),
    ("MW106 empty flavour", releases_doc(_entry("{production: {}, canary: {}, migration: {}}",
                                                flavour="''")), {},
     "MW106", f"mw_flavour of '{NS}' is empty: scap aborts the sync",
     "releases production, canary, migration have no mw_flavour; set the flavour"),
    ("MW201 flat entry", releases_doc(
        f"- namespace: {NS}\n  release: production\n  mw_flavour: publish-85\n"
        "  web_flavour: webserver-bookworm\n  debug: true\n"), {},
     "MW201", f"debug: true on '{NS}' is ignored by scap",
     "once converted, 'production' would run the production image in production; convert"),
    ("MW201 inside a release", releases_doc(_entry("{production: {debug: true}}")), {},
     "MW201", f"debug inside release '{NS}/production' is not a valid key",
     "the release runs the production image at production; for a debug release"),
    ("MW201 debug namespace", releases_doc(_entry(
        "{production: {}, jobrunner-canary: {stage: canaries}}", "  debug: true\n")), {},
     "MW201", f"debug: true on '{NS}' is ignored by scap",
     "without it, 'production' deploys the production image at production; "
     "'jobrunner-canary' deploys the production image at canaries; put mw_kind"),
    ("MW202 debug namespace", releases_doc(_entry(
        "{production: {}, jobrunner-canary: {stage: canaries}}", "  debug: true\n")), {},
     "MW202", f"'{NS}' has debug: true but 2 releases have no mw_kind: they get the "
              "production image",
     "without mw_kind: 'production' and 'jobrunner-canary'; add mw_kind: debug-image"),
    ("MW203 debug namespace", releases_doc(_entry("{jobrunner-canary: {stage: canaries}}",
                                                  "  debug: true\n")), {},
     "MW203", f"release '{NS}/jobrunner-canary' of a debug: true namespace deploys at the "
              "canaries stage", "see MW201 at line 4; set stage: testservers"),
    ("MW204 kind of the namespace", releases_doc(_entry(
        "{jobrunner-canary: {stage: testservers}}", "  mw_kind: cli-image\n")), {},
     "MW204", f"release '{NS}/jobrunner-canary' is at stage testservers but runs kind "
              "'cli-image'", "mw_kind set on the namespace; set mw_kind: debug-image"),
    ("MW208 unknown kind", releases_doc(_entry("{production: {}}", "  mw_kind: dumps\n")), {},
     "MW208", f"mw_kind 'dumps' of namespace '{NS}' (release 'production') is not a known kind",
     "the known kinds are image, debug-image, cli-image: fix the spelling"),
    ("MW209 flavour typo", releases_doc(
        _entry("{production: {}}", flavour="pubilsh-85")
        + "- namespace: mw-web\n  releases: {main: {}}\n  mw_flavour: publish-85\n"
          "  web_flavour: webserver-bookworm\n"), {},
     "MW209", f"mw_flavour 'pubilsh-85' of '{NS}' does not match mw-flavour-pattern; did you "
              "mean 'publish-85'?",
     f"set for namespace '{NS}', used by release 'production'; use the intended flavour"),
    ("MW301 not a known dir", releases_doc(_entry(
        "{production: {}}", "  dir: dse-k8s-servces\n  clusters: [dse-k8s-eqiad]\n")),
     {"known_dirs": ("services", "dse-k8s-services")},
     "MW301", f"dir 'dse-k8s-servces' of '{NS}' is not one of the known dirs; did you mean "
              "'dse-k8s-services'?", "helmfile would fail mid-sync; use an existing"),
    ("MW302 clusters of another dir", releases_doc(_entry(
        "{production: {}}", "  clusters: [dse-k8s-eqiad, dse-k8s-codfw]\n")), {},
     "MW302", f"'{NS}' sets clusters that are not default ones, but uses the default dir "
              "'services'", "the clusters: dse-k8s-eqiad, dse-k8s-codfw; set dir"),
    ("MW306 a comma in a cluster", releases_doc(_entry(
        "{production: {}}", "  dir: dse-k8s-services\n  clusters: ['dse-k8s-eqiad, dse-k8s-codfw']\n")),
     {}, "MW306", f"cluster 'dse-k8s-eqiad, dse-k8s-codfw' of '{NS}' contains whitespace and "
                  "a comma", "no helmfile environment has that name; write one"),
    ("MW308 no such release", releases_doc(_entry(
        "{productoin: {}}", "  dir: dse-k8s-services\n  clusters: [dse-k8s-eqiad]\n")),
     {"deployment_charts": CHARTS},
     "MW308", f"the helmfile of '{NS}' defines no release 'productoin'; did you mean "
              "'production'?",
     f"the helmfile is helmfile.d/dse-k8s-services/{NS}/helmfile.yaml"),
    ("MW502 the default scope", deployments_doc(
        "deployment_targets:\n" + "".join(
            "  " + line + "\n" for line in _entry("{production: {}}").splitlines()[:1])
        + "    releases: {production: {}}\n    mw_flavour: publish-85\n"
          "    web_flavour: webserver-bookworm\n"
          "  - namespace: mw-experimental\n    releases: {pinkllama: {}}\n"
          "    mw_flavour: publish-85\n    web_flavour: webserver-bookworm\n"
          "supervision_rules: []\n"), {},
     "MW502", f"the default scope 'train' of '{NS}' and 1 more has no supervision rule "
              "(supervision_rules is empty)",
     f"the targets with it: '{NS}', 'mw-experimental'; add a rule with scope: train"),
]


@pytest.mark.parametrize("text,settings,code,message,help", [c[1:] for c in OTHERS],
                         ids=[c[0] for c in OTHERS])
def test_long_real_names_keep_messages_short(text, settings, code, message, help):
    (f,) = [f for f in lint(text, **settings) if f.code == code]
    assert (f.message, f.help[:len(help)]) == (message, help)
    assert len(f.message) <= MESSAGE_LIMIT


ALIAS_BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
              "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n")


def test_the_alias_budget_message_is_short():
    text = ALIAS_BOMB + "profile::kubernetes::deployment_server::mediawiki::release::" \
                        "mw_releases: [*e]\n"
    (f,) = lint(text)
    assert (f.code, f.message) == (
        "MW001", "aliases and merge keys expand past the budget of 10000 node visits (an "
                 "alias bomb or a self-referencing anchor)")
    assert f.help == ("write the values out, or alias them less deeply: hiera and scap "
                      "expand every alias, and a deployments config needs a few at most")


def test_a_merge_key_cycle_says_how_to_fix_it():
    text = ("profile::kubernetes::deployment_server::mediawiki::release::mw_releases:\n"
            "  - &x {namespace: a, <<: *x}\n")
    (f,) = [f for f in lint(text) if f.code == "MW001"]
    assert (f.line, f.column) == (2, 5)
    assert f.message == "a merge key refers to the mapping that contains it (a cycle)"
    assert f.help == "remove that merge key (<<), or merge another mapping's anchor"
