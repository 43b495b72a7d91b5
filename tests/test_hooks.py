"""hooks/pre-commit and hooks/gerrit-ci, run for real in temporary git repositories."""

import json
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from format_cases import BROKEN, CLEAN, ROOT, git, make_repo
from helpers import KEY_PATH

PRE_COMMIT = os.path.join(ROOT, "hooks", "pre-commit")
GERRIT_CI = os.path.join(ROOT, "hooks", "gerrit-ci")
OTHER = "hieradata/hosts/deploy1003.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")


def _env(repo, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR", "LOG_DIR", "MWLINT_ARGS")
           and not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_NOSYSTEM="1", HOME=str(repo),
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               MWLINT=f"{sys.executable} -m mwlint", MWLINT_ARGS="--select MW1")
    env.update(extra)
    return env


def run(script, repo, *args, cwd=None, **env):
    return subprocess.run([script, *args], cwd=str(cwd or repo), capture_output=True, text=True,
                          env=_env(repo, **env), timeout=120)


def _text(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _fixed(text):
    """The broken real config with its mw-misc entry repaired (what 45f7b0f6 did)."""
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if "namespace: mw-misc" in line)
    j = next(n for n in range(i, len(lines)) if "mw_flavour:" in lines[n])
    indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
    lines.insert(j + 1, indent + 'web_flavour: "webserver"')
    return "\n".join(lines)


@pytest.mark.parametrize("script", [PRE_COMMIT, GERRIT_CI])
def test_hooks_are_executable_bash(script):
    assert os.stat(script).st_mode & stat.S_IXUSR
    with open(script, encoding="utf-8") as fh:
        assert fh.readline() == "#!/usr/bin/env bash\n"


# -- pre-commit ---------------------------------------------------------------------------

def _install(repo):
    dest = repo / ".git" / "hooks" / "pre-commit"
    shutil.copyfile(PRE_COMMIT, dest)
    dest.chmod(0o755)


def test_staged_broken_content_blocks_the_commit_even_if_the_tree_is_fixed(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    _install(repo)
    git(repo, "add", KEY_PATH)
    (repo / KEY_PATH).write_text(_fixed(_text(BROKEN)), encoding="utf-8")  # not staged
    p = subprocess.run(["git", "commit", "-q", "-m", "add mw-misc"], cwd=str(repo),
                       capture_output=True, text=True, env=_env(repo))
    out = p.stdout + p.stderr  # git sends a hook's stdout to stderr
    assert p.returncode != 0
    assert f"{KEY_PATH}:297:5: error MW102 missing-key:" in out
    assert "mwlint: FAILED (1 error)" in out
    assert "staged content of 1 file(s) has findings" in out
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=str(repo),
                          capture_output=True).returncode != 0  # nothing was committed


def test_staged_fixed_content_passes_even_if_the_tree_is_broken(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: _fixed(_text(BROKEN))})
    _install(repo)
    git(repo, "add", KEY_PATH)
    shutil.copyfile(BROKEN, repo / KEY_PATH)  # broken again, but not staged
    p = subprocess.run(["git", "commit", "-q", "-m", "fixed"], cwd=str(repo),
                       capture_output=True, text=True, env=_env(repo))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "mwlint: OK" in p.stdout + p.stderr
    assert git(repo, "log", "--format=%s").stdout == "fixed\n"


def test_only_staged_yaml_with_the_key_starts_mwlint(tmp_path):
    repo = make_repo(tmp_path, {"README": "x\n", "hieradata/common.yaml": "a: 1\n",
                                "hieradata/x.yml": "b: 2\n"})
    git(repo, "add", ".")
    # a command that fails if it is started at all
    p = run(PRE_COMMIT, repo, MWLINT="false")
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""


def _recording_mwlint(tmp_path):
    """A stand-in for mwlint that records its arguments and stdin, then exits 1."""
    script = tmp_path / "fake-mwlint"
    script.write_text('#!/usr/bin/env bash\n'
                      'printf "%s\\n" "$*" >> "$(dirname "$0")/calls"\n'
                      'cat >> "$(dirname "$0")/stdin"\n'
                      'exit 1\n')
    script.chmod(0o755)
    return script


def test_rendered_file_without_the_key_is_handed_to_mwlint(tmp_path):
    repo = make_repo(tmp_path, {"etc/mediawiki-deployments.yaml": "- namespace: mw-web\n",
                                "etc/other.yaml": "- namespace: mw-web\n"})
    git(repo, "add", ".")
    fake = _recording_mwlint(tmp_path)
    p = run(PRE_COMMIT, repo, MWLINT=str(fake), MWLINT_ARGS="--fail-on warning")
    assert p.returncode == 1
    assert (tmp_path / "calls").read_text() == \
        "check --fail-on warning - --stdin-filename=etc/mediawiki-deployments.yaml\n"
    assert (tmp_path / "stdin").read_text() == "- namespace: mw-web\n"


def test_rendered_file_is_linted_by_the_real_mwlint(tmp_path):
    repo = make_repo(tmp_path, {"etc/mediawiki-deployments.yaml": "- namespace: mw-web\n"})
    git(repo, "add", ".")
    p = run(PRE_COMMIT, repo)
    assert p.returncode == 1, p.stdout + p.stderr
    assert p.stdout.startswith("etc/mediawiki-deployments.yaml:1:3: error MW102 missing-key:")


def test_odd_file_names_and_subdirectory_invocation(tmp_path):
    odd = "hieradata/-dash dir/we:ird [1].yaml"
    repo = make_repo(tmp_path, {odd: BROKEN, KEY_PATH: CLEAN})
    git(repo, "add", ".")
    p = run(PRE_COMMIT, repo, cwd=repo / "hieradata")
    assert p.returncode == 1, p.stderr
    assert f"{odd}:297:5: error MW102 missing-key:" in p.stdout
    assert p.stdout.count("mwlint: ") == 2  # one run per candidate file


def test_deleted_and_unstaged_files_are_not_linted(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    git(repo, "add", ".")
    git(repo, "commit", "-q", "--no-verify", "-m", "old broken state")
    git(repo, "rm", "-q", KEY_PATH)
    (repo / OTHER).parent.mkdir(parents=True)
    shutil.copyfile(BROKEN, repo / OTHER)  # untracked
    p = run(PRE_COMMIT, repo, MWLINT="false")
    assert p.returncode == 0 and p.stdout == ""


def test_missing_mwlint_is_exit_2_with_advice(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    git(repo, "add", ".")
    p = run(PRE_COMMIT, repo, MWLINT="mwlint-not-installed-anywhere")
    assert p.returncode == 2
    assert "not found" in p.stderr and "--no-verify" in p.stderr


def test_extra_arguments_reach_mwlint(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    git(repo, "add", ".")
    p = run(PRE_COMMIT, repo, MWLINT_ARGS="--select MW105")
    assert p.returncode == 0 and p.stdout == "mwlint: OK\n"
    p = run(PRE_COMMIT, repo, MWLINT_ARGS="--no-such-option")
    assert p.returncode == 2


# -- gerrit-ci ----------------------------------------------------------------------------

def _commit(repo, message, files=None, remove=()):
    for rel, src in (files or {}).items():
        dest = repo / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if os.path.isabs(src) and os.path.isfile(src):
            shutil.copyfile(src, dest)
        else:
            dest.write_text(src, encoding="utf-8")
        git(repo, "add", rel)
    for rel in remove:
        git(repo, "rm", "-q", rel)
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def _junit(path):
    return [(c.get("classname"), c.get("name"),
             "failure" if c.find("failure") is not None else "pass")
            for c in ET.parse(str(path)).getroot().iter("testcase")]


def test_changed_files_mode_lints_only_what_head_changed(tmp_path):
    repo = make_repo(tmp_path)
    log = tmp_path / "log"
    _commit(repo, "broken config, merged long ago", {KEY_PATH: BROKEN})
    _commit(repo, "unrelated host data", {OTHER: CLEAN, "README": "x\n"})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log))
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "mwlint: OK"
    assert _junit(log / "junit-mwlint.xml") == [(OTHER, "mwlint", "pass")]
    assert json.loads((log / "mwlint-review.json").read_text())["comments"] == {}

    _commit(repo, "touch the key file", {KEY_PATH: _text(BROKEN) + "# touched\n"})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), cwd=repo / "hieradata")
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[0].startswith(f"{KEY_PATH}:297:5: error MW102 missing-key:")
    assert lines[-1] == "mwlint: FAILED (1 error)"
    assert _junit(log / "junit-mwlint.xml") == [(KEY_PATH, "MW102 mw_releases[5]", "failure")]
    review = json.loads((log / "mwlint-review.json").read_text())
    assert review["tag"] == "autogenerated:mwlint"
    assert [c["line"] for c in review["comments"][KEY_PATH]] == [297]


def test_deleted_files_are_skipped_and_no_yaml_means_no_report(tmp_path):
    repo = make_repo(tmp_path)
    log = tmp_path / "log"
    _commit(repo, "one", {KEY_PATH: BROKEN, OTHER: CLEAN})
    _commit(repo, "drop the host file", remove=[OTHER])
    (log).mkdir()
    (log / "junit-mwlint.xml").write_text("stale")
    p = run(GERRIT_CI, repo, LOG_DIR=str(log))
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout == "mwlint: OK (no YAML files changed in HEAD)\n"
    assert not (log / "junit-mwlint.xml").exists()


def test_first_commit_lints_everything_in_it(tmp_path):
    repo = make_repo(tmp_path)
    _commit(repo, "root", {KEY_PATH: BROKEN, OTHER: CLEAN})
    p = run(GERRIT_CI, repo)  # LOG_DIR unset: ./log where the job started
    assert p.returncode == 1
    assert sorted(_junit(repo / "log" / "junit-mwlint.xml")) == [
        (OTHER, "mwlint", "pass"), (KEY_PATH, "MW102 mw_releases[5]", "failure")]


def test_explicit_files_mode(tmp_path):
    repo = make_repo(tmp_path)
    _commit(repo, "root", {KEY_PATH: BROKEN, OTHER: CLEAN})
    log = tmp_path / "out"
    p = run(GERRIT_CI, repo, OTHER, LOG_DIR=str(log))
    assert p.returncode == 0 and p.stdout == "mwlint: OK\n"
    assert _junit(log / "junit-mwlint.xml") == [(OTHER, "mwlint", "pass")]


def test_usage_error_is_exit_2_and_leaves_no_stale_report(tmp_path):
    repo = make_repo(tmp_path)
    _commit(repo, "root", {KEY_PATH: BROKEN})
    log = tmp_path / "log"
    log.mkdir()
    (log / "mwlint-review.json").write_text("{}")
    p = run(GERRIT_CI, repo, "no/such/file.yaml", LOG_DIR=str(log))
    assert p.returncode == 2
    assert "path does not exist: no/such/file.yaml" in p.stderr
    assert p.stdout.splitlines()[-1].startswith("mwlint: FAILED (mwlint exited 2")
    assert os.listdir(log) == []
    p = run(GERRIT_CI, repo, MWLINT="mwlint-not-installed-anywhere")
    assert p.returncode == 2 and p.stdout == "mwlint: FAILED (mwlint is not installed)\n"


# -- gerrit-ci: the deploy effect in the review message ------------------------------------

MID = os.path.join(ROOT, "tests", "fixtures", "real", "puppet-2025-mid-001797c3-kubernetes.yaml")
LATE = CLEAN  # 263a58ee, the mw_deployments form with supervision_rules
CANARY = '        canary:\n          stage: "canaries"\n        next: {}\n        migration: {}\n' \
         '      mw_flavour: "publish-83"\n      web_flavour: "webserver-bookworm"\n' \
         '    - namespace: mw-api-int'


def _effects():
    """What 001797c3 -> 263a58ee does, from the plan library (not from the message): for
    each flavour bump, kind change and deploy toggle, and each release added or removed,
    (release, text the message's line about it carries)."""
    from mwlint.plan import diff_plans, plan_text

    old, new = (plan_text(_text(p), KEY_PATH) for p in (MID, LATE))
    out = []
    for c in diff_plans(old, new):
        name = f"{c.namespace}/{c.release}"
        if c.change != "changed":
            out.append((name, f": {c.change} ("))
            continue
        for f in c.fields:
            if f.field in ("mw_flavour", "web_flavour", "kind"):
                out.append((name, f": {f.field} {f.old} → {f.new}"))
            elif f.field == "deploy":
                out.append((name, ": deploy turned "))
    return out


def _review(log):
    import jsonschema
    from format_cases import REVIEW_INPUT_SCHEMA

    doc = json.loads((log / "mwlint-review.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, REVIEW_INPUT_SCHEMA)  # only fields Gerrit's REST API defines
    return doc


def test_gerrit_ci_review_says_what_the_change_does_to_the_deploy(tmp_path):
    """001797c3 then 263a58ee at the same path, hooks/gerrit-ci run as CI runs it (no
    arguments, in the checkout): the ReviewInput, field by field."""
    repo = make_repo(tmp_path)
    log = tmp_path / "log"
    _commit(repo, "mid-2025", {KEY_PATH: MID})
    _commit(repo, "late-2025", {KEY_PATH: LATE})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="")
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "mwlint: OK"  # the plan prints nothing of its own
    doc = _review(log)
    assert sorted(doc) == ["comments", "message", "omit_duplicate_comments", "tag"]
    assert doc["tag"] == "autogenerated:mwlint" and doc["omit_duplicate_comments"] is True
    assert doc["comments"] == {}  # 263a58ee is clean
    lines = doc["message"].split("\n")
    # the findings' summary first, then the plan's
    assert lines[0] == "mwlint: OK"
    start = lines.index(f"mwlint plan: {KEY_PATH}, HEAD^ → this change")
    plan = lines[start:]
    assert plan[2] == "scap would load the new config (no errors)"
    # one line per effect, within the bound: nothing is left to "N more"
    items = [line for line in plan if line.startswith("  - ")]
    assert 0 < len(items) <= 40 and not any(" more: " in line for line in plan)
    expected = _effects()
    assert len(expected) > 40  # the pair has more effects than lines: the lines merge them
    for name, what in expected:
        assert any(what in line and (f" {name}," in line or f" {name}:" in line)
                   for line in items), (name, what)
    # the stages are named, image changes first
    heads = [line.strip() for line in plan if line.endswith(":") and not line.startswith("  -")]
    assert heads == ["Moves to production or changes the image:", "testservers:",
                     "canaries:", "production:", "Other changes:", "testservers:",
                     "canaries:", "production:", "supervision:", "not deployed:"]
    assert "  - mw-web/canary, mw-api-int/canary, mw-api-ext/canary, mw-jobrunner/canary: " \
        "mw_flavour publish-81 → publish-83" in plan
    assert "  - mw-script/main: kind image → cli-image" in plan
    # the README's example is this output
    assert "\n".join(plan) in _text(os.path.join(ROOT, "README.md"))

    # a change that breaks it: mw-web's canary at stage "canary"
    text = _text(LATE)
    assert text.count(CANARY) == 1
    _commit(repo, "typo", {KEY_PATH: text.replace(CANARY, CANARY.replace(
        'stage: "canaries"', 'stage: "canary"'))})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="")
    assert p.returncode == 1
    # the stage's did-you-mean is an unsafe fix: the summary says how to enable it
    assert p.stdout.splitlines()[-1] == ("mwlint: FAILED (1 error; 1 hidden fix can be enabled "
                                         "with the `--unsafe-fixes` option)")
    doc = _review(log)
    assert doc["tag"] == "autogenerated:mwlint"
    # the finding is an inline comment on the changed line
    diff = git(repo, "diff", "-U0", "HEAD^", "HEAD").stdout
    changed = [int(h.split("+")[1].split(",")[0].split()[0])
               for h in diff.splitlines() if h.startswith("@@")]
    # MW105's did-you-mean carries a fix: a robot comment with Gerrit's fix suggestion
    assert KEY_PATH not in doc.get("comments", {})
    comments = doc["robot_comments"][KEY_PATH]
    assert [c["line"] for c in comments] == [231] == changed
    assert comments[0]["message"].startswith("[MW105 invalid-stage] error:")
    [suggestion] = comments[0]["fix_suggestions"]
    assert [r["replacement"] for r in suggestion["replacements"]] == ['"canaries"']
    lines = doc["message"].split("\n")
    plan = lines[lines.index(f"mwlint plan: {KEY_PATH}, HEAD^ → this change"):]
    assert plan[2] == "scap would refuse the new config: 1 error"
    assert plan[3].startswith(f"  {KEY_PATH}:231:") and "MW105" in plan[3]
    assert plan[-2:] == ["  stage canary, which is not a stage:",
                         "  - mw-web/canary: moves from canaries to canary"]


def test_gerrit_ci_leaves_the_message_alone_when_the_deploy_does_not_change(tmp_path):
    repo = make_repo(tmp_path)
    log = tmp_path / "log"
    _commit(repo, "late", {KEY_PATH: LATE})
    _commit(repo, "a comment", {KEY_PATH: _text(LATE) + "# reviewed\n"})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "mwlint plan" not in _review(log)["message"]
    # a file without the key is not planned (a stand-in plan would fail the job)
    _commit(repo, "hosts", {OTHER: "a: 1\n"})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "mwlint plan" not in _review(log)["message"]


# -- the scap deploy-service keys --------------------------------------------------------

DEPLOY_SERVICE = os.path.join(ROOT, "tests", "fixtures", "deploy-service",
                              "kubernetes-deploy-service.yaml")


def test_staged_deploy_service_keys_are_linted(tmp_path):
    broken = _text(DEPLOY_SERVICE).replace("cluster_group: dse-k8s", "cluster_group: dse-k8")
    repo = make_repo(tmp_path, {KEY_PATH: broken})
    git(repo, "add", ".")
    p = run(PRE_COMMIT, repo, MWLINT_ARGS="--select MW6")
    assert p.returncode == 1, p.stdout + p.stderr
    assert p.stdout.startswith(f"{KEY_PATH}:89:22: error MW606 service-undefined-reference:")


def test_rendered_service_files_are_handed_to_mwlint(tmp_path):
    repo = make_repo(tmp_path, {"etc/scap/service-catalog.yaml": "servics: {}\n",
                                "etc/scap/cluster-groups.yaml": "{}\n",
                                "etc/other.yaml": "servics: {}\n"})
    git(repo, "add", ".")
    fake = _recording_mwlint(tmp_path)
    p = run(PRE_COMMIT, repo, MWLINT=str(fake), MWLINT_ARGS="")
    assert p.returncode == 1
    assert (tmp_path / "calls").read_text() == (
        "check - --stdin-filename=etc/scap/cluster-groups.yaml\n"
        "check - --stdin-filename=etc/scap/service-catalog.yaml\n")


def test_gerrit_ci_lints_a_changed_deploy_service_file(tmp_path):
    repo = make_repo(tmp_path)
    log = tmp_path / "log"
    broken = _text(DEPLOY_SERVICE).replace("type: PRODUCTION", "type: Production", 1)
    _commit(repo, "deploy-service config", {KEY_PATH: broken})
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="--select MW6")
    assert p.returncode == 1, p.stdout + p.stderr
    assert p.stdout.splitlines()[0].startswith(
        f"{KEY_PATH}:21:15: error MW604 service-invalid-value:")


# -- gerrit-ci: changes of any size, comments on the change's files, deploy-service plan ----

def test_gerrit_ci_lints_a_change_too_large_for_one_command_line(tmp_path):
    """0.2.0 passed every changed path on mwlint's command line: a change of 25,000 files
    failed with "Argument list too long" and wrote no report. Here the same limit is met
    with 3,000 long paths under a 1 MiB stack (ARG_MAX is a quarter of it: 256 KiB)."""
    repo = make_repo(tmp_path)
    _commit(repo, "root", {"README": "x\n"})
    deep = "hieradata/" + "/".join(["d" * 40] * 2)
    for i in range(3000):
        d = repo / deep / f"{i % 30:02d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"host{i:05d}-{'x' * 20}.yaml").write_text(f"profile::x: {i}\n")
    git(repo, "add", ".")
    _commit(repo, "many hosts and the broken config", {KEY_PATH: BROKEN})
    names = git(repo, "diff", "--name-only", "HEAD^", "HEAD").stdout
    assert len(names) > 256 * 1024  # more than the command line takes
    log = tmp_path / "log"
    p = subprocess.run(["bash", "-c", 'ulimit -s 1024 && exec "$0"', GERRIT_CI],
                       cwd=str(repo), capture_output=True, text=True, timeout=300,
                       env=_env(repo, LOG_DIR=str(log), MWLINT_ARGS="--select MW102"))
    assert "Argument list too long" not in p.stderr
    assert p.returncode == 1, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "mwlint: FAILED (1 error)"
    assert _junit(log / "junit-mwlint.xml") == [(KEY_PATH, "MW102 mw_releases[5]", "failure")]
    review = _review(log)
    assert [c["line"] for c in review["comments"][KEY_PATH]] == [297]


def test_gerrit_ci_comments_only_on_files_of_the_change(tmp_path):
    """gerrit-ci FILE... may name files the change does not touch: Gerrit refuses a whole
    review with one comment on such a file."""
    repo = make_repo(tmp_path)
    _commit(repo, "broken config, merged long ago", {OTHER: BROKEN})
    _commit(repo, "the change", {KEY_PATH: BROKEN})
    log = tmp_path / "log"
    p = run(GERRIT_CI, repo, "hieradata", LOG_DIR=str(log), MWLINT_ARGS="--select MW102")
    assert p.returncode == 1, p.stdout + p.stderr
    review = _review(log)
    assert set(review["comments"]) == {KEY_PATH}
    assert (f"1 finding in files this change does not touch (not commented): {OTHER} (1)."
            in review["message"])
    assert sorted(_junit(log / "junit-mwlint.xml")) == sorted([  # CI still shows both
        (KEY_PATH, "MW102 mw_releases[5]", "failure"), (OTHER, "MW102 mw_releases[5]",
                                                        "failure")])


REAL_FIX = os.path.join(ROOT, "tests", "fixtures", "real",
                        "puppet-2024-10-17-cf184ede-kubernetes.yaml")


@pytest.mark.parametrize("mode", ["", "robot", "plain"])
def test_gerrit_ci_posts_fixes_as_robot_comments_or_suggested_edits(tmp_path, mode):
    repo = make_repo(tmp_path)
    _commit(repo, "root", {"README": "x\n"})
    _commit(repo, "the change", {KEY_PATH: REAL_FIX})
    log = tmp_path / "log"
    extra = {"MWLINT_GERRIT_COMMENTS": mode} if mode else {}
    p = run(GERRIT_CI, repo, LOG_DIR=str(log), MWLINT_ARGS="--select MW201", **extra)
    assert p.returncode == 1, p.stdout + p.stderr
    review = _review(log)
    if mode == "plain":
        assert "robot_comments" not in review
        assert sum("```suggestion\n" in c["message"] for c in review["comments"][KEY_PATH]) == 8
    else:
        robots = review["robot_comments"][KEY_PATH]
        assert len(robots) == 8 and all(c["fix_suggestions"] for c in robots)


def test_gerrit_ci_refuses_an_unknown_comment_mode(tmp_path):
    repo = make_repo(tmp_path)
    _commit(repo, "the change", {KEY_PATH: BROKEN})
    p = run(GERRIT_CI, repo, MWLINT_GERRIT_COMMENTS="robots")
    assert p.returncode == 2
    assert p.stdout == "mwlint: FAILED (bad MWLINT_GERRIT_COMMENTS)\n"


def test_gerrit_ci_plans_a_change_to_the_deploy_service_keys(tmp_path):
    """0.2.0 ran `plan` only for files with `::mediawiki::release::mw_`."""
    repo = make_repo(tmp_path)
    _commit(repo, "root", {"README": "x\n"})
    _commit(repo, "deploy-service config", {KEY_PATH: DEPLOY_SERVICE})
    fake = tmp_path / "fake-mwlint"
    fake.write_text('#!/usr/bin/env bash\n'
                    'printf "%s\\n" "$*" >> "$(dirname "$0")/calls"\n'
                    'for a in "$@"; do case "$a" in gerrit=*) echo "{}" > "${a#gerrit=}";; '
                    'esac; done\n'
                    'exit 0\n')
    fake.chmod(0o755)
    p = run(GERRIT_CI, repo, LOG_DIR=str(tmp_path / "log"), MWLINT=str(fake))
    assert p.returncode == 0, p.stdout + p.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[0].startswith("check --format text --output junit=")
    assert "--files-from " in calls[0] and "--gerrit-files " in calls[0]
    assert calls[1:] == [f"plan --against HEAD^ --review-message {tmp_path}/log/"
                         f"mwlint-review.json -- {KEY_PATH}"]
# -- the installed console script, and the hooks' default command (issue 20 item 11) --------

CONSOLE_SCRIPT = os.path.join(os.path.dirname(sys.executable), "mwlint")


def _installed_env(repo):
    """The hooks' environment without MWLINT (their default `mwlint` command) and without
    the checkout on PYTHONPATH: what runs is the console script pip installed beside this
    interpreter (the test extra is installed: pip install '.[test]')."""
    env = _env(repo)
    for k in ("MWLINT", "PYTHONPATH"):
        env.pop(k, None)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def test_the_installed_console_script_runs(tmp_path):
    assert os.access(CONSOLE_SCRIPT, os.X_OK), f"{CONSOLE_SCRIPT}: pip install -e '.[test]'"
    env = _installed_env(tmp_path)
    p = subprocess.run([CONSOLE_SCRIPT, "--version"], capture_output=True, text=True, env=env,
                       timeout=60)
    assert p.returncode == 0 and p.stdout.startswith("mwlint ")
    p = subprocess.run([CONSOLE_SCRIPT, BROKEN], capture_output=True, text=True, env=env,
                       timeout=60)
    assert p.returncode == 1 and "error MW102 missing-key:" in p.stdout
    assert p.stdout.splitlines()[-1].startswith("mwlint: FAILED")
    p = subprocess.run([CONSOLE_SCRIPT, CLEAN], capture_output=True, text=True, env=env,
                       timeout=60)
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n"), p.stderr


def test_the_hooks_default_command_is_the_installed_mwlint(tmp_path):
    repo = make_repo(tmp_path, {KEY_PATH: BROKEN})
    git(repo, "add", KEY_PATH)
    env = _installed_env(repo)
    p = subprocess.run([PRE_COMMIT], cwd=str(repo), capture_output=True, text=True, env=env,
                       timeout=120)
    assert p.returncode == 1, p.stdout + p.stderr
    assert f"{KEY_PATH}:297:5: error MW102 missing-key:" in p.stdout
    git(repo, "commit", "-q", "--no-verify", "-m", "broken")
    p = subprocess.run([GERRIT_CI], cwd=str(repo), capture_output=True, text=True,
                       env=dict(env, LOG_DIR=str(tmp_path / "log")), timeout=120)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "MW102" in p.stdout and p.stdout.splitlines()[-1].startswith("mwlint: FAILED")
