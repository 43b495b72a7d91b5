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


def _pre_commit():
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable) + os.pathsep
                       + os.environ.get("PATH", ""))
    if exe is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    return exe


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_try_repo_fails_on_bad_file_then_passes(tmp_path):
    exe = _pre_commit()
    if not os.path.isdir(os.path.join(ROOT, ".git")):
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    repo = tmp_path / "puppet"
    (repo / os.path.dirname(KEY_FILE)).mkdir(parents=True)
    (repo / KEY_FILE).write_text(BAD)
    (repo / "hieradata" / "common.yaml").write_text("a: b\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t",
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
