"""``mwlint plan`` for the scap deploy-service configuration (deploy-service.md §4): the
fixture's plan equals its README's expected plan for primary DC eqiad and codfw; the JSON
shape; --service, --primary-dc, --deployment-charts; a refused config has no plan."""

import json
import os
import re

import pytest
from helpers import FIXTURES

from mwlint.cli.plan import run
from mwlint.engine import load_model
from mwlint.plan.services import plan_services, text
from mwlint.settings import Settings

HERE_DS = os.path.join(FIXTURES, "deploy-service")
FIXTURE = os.path.join(HERE_DS, "kubernetes-deploy-service.yaml")
CHARTS = os.path.join(FIXTURES, "deployment-charts")
with open(os.path.join(HERE_DS, "README.md"), encoding="utf-8") as _f:
    EXPECTED = dict(zip(("eqiad", "codfw"), re.findall(r"```\n(.*?)```", _f.read(), re.S)))
with open(FIXTURE, encoding="utf-8") as _f:
    BASE = _f.read()


def _model(text_=BASE):
    return load_model(text_, "kubernetes.yaml", Settings())


@pytest.mark.parametrize("dc", ["eqiad", "codfw"])
def test_fixture_plan_equals_the_readme(dc):
    assert len(EXPECTED) == 2
    assert text(plan_services([_model()], dc)) == EXPECTED[dc]


def _cli(capsys, *argv):
    rc = run(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("dc", ["eqiad", "codfw"])
def test_cli_text_says_which_primary_dc_it_assumed(capsys, dc):
    argv = [FIXTURE] + ([] if dc == "eqiad" else ["--primary-dc", dc])
    rc, out, err = _cli(capsys, *argv)
    assert rc == 0, err
    verdict, head, body = out.split("\n\n", 2)
    assert verdict == "mwlint plan: scap would load the config"  # the verdict first
    if dc == "eqiad":
        assert head == ("deploy-service plan, primary datacenter eqiad (the default: "
                        "--primary-dc to change):")
    else:
        assert head == "deploy-service plan, primary datacenter codfw (--primary-dc):"
    assert body == EXPECTED[dc]


def test_cli_json_shape(capsys):
    rc, out, _err = _cli(capsys, "--format", "json", "--service", "eventstreams", FIXTURE)
    assert rc == 0
    doc = json.loads(out)
    [s] = doc["services"]
    assert set(s) == {"service", "cluster_group", "primary_dc", "groups"}
    assert (s["service"], s["cluster_group"], s["primary_dc"]) == \
        ("eventstreams", "wikikube", "eqiad")
    first = s["groups"][0]
    assert set(first) == {"environment", "env_ref", "type", "stage", "commands", "checks"}
    assert (first["environment"], first["env_ref"], first["type"], first["stage"]) == \
        ("staging-eqiad", "staging", "STAGING", "DEFAULT")
    assert first["commands"] == [{"namespace": "eventstreams", "release": None,
                                  "directory": "helmfile.d/services/eventstreams",
                                  "argv": ["helmfile", "-e", "staging", "apply"]}]
    assert first["checks"]["commands"][0].startswith("httpbb ")
    assert first["checks"]["manual"] == []
    assert [g["commands"][0]["release"] for g in s["groups"][1:]] == \
        ["canary", "canary", "production", "production"]
    assert s["groups"][2]["checks"]["manual"] == ["Do the canary's error graphs look normal?"]


def test_cli_html_has_the_service_plan(capsys):
    pytest.importorskip("jinja2")
    rc, out, _err = _cli(capsys, "--format", "html", FIXTURE)
    assert rc == 0
    assert "<h2>deploy-service</h2>" in out and "primary datacenter eqiad" in out
    assert "helmfile -e dse-k8s-eqiad apply" in out
    assert out.rstrip().endswith("</html>")


def test_cli_unknown_service_is_a_usage_error(capsys):
    rc, _out, err = _cli(capsys, "--service", "superst", FIXTURE)
    assert rc == 2
    assert err == ("mwlint: error: --service superst: no such service in the catalog "
                   "(did you mean 'superset'?)\n")


def test_deployment_charts_lists_what_all_means(capsys):
    rc, out, _err = _cli(capsys, "--service", "shellbox", "--deployment-charts", CHARTS,
                         FIXTURE)
    assert rc == 0
    assert ("     (cd helmfile.d/services/shellbox && helmfile -e staging apply)\n"
            "       every release installed there: main, migration\n") in out


def test_a_refused_config_has_no_plan(capsys, tmp_path):
    p = tmp_path / "k.yaml"
    p.write_text(BASE.replace("type: PRODUCTION", "type: Production", 1))
    rc, out, _err = _cli(capsys, "--service", "eventstreams", str(p))
    assert rc == 1
    assert "no plan: scap refuses the configuration (1 problem: mwlint check lists them)" \
        in out


def test_groups_in_another_file_of_the_run(capsys, tmp_path):
    key = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
    (tmp_path / "a.yaml").write_text(BASE[BASE.index(key):])  # the catalog first
    (tmp_path / "b.yaml").write_text(BASE[:BASE.index(key)])
    rc, out, _err = _cli(capsys, str(tmp_path))
    assert rc == 0
    assert out.split("\n\n", 2)[2] == EXPECTED["eqiad"]
    (tmp_path / "b.yaml").unlink()
    rc, out, _err = _cli(capsys, "--service", "superset", str(tmp_path))
    assert rc == 1
    assert "no plan: its cluster groups are in no file of the run" in out


def _git(repo, *args):
    import subprocess

    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(repo))
    subprocess.run(["git", *args], cwd=str(repo), check=True, capture_output=True, env=env)


def test_against_shows_what_a_change_does_to_a_service_plan(capsys, tmp_path, monkeypatch):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = tmp_path / "puppet"
    repo.mkdir()
    (repo / "k.yaml").write_text(BASE)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "x")
    # shellbox's codfw main moves to CANARY
    (repo / "k.yaml").write_text(BASE.replace(
        "            codfw:\n              releases:\n                migration:\n"
        "                  stage: CANARY\n                main: {}",
        "            codfw:\n              releases:\n                migration:\n"
        "                  stage: CANARY\n                main: {stage: CANARY}"))
    monkeypatch.chdir(repo)
    rc, out, err = _cli(capsys, "--against", "HEAD", "k.yaml")
    assert rc == 0, err
    # the same story as a MediaWiki difference: the verdict, then one line per effect
    # grouped by the stage it first runs at; the record is (service, namespace/release)
    assert out.splitlines()[1:] == [
        "  scap would load the new config (no errors)", "",
        "  Other changes:",
        "    CANARY:",
        "    - shellbox/shellbox/main: moves from DEFAULT to CANARY on codfw; DEFAULT on "
        "eqiad",
        "  1 record changed, 0 added, 0 removed"]
    assert "eventstreams" not in out and "superset" not in out
    rc, out, err = _cli(capsys, "--against", "HEAD", "--format", "json", "k.yaml")
    [d] = json.loads(out)["diffs"]
    assert [(c["family"], c["name"], c["release"], c["change"],
             [(f["field"], f["old"], f["new"]) for f in c["fields"]])
            for c in d["changes"]] == [
        ("deploy-service", "shellbox", "shellbox/main", "changed",
         [("stage", "DEFAULT", "CANARY on codfw; DEFAULT on eqiad")])]


def test_a_check_on_a_group_that_deploys_nothing_stops_the_plan(capsys, tmp_path):
    p = tmp_path / "k.yaml"
    p.write_text(BASE.replace("            staging: {}\n            eqiad:",
                              "            staging: {releases: {production: {stage: CANARY}}}"
                              "\n            eqiad:", 1))
    rc, out, _err = _cli(capsys, "--service", "eventstreams", str(p))
    assert rc == 1
    # the verdict is MW607's finding, not a second judgement of the plan's own
    assert out.endswith("eventstreams (cluster group wikikube, primary datacenter eqiad):\n"
                        "   no plan: scap stops before deploying: service 'eventstreams' has "
                        "a check for 'staging' at 'DEFAULT', where it deploys nothing (MW607)\n")
