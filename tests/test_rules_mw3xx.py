"""Table-driven tests for MW301-MW309 (namespaces, clusters, helmfile dirs): a bad and a
good snippet per rule with (code, line, column) asserted, the "one problem, one finding"
boundaries, the deployment-charts fixture (its README's suggested cases), and the real
fixtures (README §3.5, §3.6)."""

import glob
import os
import shutil

import pytest
from helpers import FIXTURES, REAL, deployments_doc, lint, releases_doc, triples

from mwlint.charts.helmfile import clear_cache
from mwlint.engine import lint_paths
from mwlint.settings import Settings

CHARTS = os.path.join(FIXTURES, "deployment-charts")


def entry(ns="mw-web", releases="{main: {}}", extra=""):
    """One list-form entry (6 lines when ``extra`` is one line)."""
    text = (f"- namespace: {ns}\n  releases: {releases}\n  mw_flavour: publish\n"
            f"  web_flavour: webserver\n")
    if extra:
        text += "".join(f"  {line}\n" for line in extra.strip("\n").split("\n"))
    return text


# (id, document, code prefix, expected (code, line, column), settings)
# releases_doc puts the key on line 1 and indents the body by 2: body line N is file line
# N + 1, body column C is file column C + 2.
CASES = [
    # -- MW301 -----------------------------------------------------------------------
    ("301 good dir", releases_doc(entry(extra="dir: dse-k8s-services\n"
                                              "clusters: [dse-k8s-eqiad]")),
     "MW3", [], {}),
    ("301 empty dir", releases_doc(entry(extra='dir: ""')), "MW3", [("MW301", 6, 10)], {}),
    ("301 absolute dir", releases_doc(entry(extra="dir: /srv/charts")), "MW3",
     [("MW301", 6, 10)], {}),
    ("301 dir with slash", releases_doc(entry(extra="dir: services/mw-web")), "MW3",
     [("MW301", 6, 10)], {}),
    ("301 trailing slash", releases_doc(entry(extra="dir: dse-k8s-services/\n"
                                                    "clusters: [dse-k8s-eqiad]")),
     "MW3", [("MW301", 6, 10)], {}),
    ("301 dotdot", releases_doc(entry(extra="dir: ..")), "MW3", [("MW301", 6, 10)], {}),
    ("301 whitespace", releases_doc(entry(extra='dir: "dse k8s"')), "MW3",
     [("MW301", 6, 10)], {}),
    ("301 metacharacter", releases_doc(entry(extra="dir: services;rm")), "MW3",
     [("MW301", 6, 10)], {}),
    ("301 dollar", releases_doc(entry(extra='dir: "$HOME"')), "MW3", [("MW301", 6, 10)], {}),
    ("301 known dirs: unknown", releases_doc(entry(extra="dir: servces")), "MW301",
     [("MW301", 6, 10)], {"known_dirs": ("services", "dse-k8s-services")}),
    ("301 known dirs: known", releases_doc(entry(extra="dir: dse-k8s-services\n"
                                                       "clusters: [dse-k8s-eqiad]")),
     "MW3", [], {"known_dirs": ("services", "dse-k8s-services")}),
    ("301 default dir not checked against known dirs", releases_doc(entry()), "MW3", [],
     {"known_dirs": ("dse-k8s-services",)}),
    ("301 null dir is MW104 only", releases_doc(entry(extra="dir: ~")), "MW", [("MW104", 6, 10)],
     {}),
    ("301 legacy entry ignored", releases_doc("""
- namespace: mw-web
  release: main
  dir: ""
  mw_flavour: publish
  web_flavour: webserver
"""), "MW3", [], {}),
    # -- MW302 -----------------------------------------------------------------------
    # at the dir line when the entry sets one (the dir moved without its clusters), else at
    # the clusters line
    ("302 dir without clusters", releases_doc(entry(extra="dir: dse-k8s-services")), "MW3",
     [("MW302", 6, 10)], {}),
    ("302 dir with default-subset clusters", releases_doc(entry(
        extra="dir: dse-k8s-services\nclusters: [eqiad]")), "MW3", [("MW302", 6, 10)], {}),
    ("302 clusters without dir", releases_doc(entry(extra="clusters: [dse-k8s-eqiad]")),
     "MW3", [("MW302", 6, 15)], {}),
    ("302 clusters with explicit default dir", releases_doc(entry(
        extra="dir: services\nclusters: [eqiad, dse-k8s-eqiad]")), "MW3", [("MW302", 6, 10)],
     {}),
    ("302 subset of default clusters is fine", releases_doc(entry(extra="clusters: [codfw]")),
     "MW3", [], {}),
    ("302 both non-default is fine", releases_doc(entry(
        extra="dir: dse-k8s-services\nclusters: [dse-k8s-eqiad]")), "MW3", [], {}),
    ("302 deploy false is not exempt", releases_doc(entry(
        releases="{main: {deploy: false}}", extra="dir: dse-k8s-services")), "MW3",
     [("MW302", 6, 10)], {}),
    ("302 default clusters option", releases_doc(entry(extra="clusters: [dse-k8s-eqiad]")),
     "MW3", [], {"default_clusters": ("dse-k8s-eqiad",)}),
    ("302 default dir option", releases_doc(entry(extra="clusters: [dse-k8s-eqiad]")),
     "MW3", [], {"default_dir": "dse-k8s-services", "default_clusters": ("dse-k8s-eqiad",)}),
    ("302 default clusters from scap::k8s_deployments",
     "scap::k8s_deployments:\n  clusters: [traindev]\n" + releases_doc(entry(
         extra="clusters: [traindev]")), "MW3", [], {}),
    ("302 default clusters from scap::k8s_deployments, mismatch",
     "scap::k8s_deployments:\n  clusters: [traindev]\n" + releases_doc(entry(
         extra="clusters: [eqiad]")), "MW3", [("MW302", 8, 15)], {}),
    ("302 clusters [] is MW303 only", releases_doc(entry(
        extra="dir: dse-k8s-services\nclusters: []")), "MW3", [("MW303", 7, 15)], {}),
    ("302 not with deployment-charts", releases_doc(entry(
        ns="mediawiki-dumps-legacy", releases="{production: {deploy: false}}",
        extra="dir: dse-k8s-services")), "MW302", [], {"deployment_charts": CHARTS}),
    ("302 bad dir is MW301 only", releases_doc(entry(extra="dir: dse/k8s")), "MW3",
     [("MW301", 6, 10)], {}),
    # -- MW303 -----------------------------------------------------------------------
    ("303 empty clusters", releases_doc(entry(extra="clusters: []")), "MW3", [("MW303", 6, 15)],
     {}),
    ("303 block empty list", releases_doc(entry(extra="clusters:\n  []")), "MW3",
     [("MW303", 7, 7)], {}),
    ("303 clusters listed", releases_doc(entry(extra="clusters: [eqiad]")), "MW3", [], {}),
    # -- MW304 -----------------------------------------------------------------------
    ("304 same namespace, default clusters", releases_doc(
        entry() + entry(releases="{next: {}}")), "MW3", [("MW304", 6, 5)], {}),
    ("304 overlapping explicit clusters", releases_doc(
        entry(extra="clusters: [eqiad]") + entry(releases="{next: {}}",
                                                 extra="clusters: [eqiad, codfw]")),
     "MW3", [("MW304", 7, 5)], {}),
    ("304 explicit overlaps the default set", releases_doc(
        entry() + entry(releases="{next: {}}", extra="clusters: [codfw]")),
     "MW3", [("MW304", 6, 5)], {}),
    ("304 disjoint clusters are fine", releases_doc(
        entry(extra="clusters: [eqiad]") + entry(releases="{next: {}}",
                                                 extra="clusters: [codfw]")), "MW3", [], {}),
    ("304 three entries: two findings", releases_doc(
        entry() + entry(releases="{next: {}}") + entry(releases="{x: {}}")), "MW3",
     [("MW304", 6, 5), ("MW304", 10, 5)], {}),
    ("304 cluster twice in one entry", releases_doc(entry(extra="clusters: [eqiad, eqiad]")),
     "MW3", [("MW304", 2, 5)], {}),
    ("304 empty clusters never overlap", releases_doc(
        entry() + entry(releases="{next: {}}", extra="clusters: []")), "MW304", [], {}),
    ("304 different namespaces", releases_doc(entry() + entry(ns="mw-api-int")), "MW3", [], {}),
    ("304 mapping form", deployments_doc("""
deployment_targets:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish
    web_flavour: webserver
  - namespace: mw-web
    releases: {next: {}}
    mw_flavour: publish
    web_flavour: webserver
supervision_rules: []
"""), "MW3", [("MW304", 7, 7)], {}),
    # -- MW305 -----------------------------------------------------------------------
    ("305 namespace/release collision", releases_doc(
        entry(ns="a-b", releases="{c: {}}") + entry(ns="a", releases="{b-c: {}}")),
     "MW3", [("MW305", 6, 5)], {}),
    ("305 deploy false counts", releases_doc(
        entry(ns="a-b", releases="{c: {deploy: false}}") + entry(ns="a",
                                                                releases="{b-c: {}}")),
     "MW3", [("MW305", 6, 5)], {}),
    ("305 release/cluster collision in one entry", releases_doc(
        entry(ns="a", releases="{b: {}, b-c: {}}", extra="clusters: [c-d, d]")),
     "MW305", [("MW305", 2, 5)], {}),
    ("305 disjoint clusters do not collide", releases_doc(
        entry(ns="a-b", releases="{c: {}}", extra="clusters: [eqiad]")
        + entry(ns="a", releases="{b-c: {}}", extra="clusters: [codfw]")), "MW3", [], {}),
    ("305 same namespace twice is MW304 only", releases_doc(entry() + entry()), "MW3",
     [("MW304", 6, 5)], {}),
    # -- MW306 -----------------------------------------------------------------------
    ("306 uppercase namespace", releases_doc(entry(ns="MW-Web")), "MW3", [("MW306", 2, 16)], {}),
    ("306 underscore namespace", releases_doc(entry(ns="mw_web")), "MW3", [("MW306", 2, 16)],
     {}),
    ("306 namespace ending in dash", releases_doc(entry(ns="mw-web-")), "MW3",
     [("MW306", 2, 16)], {}),
    ("306 namespace too long", releases_doc(entry(ns="a" * 64)), "MW3", [("MW306", 2, 16)], {}),
    ("306 namespace of 63 is fine", releases_doc(entry(ns="a" * 63)), "MW3", [], {}),
    ("306 release name", releases_doc(entry(releases="{Main: {}, ok.v2-x: {}}")), "MW3",
     [("MW306", 3, 16)], {}),
    ("306 release name underscore", releases_doc(entry(releases="{pink_llama: {}}")), "MW3",
     [("MW306", 3, 16)], {}),
    ("306 cluster names", releases_doc(entry(
        extra='clusters: [eqiad, "eqiad, codfw", Codfw, "codfw "]')), "MW306",
     [("MW306", 6, 23), ("MW306", 6, 39), ("MW306", 6, 46)], {}),
    ("306 non-string names are MW104", releases_doc(entry(releases="{123: {}}")), "MW3", [],
     {}),
    ("306 real names are fine", releases_doc(
        entry(ns="mediawiki-dumps-legacy", releases="{production: {}}",
              extra="dir: dse-k8s-services\nclusters: [dse-k8s-eqiad]")), "MW3", [], {}),
    # -- MW307 -----------------------------------------------------------------------
    ("307 empty releases", releases_doc(entry(releases="{}")), "MW", [("MW307", 3, 15)], {}),
    ("307 releases present", releases_doc(entry()), "MW", [], {}),
    ("307 null releases is MW104", releases_doc(entry(releases="~")), "MW3", [], {}),
]


@pytest.mark.parametrize("doc,prefix,expected,settings", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rule_table(doc, prefix, expected, settings):
    assert triples(lint(doc, **settings), prefix) == expected


def test_every_finding_has_path_message_and_severity():
    doc = releases_doc(entry(extra='dir: ""') + entry(ns="MW", releases="{}",
                                                        extra="clusters: []"))
    fs = [f for f in lint(doc) if f.code.startswith("MW3")]
    assert {f.code for f in fs} == {"MW301", "MW303", "MW306", "MW307"}
    sev = {f.code: f.severity for f in fs}
    assert sev == {"MW301": "error", "MW303": "warning", "MW306": "warning",
                   "MW307": "warning"}
    paths = {f.code: f.yaml_path for f in fs}
    assert paths == {"MW301": "mw_releases[0].dir", "MW303": "mw_releases[1].clusters",
                     "MW306": "mw_releases[1].namespace", "MW307": "mw_releases[1].releases"}
    for f in fs:
        assert f.context and f.context[0] in ("mw-web", "MW"), f
        assert 20 < len(f.message) <= 120, f.message


def test_mw301_message_names_each_problem_and_suggests_known_dir():
    (f,) = lint(releases_doc(entry(extra="dir: servces")), select=("MW301",),
                known_dirs=("services", "dse-k8s-services"))
    assert "'services'" in f.message and "did you mean" in f.message
    (f,) = lint(releases_doc(entry(extra='dir: "/a b"')), select=("MW301",))
    assert "absolute" in f.message and "whitespace" in f.message
    assert (f.end_line, f.end_column) == (6, 16)


def test_mw302_message_names_origin_of_default_clusters():
    doc = "scap::k8s_deployments:\n  clusters: [eqiad, codfw]\n" + releases_doc(
        entry(extra="dir: dse-k8s-services"))
    (f,) = lint(doc, select=("MW302",))
    assert f.message == ("'mw-web' sets dir 'dse-k8s-services' with the default clusters "
                         "(eqiad, codfw, set in this file)")
    assert f.yaml_path == "mw_releases[0].dir" and f.severity == "warning"
    (f,) = lint(releases_doc(entry(extra="dir: dse-k8s-services")), select=("MW302",),
                default_clusters=("eqiad",))
    assert "(eqiad, from default-clusters)" in f.message


def test_mw304_names_the_earlier_entry_and_clusters():
    (f,) = lint(releases_doc(entry() + entry(releases="{next: {}}",
                                             extra="clusters: [codfw]")), select=("MW304",))
    assert f.message == ("namespace 'mw-web' is already defined at line 2 for cluster codfw, so "
                         "scap refuses the config")


def test_mw305_lists_the_colliding_files():
    (f,) = lint(releases_doc(entry(ns="a-b", releases="{c: {}}")
                             + entry(ns="a", releases="{b-c: {}}")), select=("MW305",))
    assert f.message == ("'a/b-c' overwrites the values file of 'a-b/c' (line 2): a-b-c-eqiad.yaml "
                         "and 1 more")
    assert f.context[:2] == ("a", "b-c")


# -- deployment-charts (MW301 existence, MW308, MW309) ---------------------------------

def charts_doc(*entries):
    return releases_doc("".join(entries))


WEB = entry(releases="{main: {}, canary: {stage: canaries}, next: {}, migration: {}}")
DEBUG = entry(ns="mw-debug", releases="{pinkunicorn: {stage: testservers}, "
                                      "next: {stage: testservers}}")
DUMPS = entry(ns="mediawiki-dumps-legacy", releases="{production: {}}",
              extra="dir: dse-k8s-services\nclusters: [dse-k8s-eqiad]")

# The fixture README's suggested cases: (id, document, expected (code, line, column))
CHART_CASES = [
    ("mw-web, default clusters", charts_doc(WEB), []),
    ("mw-debug, default clusters", charts_doc(DEBUG), []),
    ("dumps with its DSE cluster", charts_doc(DUMPS), []),
    ("dumps without clusters", charts_doc(entry(
        ns="mediawiki-dumps-legacy", releases="{production: {}}", extra="dir: dse-k8s-services")),
     [("MW308", 2, 16)]),
    ("dumps without clusters but deploy false", charts_doc(entry(
        ns="mediawiki-dumps-legacy", releases="{production: {deploy: false}}",
        extra="dir: dse-k8s-services")), []),
    ("mw-web release mian", charts_doc(entry(releases="{main: {}, mian: {}}")),
     [("MW308", 3, 26)]),
    ("mw-web next in traindev", charts_doc(entry(releases="{next: {}}",
                                                 extra="clusters: [traindev]")),
     [("MW308", 3, 16)]),
    ("mw-debug pinkunicorn in staging-eqiad", charts_doc(entry(
        ns="mw-debug", releases="{pinkunicorn: {}}", extra="clusters: [staging-eqiad]")),
     [("MW308", 3, 16)]),
    ("mw-web in eqiad and dse-k8s-eqiad", charts_doc(entry(
        extra="clusters: [eqiad, dse-k8s-eqiad]")), [("MW308", 6, 23)]),
    ("mw-api-ext has no directory", charts_doc(entry(ns="mw-api-ext")), [("MW301", 2, 16)]),
    ("mw-api-ext deploy false is not checked", charts_doc(entry(
        ns="mw-api-ext", releases="{main: {deploy: false}}")), []),
    ("missing dir root at the dir value", charts_doc(entry(
        ns="mw-web", extra="dir: ml-services\nclusters: [ml-serve-eqiad]")), [("MW301", 6, 10)]),
    ("bad dir syntax is MW301 once", charts_doc(entry(extra="dir: ../services")),
     [("MW301", 6, 10)]),
    ("clusters [] gives no record", charts_doc(entry(ns="mw-api-ext", extra="clusters: []")),
     [("MW303", 6, 15)]),
    ("unknown environment and release: env finding only for that cluster",
     charts_doc(entry(releases="{mian: {}}", extra="clusters: [traindev-stagin]")),
     [("MW308", 6, 16)]),
    ("release missing listed once for several clusters",
     charts_doc(entry(releases="{nxt: {}}", extra="clusters: [eqiad, codfw, traindev]")),
     [("MW308", 3, 16)]),
    ("non-string clusters are MW104 only", charts_doc(entry(
        extra='clusters: [eqiad, ~, 3, ""]')), []),
    ("not installed in two clusters: one finding",
     charts_doc(entry(releases="{migration: {}}", extra="clusters: [traindev, traindev-staging]")),
     [("MW308", 3, 16)]),
]


@pytest.mark.parametrize("doc,expected", [c[1:] for c in CHART_CASES],
                         ids=[c[0] for c in CHART_CASES])
def test_deployment_charts_cases(doc, expected):
    found = triples(lint(doc, deployment_charts=CHARTS), "MW3")
    assert found == expected


def test_mw308_messages():
    (f,) = lint(charts_doc(entry(releases="{main: {}, mian: {}}")), deployment_charts=CHARTS,
                select=("MW308",))
    assert f.message == ("helmfile.d/services/mw-web/helmfile.yaml defines no release 'mian'; "
                         "did you mean 'main'?")
    assert f.yaml_path == "mw_releases[0].releases.mian" and f.severity == "error"
    (f,) = lint(charts_doc(entry(ns="mediawiki-dumps-legacy", releases="{production: {}}",
                                 extra="dir: dse-k8s-services")),
                deployment_charts=CHARTS, select=("MW308",))
    # the helmfile's path would make the message too long: it goes to the help
    assert f.message == ("the helmfile of 'mediawiki-dumps-legacy' defines no environment "
                         "'eqiad' or 'codfw', its default clusters")
    assert "helmfile.d/dse-k8s-services/mediawiki-dumps-legacy/helmfile.yaml" in f.help
    assert "(defined: dse-k8s-eqiad)" in f.help
    (f,) = lint(charts_doc(entry(releases="{next: {}}", extra="clusters: [traindev]")),
                deployment_charts=CHARTS, select=("MW308",))
    assert "'next' is not installed in environment traindev of" in f.message
    assert "(traindev (installs: main, canary))" in f.help
    (f,) = lint(charts_doc(entry(extra="clusters: [eqiad, dse-k8s-eqiad]")),
                deployment_charts=CHARTS, select=("MW308",))
    assert f.yaml_path == "mw_releases[0].clusters[1]" and "'dse-k8s-eqiad'" in f.message


def test_charts_path_may_be_the_helmfile_d_directory():
    doc = charts_doc(entry(releases="{main: {}, mian: {}}"))
    fs = lint(doc, deployment_charts=os.path.join(CHARTS, "helmfile.d"))
    assert triples(fs, "MW3") == [("MW308", 3, 26)]


@pytest.fixture
def charts_copy(tmp_path):
    """A writable copy of the fixture checkout (never edit the fixture itself)."""
    dest = tmp_path / "charts"
    shutil.copytree(CHARTS, dest)
    for dirpath, dirnames, filenames in os.walk(dest):
        for n in dirnames + filenames:
            os.chmod(os.path.join(dirpath, n), 0o755 if n in dirnames else 0o644)
    os.chmod(dest, 0o755)
    clear_cache()
    yield dest
    clear_cache()


def _web_helmfile(root):
    return root / "helmfile.d" / "services" / "mw-web" / "helmfile.yaml"


def test_no_helmfile_is_mw308(charts_copy):
    os.remove(_web_helmfile(charts_copy))
    fs = lint(charts_doc(WEB), deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW308", 2, 16)]
    assert "no helmfile.yaml" in fs[0].message


def test_both_helmfiles_is_mw308(charts_copy):
    src = _web_helmfile(charts_copy)
    shutil.copy(src, str(src) + ".gotmpl")
    fs = lint(charts_doc(WEB), deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW308", 2, 16)]
    assert "holds both helmfile.yaml and helmfile.yaml.gotmpl" in fs[0].message


def test_gotmpl_alone_is_read(charts_copy):
    src = _web_helmfile(charts_copy)
    os.rename(src, str(src) + ".gotmpl")
    fs = lint(charts_doc(entry(releases="{mian: {}}")), deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW308", 3, 16)]


def test_templated_release_name_is_unknown_never_an_error(charts_copy):
    path = _web_helmfile(charts_copy)
    text = path.read_text().replace("  - name: next\n",
                                    '  - name: {{ env "RELEASE_NAME" }}\n')
    path.write_text(text)
    fs = lint(charts_doc(entry(releases="{main: {}, next: {}}")),
              deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW309", 2, 16)]
    assert fs[0].severity == "info" and "were not checked" in fs[0].message
    assert "release 'next' (the release list is partly templated)" in fs[0].help


def test_templated_install_list_item_is_unknown(charts_copy):
    path = _web_helmfile(charts_copy)
    text = path.read_text().replace("- releases: [main,canary]",
                                    "- releases: [main, {{ .Values.extra }}]")
    path.write_text(text)
    fs = lint(charts_doc(entry(releases="{main: {}, next: {}}", extra="clusters: [traindev]")),
              deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW309", 2, 16)]


def test_unterminated_action_is_unknown_once_per_namespace(charts_copy):
    path = _web_helmfile(charts_copy)
    path.write_text(path.read_text() + "\n# {{ oops\n")
    # the same namespace twice, with disjoint clusters: still one MW309
    fs = lint(charts_doc(WEB, entry(releases="{x: {}}", extra="clusters: [traindev]")),
              deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW309", 2, 16)]
    assert fs[0].severity == "info" and "unterminated" in fs[0].help


def test_helmfile_not_yaml_is_unknown(charts_copy):
    path = _web_helmfile(charts_copy)
    path.write_text("environments:\n  eqiad: [\n")
    fs = lint(charts_doc(WEB), deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW309", 2, 16)]
    assert "not YAML" in fs[0].help


def test_helmfile_over_size_limit_is_unknown(charts_copy):
    fs = lint(charts_doc(WEB), deployment_charts=str(charts_copy), max_file_size=1000)
    assert triples(fs, "MW3") == [("MW309", 2, 16)]
    assert "max-file-size" in fs[0].help


def test_namespace_dir_symlinked_outside_is_mw301(charts_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(charts_copy / "helmfile.d" / "services" / "mw-debug", outside)
    os.symlink(outside, charts_copy / "helmfile.d" / "services" / "mw-api-int")
    fs = lint(charts_doc(entry(ns="mw-api-int")), deployment_charts=str(charts_copy))
    assert triples(fs, "MW3") == [("MW301", 2, 16)]


# -- real fixtures -----------------------------------------------------------------------

FILES = sorted(glob.glob(os.path.join(REAL, "*.yaml")))


def _real(commit, **settings):
    (path,) = [f for f in FILES if commit in os.path.basename(f)]
    return lint_paths([path], Settings(**settings)).findings


def test_001797c3_one_mw302_at_the_dumps_dir():
    """At the dir line (the one that moved without its clusters), not at `namespace:`; its
    only release is deploy: false, so nothing is applied today: the help says so."""
    fs = [f for f in _real("001797c3") if f.code.startswith("MW3")]
    assert [(f.code, f.line, f.column, f.yaml_path, f.severity) for f in fs] == [
        ("MW302", 353, 10, "mw_releases[11].dir", "warning")]
    assert fs[0].message == ("'mediawiki-dumps-legacy' sets dir 'dse-k8s-services' with the "
                             "default clusters (eqiad, codfw, set in this file)")
    assert fs[0].help.startswith("before re-enabling deploy, set clusters to the environments")
    assert "fails mid-sync" not in fs[0].message + fs[0].help


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(f)[7:26] for f in FILES])
def test_no_other_mw3xx_on_real_files(path):
    fs = [f for f in lint_paths([path], Settings()).findings if f.code.startswith("MW3")]
    expected = [("MW302", 353)] if "001797c3" in path else []
    assert [(f.code, f.line) for f in fs] == expected


def test_263a58ee_against_the_fixture_checkout():
    """Only mw-web, mw-debug and mediawiki-dumps-legacy exist in the fixture checkout: the
    other deployable namespaces are MW301 (no directory), never MW308; deploy: false
    namespaces (mw-experimental, mw-parsoid, mw-script, mw-pretrain) are not checked."""
    fs = [f for f in _real("263a58ee", deployment_charts=CHARTS) if f.code.startswith("MW3")]
    assert {f.code for f in fs} == {"MW301"}
    assert [(f.context[0], f.line, f.column) for f in fs] == [
        ("mw-api-int", 236, 18), ("mw-api-ext", 245, 18), ("mw-jobrunner", 255, 18),
        ("mw-misc", 271, 18), ("mw-wikifunctions", 279, 18), ("mw-videoscaler", 287, 18),
        ("mw-cron", 293, 18)]
    assert all(f.yaml_path.endswith(".namespace") for f in fs)


def test_001797c3_against_the_fixture_checkout():
    """mw-web, mw-debug check out; mediawiki-dumps-legacy is deploy: false (not checked,
    and no MW302 with a checkout); mw-script (deploy: false) is not MW301."""
    fs = [f for f in _real("001797c3", deployment_charts=CHARTS) if f.code.startswith("MW3")]
    assert {f.code for f in fs} == {"MW301"}
    assert [f.context[0] for f in fs] == [
        "mw-api-int", "mw-api-ext", "mw-jobrunner", "mw-parsoid", "mw-misc",
        "mw-wikifunctions", "mw-videoscaler", "mw-cron"]


def test_corpus_has_no_mw3xx(corpus_dir):
    run = lint_paths([corpus_dir], Settings(select=("MW3",)))
    assert run.findings == []


# -- issue 12, item 2: MW302 on a paused entry ----------------------------------------------

def test_mw302_on_a_deploy_false_entry_claims_no_failed_apply_and_points_at_dir():
    """Its only release is deploy: false, so nothing is applied: no "fails mid-sync"; the
    sentence is whole; the caret is on the dir line, the one that moved."""
    (f,) = lint(releases_doc(entry(ns="mediawiki-dumps-legacy",
                                   releases="{production: {deploy: false}}",
                                   extra="dir: dse-k8s-services")), select=("MW302",))
    assert (f.line, f.column, f.yaml_path) == (6, 10, "mw_releases[0].dir")
    assert f.message == ("'mediawiki-dumps-legacy' sets dir 'dse-k8s-services' with the default "
                         "clusters (eqiad, codfw)")
    assert f.help.startswith("before re-enabling deploy, set clusters to the environments of "
                             "that dir")
    assert "fail" not in f.message + f.help
    (deployable,) = lint(releases_doc(entry(extra="dir: dse-k8s-services")), select=("MW302",))
    assert not deployable.help.startswith("before re-enabling deploy")


# -- quiet when another rule fired (issue 20 item 11) ---------------------------------------

_NO_NS = "- releases: {main: {}}\n  mw_flavour: publish\n  web_flavour: webserver\n"
_WEB = "- namespace: mw-web\n  releases: {main: {}}\n  mw_flavour: publish\n  web_flavour: webserver\n"


@pytest.mark.parametrize("body, expected", [
    # two entries without a namespace: MW102 each, no MW304 "namespace None is already defined"
    (_NO_NS + _NO_NS, [("MW102", 2, 5), ("MW102", 5, 5)]),
    # the second mw-web's clusters is not a list: MW104 only, its clusters are unknown
    (_WEB + _WEB.replace("  mw_flavour", "  clusters: eqiad\n  mw_flavour"), [("MW104", 8, 15)]),
    # the second mw-web is in the flat legacy format: MW205 only
    (_WEB + "- namespace: mw-web\n  release: main\n  mw_flavour: publish\n"
            "  web_flavour: webserver\n", [("MW205", 6, 5)]),
    # the same namespace with overlapping clusters: MW304 (the control case)
    (_WEB + _WEB, [("MW304", 6, 5)]),
])
def test_mw304_is_quiet_when_another_rule_fired(body, expected):
    assert triples(lint(releases_doc(body))) == expected


@pytest.mark.parametrize("extra, settings, message, help", [
    ('dir: ""', {}, "dir '' of 'mw-web' is empty, so helmfile fails mid-sync",
     "delete the key to use the default dir"),
    ("dir: servces", {"known_dirs": ("services", "dse-k8s-services")},
     "dir 'servces' of 'mw-web' is not one of the known dirs, so helmfile fails mid-sync; "
     "did you mean 'services'?",
     "use an existing helmfile.d directory, or add it to known-dirs"),
    ("dir: /srv/charts", {}, "dir '/srv/charts' of 'mw-web' is absolute, so helmfile fails "
     "mid-sync",
     "write a single directory name under helmfile.d, like 'services' or 'dse-k8s-services'"),
])
def test_mw301_message_and_advice(extra, settings, message, help):
    (f,) = [f for f in lint(releases_doc(entry(extra=extra)), **settings) if f.code == "MW301"]
    assert (f.line, f.column, f.message, f.help) == (6, 10, message, help)


def test_mw301_with_a_checkout_says_why():
    (f,) = [f for f in lint(releases_doc(entry(ns="mw-nowhere")), deployment_charts=CHARTS)
            if f.code == "MW301"]
    assert f.message == ("helmfile.d/services/mw-nowhere/ does not exist in deployment-charts, "
                         "so the sync fails there; did you mean 'mw-web'?")
    (f,) = [f for f in lint(releases_doc(entry(extra="dir: scap")), known_dirs=("services",))
            if f.code == "MW301"]
    assert f.message == ("dir 'scap' of 'mw-web' is not one of the known dirs (services), so "
                         "helmfile fails mid-sync")
