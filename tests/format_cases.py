"""Shared material for the format tests: a report with awkward findings, a CLI runner,
and a temporary git repository holding real key files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from helpers import HERE, KEY_PATH, REAL

from mwlint.findings import Finding
from mwlint.formats import Report

ROOT = os.path.dirname(HERE)
BROKEN = os.path.join(REAL, "puppet-2023-07-26-64c41884-kubernetes.yaml")
CLEAN = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
OTHER_PATH = "hieradata/common/profile/kubernetes/deployment_server/mediawiki/release.yaml"
CLEAN_PATH = "hieradata/hosts/deploy1003.yaml"

NASTY = "evil \x1b[31mred\x1b[0m <script>alert(1)</script> 100% a:b,c\r\nforged:1:1: error"

SOURCE = (
    "profile::kubernetes::deployment_server::mediawiki::release::mw_releases:\n"
    "  - namespace: mw-misc\n"
    "    releases:\n"
    "      main: {stage: canary}\n"
    "    mw_flavour: publish\n"
)


def finding(code="MW105", name="invalid-stage", severity="error", message="stage 'canary' bad",
            path=KEY_PATH, line=4, column=21, end_line=4, end_column=27,
            yaml_path="mw_releases[0].releases.main.stage", fixable=False, context=(),
            help=None):
    return Finding(code, name, severity, message, path, line, column, end_line, end_column,
                   yaml_path, fixable, context, help)


def sample_report(fail_on="error") -> Report:
    """Findings of every severity in two files, one nasty message, and one clean file."""
    findings = [
        finding(),
        finding("MW102", "missing-key", "error", "entry 'mw-misc' lacks web_flavour",
                line=2, column=5, end_line=2, end_column=14, yaml_path="mw_releases[0]"),
        finding("MW206", "null-override", "warning", NASTY, line=4, column=7, end_line=4,
                end_column=11, yaml_path="mw_releases[0].releases.main"),
        finding("MW103", "unknown-key", "info", "a:b, 50% done", path=OTHER_PATH, line=1,
                column=1, end_line=3, end_column=1, yaml_path=""),
    ]
    findings.sort(key=Finding.sort_key)
    return Report(findings, files=3, linted=3, fail_on=fail_on, sources={KEY_PATH: SOURCE},
                  failed=True, linted_paths=(KEY_PATH, OTHER_PATH, CLEAN_PATH))


def mwlint(*args, input=None, env=None, cwd=None):
    e = dict(os.environ)
    for k in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR", "LOG_DIR", "MWLINT"):
        e.pop(k, None)
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "mwlint", *args], input=input,
                          capture_output=True, text=True, env=e, cwd=cwd or ROOT, timeout=60)


def git(repo, *args, input=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(repo))
    return subprocess.run(["git", *args], cwd=str(repo), input=input, capture_output=True,
                          text=True, env=env, check=True, timeout=60)


def make_repo(tmp_path, files=None):
    """A git repository at ``tmp_path/repo`` with ``files`` ({relative path: source path or
    text}) written but not committed."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for rel, src in (files or {}).items():
        dest = repo / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if os.path.isabs(src) and os.path.isfile(src):
            shutil.copyfile(src, dest)
        else:
            dest.write_text(src, encoding="utf-8")
    return repo


# Gerrit's REST API: ReviewInput, CommentInput, RobotCommentInput, FixSuggestionInfo,
# FixReplacementInfo, CommentRange (the schema file says what it was written from).
with open(os.path.join(HERE, "fixtures", "schemas", "gerrit-review-input.schema.json"),
          encoding="utf-8") as _fh:
    REVIEW_INPUT_SCHEMA = json.load(_fh)
