"""The real pre-commit framework runs the hook from this repository (`pre-commit try-repo`)."""

import os
import shutil
import subprocess
import sys

import pytest
from helpers import HERE, RELEASES_KEY

ROOT = os.path.dirname(HERE)
KEY_FILE = os.path.join("hieradata", "role", "common", "deployment_server", "kubernetes.yaml")

BAD = RELEASES_KEY + """:
  - namespace: mw-misc
    releases:
      main: {stage: testservers}
    mw_kind: debug-image
    mw_flavour: publish
"""
GOOD = BAD + "    web_flavour: webserver\n"
# Only warnings, each of which breaks or silences a deploy: a misspelt kind (the sync aborts
# after the build) and a misspelt scope (the target deploys with no supervision check).
WARNINGS_ONLY = RELEASES_KEY.replace("mw_releases", "mw_deployments") + """:
  deployment_targets:
    - namespace: mw-debug
      releases:
        pinkunicorn: {stage: testservers}
      mw_kind: debug_image
      mw_flavour: publish
      web_flavour: webserver
    - namespace: mw-web
      releases:
        main: {}
      mw_flavour: publish
      web_flavour: webserver
      scope: trian
  supervision_rules:
    - scope: train
      stages:
        canaries:
          - logstash_check: {threshold: 5}
"""


def _pre_commit():
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable) + os.pathsep
                       + os.environ.get("PATH", ""))
    if exe is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    return exe


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One pre-commit store for the module: a clean checkout installs the hook once."""
    return str(tmp_path_factory.mktemp("pre-commit-home"))


def _try_repo(exe, tmp_path, home, files, hook="mwlint"):
    """``pre-commit try-repo`` of this repository's HOOK on a new git repository holding
    FILES (path -> text), all staged: the completed process."""
    if not os.path.exists(os.path.join(ROOT, ".git")):  # a worktree has a .git file
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    repo = tmp_path / "puppet"
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=home, GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PYTHONPATH", None)
    env.pop("PRE_COMMIT_COLOR", None)
    return subprocess.run([exe, "try-repo", ROOT, hook, "--all-files", "--color=never"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def test_try_repo_shows_the_warnings_of_a_passing_hook(tmp_path, pre_commit_home):
    """pre-commit prints nothing of a hook that passes unless it is verbose: without
    `verbose: true` in .pre-commit-hooks.yaml these warnings never reach the committer."""
    p = _try_repo(_pre_commit(), tmp_path, pre_commit_home, {KEY_FILE: WARNINGS_ONLY})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout
    lines = p.stdout.splitlines()
    assert any(line.startswith(KEY_FILE + ":6:16: warning MW208 unknown-kind: ")
               for line in lines), p.stdout
    assert any(line.startswith(KEY_FILE + ":14:14: warning MW502 unmatched-scope: ")
               for line in lines), p.stdout
    assert "mwlint: OK (2 warnings)" in lines


def test_try_repo_fails_on_bad_file_then_passes(tmp_path, pre_commit_home):
    exe = _pre_commit()
    if not os.path.exists(os.path.join(ROOT, ".git")):  # a worktree has a .git file
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    repo = tmp_path / "puppet"
    (repo / os.path.dirname(KEY_FILE)).mkdir(parents=True)
    (repo / KEY_FILE).write_text(BAD)
    (repo / "hieradata" / "common.yaml").write_text("a: b\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=pre_commit_home, GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PYTHONPATH", None)
    cmd = [exe, "try-repo", ROOT, "mwlint", "--all-files"]
    p = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "MW102" in p.stdout and "web_flavour" in p.stdout

    (repo / KEY_FILE).write_text(GOOD)
    _git(repo, "add", ".")
    p = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout


def _hooks():
    import yaml

    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
        return {h["id"]: h for h in yaml.safe_load(fh)}


@pytest.mark.parametrize("hook", ["mwlint", "mwlint-build-report"])
def test_hooks_run_in_one_process(hook):
    """pre-commit splits the files of a hook that is not require_serial over processes."""
    assert _hooks()[hook]["require_serial"] is True


@pytest.mark.parametrize("path, matches", [
    ("report.json", True),
    ("image-build/report.json", True),
    ("scap/image-build-next/report.json", True),
    ("tests/fixtures/build-report/report-2025-late.json", True),
    ("samples/report_mid.json", True),
    ("reports/coverage.json", False),  # six false MW401 in 0.2.0
    ("src/reporter-settings.json", False),
    ("report.json5", False),
    ("myreport.json", False),
    ("report/index.json", False),
    ("docs/report.md", False),
])
def test_build_report_hook_matches_build_report_names_only(path, matches):
    """pre-commit matches `files` with re.search on the repository-relative path."""
    import re

    assert bool(re.search(_hooks()["mwlint-build-report"]["files"], path)) is matches


def test_try_repo_with_more_files_than_one_process_takes_prints_one_summary(
        tmp_path, pre_commit_home):
    """With require_serial: false pre-commit gave each of its processes (one per CPU) a part
    of the files: one `mwlint:` summary line each, `mwlint: FAILED (...)` then `mwlint: OK`
    (the last line lied). Nine files: at least two parts on any machine with two CPUs."""
    files = {KEY_FILE: BAD}
    files.update({f"hieradata/hosts/host{i}.yaml": f"profile::x: {i}\n" for i in range(8)})
    p = _try_repo(_pre_commit(), tmp_path, pre_commit_home, files)
    assert p.returncode == 1, p.stdout + p.stderr
    summaries = [line for line in p.stdout.splitlines() if line.startswith("mwlint: ")]
    assert summaries == ["mwlint: FAILED (1 error)"], p.stdout
