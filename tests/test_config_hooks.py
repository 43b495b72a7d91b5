"""The hooks pick up the consuming repository's config with no flags: hooks/pre-commit (staged
blobs through --stdin-filename) and hooks/gerrit-ci (changed files), run for real."""

import os
import shutil
import subprocess
import sys

import pytest
from helpers import HERE, KEY_PATH, RELEASES_KEY

ROOT = os.path.dirname(HERE)
DOC = RELEASES_KEY + """:
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
    owner: x
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")


def _env(repo):
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR", "LOG_DIR", "MWLINT_ARGS")
           and not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_NOSYSTEM="1", HOME=str(repo),
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               MWLINT=f"{sys.executable} -m mwlint")
    return env


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=str(repo), check=True, capture_output=True,
                   env=_env(repo))


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "puppet"
    (repo / os.path.dirname(KEY_PATH)).mkdir(parents=True)
    _git(tmp_path, "init", "-q", str(repo))
    (repo / "README").write_text("x\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "init")
    # the consuming repository's own config: MW1 only, MW105 accepted, owner is a known key
    (repo / ".mwlint.toml").write_text('select = ["MW1"]\nignore = ["invalid-stage"]\n'
                                       'extra-keys = {entry = ["owner"]}\n')
    return repo


def _hook(name, repo, *args):
    return subprocess.run([os.path.join(ROOT, "hooks", name), *args], cwd=str(repo),
                          capture_output=True, text=True, env=_env(repo), timeout=120)


def test_pre_commit_hook_uses_the_repository_config(repo):
    (repo / KEY_PATH).write_text(DOC)
    _git(repo, "add", KEY_PATH)
    p = _hook("pre-commit", repo)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "MW105" not in p.stdout and "MW103" not in p.stdout
    # without the config the same staged file fails
    os.remove(repo / ".mwlint.toml")
    p = _hook("pre-commit", repo)
    assert p.returncode == 1 and "MW105" in p.stdout and "MW103" in p.stdout


def test_gerrit_ci_hook_uses_the_repository_config(repo, tmp_path):
    (repo / KEY_PATH).write_text(DOC.replace("owner: x", "owner: x\n    debug: false"))
    _git(repo, "add", KEY_PATH)
    _git(repo, "commit", "-q", "-m", "change")
    p = subprocess.run([os.path.join(ROOT, "hooks", "gerrit-ci")], cwd=str(repo),
                       capture_output=True, text=True, timeout=120,
                       env=dict(_env(repo), LOG_DIR=str(tmp_path / "log")))
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "mwlint: OK"
    os.remove(repo / ".mwlint.toml")
    p = subprocess.run([os.path.join(ROOT, "hooks", "gerrit-ci")], cwd=str(repo),
                       capture_output=True, text=True, timeout=120,
                       env=dict(_env(repo), LOG_DIR=str(tmp_path / "log")))
    assert p.returncode == 1 and "MW105" in p.stdout and "MW201" in p.stdout
