"""Every error says in a few words why it fails (issue 20 item 6): "Puppet's type rejects
it", "scap aborts the sync", ... within 120 characters, positions unchanged. One pinned
message per kind of error; MW103/MW105/MW201 (and MW6xx) are pinned with their rules."""

from __future__ import annotations

import pytest
from helpers import DEPLOYMENTS_KEY, RELEASES_KEY, lint, releases_doc

from mwlint.rules.base import because


def entry(body: str) -> str:
    return releases_doc("- namespace: mw-web\n" + body)


CASES = [
    (RELEASES_KEY + ": mw-web\n", ("MW101", 1, 74),
     "mw_releases is a scalar, which Puppet's type rejects"),
    (releases_doc("- mw-web\n"), ("MW101", 2, 5),
     "entry 0 is not a mapping, which Puppet's type rejects"),
    (releases_doc("- namespace: mw-misc\n  releases: {main: {}}\n  mw_flavour: publish\n"),
     ("MW102", 2, 5), "entry 'mw-misc' has no web_flavour: Puppet requires it"),
    (releases_doc("- namespace: mw-misc\n  releases: {main: {}}\n"),
     ("MW102", 2, 5), "entry 'mw-misc' has no mw_flavour and web_flavour: Puppet requires them"),
    (DEPLOYMENTS_KEY + ":\n  deployment_targets: []\n", ("MW102", 2, 3),
     "mw_deployments has no supervision_rules, which Puppet's type requires"),
    (releases_doc("- namespace: 42\n  releases: {main: {}}\n  mw_flavour: publish\n"
                  "  web_flavour: webserver\n"), ("MW104", 2, 16),
     "namespace is the integer 42, but Puppet requires a non-empty string"),
    (entry("  releases: {main: {}}\n  clusters: [eqiad, 3]\n  mw_flavour: publish\n"
           "  web_flavour: webserver\n"), ("MW104", 4, 23),
     "clusters item 1 of 'mw-web' is the integer 3, not a cluster name: Puppet rejects it"),
    (entry("  releases: {main: 3}\n  mw_flavour: publish\n  web_flavour: webserver\n"),
     ("MW104", 3, 22), "release 'mw-web/main' is the integer 3, not a mapping: Puppet rejects it"),
    (entry("  releases: {15: {}}\n  mw_flavour: publish\n  web_flavour: webserver\n"),
     ("MW104", 3, 16), "release name '15' in 'mw-web' is read by YAML as the integer 15, not a "
                       "string: Puppet rejects it"),
    (entry("  releases: {main: {mw_flavour: ''}}\n  mw_flavour: publish\n"
           "  web_flavour: webserver\n"), ("MW106", 3, 35),
     "mw_flavour of release 'mw-web/main' is empty, so it has no mw_flavour: scap aborts the "
     "sync"),
    (entry("  releases: {main: {}}\n  mw_flavour: ''\n  web_flavour: webserver\n"),
     ("MW106", 4, 17),
     "mw_flavour of 'mw-web' is empty, so release 'main' has no mw_flavour: scap aborts the sync"),
    (entry("  releases: {main: {}}\n  dir: /srv/charts\n  mw_flavour: publish\n"
           "  web_flavour: webserver\n"), ("MW301", 4, 10),
     "dir '/srv/charts' of 'mw-web' is absolute, so helmfile fails mid-sync"),
    (DEPLOYMENTS_KEY + ":\n  deployment_targets: []\n  supervision_rules: [{stages: "
     "{canaries: []}}]\n", ("MW501", 3, 24),
     "supervision rule 0 has no scope, so scap refuses the config"),
    (DEPLOYMENTS_KEY + ":\n  deployment_targets: []\n  supervision_rules: [{scope: train, "
     "stages: {}, window: 3}]\n", ("MW501", 3, 50),
     "unknown key 'window' in supervision rule 0, which scap ignores"),
    (DEPLOYMENTS_KEY + ":\n  deployment_targets: []\n  supervision_rules: {a: 1}\n",
     ("MW501", 3, 22), "supervision_rules is a mapping, not a list of rules: scap refuses it"),
]


@pytest.mark.parametrize("text, where, message", CASES, ids=[c[2][:40] for c in CASES])
def test_an_error_says_why_it_fails(text, where, message):
    errors = [f for f in lint(text) if f.severity == "error" and f.code == where[0]]
    assert [(f.code, f.line, f.column) for f in errors][:1] == [where]
    assert errors[0].message == message
    assert len(message) <= 120


@pytest.mark.parametrize("message, expected", [
    ("x is bad", "x is bad: scap refuses it"),
    ("x is bad; did you mean 'y'?", "x is bad: scap refuses it; did you mean 'y'?"),
    ("x is bad, so scap refuses the config", "x is bad, so scap refuses the config"),
    ("x is bad, so it checks nothing", "x is bad, so it checks nothing"),
    ("Puppet rejects x", "Puppet rejects x"),
])
def test_because_adds_the_reason_once(message, expected):
    assert because(message, ": scap refuses it") == expected


def test_because_keeps_a_line_short():
    long = "x" * 110
    assert because(long, ": scap refuses it", limit=120) == long
    assert because(long, ": scap refuses it") == long + ": scap refuses it"
    assert because("helmfile.d/a/ is missing", ", so the sync fails there", always=True) == \
        "helmfile.d/a/ is missing, so the sync fails there"


# -- mutation survivors: messages and advice that no test pinned ----------------------------

@pytest.mark.parametrize("text, code, message, help", [
    (DEPLOYMENTS_KEY + ":\n  deployment_targets: []\n  supervision_rules: [{scope: train, "
     "stages: {canary: []}}]\n", "MW501",
     "unknown stage 'canary' in supervision rule 0: scap refuses it; did you mean 'canaries'?",
     "the stages are testservers, canaries and production"),
    (entry("  releases: {main: 3}\n  mw_flavour: publish\n  web_flavour: webserver\n"),
     "MW104", "release 'mw-web/main' is the integer 3, not a mapping: Puppet rejects it",
     "write `main: {}` for a release with all defaults"),
    (releases_doc("- namespace: Mw_Web\n  releases: {main: {}}\n  mw_flavour: publish\n"
                  "  web_flavour: webserver\n"), "MW306",
     "namespace 'Mw_Web' contains uppercase letters and '_', so it is not a valid Kubernetes "
     "namespace name", None),
    (entry("  releases: {Main_x: {}}\n  mw_flavour: publish\n  web_flavour: webserver\n"),
     "MW306", "release name 'Main_x' in 'mw-web' contains uppercase letters and '_', so no "
     "Helm release can match it", None),
    (entry("  releases: {a.b-c: {}}\n  mw_flavour: publish\n  web_flavour: webserver\n"),
     "MW306", None, None),
])
def test_pinned_messages(text, code, message, help):
    found = [f for f in lint(text) if f.code == code]
    if message is None:
        assert found == []
        return
    (f,) = found
    assert f.message == message
    if help is not None:
        assert f.help == help


@pytest.mark.parametrize("releases, who", [
    ("{a: {}}", "release 'a' has"),
    ("{a: {}, b: {}, c: {}}", "releases a, b, c have"),
    ("{a: {}, b: {}, c: {}, d: {}}", "its 4 releases have"),
])
def test_mw106_names_up_to_three_releases(releases, who):
    (f,) = [f for f in lint(entry(f"  releases: {releases}\n  mw_flavour: ''\n"
                                  "  web_flavour: webserver\n")) if f.code == "MW106"]
    assert f.message == (f"mw_flavour of 'mw-web' is empty, so {who} no mw_flavour: scap "
                         "aborts the sync")
