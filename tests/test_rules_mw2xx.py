"""MW201-MW209, the T389499 migration rules: a bad and a good example per code, positions
asserted as (code, line, column), and the "How rules combine" boundaries of rules.md (one
problem, one finding).

Snippets go through ``releases_doc``/``deployments_doc``: the hiera key is line 1 and the
body starts on line 2, indented by two columns (``- namespace:`` puts ``namespace`` at
column 5, a release key at column 7).
"""

import pytest
from helpers import deployments_doc, lint, releases_doc, triples

from mwlint.rules import by_code


def doc(body):
    return releases_doc(body)


# (id, text, settings, expected MW2xx triples, codes that must not appear at all)
CASES = [
    # --- MW201 deprecated-debug ------------------------------------------------------
    ("mw201-debug-true-releases-map", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {}
            next: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {},
     # MW201 at the key, MW202 once at the entry, MW203 per release outside testservers
     [("MW202", 2, 5), ("MW203", 4, 7), ("MW203", 5, 7), ("MW201", 8, 5)], {"MW103"}),
    ("mw201-debug-false", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """), {}, [("MW201", 7, 5)], {"MW103"}),
    ("mw201-debug-any-value", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: ~
        """), {}, [("MW201", 7, 5)], {"MW103", "MW104"}),
    ("mw201-release-level-debug-is-mw201-only", doc("""
        - namespace: mw-web
          releases:
            main: {debug: true}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW201", 4, 14)], {"MW103"}),
    ("mw201-already-migrated-leftover", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW201", 8, 5)], set()),
    ("mw201-good-migrated", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
            next: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw201-mapping-form", deployments_doc("""
        deployment_targets:
          - namespace: mw-web
            releases:
              main: {}
            mw_flavour: publish-83
            web_flavour: webserver-bookworm
            debug: false
        supervision_rules: []
        """), {}, [("MW201", 8, 7)], {"MW103"}),

    # --- MW202 missing-mw-kind -------------------------------------------------------
    ("mw202-once-per-namespace", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
            b: {stage: testservers}
            c: {stage: testservers, mw_kind: debug-image}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW202", 2, 5), ("MW201", 9, 5)], {"MW204"}),
    ("mw202-good-namespace-kind", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW201", 8, 5)], set()),
    ("mw202-good-other-namespace-kind", doc("""
        - namespace: mw-cron
          releases:
            main: {stage: testservers}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {},
     # a kind is set, so no MW202; a cli-image at testservers is MW204
     [("MW204", 4, 7), ("MW201", 8, 5)], {"MW202"}),
    ("mw202-release-null-kind-without-namespace-kind", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers, mw_kind: ~}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW202", 2, 5), ("MW201", 7, 5)], {"MW206", "MW104"}),
    ("mw202-require-every-release", doc("""
        - namespace: mw-web
          releases:
            main: {}
            canary: {stage: canaries}
          mw_flavour: publish
          web_flavour: webserver
        - namespace: mw-cron
          releases:
            main: {}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
        - namespace: mw-script
          releases:
            main: {mw_kind: cli-image}
            other: {mw_kind: ~}
          mw_flavour: publish
          web_flavour: webserver
        """), {"require_mw_kind": True},
     [("MW202", 4, 7), ("MW202", 5, 7), ("MW202", 17, 7)], set()),
    ("mw202-require-off-by-default", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw202-require-null-override-is-mw206", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers, mw_kind: ~}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {"require_mw_kind": True}, [("MW206", 4, 7)], {"MW204", "MW202"}),
    ("mw202-require-debug-namespace-once", doc("""
        - namespace: mw-debug
          releases:
            a: {}
            b: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {"require_mw_kind": True},
     [("MW202", 2, 5), ("MW203", 4, 7), ("MW203", 5, 7), ("MW201", 8, 5)], set()),
    ("mw202-legacy-flat-debug-true", doc("""
        - namespace: mwdebug
          release: pinkunicorn
          canary: ~
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW202", 2, 5), ("MW205", 2, 5), ("MW201", 7, 5)],
     {"MW203", "MW102", "MW103"}),
    ("mw202-legacy-flat-with-kind", doc("""
        - namespace: mwdebug
          release: pinkunicorn
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW205", 2, 5), ("MW201", 7, 5)], {"MW203", "MW102", "MW103"}),

    # --- MW203 debug-image-stage -----------------------------------------------------
    ("mw203-namespace-kind-no-stage", doc("""
        - namespace: mw-misc
          releases:
            main: {}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW203", 4, 7)], set()),
    ("mw203-canaries", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: canaries}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW203", 4, 7)], set()),
    ("mw203-release-level-kind", doc("""
        - namespace: mw-web
          releases:
            main: {}
            dbg: {mw_kind: debug-image}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW203", 5, 7)], set()),
    ("mw203-good-testservers", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw203-deploy-false-exempt", doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {deploy: false}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw203-deploy-string-false-still-deploys", doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {deploy: "false"}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW203", 4, 7)], set()),
    ("mw203-deploy-null-not-deployed", doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {deploy: ~}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw203-invalid-stage-is-mw105-only", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: canary}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw203-debug-namespace-explicit-other-stage", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
            b: {stage: canaries}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW203", 5, 7), ("MW201", 9, 5)], set()),

    # --- MW204 testservers-kind ------------------------------------------------------
    ("mw204-default-kind", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW204", 4, 7)], set()),
    ("mw204-other-kind", doc("""
        - namespace: mw-cron
          releases:
            main: {stage: testservers}
            other: {stage: testservers, mw_kind: debug-image}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW204", 4, 7)], set()),
    ("mw204-known-kinds-option", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_kind: next-image
          mw_flavour: publish
          web_flavour: webserver
        """), {"known_kinds": ("image", "debug-image", "next-image")}, [("MW204", 4, 7)],
     {"MW208"}),
    ("mw204-good", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw204-not-in-an-mw202-namespace", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {}, [("MW202", 2, 5), ("MW201", 7, 5)], {"MW204", "MW203"}),
    ("mw204-not-with-require-mw-kind", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
        """), {"require_mw_kind": True}, [("MW202", 4, 7)], {"MW204"}),
    # MW202 supersedes MW204 only when it ran: MW204 alone still reports the release
    ("mw204-alone-in-a-debug-namespace", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), {"select": ("MW204",)}, [("MW204", 4, 7)], set()),
    ("mw204-alone-with-require-mw-kind", doc("""
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
        """), {"require_mw_kind": True, "select": ("MW204",)}, [("MW204", 4, 7)], set()),
    # ... and only on the namespace it reports: the next entry keeps its MW204
    ("mw204-next-to-an-mw202-namespace", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
        """), {"select": ("MW202", "MW204")}, [("MW202", 2, 5), ("MW204", 10, 7)], set()),

    # --- MW205 legacy-format ---------------------------------------------------------
    ("mw205-flat-entry", doc("""
        - namespace: mw-web
          release: main
          canary: canary
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW205", 2, 5)], {"MW101", "MW102", "MW103", "MW104"}),
    ("mw205-flat-entry-debug-false", doc("""
        - namespace: mw-web
          release: main
          canary: canary
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """), {}, [("MW205", 2, 5), ("MW201", 7, 5)], {"MW102", "MW103"}),
    ("mw205-mixed-key-in-releases-entry", doc("""
        - namespace: mw-web
          releases:
            main: {}
          canary: canary
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW205", 5, 5)], {"MW103"}),
    ("mw205-name-key-in-releases-entry", doc("""
        - namespace: mw-web
          name: main
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW205", 3, 5)], {"MW103"}),
    ("mw205-2022-hash", releases_doc("""
        mwdebug:
          name: pinkunicorn
          canary: ~
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        other:
          name: main
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """), {}, [("MW205", 2, 3), ("MW205", 8, 3)],
     {"MW101", "MW102", "MW103", "MW201", "MW202", "MW209"}),
    ("mw205-2022-list-of-one-key-hashes", doc("""
        - mwdebug:
            name: pinkunicorn
            canary: ~
            mw_flavour: publish
            web_flavour: webserver
            debug: true
        """), {}, [("MW205", 2, 5)], {"MW101", "MW102", "MW103", "MW201", "MW202"}),
    ("mw205-flat-entry-in-mapping-form", deployments_doc("""
        deployment_targets:
          - namespace: mw-web
            release: main
            mw_flavour: publish
            web_flavour: webserver
        supervision_rules: []
        """), {}, [("MW205", 3, 7)], {"MW102", "MW103"}),
    ("mw205-good", doc("""
        - namespace: mw-web
          releases:
            main: {}
            canary: {stage: canaries}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),

    # --- MW206 null-override ---------------------------------------------------------
    ("mw206-null-over-namespace-kind", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
            next: {stage: testservers, mw_kind: ~}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW206", 5, 7)], {"MW204", "MW104"}),
    ("mw206-null-without-namespace-kind", doc("""
        - namespace: mw-web
          releases:
            main: {mw_kind: ~}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], {"MW104"}),
    ("mw206-good-explicit-image", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
            prod: {mw_kind: image}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),

    # --- MW207 inert-stage -----------------------------------------------------------
    ("mw207-stage-on-deploy-false", doc("""
        - namespace: mw-parsoid
          releases:
            main: {}
            pinkllama: {stage: canaries, deploy: false}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW207", 5, 7)], set()),
    ("mw207-paused-debug-release", doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {stage: testservers, deploy: false}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW207", 4, 7)], set()),
    ("mw207-good-no-stage", doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {deploy: false}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw207-deploy-true", doc("""
        - namespace: mw-web
          releases:
            canary: {stage: canaries, deploy: true}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw207-non-boolean-deploy-is-mw104", doc("""
        - namespace: mw-web
          releases:
            canary: {stage: canaries, deploy: ~}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw207-invalid-stage-is-mw105", doc("""
        - namespace: mw-web
          releases:
            canary: {stage: canary, deploy: false}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),

    # --- MW208 unknown-kind ----------------------------------------------------------
    ("mw208-namespace-kind-reported-once", doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
            b: {stage: testservers}
            c: {stage: testservers}
          mw_kind: debug_image
          mw_flavour: publish
          web_flavour: webserver
        """), {},
     # one problem (a misspelt debug-image), one finding: not also MW204 per release
     [("MW208", 7, 14)], {"MW204"}),
    ("mw208-release-kind", doc("""
        - namespace: mw-cron
          releases:
            main: {mw_kind: cli}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [("MW208", 4, 23)], set()),
    ("mw208-overridden-namespace-kind-is-not-effective", doc("""
        - namespace: mw-cron
          releases:
            main: {mw_kind: cli-image}
          mw_kind: cli_image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw208-known-kinds-option", doc("""
        - namespace: mw-cron
          releases:
            main: {}
          mw_kind: next-image
          mw_flavour: publish
          web_flavour: webserver
        """), {"known_kinds": ("image", "next-image")}, [], set()),
    ("mw208-good", doc("""
        - namespace: mw-cron
          releases:
            main: {}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
    ("mw208-non-string-is-mw104", doc("""
        - namespace: mw-cron
          releases:
            main: {}
          mw_kind: 3
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),

    # --- MW209 unexpected-flavour ----------------------------------------------------
    ("mw209-namespace-flavour-once", doc("""
        - namespace: mw-misc
          releases:
            a: {}
            b: {}
          mw_flavour: debug
          web_flavour: webserver
        """), {}, [("MW209", 6, 17)], set()),
    ("mw209-release-web-flavour", doc("""
        - namespace: mw-web
          releases:
            main: {web_flavour: nginx}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """), {}, [("MW209", 4, 27)], set()),
    ("mw209-legacy-flat-entry", doc("""
        - namespace: mw-misc
          release: main
          canary: ~
          mw_flavour: "debug"
          web_flavour: webserver
        """), {}, [("MW205", 2, 5), ("MW209", 5, 17)], set()),
    ("mw209-good", doc("""
        - namespace: mw-web
          releases:
            main: {}
            next: {mw_flavour: publish-83-next}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """), {}, [], set()),
    ("mw209-pattern-options", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """), {"mw_flavour_pattern": r"^php-", "web_flavour_pattern": r"^webserver"},
     [("MW209", 5, 17)], set()),
    ("mw209-empty-is-mw106-only", doc("""
        - namespace: mw-web
          releases:
            main: {mw_flavour: ""}
          mw_flavour: publish
          web_flavour: webserver
        """), {}, [], set()),
]


@pytest.mark.parametrize("case_id,text,settings,expected,forbidden", CASES,
                         ids=[c[0] for c in CASES])
def test_mw2xx(case_id, text, settings, expected, forbidden):
    findings = lint(text, **settings)
    assert triples(findings, "MW2") == expected
    assert not {f.code for f in findings} & forbidden, [
        (f.code, f.line, f.message) for f in findings]


def _one(text, code, **settings):
    fs = [f for f in lint(text, **settings) if f.code == code]
    assert len(fs) == 1, fs
    return fs[0]


def test_every_mw2xx_rule_is_registered_with_docs():
    rules = by_code()
    expected = {
        "MW201": ("deprecated-debug", "error"), "MW202": ("missing-mw-kind", "error"),
        "MW203": ("debug-image-stage", "error"), "MW204": ("testservers-kind", "warning"),
        "MW205": ("legacy-format", "error"), "MW206": ("null-override", "warning"),
        "MW207": ("inert-stage", "info"), "MW208": ("unknown-kind", "warning"),
        "MW209": ("unexpected-flavour", "warning"),
    }
    for code, (name, severity) in expected.items():
        r = rules[code]
        assert (r.name, r.severity) == (name, severity)
        assert r.summary and r.rationale and r.bad and r.good
        # the documented bad example fires, the good one does not (for snippets that
        # are whole entries)
        if r.bad.lstrip().startswith("- namespace"):
            assert code in {f.code for f in lint(releases_doc(r.bad))}, code
            assert code not in {f.code for f in lint(releases_doc(r.good))}, code
    # MW202 and MW203 in a debug: true namespace are repaired by MW201's recipe
    assert {c for c in expected if rules[c].fixable} == {"MW201", "MW202", "MW203"}


DEBUG_NS = doc("""
    - namespace: mw-debug
      releases:
        pinkunicorn: {}
        next: {}
      mw_flavour: publish
      web_flavour: webserver
      debug: true
    """)


def test_mw201_message_lists_landing_releases_and_recipe():
    f = _one(DEBUG_NS, "MW201")
    assert f.yaml_path == "mw_releases[0].debug"
    assert (f.end_line, f.end_column) == (8, 10)  # the key `debug`
    assert f.message == ("debug: true on 'mw-debug' is ignored by scap, so 'pinkunicorn' and "
                         "'next' deploy the production image at production")
    assert f.help == ("put mw_kind: debug-image on the namespace, add stage: testservers to "
                      "'pinkunicorn' and 'next', then delete debug")
    assert f.fixable
    assert f.context == ("mw-debug", None, "debug", "True")


def test_mw201_debug_false_says_delete():
    f = _one(doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """), "MW201")
    # why it fails the commit, not only that it is useless
    assert f.message == ("debug: false on 'mw-web' has no effect any more, and Puppet's type "
                         "rejects the key")
    assert f.help == "delete the line" and f.fixable


def test_mw201_canaries_release_is_left_to_a_person():
    f = _one(doc("""
        - namespace: mw-debug
          releases:
            a: {}
            b: {stage: canaries}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), "MW201")
    assert "add stage: testservers to 'a', then delete debug" in f.help
    assert "decide by hand for 'b' (stage: canaries)" in f.help
    # the consequences make the message too long: they lead the help instead
    assert f.message == "debug: true on 'mw-debug' is ignored by scap"
    assert f.help.startswith("without it, 'a' deploys the production image at production; 'b' "
                             "deploys the production image at canaries; ")


def test_mw201_not_fixable_in_legacy_or_through_alias():
    legacy = _one(doc("""
        - namespace: mwdebug
          release: pinkunicorn
          canary: pinkcanary
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), "MW201")
    assert not legacy.fixable
    assert "releases: {pinkunicorn: {stage: testservers}}" in legacy.help
    assert "drop the canary 'pinkcanary'" in legacy.help

    merged = [f for f in lint("defaults: &dbg\n  debug: true\n" + doc("""
        - namespace: mw-debug
          <<: *dbg
          releases:
            pinkunicorn: {}
          mw_flavour: publish
          web_flavour: webserver
        """)) if f.code == "MW201"]
    assert len(merged) == 1 and not merged[0].fixable

    aliased_release = [f for f in lint(doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: &r {}
            next: *r
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """)) if f.code == "MW201"]
    assert len(aliased_release) == 1 and not aliased_release[0].fixable


def test_mw201_release_level_debug_message():
    f = _one(doc("""
        - namespace: mw-web
          releases:
            main: {debug: true}
          mw_flavour: publish
          web_flavour: webserver
        """), "MW201")
    assert f.yaml_path == "mw_releases[0].releases.main.debug"
    assert "is not a valid key" in f.message and not f.fixable
    assert "mw_kind: debug-image and stage: testservers" in f.help


def test_mw202_message_names_releases():
    f = _one(DEBUG_NS, "MW202")
    assert f.yaml_path == "mw_releases[0]"
    assert f.message == ("'mw-debug' has debug: true but 'pinkunicorn' and 'next' have no "
                         "mw_kind: they get the production image")
    assert f.help == "add mw_kind: debug-image to the namespace (see MW201 at line 8)"


def test_mw202_require_mw_kind_paths():
    fs = [f for f in lint(doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """), require_mw_kind=True) if f.code == "MW202"]
    assert [(f.yaml_path, f.context) for f in fs] == [
        ("mw_releases[0].releases.main", ("mw-web", "main", "mw_kind", None))]
    assert "require-mw-kind" in fs[0].message


def test_mw203_message_and_path():
    fs = [f for f in lint(DEBUG_NS) if f.code == "MW203"]
    assert [f.yaml_path for f in fs] == ["mw_releases[0].releases.pinkunicorn",
                                         "mw_releases[0].releases.next"]
    assert fs[0].message == ("release 'mw-debug/pinkunicorn' of a debug: true namespace deploys "
                             "at the production stage (see MW201 at line 8)")
    assert "stage: testservers" in fs[0].help


def test_mw205_names_each_generation():
    g1 = _one(releases_doc("""
        mwdebug: {name: pinkunicorn, mw_flavour: publish, web_flavour: webserver, debug: true}
        """), "MW205")
    assert "2022 hash" in g1.message and g1.yaml_path == "mw_releases.mwdebug"
    g2 = _one(doc("""
        - mwdebug: {name: pinkunicorn, mw_flavour: publish, web_flavour: webserver}
        """), "MW205")
    assert "list of one-key hashes" in g2.message and g2.yaml_path == "mw_releases[0]"
    g3 = _one(doc("""
        - namespace: mw-web
          release: main
          canary: canary
          mw_flavour: publish
          web_flavour: webserver
        """), "MW205")
    assert "flat release/canary format" in g3.message
    assert "releases: {main: {}, canary: {stage: canaries}}" in g3.help


def test_mw207_message_says_paused_debug_release_is_right():
    f = _one(doc("""
        - namespace: mw-experimental
          releases:
            pinkllama: {stage: testservers, deploy: false}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """), "MW207")
    assert f.severity == "info"
    assert "has no effect while deploy is false" in f.message
    assert f.help.startswith("nothing to change: it keeps this paused debug release on "
                             "testservers")


def test_mw208_did_you_mean_and_affected_releases():
    f = _one(doc("""
        - namespace: mw-debug
          releases:
            a: {stage: testservers}
            b: {stage: testservers, mw_kind: debug-image}
          mw_kind: debug_image
          mw_flavour: publish
          web_flavour: webserver
        """), "MW208")
    assert "did you mean 'debug-image'?" in f.message
    assert "of namespace 'mw-debug' (release 'a') is not a known kind" in f.message
    g = _one(doc("""
        - namespace: mw-cron
          releases: {main: {mw_kind: cli}}
          mw_flavour: publish
          web_flavour: webserver
        """), "MW208")
    assert "did you mean 'cli-image'?" in g.message


def test_mw209_message_and_did_you_mean():
    f = _one(doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        - namespace: mw-api-int
          releases: {main: {}}
          mw_flavour: pubilsh-83
          web_flavour: webserver-bookworm
        """), "MW209")
    assert f.yaml_path == "mw_releases[1].mw_flavour"
    assert "did you mean 'publish-83'" in f.message
    assert "mw-flavour-pattern" in f.message


def test_value_shared_through_an_anchor_is_reported_once_where_set():
    text = doc("""
        - namespace: mw-a
          releases: {main: {}}
          <<: &common
            mw_kind: debug_image
            mw_flavour: pubilsh
            web_flavour: webserver
        - namespace: mw-b
          releases: {main: {}, next: {}}
          <<: *common
        """)
    findings = lint(text)
    assert triples(findings, "MW208") == [("MW208", 5, 16)]
    assert triples(findings, "MW209") == [("MW209", 6, 19)]
    for f in findings:
        if f.code in ("MW208", "MW209"):
            # every owner and user would make the message too long: they lead the help
            assert " of 'mw-a' and 1 more " in f.message
            assert f.help.startswith(
                "set for namespace 'mw-a', namespace 'mw-b', one value shared through an anchor "
                "or merge key, used by releases 'mw-a/main', 'mw-b/main', 'mw-b/next'; ")


def test_bad_pattern_never_crashes():
    assert triples(lint(doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
        """), mw_flavour_pattern="(", web_flavour_pattern="["), "MW209") == []


# Where the T389499 recipe (the --fix of MW201) applies: the finding says fixable.
FIXABLE = [
    ("false", "debug: false", "", True),
    ("null", "debug: ~", "", True),
    ("string-false-is-not-boolean", 'debug: "false"', "", False),
    ("true-plain", "debug: true", "", True),
    ("true-explicit-production-stays-a-finding", "debug: true", "{stage: production}", True),
    # no faithful translation (deployments-config.md §3): the namespace is left alone
    ("true-explicit-canaries", "debug: true", "{stage: canaries}", False),
    ("true-namespace-other-kind", "debug: true\n  mw_kind: cli-image", "", False),
    ("true-namespace-debug-kind", "debug: true\n  mw_kind: debug-image", "", True),
    ("true-release-other-kind", "debug: true", "{mw_kind: image}", False),
    ("release-level-false", "", "{debug: false}", True),
    ("release-level-true", "", "{debug: true}", False),
]


@pytest.mark.parametrize("entry_extra,release_value,fixable",
                         [c[1:] for c in FIXABLE], ids=[c[0] for c in FIXABLE])
def test_mw201_fixable_only_where_the_recipe_applies(entry_extra, release_value, fixable):
    text = doc(f"""
- namespace: mw-debug
  releases:
    a: {{}}
    b: {release_value or "{}"}
  mw_flavour: publish
  web_flavour: webserver
  {entry_extra}
""")
    f = _one(text, "MW201")
    assert f.fixable is fixable, f.message


def test_a_debug_key_shared_through_an_anchor_is_one_mw201():
    text = doc("""
        - namespace: mw-a
          releases: {main: {stage: testservers}}
          mw_kind: debug-image
          <<: &old
            debug: false
            canary: c
          mw_flavour: publish
          web_flavour: webserver
        - namespace: mw-b
          releases: {main: {stage: testservers}}
          mw_kind: debug-image
          <<: *old
          mw_flavour: publish
          web_flavour: webserver
        """)
    findings = lint(text)
    assert triples(findings, "MW201") == [("MW201", 6, 7)]
    assert triples(findings, "MW205") == [("MW205", 7, 7)]
    for f in findings:
        if f.code in ("MW201", "MW205"):
            assert "also applies to 'mw-b'" in f.message + f.help and not f.fixable


# -- issue 12, item 2: what the messages got wrong -------------------------------------------

def test_mw201_says_what_happens_today_not_once_debug_is_gone():
    """scap already ignores debug: the releases deploy the production image now, not "once
    it is gone"."""
    f = _one(DEBUG_NS, "MW201")
    assert "once it is gone" not in f.message and "would" not in f.message
    assert "is ignored by scap, so 'pinkunicorn' and 'next' deploy the production image" \
        in f.message


def test_mw203_in_a_debug_namespace_does_not_contradict_itself():
    """It said both "it even runs the production image" and "where the debug image must not
    go"; now it says where the release lands and points at MW201 for the why."""
    for f in [f for f in lint(DEBUG_NS) if f.code == "MW203"]:
        assert "debug image" not in f.message and "production image" not in f.message
        assert f.message.endswith("deploys at the production stage (see MW201 at line 8)")


def test_mw202_and_mw203_point_at_the_mw201_finding_instead_of_repeating_why():
    fs = lint(DEBUG_NS)
    (debug,) = [f for f in fs if f.code == "MW201"]
    related = [f for f in fs if f.code in ("MW202", "MW203")]
    assert len(related) == 3
    for f in related:
        # MW203 in the message, MW202 in its help (its message says why: the production image)
        assert f"(see MW201 at line {debug.line})" in (f.message if f.code == "MW203"
                                                       else f.help)
        assert "scap ignores debug" not in f.message and "April 2025" not in f.message
