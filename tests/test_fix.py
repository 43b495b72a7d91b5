"""``--fix`` for the T389499 migration (mwlint/fix): the rewrite of each layout, byte for
byte, the cases that are left to a person (and why), and the agreement with MW201's
``fixable`` flag.

Snippets go through ``releases_doc``/``deployments_doc``: the hiera key is line 1, the body
starts on line 2, indented by two columns.
"""

import os
import textwrap

import pytest
from helpers import DEPLOYMENTS_KEY, RELEASES_KEY, deployments_doc, lint, releases_doc

from mwlint.engine import load_model
from mwlint.findings import Edit, Position
from mwlint.fix import fix_text
from mwlint.fix.textedit import OverlapError, apply_edits, unified_diff
from mwlint.settings import Settings

MIGRATION_CODES = ("MW201", "MW202", "MW203")


def doc(body):
    return releases_doc(body)


def migration_findings(text):
    return [(f.code, f.line, f.column) for f in lint(text) if f.code in MIGRATION_CODES]


# (id, before, after): the exact rewrite
REWRITES = [
    ("recipe-flow-releases", doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {}
            next: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
            next: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)),
    ("quoting-follows-the-flavours", doc("""
        - namespace: mw-debug
          releases:
            main: {}
          mw_flavour: "publish"
          web_flavour: "webserver"
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: "testservers"}
          mw_flavour: "publish"
          web_flavour: "webserver"
          mw_kind: "debug-image"
        """)),
    ("block-release-comment-kept", doc("""
        - namespace: mw-debug
          releases:
            # the unicorn
            pinkunicorn:
              mw_flavour: publish-81  # newer PHP
          mw_flavour: publish
          web_flavour: webserver
          debug: true  # T389499
        """), doc("""
        - namespace: mw-debug
          releases:
            # the unicorn
            pinkunicorn:
              stage: testservers
              mw_flavour: publish-81  # newer PHP
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image  # T389499
        """)),
    ("flow-release-with-keys-and-trailing-comma", doc("""
        - namespace: mw-debug
          releases:
            a: {mw_flavour: x}
            b: {mw_flavour: y,}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            a: {mw_flavour: x, stage: testservers}
            b: {mw_flavour: y, stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)),
    ("deploy-false-gets-no-stage", doc("""
        - namespace: mw-debug
          releases:
            main: {}
            parked: {deploy: false}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
            parked: {deploy: false}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)),
    ("existing-testservers-stage-kept", doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
            next: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
            next: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)),
    ("debug-false-line-removed", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: false

        - namespace: mw-api-int
          releases:
            main: {}
          debug: false   # trailing comment goes with its line
          mw_flavour: publish
          web_flavour: webserver
        """), doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver

        - namespace: mw-api-int
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("debug-null-removed", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: ~
        """), doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("debug-first-key-of-the-item", doc("""
        - debug: false
          namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """), doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("flow-entries", doc("""
        - {namespace: a, releases: {main: {}}, debug: true, mw_flavour: p, web_flavour: w}
        - {namespace: b, debug: false, releases: {main: {}}, mw_flavour: p, web_flavour: w}
        - {namespace: c, releases: {main: {}}, mw_flavour: p, web_flavour: w, debug: false}
        """), doc("""
        - {namespace: a, releases: {main: {stage: testservers}}, mw_kind: debug-image, mw_flavour: p, web_flavour: w}
        - {namespace: b, releases: {main: {}}, mw_flavour: p, web_flavour: w}
        - {namespace: c, releases: {main: {}}, mw_flavour: p, web_flavour: w}
        """)),  # noqa: E501
    ("already-migrated-namespace", doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("null-namespace-kind-becomes-debug-image", doc("""
        - namespace: mw-debug
          releases:
            main: {}
          mw_kind: ~
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        - namespace: mw-misc
          releases:
            main: {}
          mw_kind:
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        - namespace: mw-misc
          releases:
            main: {stage: testservers}
          mw_kind: debug-image
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("release-level-debug-false", doc("""
        - namespace: mw-web
          releases:
            main: {debug: false, mw_flavour: x}
            next:
              debug: false
              mw_flavour: y
          mw_flavour: publish
          web_flavour: webserver
        """), doc("""
        - namespace: mw-web
          releases:
            main: {mw_flavour: x}
            next:
              mw_flavour: y
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("null-release-gets-its-stage", doc("""
        - namespace: mw-debug
          releases:
            main:
            next: ~
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
            next: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)),
    ("comment-between-key-and-value-kept", doc("""
        - namespace: mw-debug
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: # was it?
            true
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: # goes with the pair
            false
        """), doc("""
        - namespace: mw-debug
          releases: {main: {stage: testservers}}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: # was it?
            debug-image
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
        """)),
    ("comment-inside-a-flow-pair-goes-with-it", doc("""
        - {namespace: mw-web, releases: {main: {}}, mw_flavour: publish, web_flavour: webserver,
           debug: # no
             false}
        """), doc("""
        - {namespace: mw-web, releases: {main: {}}, mw_flavour: publish, web_flavour: webserver}
        """)),
    ("mapping-form", deployments_doc("""
        deployment_targets:
          - namespace: mw-debug
            scope: train
            releases:
              main: {}
            mw_flavour: publish-83
            web_flavour: webserver-bookworm
            debug: true
        supervision_rules:
          - scope: train
            stages: {}
        """), deployments_doc("""
        deployment_targets:
          - namespace: mw-debug
            scope: train
            releases:
              main: {stage: testservers}
            mw_flavour: publish-83
            web_flavour: webserver-bookworm
            mw_kind: debug-image
        supervision_rules:
          - scope: train
            stages: {}
        """)),
    ("crlf-line-endings", doc("""
        - namespace: mw-debug
          releases:
            main:
              mw_flavour: x
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """).replace("\n", "\r\n"), doc("""
        - namespace: mw-debug
          releases:
            main:
              stage: testservers
              mw_flavour: x
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """).replace("\n", "\r\n")),
    ("no-final-newline", doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """).rstrip("\n"), doc("""
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          web_flavour: webserver
        """)),
]


@pytest.mark.parametrize("before,after", [c[1:] for c in REWRITES], ids=[c[0] for c in REWRITES])
def test_rewrite(before, after):
    result = fix_text(before, "k.yaml")
    assert result.error is None
    assert result.fixed == after
    # the rewrite is complete: no migration finding is left, and nothing new appears
    assert migration_findings(result.fixed) == []
    before_other = {f.code for f in lint(before)} - set(MIGRATION_CODES)
    assert {f.code for f in lint(result.fixed)} <= before_other
    # idempotent
    assert fix_text(result.fixed, "k.yaml").fixed == result.fixed


# (id, text, path of the debug key left alone, words of the reason)
LEFT_ALONE = [
    ("legacy-flat-entry", doc("""
        - namespace: mw-debug
          release: main
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "legacy"),
    ("non-boolean-debug", doc("""
        - namespace: mw-debug
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: "true"
        """), ["mw_releases[0].debug"], "not a boolean"),
    ("namespace-other-kind", doc("""
        - namespace: mw-cli
          releases: {main: {}}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "no faithful translation"),
    ("release-other-kind", doc("""
        - namespace: mw-debug
          releases:
            main: {}
            prod: {mw_kind: image}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "no faithful translation"),
    ("scalar-release", doc("""
        - namespace: mw-debug
          releases:
            main: yes
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "not a mapping"),
    ("no-releases-map", doc("""
        - namespace: mw-debug
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "without a releases map"),
    ("release-debug-true", doc("""
        - namespace: mw-web
          releases:
            main: {debug: true}
          mw_flavour: publish
          web_flavour: webserver
        """), ["mw_releases[0].releases.main.debug"], "never valid"),
    ("anchored-releases-shared", doc("""
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
        """), ["mw_releases[0].debug"], "shared through an anchor"),
    ("anchored-entry-shared", doc("""
        - &base
          namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        - *base
        """), ["mw_releases[0].debug", "mw_releases[1].debug"], "shared through an anchor"),
    ("debug-through-merge-key", doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          <<: {debug: false}
        """), ["mw_releases[0].debug"], "alias or a merge key"),
    ("comment-in-a-flow-separator", doc("""
        - {namespace: mw-web, releases: {main: {}}, mw_flavour: publish,  # the flavour
           debug: false}
        """), ["mw_releases[0].debug"], "comment"),
    # a key that is a list or a mapping (MW103/MW104): its contents are not modelled, so a
    # migration could miss a release there
    ("complex-release-name", doc("""
        - namespace: mw-debug
          releases:
            main: {}
            ? [canary]
            : {}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """), ["mw_releases[0].debug"], "list or a mapping"),
    ("complex-entry-key", doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          ? {releases: {canary: {}}}
          : x
          debug: false
        """), ["mw_releases[0].debug"], "list or a mapping"),
    ("complex-key-in-a-release", doc("""
        - namespace: mw-web
          releases:
            main: {debug: false, ? [stage] : canaries}
          mw_flavour: publish
          web_flavour: webserver
        """), ["mw_releases[0].releases.main.debug"], "list or a mapping"),
]


def skipped(text):
    """The debug keys the migration planner leaves to a person, with the reason."""
    hiera = load_model(text, "k.yaml", Settings())
    return [sk for p in hiera.migration().plans() for sk in p.skipped]


@pytest.mark.parametrize("name,text,paths,reason", LEFT_ALONE, ids=[c[0] for c in LEFT_ALONE])
def test_left_alone(name, text, paths, reason):
    result = fix_text(text, "k.yaml")
    assert result.fixed == text and result.applied == ()
    left = skipped(text)
    assert [s.path for s in left] == paths
    assert all(reason in s.reason for s in left)
    # the MW201 finding stays, and does not promise a fix: the rule attaches the fix the
    # model plans, which sees anchors and comments too (it used to promise one there)
    found = lint(text)
    mw201 = [f for f in found if f.code == "MW201"]
    assert mw201
    assert not any(f.fixable or f.fix for f in found if f.code in MIGRATION_CODES)
    # and its help says why --fix leaves it (a flat entry's help says to convert it, a true
    # debug in a release's to decide what the release should be)
    if name not in ("legacy-flat-entry", "release-debug-true"):
        assert all(f"not fixed automatically: {reason}" in f.help
                   or ("not fixed automatically: " in f.help and reason in f.help)
                   or "--fix leaves it alone" in f.help  # shared: one finding, two places
                   for f in mw201), [f.help for f in mw201]


def test_fixable_flag_agrees_with_the_fixer():
    """MW201's ``fixable`` promises exactly what --fix does (JSON ``fixable`` per finding)."""
    texts = [c[1] for c in REWRITES] + [c[1] for c in LEFT_ALONE]
    for text in texts:
        result = fix_text(text, "k.yaml")
        fixed = {f.yaml_path for f in result.repaired if f.code == "MW201"}
        for f in lint(text):
            if f.code == "MW201":
                assert f.fixable == (f.yaml_path in fixed), (f.yaml_path, text)


def test_explicit_other_stage_stays_a_finding():
    text = doc("""
        - namespace: mw-debug
          releases:
            main: {}
            prod: {stage: production}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """)
    result = fix_text(text, "k.yaml")
    assert result.fixed == doc("""
        - namespace: mw-debug
          releases:
            main: {stage: testservers}
            prod: {stage: production}
          mw_flavour: publish
          web_flavour: webserver
          mw_kind: debug-image
        """)
    # a person decides: MW203 at the production release remains (it had no fix)
    assert migration_findings(result.fixed) == [("MW203", 5, 7)]
    (mw203,) = [f for f in lint(text) if f.code == "MW203"
                and f.yaml_path == "mw_releases[0].releases.prod"]
    assert mw203.fix is None


def test_a_release_at_canaries_leaves_its_debug_namespace_alone():
    """deployments-config.md §3: a canary in a debug namespace was dropped before April 2025
    and sent to testservers in the transition week. The fixer used to add
    mw_kind: debug-image, silently turning it into a debug image at canaries."""
    text = doc("""
        - namespace: mw-debug
          releases:
            main: {}
            canary: {stage: canaries}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        """)
    result = fix_text(text, "k.yaml")
    assert result.fixed == text and result.applied == ()
    (sk,) = skipped(text)
    assert sk.path == "mw_releases[0].debug"
    assert "'canary' says stage: canaries" in sk.reason and "a person decides" in sk.reason
    found = [f for f in lint(text) if f.code in MIGRATION_CODES]
    assert {f.code for f in found} == {"MW201", "MW202", "MW203"}
    assert not any(f.fixable or f.fix for f in found)


def test_other_entries_fixed_when_one_is_left_alone():
    text = doc("""
        - namespace: mw-cli
          releases: {main: {}}
          mw_kind: cli-image
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """)
    result = fix_text(text, "k.yaml")
    assert result.fixed == text.replace("    debug: false\n", "")
    assert [s.path for s in skipped(text)] == ["mw_releases[0].debug"]
    assert [f.yaml_path for f in result.applied] == ["mw_releases[1].debug"]


def test_nothing_to_do():
    text = doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
        """)
    result = fix_text(text, "k.yaml")
    assert not result.changed and result.applied == () and result.refused == ()
    assert result.diff() == ""


@pytest.mark.parametrize("text", [
    "key: [unclosed\n" + RELEASES_KEY + ":\n  - namespace: x\n",
    RELEASES_KEY + ": &a [*a]\n",
])
def test_unparsable_input_is_an_error_not_a_crash(text):
    result = fix_text(text, "k.yaml")
    assert result.fixed == text
    assert result.error and result.error.startswith("not fixed")


def test_file_without_the_key_is_untouched():
    text = "other::key:\n  debug: true\n"
    assert fix_text(text, "k.yaml").fixed == text


def test_text_outside_the_value_is_never_touched():
    text = textwrap.dedent("""\
        # header comment
        defaults: &d
          debug: true
        other:
          <<: *d
        """) + doc("""
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """) + "trailing::key: {debug: false}\n"
    result = fix_text(text, "k.yaml")
    assert result.fixed == text.replace("    debug: false\n", "")


def test_rendered_file_and_mapping_key():
    text = textwrap.dedent("""\
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """)
    result = fix_text(text, "etc/mediawiki-deployments.yaml")
    assert result.fixed == text.replace("  debug: false\n", "")
    assert [f.yaml_path for f in result.applied] == ["mediawiki-deployments[0].debug"]
    assert DEPLOYMENTS_KEY not in result.fixed


# -- text edit primitives ---------------------------------------------------------------

def E(start, end, content):
    """An edit of a one-line text by offsets."""
    return Edit(content, Position(1, start + 1, start), Position(1, end + 1, end))


def test_apply_edits_and_overlap():
    assert apply_edits("abcdef", [E(4, 5, "E"), E(0, 1, ""), E(2, 2, "+")]) == "b+cdEf"
    with pytest.raises(OverlapError):
        apply_edits("abcdef", [E(0, 3, ""), E(2, 4, "")])
    with pytest.raises(OverlapError):
        apply_edits("abcdef", [E(2, 2, "x"), E(2, 2, "y")])
    with pytest.raises(OverlapError):  # outside the text
        apply_edits("abc", [E(2, 9, "")])


def test_unified_diff_shape():
    old = "".join(f"    mw_flavour: \"publish\"\n    line{i}\n" for i in range(60))
    new = old.replace("    line30\n", "    line30\n    mw_kind: x\n")
    d = unified_diff(old, new, "/abs/k.yaml")
    lines = d.splitlines()
    assert lines[:2] == ["--- a/abs/k.yaml", "+++ b/abs/k.yaml"]
    # one hunk, three lines of context each side, and no unchanged line shown as changed
    assert lines[2] == "@@ -60,6 +60,7 @@"
    assert [x for x in lines[3:] if x[0] in "+-"] == ["+    mw_kind: x"]
    d2 = unified_diff("a\nb", "a\nc", "k.yaml")
    assert d2.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")


@pytest.mark.parametrize("path, header", [
    ("k\n+++ b/x\n@@ -1 +1 @@.yaml", '"a/k\\n+++ b/x\\n@@ -1 +1 @@.yaml"'),
    ("/abs/tab\there.yaml", '"a/abs/tab\\there.yaml"'),
    ("k\x1b[2J.yaml", '"a/k\\033[2J.yaml"'),
])
def test_unified_diff_quotes_unsafe_names_like_git(path, header):
    """A name with a newline used to forge +++ and @@ lines: it is C-quoted, like git."""
    lines = unified_diff("a\n", "b\n", path).splitlines()
    assert lines[0] == "--- " + header
    assert lines[1] == "+++ " + header.replace('"a/', '"b/', 1)
    assert lines[2:] == ["@@ -1 +1 @@", "-a", "+b"]


def test_readme_migration_example_is_what_fix_does():
    """The before/after of README "Migrating off debug" is the fixer's real output."""
    import os
    import re

    from helpers import HERE

    with open(os.path.join(os.path.dirname(HERE), "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme[readme.index("## Migrating off debug"):]
    section = section[:section.index("\n## ", 1)]
    before, after = re.findall(r"```yaml\n# (?:before|after)\n(.*?)```", section, re.S)
    result = fix_text(doc(before), "k.yaml")
    assert result.fixed == doc(after)
    assert "mwlint --diff " in section and "mwlint --fix " in section


def test_a_rewrite_that_misses_the_intended_model_is_not_applied(monkeypatch):
    """The proof step: an edit whose re-parsed model is not the intended one is dropped
    (here a planted bug writes the wrong stage), and the other entries still get fixed."""
    from mwlint.model import migration as planner

    real = planner.Planner._add_stage

    def wrong_stage(self, release, quote):
        e = real(self, release, quote)
        return e._replace(text=e.text.replace("testservers", "canaries"))

    monkeypatch.setattr(planner.Planner, "_add_stage", wrong_stage)
    text = doc("""
        - namespace: mw-debug
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: true
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
          debug: false
        """)
    result = fix_text(text, "k.yaml")
    assert result.fixed == text.replace("    debug: false\n", "")
    assert [r.finding.yaml_path for r in result.refused] == ["mw_releases[0].debug"]
    assert result.refused[0].reason == ("the rewritten text does not pass the proof (the MW203 "
                                        "finding it repairs would remain)")


DEBUG_TRUE = doc("""
    - namespace: mw-debug
      releases:
        main: {}
      mw_flavour: publish
      web_flavour: webserver
      debug: true
    """)


@pytest.mark.parametrize("text,settings", [
    (DEBUG_TRUE, {"select": ("MW202", "MW203")}),  # MW201 not selected
    (DEBUG_TRUE.replace("debug: true", "debug: true  # mwlint: disable=MW201"), {}),
], ids=["mw201-not-selected", "mw201-suppressed"])
def test_repaired_by_a_finding_that_is_not_reported_is_not_fixable(text, settings):
    """MW202/MW203 are repaired by MW201's fix: without that finding in the run, they have no
    fix, and --fix (which applies the findings' fixes) leaves the entry alone."""
    from mwlint.settings import Settings

    found = [f for f in lint(text, **settings) if f.code in MIGRATION_CODES]
    assert {f.code for f in found} == {"MW202", "MW203"}
    assert not any(f.fixable or f.fix for f in found)
    assert fix_text(text, "k.yaml", Settings(**settings)).fixed == text
    # with MW201 reported, they are repaired by its fix, which carries the edits
    everything = [f for f in lint(DEBUG_TRUE) if f.code in MIGRATION_CODES]
    (mw201,) = [f for f in everything if f.code == "MW201"]
    assert mw201.fix.edits and mw201.fix.repaired_by is None
    for f in everything:
        if f.code != "MW201":
            assert f.fixable and f.fix.edits == ()
            assert f.fix.repaired_by == ("MW201", mw201.line, mw201.column)
            assert f.fix.message == f"repaired by the MW201 fix at line {mw201.line}"


def test_fix_edits_carry_line_column_and_offset():
    (mw201,) = [f for f in lint(DEBUG_TRUE) if f.code == "MW201"]
    lines = DEBUG_TRUE.splitlines(keepends=True)
    for e in mw201.fix.edits:
        for p in (e.start, e.end):
            assert sum(len(x) for x in lines[:p.line - 1]) + p.column - 1 == p.offset
    fixed = DEBUG_TRUE
    for e in sorted(mw201.fix.edits, key=lambda e: e.start.offset, reverse=True):
        fixed = fixed[:e.start.offset] + e.content + fixed[e.end.offset:]
    assert fixed == fix_text(DEBUG_TRUE, "k.yaml").fixed != DEBUG_TRUE


def test_an_unsafe_fix_is_not_applied(monkeypatch):
    """--fix applies the ``safe`` fixes only; --unsafe-fixes the unsafe ones too."""
    from mwlint.model import migration

    real = migration.Migration.debug_fix

    def unsafe(self, entry, field):
        fix = real(self, entry, field)
        return fix._replace(applicability="unsafe") if fix is not None else None

    monkeypatch.setattr(migration.Migration, "debug_fix", unsafe)
    assert fix_text(DEBUG_TRUE, "k.yaml").fixed == DEBUG_TRUE
    # --unsafe-fixes applies it, and the findings it repairs go with it
    result = fix_text(DEBUG_TRUE, "k.yaml", unsafe=True)
    assert result.changed and {f.code for f in result.repaired} == set(MIGRATION_CODES)


def test_a_plain_check_never_loads_the_migration():
    """Start-up cost stays flat: the migration is planned only for a file with debug keys."""
    import subprocess
    import sys

    from helpers import HERE

    code = ("import sys; from mwlint.engine import lint_text; "
            "lint_text(sys.stdin.read(), 'k.yaml'); "
            "print('mwlint.model.migration' in sys.modules)")
    clean = DEBUG_TRUE.replace("    debug: true\n", "")
    assert "debug:" not in clean
    for text, loaded in ((clean, "False"), (DEBUG_TRUE, "True")):
        p = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                           text=True, cwd=os.path.dirname(HERE), timeout=30)
        assert p.stdout.strip() == loaded, p.stderr


def test_a_refused_fix_leaves_nothing_it_would_repair_fixable(monkeypatch):
    """The proof refuses MW201's fix (a planted bug writes the wrong stage): the MW201 left
    says why, and the MW202/MW203 it would have repaired are no longer marked fixable."""
    from mwlint.fix.command import FileFix, FixRun
    from mwlint.model import migration

    real = migration.Planner._add_stage
    monkeypatch.setattr(migration.Planner, "_add_stage", lambda self, r, q: real(
        self, r, q)._replace(text="stage: canaries\n      "))
    block = DEBUG_TRUE.replace("main: {}", "main:\n        deploy: true")
    result = fix_text(block, "k.yaml")
    assert not result.changed and "does not pass the proof" in result.refused[0].reason
    found = [f for f in lint(block, path="k.yaml") if f.code in MIGRATION_CODES]
    assert {f.code for f in found} == {"MW201", "MW202", "MW203"}
    assert all(f.fixable for f in found)  # promised by the plan...
    left = FixRun([FileFix("k.yaml", result)], False, len(found), 0).annotate(found)
    assert not any(f.fixable or f.fix for f in left)  # ...refused by the proof
    (mw201,) = [f for f in left if f.code == "MW201"]
    assert mw201.message.endswith("(not fixed automatically)")
