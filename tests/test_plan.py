"""``mwlint plan``: the records scap would apply, stage by stage, on the real configs
(fixtures README §4 counts), with a build report, its text/JSON/HTML output, and
``--against REV`` (plan differences, through a temporary git repository)."""

import html as html_module
import json
import os
import shutil
import subprocess
import sys

import pytest
from helpers import HERE, REAL, RELEASES_KEY, releases_doc

from mwlint.fix import fix_text
from mwlint.plan import FilePlan, PlanRecord, diff_plans, plan_text
from mwlint.report import load_report

ROOT = os.path.dirname(HERE)
LATE = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
MID = os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml")
CF184EDE = os.path.join(REAL, "puppet-2024-10-17-cf184ede-kubernetes.yaml")
REPORTS = os.path.join(HERE, "fixtures", "build-report")


def mwlint(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "mwlint", *args], capture_output=True,
                          text=True, env=env, cwd=cwd or ROOT, timeout=60)


def plan_of(path, **kw):
    with open(path, encoding="utf-8") as f:
        return plan_text(f.read(), path, **kw)


def names(records):
    return [(r.namespace, r.release, r.cluster) for r in records]


def both(*pairs):
    return [(ns, rel, c) for ns, rel in pairs for c in ("eqiad", "codfw")]


def test_late_2025_plan():
    plan = plan_of(LATE)
    assert plan.summary() == {"records": 55, "testservers": 6, "canaries": 8,
                              "production": 31, "not_deployed": 10, "invalid_stage": 0}
    assert plan.problems == () and plan.skipped == () and plan.notes == ()
    assert names(plan.stage("testservers")) == both(
        ("mw-debug", "pinkunicorn"), ("mw-debug", "next"), ("mw-misc", "main"))
    assert all(r.kind == "debug-image" for r in plan.stage("testservers"))
    assert names(plan.stage("canaries")) == both(
        ("mw-web", "canary"), ("mw-api-int", "canary"), ("mw-api-ext", "canary"),
        ("mw-jobrunner", "canary"))
    assert names(plan.not_deployed) == both(
        ("mw-experimental", "pinkllama"), ("mw-parsoid", "pinkllama"), ("mw-script", "main"),
        ("mw-script", "next"), ("mw-pretrain", "main"))
    dumps = [r for r in plan.records if r.namespace == "mediawiki-dumps-legacy"]
    assert [(r.release, r.cluster, r.stage, r.helmfile_dir, r.values_file) for r in dumps] == [
        ("production", "dse-k8s-eqiad", "production",
         "helmfile.d/dse-k8s-services/mediawiki-dumps-legacy",
         "mediawiki-dumps-legacy-production-dse-k8s-eqiad.yaml")]
    assert len({r.values_file for r in plan.records}) == 55


def test_mid_2025_plan():
    plan = plan_of(MID)
    assert plan.summary() == {"records": 54, "testservers": 6, "canaries": 10,
                              "production": 34, "not_deployed": 4, "invalid_stage": 0}
    assert ("mw-parsoid", "canary", "eqiad") in names(plan.stage("canaries"))


def test_text_output_is_in_scap_order():
    p = mwlint("plan", LATE)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    heads = ["1. testservers: 6", "2. canaries: 8", "3. production: 31", "4. not deployed"]
    pos = [out.index(h) for h in heads]
    assert pos == sorted(pos)
    # every record is one greppable line, in the section of its stage
    rows = [line.split() for line in out.splitlines() if line.startswith("  mw-")]
    assert len(rows) == 55 - 1  # mediawiki-dumps-legacy does not start with mw-
    assert out.index("  mw-debug   pinkunicorn  eqiad    debug-image") < pos[1]
    assert out.index("mw-script        main       eqiad    production  cli-image") > pos[3]


def test_json_output():
    p = mwlint("plan", "--format", "json", LATE, MID)
    assert p.returncode == 0
    doc = json.loads(p.stdout)
    assert [d["summary"]["records"] for d in doc["plans"]] == [55, 54]
    late = doc["plans"][0]
    assert [s["stage"] for s in late["stages"]] == ["testservers", "canaries", "production"]
    first = late["stages"][0]["records"][0]
    assert first == {
        "namespace": "mw-debug", "release": "pinkunicorn", "cluster": "eqiad",
        "stage": "testservers", "deploy": True, "kind": "debug-image",
        "mw_flavour": "publish-83", "web_flavour": "webserver-bookworm", "dir": "services",
        "scope": "train", "helmfile_dir": "helmfile.d/services/mw-debug",
        "values_file": "mw-debug-pinkunicorn-eqiad.yaml", "line": first["line"],
        "yaml_path": "mw_deployments.deployment_targets[0].releases.pinkunicorn"}
    assert len(late["not_deployed"]) == 10 and late["default_clusters"] == ["eqiad", "codfw"]


def test_images_from_a_report():
    report = load_report(os.path.join(REPORTS, "report-2025-late.json"))
    plan = plan_of(LATE, report=report, report_path="report.json")
    assert plan.problems == ()
    for r in plan.records:
        assert r.mw_image and r.web_image and r.php_version
        assert r.mw_image == report.image_name("mediawiki", r.mw_flavour, r.kind)
    debug = plan.stage("testservers")[0]
    assert "debug" in debug.mw_image and debug.mw_image != plan.stage("production")[0].mw_image
    p = mwlint("plan", "--report", os.path.join(REPORTS, "report-2025-late.json"), LATE)
    assert p.returncode == 0 and "MW IMAGE" in p.stdout and "(not in report)" not in p.stdout


def test_report_that_misses_images_fails():
    p = mwlint("plan", "--report", os.path.join(REPORTS, "report-illustrative.json"), MID)
    assert p.returncode == 1
    assert "scap would not get through:" in p.stdout
    # the verdict is the rules' (MW402), not a second judgement of the plan's own
    assert p.stdout.startswith("mwlint plan: scap would not get through the config")
    assert "MW402" in p.stdout and "'publish-81'" in p.stdout
    assert "(not in report)" in p.stdout


def test_invalid_stage_and_legacy_entries():
    text = releases_doc("""
        - namespace: mw-web
          releases:
            main: {}
            canary: {stage: canary}
          mw_flavour: publish
          web_flavour: webserver
        - namespace: mw-old
          release: main
          mw_flavour: publish
          web_flavour: webserver
        """)
    plan = plan_text(text, "k.yaml")
    assert names(plan.invalid) == both(("mw-web", "canary"))
    assert names(plan.stage("production")) == both(("mw-web", "main"))
    assert any("MW105 stage 'canary'" in p for p in plan.problems)
    assert plan.skipped and "legacy T299648 flat entry" in plan.skipped[0]


def test_html_is_escaped():
    pytest.importorskip("jinja2")
    text = releases_doc("""
        - namespace: "<script>alert(1)</script>"
          releases: {main: {}}
          mw_flavour: publish
          web_flavour: webserver
        """)
    from mwlint.plan.mediawiki import MediaWikiFamily
    from mwlint.plan.model import FamilyPlan
    from mwlint.plan.render import PlanSet, html

    fp = plan_text(text, "k.yaml")
    page = html(PlanSet([(MediaWikiFamily(), [FamilyPlan("mediawiki", fp.path, (), (), (), fp)])]))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and "1. testservers: 0" in page
    p = mwlint("plan", "--format", "html", LATE)
    assert p.returncode == 0 and p.stdout.count("<tr>") >= 55


def test_usage_errors_and_nothing_to_plan(tmp_path):
    assert mwlint("plan", "nope.yaml").returncode == 2
    p = mwlint("plan", "--report", "missing.json", LATE)
    assert p.returncode == 2 and "--report: path does not exist" in p.stderr
    (tmp_path / "other.yaml").write_text("a: 1\n")
    p = mwlint("plan", str(tmp_path))
    assert p.returncode == 1 and "nothing to plan" in p.stderr
    (tmp_path / "bad.yaml").write_text(RELEASES_KEY + ": [unclosed\n")
    p = mwlint("plan", str(tmp_path / "bad.yaml"))
    assert p.returncode == 1 and "cannot plan" in p.stderr and "Traceback" not in p.stderr


# -- differences ------------------------------------------------------------------------

def rec(ns, rel, cluster, **kw):
    base = dict(stage="production", deploy=True, kind="image", mw_flavour="publish",
                web_flavour="webserver", dir="services", scope="train",
                helmfile_dir=f"helmfile.d/services/{ns}", values_file=f"{ns}-{rel}-{cluster}",
                line=1, yaml_path="x")
    base.update(kw)
    return PlanRecord(ns, rel, cluster, **base)


def fplan(*records):
    return FilePlan("k.yaml", ("mw_releases",), ("eqiad", "codfw"), "default", records)


def test_diff_plans_table():
    old = fplan(rec("a", "main", "eqiad"), rec("a", "main", "codfw"),
                rec("b", "main", "eqiad"), rec("c", "main", "eqiad"),
                rec("d", "main", "eqiad"), rec("d", "main", "codfw"))
    new = fplan(rec("a", "main", "eqiad", stage="canaries"),
                rec("a", "main", "codfw", stage="canaries"),
                rec("c", "main", "eqiad", deploy=False),
                rec("c", "main", "codfw", deploy=False),
                rec("d", "main", "eqiad", mw_flavour="publish-83"), rec("d", "main", "codfw"),
                rec("e", "main", "eqiad"))
    got = [(c.namespace, c.change, [(f.field, f.old, f.new) for f in c.fields])
           for c in diff_plans(old, new) if c.change == "changed"]
    # one record per (namespace, release): clusters are a field, a per-cluster difference
    # is the first cluster's (records of one release share every other field)
    assert got == [
        ("a", "changed", [("stage", "production", "canaries")]),
        ("c", "changed", [("deploy", True, False), ("clusters", ("eqiad",),
                                                      ("eqiad", "codfw"))]),
        ("d", "changed", [("mw_flavour", "publish", "publish-83")]),
    ]
    assert [(c.namespace, c.change) for c in diff_plans(old, new)
            if c.change != "changed"] == [("e", "added"), ("b", "removed")]
    assert diff_plans(old, old) == []
    assert [c.change for c in diff_plans(None, old)] == ["added"] * 4


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_against_the_fixed_copy(tmp_path):
    """cf184ede and its --fix'ed copy, both committed: exactly the debug releases move."""
    repo = tmp_path / "puppet"
    (repo / "hieradata").mkdir(parents=True)
    dst = repo / "hieradata" / "kubernetes.yaml"
    with open(CF184EDE, encoding="utf-8") as f:
        original = f.read()
    dst.write_text(original)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "cf184ede")
    dst.write_text(fix_text(original, str(dst)).fixed)
    git(repo, "commit", "-qam", "fixed")
    p = mwlint("plan", "--against", "HEAD~1", "hieradata/kubernetes.yaml", cwd=str(repo))
    assert p.returncode == 0, p.stderr  # the new side has no error
    lines = p.stdout.splitlines()
    assert lines[1:12] == [
        "  scap would load the new config (no errors)", "",
        "  Moves to production or changes the image:",
        "    testservers:",
        "    - mw-debug/pinkunicorn, mw-debug/next, mw-misc/main: kind image → debug-image",
        "",
        "  Other changes:",
        "    testservers:",
        "    - mw-debug/pinkunicorn, mw-debug/next, mw-misc/main: moves from production to "
        "testservers",
        "  3 records changed, 0 added, 0 removed",
        # both sides are linted: the old one's errors (scap loads it, so not refused)
        "  the config at HEAD~1 has 13 errors:",
    ]
    assert [line.split(": ")[1].split()[0] for line in lines[12:]] == \
        ["MW202", "MW203", "MW203", "MW201"] + ["MW201"] * 5 + ["MW202", "MW203", "MW201",
                                                                "MW201"]
    doc = json.loads(mwlint("plan", "--against", "HEAD~1", "--format", "json",
                            str(dst)).stdout)
    changes = doc["diffs"][0]["changes"]
    assert [(c["name"], c["release"], c["change"],
             [(f["field"], f["old"], f["new"]) for f in c["fields"]])
            for c in changes] == [
        (ns, rel, "changed", [("stage", "production", "testservers"),
                              ("kind", "image", "debug-image")])
        for ns, rel in (("mw-debug", "pinkunicorn"), ("mw-debug", "next"), ("mw-misc", "main"))]
    assert doc["diffs"][0]["new"] == {"refused": False, "problems": [], "errors": []}
    assert len(doc["diffs"][0]["old"]["errors"]) == 13
    # no change against itself
    p = mwlint("plan", "--against", "HEAD", str(dst))
    assert p.returncode == 0 and "The deploy does not change." in p.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_against_errors_and_new_file(tmp_path):
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README").write_text("x\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    dst = repo / "k.yaml"
    shutil.copyfile(LATE, dst)
    p = mwlint("plan", "--against", "HEAD", str(dst))
    assert p.returncode == 0
    releases = {(r.namespace, r.release) for r in plan_of(LATE).records}
    assert len(releases) == 28  # 27 on eqiad and codfw, mediawiki-dumps-legacy on one cluster
    assert "(the file is not in HEAD)" in p.stdout
    assert p.stdout.endswith("\n  0 records changed, 28 added, 0 removed\n")
    p = mwlint("plan", "--against", "no-such-rev", str(dst))
    assert p.returncode == 2 and "unknown revision 'no-such-rev'" in p.stderr
    outside = tmp_path / "outside.yaml"
    shutil.copyfile(LATE, outside)
    p = mwlint("plan", "--against", "HEAD", str(outside))
    assert p.returncode == 2 and "not inside a git repository" in p.stderr


def test_debug_true_is_planned_as_scap_reads_it():
    """cf184ede before the migration: scap ignores debug, so nothing is at testservers."""
    plan = plan_of(CF184EDE)
    assert plan.summary()["testservers"] == 0
    assert ("mw-debug", "pinkunicorn", "eqiad") in names(plan.stage("production"))
    assert [n.split(" ")[0] for n in plan.notes] == ["mw_releases[0]", "mw_releases[6]"]
    fixed = plan_text(fix_text(open(CF184EDE, encoding="utf-8").read(), "k").fixed, "k")
    assert fixed.notes == () and fixed.summary()["testservers"] == 6


def _repo_with(tmp_path, text):
    repo = tmp_path / "puppet"
    repo.mkdir()
    dst = repo / "k.yaml"
    dst.write_text(text)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    return repo, dst


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_against_a_new_side_scap_refuses(tmp_path, fmt):
    """263a58ee with mw-web's canary at stage "canary": the plan of the file alone says
    scap refuses it; the difference says so too and fails (it used to say harmlessly
    "moves from canaries to canary" and exit 0)."""
    with open(LATE, encoding="utf-8") as f:
        original = f.read()
    bad = original.replace('        canary:\n          stage: "canaries"\n        next: {}\n'
                           '        migration: {}\n      mw_flavour: "publish-83"\n'
                           '      web_flavour: "webserver-bookworm"\n    - namespace: mw-api-int',
                           '        canary:\n          stage: "canary"\n        next: {}\n'
                           '        migration: {}\n      mw_flavour: "publish-83"\n'
                           '      web_flavour: "webserver-bookworm"\n    - namespace: mw-api-int',
                           1)
    assert bad != original
    repo, dst = _repo_with(tmp_path, original)
    dst.write_text(bad)
    assert mwlint("plan", str(dst)).returncode == 1
    p = mwlint("plan", "--against", "HEAD", "--format", fmt, str(dst))
    assert p.returncode == 1, p.stdout + p.stderr
    if fmt == "json":
        d = json.loads(p.stdout)["diffs"][0]
        assert d["new"]["refused"] and d["old"] == {"refused": False, "problems": [],
                                                    "errors": []}
        assert any("MW105 stage 'canary'" in s for s in d["new"]["problems"])
        assert [e["code"] for e in d["new"]["errors"]] and all(
            e["line"] == 231 for e in d["new"]["errors"])
    else:
        out = html_module.unescape(p.stdout)
        assert "scap would refuse the config at the working tree (1 error)" in out
        assert "MW105 stage 'canary'" in out
        assert ":231:" in out
    # the other way round: the old side is refused, the new one is fine: exit 0
    git(repo, "commit", "-qam", "bad")
    dst.write_text(original)
    p = mwlint("plan", "--against", "HEAD", str(dst))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "scap would refuse the config at HEAD (1 error):" in p.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_against_shows_a_release_that_is_not_deployed(tmp_path):
    """A deploy: false release says it is not deployed, and its stage (text, json, html)."""
    old = releases_doc("""
  - namespace: mw-web
    releases:
      main: {}
    mw_flavour: publish
    web_flavour: webserver
""")
    new = releases_doc("""
  - namespace: mw-web
    releases:
      main: {}
      spare:
        deploy: false
        stage: canaries
    mw_flavour: publish
    web_flavour: webserver
""")
    _repo, dst = _repo_with(tmp_path, old)
    dst.write_text(new)
    p = mwlint("plan", "--against", "HEAD", str(dst))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "    - mw-web/spare: added (eqiad, codfw), not deployed (stage canaries)" \
        in p.stdout.splitlines()
    c = json.loads(mwlint("plan", "--against", "HEAD", "--format", "json",
                          str(dst)).stdout)["diffs"][0]["changes"]
    assert [(x["release"], x["deploy"], x["stage"]) for x in c] == [
        ("spare", False, "canaries")]
    page = mwlint("plan", "--against", "HEAD", "--format", "html", str(dst)).stdout
    assert "added (eqiad, codfw), not deployed (stage canaries)" in page


# -- supervision ----------------------------------------------------------------------

HTTPBB = ["httpbb /srv/deployment/httpbb-tests/appserver/* --hosts=mwdebug.discovery.wmnet "
          "--https_port=4444 --retry_on_timeout",
          "httpbb /srv/deployment/httpbb-tests/appserver/* --hosts=mwdebug-next.discovery.wmnet "
          "--https_port=4453 --retry_on_timeout"]
RULES = LATE_RULES = """  supervision_rules:
    - scope: train
      stages:
        testservers:
          - commands:
            - "{0}"
            - "{1}"
        canaries:
          - logstash_check:
              threshold: 10
        production:
          - logstash_check:
              threshold: 150
""".format(*HTTPBB)


def _late(rules=None):
    text = open(LATE, encoding="utf-8").read()
    assert text.count(RULES) == 1
    return text if rules is None else text.replace(RULES, rules)


def test_supervision_of_263a58ee():
    sup = plan_of(LATE).supervision
    assert sup.source == "rules" and sup.unchecked == () and sup.idle == ()
    assert [(c.stage, c.kind, c.command, c.threshold, c.rule, c.rule_scope)
            for c in sup.checks] == [
        ("testservers", "commands", HTTPBB[0], None, 0, "train"),
        ("testservers", "commands", HTTPBB[1], None, 0, "train"),
        ("canaries", "logstash_check", None, 10, 0, "train"),
        ("production", "logstash_check", None, 150, 0, "train")]
    # the list form has no rules: scap.cfg's checks
    assert plan_of(MID).supervision.source == "fallback"


@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_each_format_names_the_checks_after_each_stage(fmt):
    p = mwlint("plan", "--format", fmt, LATE)
    assert p.returncode == 0, p.stderr
    out = html_module.unescape(p.stdout)
    if fmt == "json":
        stages = json.loads(out)["plans"][0]["supervision"]["stages"]
        assert [(s["stage"], [(c["type"], c["command"], c["threshold"], c["rule_scope"])
                              for c in s["checks"]], s["unchecked"]) for s in stages] == [
            ("testservers", [("commands", HTTPBB[0], None, "train"),
                             ("commands", HTTPBB[1], None, "train")], []),
            ("canaries", [("logstash_check", None, 10, "train")], []),
            ("production", [("logstash_check", None, 150, "train")], [])]
        return
    marks = ["1. testservers", HTTPBB[0], HTTPBB[1], "2. canaries",
             "logstash_check threshold 10 (rule 0, scope train)", "3. production",
             "logstash_check threshold 150 (rule 0, scope train)", "4. not deployed"]
    pos = [out.index(m) for m in marks]
    assert pos == sorted(pos)  # each check in the section of the stage it runs after
    assert "runs with no check" not in out


@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_without_the_rule_every_deployed_target_runs_with_no_check(fmt, tmp_path):
    """supervision_rules: [] disables scap.cfg's fallback: nothing is checked."""
    dst = tmp_path / "k.yaml"
    dst.write_text(_late("  supervision_rules: []\n"))
    deployed = {(r.namespace, r.release, r.stage) for r in plan_of(LATE).records if r.deploy}
    assert len(deployed) == 23
    sup = plan_of(str(dst)).supervision
    assert sup.checks == () and {(u.namespace, u.release, u.stage)
                                 for u in sup.unchecked} == deployed
    p = mwlint("plan", "--format", fmt, str(dst))
    out = html_module.unescape(p.stdout)
    if fmt == "json":
        stages = json.loads(out)["plans"][0]["supervision"]["stages"]
        assert {(u["namespace"], u["release"], s["stage"]) for s in stages
                for u in s["unchecked"]} == deployed
    else:
        assert out.count("runs with no check") == 23
        assert "mw-web/canary (scope train) runs with no check" in out
    # without the key scap falls back to scap.cfg: nothing is flagged
    dst.write_text(_late(""))
    assert plan_of(str(dst)).supervision.unchecked == ()
    out = mwlint("plan", str(dst)).stdout
    assert "runs with no check" not in out and "canary_threshold (scap.cfg)" in out


def test_a_rule_of_another_scope_leaves_its_targets_unchecked():
    text = _late(RULES.replace("scope: train", "scope: pretrain"))
    sup = plan_text(text, "k.yaml").supervision
    assert sup.checks == () and sup.idle == ((0, "pretrain"),)
    assert len(sup.unchecked) == 23
    # a logstash_check watching another scope and stage covers that scope's targets there
    guard = RULES + """    - scope: train
      stages:
        canaries:
          - logstash_check: {scope: pretrain, stage: production, threshold: 5}
"""
    sup = plan_text(_late(guard), "k.yaml").supervision
    assert [c.describe() for c in sup.at("canaries")][1] == \
        "logstash_check threshold 5 (watches scope pretrain at production)"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_against_shows_changed_thresholds_and_checks(tmp_path, fmt):
    repo, dst = _repo_with(tmp_path, _late())
    dst.write_text(_late(RULES.replace("threshold: 150", "threshold: 100").replace(
        f'            - "{HTTPBB[1]}"\n', "")))
    p = mwlint("plan", "--against", "HEAD", "--format", fmt, str(dst))
    assert p.returncode == 0, p.stderr
    out = html_module.unescape(p.stdout)
    if fmt == "json":
        assert json.loads(out)["diffs"][0]["checks"] == [
            {"change": "removed", "stage": "testservers",
             "what": f"check removed: commands: {HTTPBB[1]} (rule 0, scope train)"},
            {"change": "threshold", "stage": "production",
             "what": "logstash_check threshold 150 → 100 (rule 0, scope train)"}]
        return
    assert f"check removed: commands: {HTTPBB[1]} (rule 0, scope train)" in out
    assert "logstash_check threshold 150 → 100 (rule 0, scope train)" in out
    assert "no change to the plan" not in out.lower()
    # removing the rule: every deployed target now runs with no check
    dst.write_text(_late("  supervision_rules: []\n"))
    out = html_module.unescape(mwlint("plan", "--against", "HEAD", "--format", fmt,
                                      str(dst)).stdout)
    assert out.count("now runs with no check") == 23
    assert out.count("check removed: ") == 4


# -- the review summary (--format markdown) ---------------------------------------------

def _diff(changes, checks=(), errors=(), refused=False):
    from mwlint.plan import PlanDiff, PlanSide

    return PlanDiff("k.yaml", "HEAD^", True, changes, PlanSide(),
                    PlanSide(("bad",) if refused else (), tuple(errors)), tuple(checks))


def test_summary_order_one_line_per_effect_and_the_bound():
    from mwlint.plan.review import summary

    old = fplan(rec("a", "main", "eqiad"), rec("b", "main", "eqiad"),
                rec("c", "main", "eqiad"), rec("d", "main", "eqiad", stage="canaries"),
                rec("e", "main", "eqiad", dir="dse"))
    new = fplan(rec("a", "main", "eqiad", deploy=False),
                rec("b", "main", "eqiad", kind="debug-image", stage="testservers"),
                rec("c", "main", "eqiad", mw_flavour="publish-83"),
                rec("d", "main", "eqiad"), rec("e", "main", "eqiad"),
                rec("f", "main", "eqiad"))
    got = summary([_diff(diff_plans(old, new))]).splitlines()
    assert got == [
        "### mwlint plan: `k.yaml`, `HEAD^` → this change", "",
        "scap would load the new config (no errors)", "",
        "**Moves to production or changes the image**", "",
        "*testservers*", "",
        "- `b/main`: kind `image` → `debug-image`", "",
        "*production*", "",
        "- `c/main`: mw_flavour `publish` → `publish-83`",
        "- `d/main`: moves from `canaries` to `production`",
        "- `f/main`: added (`eqiad`)", "",  # a release added at production moves there
        "**Other changes**", "",
        "*testservers*", "",
        "- `b/main`: moves from `production` to `testservers`", "",
        "*production*", "",
        "- `e/main`: dir `dse` → `services`", "",
        "*not deployed*", "",
        "- `a/main`: deploy turned off, no longer deployed"]
    # nothing when the deploy does not change and nothing is wrong
    assert summary([_diff([])]) == ""
    # bounded: 45 different bumps are 40 lines, then how many more and the command
    many = [rec(f"n{i}", "main", "eqiad") for i in range(45)]
    bumped = [r._replace(mw_flavour=f"publish-{i}") for i, r in enumerate(many)]
    lines = summary([_diff(diff_plans(fplan(*many), fplan(*bumped)))]).splitlines()
    assert sum(1 for line in lines if line.startswith("- ")) == 40
    assert lines[-1] == "5 more: `mwlint plan --against 'HEAD^' k.yaml` lists them all"


def test_summary_says_first_whether_scap_takes_the_new_config():
    from mwlint.findings import Finding
    from mwlint.plan.review import summary

    errs = [Finding("MW105", "invalid-stage", "error", f"bad {i}", "k.yaml", i, 3, i, 5, "x",
                    False, ()) for i in range(1, 8)]
    lines = summary([_diff([], errors=errs[:2], refused=True)]).splitlines()
    assert lines[2:8] == ["**scap would refuse the new config: 2 errors**", "",
                          "- `k.yaml:1:3: MW105 bad 1`", "- `k.yaml:2:3: MW105 bad 2`", "",
                          "The deploy does not change."]
    plain = summary([_diff([], errors=errs, refused=True)], markdown=False).splitlines()
    assert plain[2] == "scap would refuse the new config: 7 errors"
    assert plain[3:9] == [f"  k.yaml:{i}:3: MW105 bad {i}" for i in range(1, 6)] + [
        "  2 more errors: mwlint check k.yaml"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_markdown_against_and_review_message(tmp_path):
    repo, dst = _repo_with(tmp_path, open(MID, encoding="utf-8").read())
    p = mwlint("plan", "--against", "HEAD", "--format", "markdown", str(dst))
    assert p.returncode == 0 and p.stdout == ""  # no change: nothing to say
    shutil.copyfile(LATE, dst)
    p = mwlint("plan", "--against", "HEAD", "--format", "markdown", str(dst))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[2] == "scap would load the new config (no errors)"
    assert "- `mw-script/main`: kind `image` → `cli-image`" in p.stdout.splitlines()
    review = tmp_path / "review.json"
    review.write_text(json.dumps({"message": "mwlint: OK", "tag": "autogenerated:mwlint"}))
    p = mwlint("plan", "--against", "HEAD", "--review-message", str(review), str(dst))
    assert p.returncode == 0 and p.stdout == "", p.stderr
    doc = json.loads(review.read_text())
    assert doc["tag"] == "autogenerated:mwlint"
    assert doc["message"].startswith(f"mwlint: OK\n\nmwlint plan: {dst}, HEAD → this change\n")
    assert "`" not in doc["message"]  # plain text for Gerrit
    for args, err in [((), "--review-message needs --against REV"),
                      (("--against", "HEAD", "--review-message", str(tmp_path / "no")),
                       "--review-message: path does not exist"),
                      # the linted file itself: refused before anything is read or written
                      (("--against", "HEAD", "--review-message", str(dst)),
                       "refusing to overwrite the linted file"),
                      (("--against", "HEAD", "--review-message", LATE),
                       "not a readable ReviewInput")]:
        if not args:
            args = ("--review-message", str(review))
        p = mwlint("plan", *args, str(dst))
        assert p.returncode == 2 and err in p.stderr and "Traceback" not in p.stderr
