"""MW401–MW406, table-driven, in-process: (code, line, column) on the hiera side and in the
report file."""

from __future__ import annotations

import json
import textwrap

import pytest
from helpers import deployments_doc, releases_doc, triples

from mwlint.engine import check_report_text
from mwlint.settings import Settings

REG = "docker-registry.discovery.wmnet/restricted/"


def report(mw=None, web=None) -> str:
    """A current-shape report, one line per flavour (so positions are easy to read)."""
    mw = {"publish-83": ("image", "debug-image", "cli-image")} if mw is None else mw
    web = {"webserver-bookworm": ("image",)} if web is None else web

    def flavours(section, d):
        lines = []
        for name, kinds in d.items():
            k = ", ".join(f'"{kind}": {{"image_name": "{REG}{section}:{name}-{kind}"}}'
                          for kind in kinds)
            lines.append(f'    "{name}": {{"kinds": {{{k}}}, "metadata": {{}}}}')
        return ",\n".join(lines)

    return ('{\n  "mediawiki": {"flavours": {\n' + flavours("mw", mw) + "\n  }},\n"
            '  "webserver": {"flavours": {\n' + flavours("web", web) + "\n  }}\n}\n")


def check(report_text, hiera=None, **settings):
    return check_report_text(textwrap.dedent(report_text) if report_text else report_text,
                             hiera, settings=Settings(**settings))


def only(findings, *codes):
    return [f for f in findings if f.code in codes]


def codes_of(findings, prefix="MW4"):
    return sorted(f.code for f in findings if f.code.startswith(prefix))


# -- hiera side: MW402, MW403, MW404 ---------------------------------------------------------

# Every snippet is under the mw_releases key (line 1); entries start on line 2, indented by 2.
HIERA_CASES = [
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
            canary: {stage: canaries}
          mw_flavour: publish-81
          web_flavour: webserver-bookworm
        """, report(), [("MW402", 6, 17)], id="mw402-namespace-flavour-once-for-all-releases"),
    pytest.param(
        """
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers}
            next: {stage: testservers, mw_flavour: publish-84}
          mw_kind: debug-image
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(), [("MW402", 5, 46)], id="mw402-release-level-flavour"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {web_flavour: webserver}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(), [("MW402", 4, 27)], id="mw402-release-level-web-flavour"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish-83
          web_flavour: webserver
        """, report(), [("MW402", 6, 18)], id="mw402-web-flavour"),
    pytest.param(
        """
        - namespace: mw-script
          releases:
            main: {deploy: false}
          mw_kind: cli-image
          mw_flavour: publish-84
          web_flavour: webserver-bookworm
        """, report(mw={"publish-83": ("image",)}), [("MW402", 6, 17)],
        id="mw402-only-no-mw403-for-a-missing-flavour"),
    pytest.param(
        """
        - namespace: mw-script
          releases:
            main: {deploy: false}
            next: {deploy: false}
          mw_kind: cli-image
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(mw={"publish-83": ("image", "debug-image")}), [("MW403", 6, 14)],
        id="mw403-namespace-kind-deploy-false-included"),
    pytest.param(
        """
        - namespace: mw-misc
          releases:
            main: {stage: testservers, mw_kind: debug-imag}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(), [("MW403", 4, 43)], id="mw403-release-level-kind"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
            canary: {stage: canaries}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(mw={"publish-83": ("debug-image",)}), [("MW403", 4, 7)],
        id="mw403-default-kind-image-once-at-the-first-release-name"),
    pytest.param(
        """
        - namespace: mw-debug
          releases:
            pinkunicorn: {stage: testservers, mw_kind: ~}
          mw_kind: debug-image
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(mw={"publish-83": ("debug-image",)}), [("MW403", 4, 50)],
        id="mw403-null-kind-means-image-at-the-null"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(web={"webserver-bookworm": ("debug-image",)}), [("MW404", 6, 18)],
        id="mw404-web-flavour-without-image"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
          mw_kind: debug-image
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """, report(mw={"publish-83": ("debug-image",)}), [],
        id="good-debug-image-namespace"),
    pytest.param(
        """
        - namespace: mw-web
          release: main
          canary: canary
          mw_flavour: publish-81
          web_flavour: webserver
          debug: false
        """, report(), [], id="legacy-flat-entry-skipped"),
    pytest.param(
        """
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish-81
          web_flavour: webserver-bookworm
          clusters: []
        """, report(), [], id="empty-clusters-no-record-no-lookup"),
    pytest.param(
        """
        - namespace: a
          releases: {main: {}}
          mw_flavour: &f publish-81
          web_flavour: webserver-bookworm
        - namespace: b
          releases: {main: {}}
          mw_flavour: *f
          web_flavour: webserver-bookworm
        """, report(), [("MW402", 4, 17)], id="mw402-anchor-reported-once-where-set"),
]


@pytest.mark.parametrize("body, report_text, expected", HIERA_CASES)
def test_hiera_side(body, report_text, expected):
    findings = [f for f in check(report_text, releases_doc(body))
                if f.code in ("MW402", "MW403", "MW404")]
    assert triples(findings) == expected
    assert all(f.path.endswith("kubernetes.yaml") for f in findings)


def test_mw402_message_lists_releases_clusters_and_report_flavours():
    body = """
    - namespace: mw-web
      releases:
        main: {}
        canary: {stage: canaries}
      mw_flavour: publish-81
      web_flavour: webserver-bookworm
    """
    (f,) = [f for f in check(report(mw={"publish-83": ("image",), "publish-83-next": ("image",)}),
                             releases_doc(body)) if f.code == "MW402"]
    assert f.yaml_path == "mw_releases[0].mw_flavour"
    assert f.severity == "error"
    assert f.message == ("mw_flavour 'publish-81' of 'mw-web' (main, canary) is not in the "
                         "build report: scap aborts the sync")
    # publish-83 is another PHP version, not a typo of publish-81: no did-you-mean
    assert f.help.endswith(" ('publish-83', 'publish-83-next'), or add 'publish-81' to the "
                           "image build")
    assert f.context == ("mw-web", None, "mw_flavour", "publish-81")
    assert (f.end_line, f.end_column) == (6, 27)


def test_mw403_message_names_deploy_false_and_has_no_bogus_suggestion():
    body = """
    - namespace: mw-script
      releases:
        main: {deploy: false}
      mw_kind: cli-image
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    """
    (f,) = only(check(report(mw={"publish-83": ("image", "debug-image")}), releases_doc(body)),
                "MW403")
    assert "of 'mw-script/main' is not built" in f.message  # deploy: false is resolved too
    assert "'debug-image', 'image'" in f.help
    assert "did you mean" not in f.message  # cli-image is not a typo of image
    assert f.context == ("mw-script", None, "mw_kind", "cli-image")


def test_mw403_typo_gets_a_suggestion_and_release_context():
    body = """
    - namespace: mw-misc
      releases:
        main: {stage: testservers, mw_kind: debug-imag}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    """
    (f,) = only(check(report(), releases_doc(body)), "MW403")
    assert "did you mean 'debug-image'" in f.message
    assert f.yaml_path == "mw_releases[0].releases.main.mw_kind"
    assert f.context == ("mw-misc", "main", "mw_kind", "debug-imag")


def test_mw403_default_kind_message():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    """
    (f,) = only(check(report(mw={"publish-83": ("debug-image",)}), releases_doc(body)), "MW403")
    assert f.yaml_path == "mw_releases[0].releases.main"
    assert "sets no mw_kind" in f.message and "kind 'image'" in f.message


def test_mapping_form_and_several_nodes():
    body = """
    deployment_targets:
      - namespace: mw-web
        scope: train
        releases:
          main: {}
        mw_flavour: publish-81
        web_flavour: webserver
      - namespace: mw-cron
        releases:
          main: {}
        mw_kind: cli-image
        mw_flavour: publish-83
        web_flavour: webserver-bookworm
    supervision_rules: []
    """
    findings = only(check(report(mw={"publish-83": ("image",)}), deployments_doc(body)),
                    "MW402", "MW403", "MW404")
    assert triples(findings) == [("MW402", 7, 19), ("MW402", 8, 20), ("MW403", 12, 16)]
    assert findings[0].yaml_path == "mw_deployments.deployment_targets[0].mw_flavour"


def test_invalid_shape_is_not_cross_checked():
    hiera = releases_doc("namespace: mw-web")
    findings = check(report(), hiera)
    assert codes_of(findings, "MW") == ["MW101"]


def test_default_clusters_reach_the_cross_check():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-81
      web_flavour: webserver-bookworm
    """
    (f,) = only(check(report(), releases_doc(body), default_clusters=("traindev",)), "MW402")
    assert f.message.startswith("mw_flavour 'publish-81' of 'mw-web/main' ")


# -- report side: MW401 ---------------------------------------------------------------------

GOOD_FLAVOUR = '{"kinds": {"image": {"image_name": "r:1"}}, "metadata": {}}'
GOOD_WEB = '"webserver": {"flavours": {"w": ' + GOOD_FLAVOUR + "}}"

REPORT_CASES = [
    pytest.param("", [("MW401", 1, 1)], id="empty-file"),
    pytest.param("  \n\n", [("MW401", 1, 1)], id="whitespace-only"),
    pytest.param("\ufeff{}", [("MW401", 1, 1)], id="byte-order-mark"),
    pytest.param('{\n  "mediawiki": {"flavours": {}},\n}\n', [("MW401", 3, 1)],
                 id="invalid-json-trailing-comma"),
    pytest.param('{"mediawiki": ', [("MW401", 1, 15)], id="truncated"),
    pytest.param("[1, 2]", [("MW401", 1, 1)], id="not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {"p": ' + GOOD_FLAVOUR + "}}\n}",
                 [("MW401", 1, 1)], id="no-webserver-section"),
    pytest.param('{\n  "mediawiki": "publish",\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 2, 16)], id="section-not-an-object"),
    pytest.param('{\n  "mediawiki": {"images": {}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 2, 3)], id="section-without-flavours-at-its-key"),
    pytest.param('{\n  "mediawiki": {"flavours": {}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 2, 29)], id="flavours-empty"),
    pytest.param('{\n  "mediawiki": {"flavours": []},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 2, 29)], id="flavours-not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": "r:1"}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 3, 10)], id="flavour-not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"metadata": {}}}},\n  '
                 + GOOD_WEB + "\n}", [("MW401", 3, 5)], id="flavour-without-kinds"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": ["image"], '
                 '"metadata": {}}}},\n  ' + GOOD_WEB + "\n}", [("MW401", 3, 20)],
                 id="kinds-not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {}, "metadata": {}}}},\n  '
                 + GOOD_WEB + "\n}", [("MW401", 3, 20)], id="kinds-empty"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {\n      "image": {}},\n'
                 '      "metadata": {}}}},\n  ' + GOOD_WEB + "\n}", [("MW401", 4, 7)],
                 id="kind-without-image-name-at-the-kind-key"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {\n      "image": '
                 '{"image_name": null}},\n      "metadata": {}}}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 4, 31)], id="image-name-null"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {\n      "image": '
                 '{"image_name": " "}},\n      "metadata": {}}}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 4, 31)], id="image-name-blank"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {\n      "image": '
                 '"r:1"},\n      "metadata": {}}}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 4, 16)], id="kind-not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {"image": {"image_name":'
                 ' "r:1"}}}}},\n  ' + GOOD_WEB + "\n}", [("MW401", 3, 5)],
                 id="flavour-without-metadata-at-the-flavour-key"),
    pytest.param('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {"image": {"image_name":'
                 ' "r:1"}},\n          "metadata": "8.3"}}},\n  ' + GOOD_WEB + "\n}",
                 [("MW401", 4, 23)], id="metadata-not-an-object"),
    pytest.param('{\n  "mediawiki": {"flavours": {"p": ' + GOOD_FLAVOUR + '}},\n'
                 '  "webserver": {"by-flavour": {"w": {"image": "r:1"}}}\n}',
                 [("MW401", 3, 3)], id="sections-in-different-shapes"),
    pytest.param('{"mediawiki": {"flavours": {"p": {"kinds": {"image": {"image_name": 1}}, '
                 '"metadata": {}}}}, ' + GOOD_WEB + "}", [("MW401", 1, 69)],
                 id="minified-one-line"),
    pytest.param('{"mediawiki": {"flavours": {"pé€": {"kinds": {"image": {"image_name": 1}}, '
                 '"metadata": {}}}}, ' + GOOD_WEB + "}", [("MW401", 1, 71)],
                 id="columns-count-characters"),
    pytest.param('{"mediawiki": {"flavours": {"p": {"kinds": {"image": {"image_name": 1}}, '
                 '"kinds": {"image": {"image_name": 2}}, "metadata": {}}}}, ' + GOOD_WEB + "}",
                 [("MW401", 1, 108)], id="repeated-key-last-wins-like-json"),
    pytest.param('{"mediawiki": {"flavours": {"p\\"}": {"kinds": {"image": {"image_name": 1}}, '
                 '"metadata": {}}}}, ' + GOOD_WEB + "}", [("MW401", 1, 72)],
                 id="escaped-quote-and-brace-in-key"),
    pytest.param("[" * 100000 + "]" * 100000, [("MW401", 1, 1)], id="nesting-too-deep"),
    pytest.param('{"mediawiki": NaN, ' + GOOD_WEB + "}", [("MW401", 1, 15)],
                 id="nan-section"),
]


@pytest.mark.parametrize("text, expected", REPORT_CASES)
def test_report_side(text, expected):
    findings = check_report_text(text, report_path="report.json")
    assert triples(findings) == expected
    assert all(f.path == "report.json" for f in findings)


def test_report_side_paths_and_end_positions():
    text = ('{\n  "mediawiki": {"flavours": {\n    "p": {"kinds": {\n      "image": {}},\n'
            '      "metadata": {}}}},\n  ' + GOOD_WEB + "\n}")
    (f,) = check_report_text(text)
    assert f.yaml_path == "mediawiki.flavours.p.kinds.image"
    assert (f.line, f.column, f.end_line, f.end_column) == (4, 7, 4, 14)  # the "image" key
    assert "has no 'image_name'" in f.message


def test_yaml_path_quotes_dotted_flavour():
    text = ('{"mediawiki": {"flavours": {"publish-8.3": {"kinds": {}, "metadata": {}}}}, '
            + GOOD_WEB + "}")
    (f,) = check_report_text(text)
    assert f.yaml_path == 'mediawiki.flavours."publish-8.3".kinds'


def test_invalid_json_message_and_no_cross_check():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-81
      web_flavour: webserver
    """
    findings = check_report_text('{"mediawiki": }', releases_doc(body))
    assert triples(findings) == [("MW401", 1, 15)]
    assert "not valid JSON" in findings[0].message


def test_broken_flavour_is_not_also_mw403():
    body = """
    - namespace: mw-cron
      releases: {main: {}}
      mw_kind: cli-image
      mw_flavour: p
      web_flavour: w
    """
    text = '{"mediawiki": {"flavours": {"p": {"kinds": {}, "metadata": {}}}}, ' + GOOD_WEB + "}"
    assert codes_of(check_report_text(text, releases_doc(body))) == ["MW401"]


# -- MW405 ------------------------------------------------------------------------------------

def test_mw405_unused_flavour_and_kind_at_their_keys():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    """
    text = report(mw={"publish-83": ("image", "debug-image"), "publish-83-next": ("image",)},
                  web={"webserver-bookworm": ("image",), "webserver": ("image",)})
    findings = check(text, releases_doc(body))
    assert triples(findings) == [("MW405", 3, 121), ("MW405", 4, 5), ("MW405", 8, 5)]
    by_path = {f.yaml_path: f for f in findings}
    assert set(by_path) == {"mediawiki.flavours.publish-83.kinds.debug-image",
                            "mediawiki.flavours.publish-83-next",
                            "webserver.flavours.webserver"}
    assert all(f.severity == "info" for f in findings)


def test_mw405_web_kind_other_than_image_even_without_config():
    text = report(web={"webserver-bookworm": ("image", "debug-image")})
    findings = check(text)
    assert triples(findings) == [("MW405", 6, 138)]
    assert "which no release can use" in findings[0].message
    assert "always looks up the web image as kind 'image'" in findings[0].help


def test_mw405_needs_a_config_for_unused_entries():
    assert check(report(mw={"a": ("image",), "b": ("image",)})) == []


def test_select_and_ignore_apply():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-81
      web_flavour: webserver-bookworm
    """
    text = report(mw={"publish-83": ("image",), "x": ("image",)})
    assert codes_of(check(text, releases_doc(body))) == ["MW402", "MW405", "MW405"]
    assert codes_of(check(text, releases_doc(body), ignore=("MW405",))) == ["MW402"]
    assert codes_of(check(text, releases_doc(body), select=("MW405",))) == ["MW405", "MW405"]
    assert check(text, releases_doc(body), severity={"MW402": "warning"})[0].severity == \
        "warning"


# -- MW406: older shapes ---------------------------------------------------------------------

BY_FLAVOUR = """\
{
  "mediawiki": {"by-flavour": {
    "publish-83": {"image": "r:1", "debug-image": "r:2"}}},
  "webserver": {"by-flavour": {
    "webserver-bookworm": {"image": "r:3"},
    "webserver": {"debug-image": "r:4"}}}
}
"""

FLAT = """\
{
  "mediawiki": {"multiversion-image": "r:1"},
  "webserver": {"image": "r:3"}
}
"""


def test_mw406_by_flavour_is_cross_checked():
    body = """
    - namespace: mw-cron
      releases: {main: {}}
      mw_kind: cli-image
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-81
      web_flavour: webserver
    """
    findings = check(BY_FLAVOUR, releases_doc(body))
    assert triples(findings) == [
        ("MW403", 4, 14), ("MW402", 9, 17), ("MW404", 10, 18),
        ("MW406", 2, 17), ("MW405", 3, 20), ("MW405", 3, 36), ("MW405", 6, 19)]
    mw406 = [f for f in findings if f.code == "MW406"][0]
    assert mw406.severity == "warning" and mw406.yaml_path == "mediawiki.by-flavour"
    assert "'by-flavour'" in mw406.message


def test_mw406_by_flavour_wrong_types_are_mw401():
    text = '{"mediawiki": {"by-flavour": {"p": {"image": 5}}}, "webserver": {"by-flavour": []}}'
    assert triples(check(text)) == [("MW406", 1, 16), ("MW401", 1, 46), ("MW401", 1, 80)]


def test_mw406_flat_checks_image_and_debug_image_only():
    body = """
    - namespace: mw-debug
      releases: {pinkunicorn: {stage: testservers}}
      mw_kind: debug-image
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    - namespace: mw-cron
      releases: {main: {}}
      mw_kind: cli-image
      mw_flavour: anything
      web_flavour: anything
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
    """
    findings = check(FLAT, releases_doc(body))
    assert triples(findings) == [("MW403", 4, 14), ("MW406", 2, 17)]
    mw406 = findings[1]
    assert "mw-cron/main" in mw406.help and "no slot" in mw406.help


def test_mw406_flat_without_web_image_is_mw404():
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish
      web_flavour: webserver
    """
    text = '{"mediawiki": {"multiversion-image": "r:1"}, "webserver": {}}'
    assert triples(check(text, releases_doc(body))) == [("MW404", 5, 18), ("MW406", 1, 16)]


def test_lookup_api_for_other_tools():
    from mwlint.report import parse_report_text

    r = parse_report_text(report(mw={"publish-83": ("image", "cli-image")}))
    assert r.shape == "current" and not r.problems
    assert r.image_name("mediawiki", "publish-83", "cli-image") == REG + "mw:publish-83-cli-image"
    assert r.image_name("mediawiki", "publish-83", "debug-image") is None
    assert r.image_name("webserver", "webserver-bookworm") == REG + "web:webserver-bookworm-image"
    assert r.metadata("mediawiki", "publish-83") == {}
    flat = parse_report_text(FLAT)
    assert flat.shape == "flat" and flat.image_name("mediawiki", "whatever") == "r:1"
    assert json.loads(report())  # the helper writes valid JSON


# -- issue 12, item 2: never another version number as a typo ---------------------------------

@pytest.mark.parametrize("word,candidates,expected", [
    ("publish-83", ["publish-84"], None),  # another PHP version is another build
    ("publish-83", ["publish-38"], None),
    ("publish-83", ["pubilsh-83"], "pubilsh-83"),
    ("publish-83-next", ["publish-83-nxt", "publish-84-next"], "publish-83-nxt"),
    ("cli-image", ["image", "debug-image"], None),  # another kind, not a typo
    ("debug-imgae", ["image", "debug-image"], "debug-image"),
])
def test_likely_typo(word, candidates, expected):
    from mwlint.rules.report_base import likely_typo

    assert likely_typo(word, candidates) == expected


def test_mw402_does_not_repeat_the_report_flavour_as_a_did_you_mean():
    """It said "(it has 'publish-84') (did you mean 'publish-84'?)": one list, in the help."""
    body = """
    - namespace: mw-web
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
    """
    (f,) = only(check(report(mw={"publish-84": ("image",)}), releases_doc(body)), "MW402")
    assert f.message == ("mw_flavour 'publish-83' of 'mw-web/main' is not in the build report: "
                         "scap aborts the sync")
    assert f.help.count("'publish-84'") == 1 and "did you mean" not in f.help


# -- MW402 with a flavour pattern configured (issue 20 item 11) ------------------------------

@pytest.mark.parametrize("pattern, config_flavour, report_flavour, message, help_start", [
    # the configured pattern says the config's name is right: the report is blamed
    (r"^release-[0-9]+$", "release-83", "relase-83",
     "mw_flavour 'release-83' of 'mw-web/main' is not in the build report, whose 'relase-83' "
     "looks misspelt", "check the image build: report.json names the flavour 'relase-83'"),
    # the pattern says the config's name is wrong: the config gets the did-you-mean
    (r"^release-[0-9]+$", "relase-83", "release-83",
     "mw_flavour 'relase-83' of 'mw-web/main' is not in the build report; did you mean "
     "'release-83'?", "the MediaWiki flavours of report.json: 'release-83'"),
    # the default pattern (publish-...) cannot tell: the config is the one to check
    (None, "release-83", "relase-83",
     "mw_flavour 'release-83' of 'mw-web/main' is not in the build report; did you mean "
     "'relase-83'?", "the MediaWiki flavours of report.json: 'relase-83'"),
])
def test_mw402_with_a_flavour_pattern(pattern, config_flavour, report_flavour, message,
                                      help_start):
    body = f"""
        - namespace: mw-web
          releases: {{main: {{}}}}
          mw_flavour: {config_flavour}
          web_flavour: webserver-bookworm
        """
    settings = {} if pattern is None else {"mw_flavour_pattern": pattern}
    findings = only(check(report(mw={report_flavour: ("image",)}), releases_doc(body),
                          **settings), "MW402")
    assert triples(findings) == [("MW402", 4, 17)]
    assert findings[0].message == message
    assert findings[0].help.startswith(help_start)


def test_mw402_help_caps_the_report_flavours():
    """A report with 2,000 flavours: the help names five and counts the rest (issue 19 item
    2: every list in a help line is capped)."""
    many = {f"publish-{i:04d}": ("image",) for i in range(2000)}
    body = """
        - namespace: mw-web
          releases: {main: {}}
          mw_flavour: publish-83
          web_flavour: webserver-bookworm
        """
    (f,) = only(check(report(mw=many), releases_doc(body)), "MW402")
    assert f.help.endswith("('publish-0000', 'publish-0001', 'publish-0002', 'publish-0003', "
                           "'publish-0004' \u2026and 1,995 more), or add 'publish-83' to the "
                           "image build")
