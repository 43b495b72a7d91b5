"""``mwlint check-report`` and ``mwlint check --report`` end to end (python -m mwlint)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from helpers import FIXTURES, HERE, REAL, RELEASES_KEY

ROOT = os.path.dirname(HERE)
REPORTS = os.path.join(FIXTURES, "build-report")
LATE = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
MID = os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml")


def rp(name: str) -> str:
    return os.path.join(REPORTS, name)


def mwlint(*args, cwd=None):
    env = dict(os.environ)
    for var in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR"):
        env.pop(var, None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "mwlint", *args], capture_output=True,
                          text=True, env=env, cwd=cwd or ROOT, timeout=120)


def prefixes(stdout: str):
    """(path basename, line, column, code) of every finding line."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("mwlint:") or line.startswith(" "):
            continue
        path, ln, col, rest = line.split(":", 3)
        out.append((os.path.basename(path), int(ln), int(col), rest.split()[1]))
    return out


def test_check_report_late_config_ok():
    p = mwlint("check-report", rp("report-2025-late.json"), "--hiera", LATE)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout == "mwlint: OK\n" and p.stderr == ""


def test_check_report_missing_cli_image_fails_with_one_mw403():
    """One missing kind used by three namespaces: one finding (issue 20 item 7)."""
    p = mwlint("check-report", rp("report-2025-late-no-cli-image.json"), "--hiera", LATE)
    assert p.returncode == 1
    name = os.path.basename(LATE)
    assert prefixes(p.stdout) == [(name, 297, 16, "MW403")]
    assert p.stdout.splitlines()[-1] == "mwlint: FAILED (1 error)"


def test_check_report_json_format_and_summary():
    p = mwlint("check-report", rp("report-illustrative.json"), "--hiera", LATE, "--hiera", MID,
               "--format", "json")
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    codes = [f["code"] for f in doc["findings"]]
    # usage is the union of both configs: only publish-83-next is unused
    assert codes.count("MW402") == 3 and codes.count("MW405") == 1  # one per missing name
    assert doc["summary"]["files"] == 3 and doc["summary"]["linted"] == 3
    assert doc["summary"]["errors"] == 3 and doc["summary"]["infos"] == 1
    (mw405,) = [f for f in doc["findings"] if f["code"] == "MW405"]
    assert mw405["path"] == rp("report-illustrative.json")
    assert (mw405["line"], mw405["column"], mw405["end_line"], mw405["end_column"]) == \
        (12, 7, 12, 24)
    assert mw405["yaml_path"] == "mediawiki.flavours.publish-83-next"


def test_each_report_on_its_own_shared_nodes_once_per_report(tmp_path):
    copy = tmp_path / "report-copy.json"
    shutil.copy(rp("report-2025-late-no-cli-image.json"), copy)
    p = mwlint("check-report", rp("report-2025-late-no-cli-image.json"), str(copy),
               rp("report-flavour-missing.json"), "--hiera", LATE, "--format", "json")
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    mw403 = [f for f in doc["findings"] if f["code"] == "MW403"]
    assert len(mw403) == 2  # one missing kind x 2 reports, each help line names its report
    assert sum(str(copy) in f["help"] for f in mw403) == 1
    assert [f["code"] for f in doc["findings"]].count("MW402") == 1


def test_reports_and_hiera_options_intermixed():
    p = mwlint("check-report", rp("report-2025-late.json"), "--hiera", LATE,
               rp("report-illustrative.json"), "--fail-on", "info")
    assert p.returncode == 1
    assert prefixes(p.stdout) == [("report-illustrative.json", 12, 7, "MW405")]


def test_without_hiera_shape_only():
    p = mwlint("check-report", rp("report-2025-late.json"), rp("report-illustrative.json"))
    assert p.returncode == 0 and p.stdout == "mwlint: OK\n"
    p = mwlint("check-report", rp("report-wrong-types.json"), rp("report-legacy-flat.json"),
               "--fail-on", "warning")
    assert p.returncode == 1
    assert [c for *_x, c in prefixes(p.stdout)] == ["MW406"] + ["MW401"] * 7


@pytest.mark.parametrize("args", [
    ["check-report", "no-such-report.json"],
    ["check-report", "tests/fixtures/build-report/report-2025-late.json", "--hiera", "nope"],
    ["check-report", "tests/fixtures/build-report"],
    ["check-report"],
    ["check-report", "-"],
    ["check-report", "tests/fixtures/build-report/report-2025-late.json", "--format", "xml"],
    ["check-report", "tests/fixtures/build-report/report-2025-late.json", "--select", "MW9"],
    ["check", "--report", "no-such-report.json", LATE],
])
def test_usage_errors_exit_2_one_line(args):
    p = mwlint(*args)
    assert p.returncode == 2
    assert p.stdout == ""
    assert len(p.stderr.splitlines()) == 1 and p.stderr.startswith("mwlint: error:")


def test_bad_reports_never_traceback(tmp_path):
    bad = {
        "binary.json": b"\x00\x01\x02{}",
        "latin1.json": '{"mediawiki": "é"}'.encode("latin-1"),
        "utf16.json": '{"mediawiki": {}}'.encode("utf-16"),
        "deep.json": b"[" * 200000 + b"]" * 200000,
        "deep-object.json": b'{"a":' * 100000 + b"1" + b"}" * 100000,
        "nul-in-string.json": b'{"mediawiki": "\x00"}',
        "number.json": b"42",
        "truncated.json": b'{"mediawiki": {"flavours": {"p": {"kinds": {"image": {"image_na',
        "huge-number.json": b'{"mediawiki": 1e999999, "webserver": -1e999999}',
        "lone-surrogate.json": b'{"mediawiki": {"flavours": {"\\ud800": {}}}}',
    }
    paths = []
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    p = mwlint("check-report", *paths, "--hiera", LATE, "--format", "json")
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr and p.stderr == ""
    doc = json.loads(p.stdout)
    by_file = {}
    for f in doc["findings"]:
        by_file.setdefault(os.path.basename(f["path"]), set()).add(f["code"])
    assert by_file["latin1.json"] == {"MW003"} and by_file["utf16.json"] == {"MW003"}
    assert by_file["deep.json"] == {"MW401"} and by_file["truncated.json"] == {"MW401"}
    # the lone-surrogate report has a (strange) flavour list: the config is cross-checked
    assert set(by_file) == set(bad) | {os.path.basename(LATE)}
    assert by_file[os.path.basename(LATE)] == {"MW402"}
    assert any("\\ud800" in f["help"] for f in doc["findings"] if f["code"] == "MW402")


def test_oversized_report_is_mw003(tmp_path):
    big = tmp_path / "report.json"
    big.write_text(" " * 5000 + "{}")
    p = mwlint("check-report", str(big), "--max-file-size", "1K")
    assert p.returncode == 1
    assert prefixes(p.stdout) == [("report.json", 1, 1, "MW003")]
    assert "max-file-size" in p.stdout


def test_show_source_in_the_report_file():
    p = mwlint("check-report", rp("report-invalid-json.json"), "--show-source")
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[0].startswith(rp("report-invalid-json.json") + ":7:9: error MW401")
    assert lines[1] == "  help: fix the producer or rerun the build"
    assert lines[2] == "       7 |         },"
    assert lines[3] == "         |         ^"


def test_minified_report_snippet_is_not_dumped(tmp_path):
    data = json.loads(open(rp("report-2025-late.json")).read())
    data["mediawiki"]["flavours"]["publish-83"]["metadata"]["labels"] = "x" * 50000
    data["webserver"]["flavours"]["webserver-bookworm"]["metadata"] = []
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    p = mwlint("check-report", str(path), "--show-source")
    assert p.returncode == 1 and len(p.stdout) < 2000


def test_check_with_report_runs_everything():
    p = mwlint("check", "--report", rp("report-illustrative.json"), LATE, "--fail-on", "info")
    assert p.returncode == 1
    assert prefixes(p.stdout) == [("report-illustrative.json", 12, 7, "MW405")]
    p = mwlint("check", "--report", rp("report-illustrative.json"), LATE)
    assert p.returncode == 0 and p.stdout.endswith("mwlint: OK (1 info)\n")
    # the mid-2025 file: its MW302 from the full lint, plus MW402 from the report
    p = mwlint("check", "--report", rp("report-illustrative.json"), MID, "--format", "json")
    codes = [f["code"] for f in json.loads(p.stdout)["findings"]]
    assert p.returncode == 1 and "MW302" in codes and codes.count("MW402") == 3


def test_plain_check_does_not_run_report_rules():
    p = mwlint("check", LATE, "--select", "MW4", "--fail-on", "info")
    assert p.returncode == 0 and p.stdout == "mwlint: OK\n"


def test_inline_suppression_applies_to_report_findings(tmp_path):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(RELEASES_KEY + """:
  - namespace: mw-cron
    releases:
      main: {}
    mw_kind: cli-image  # mwlint: disable=MW403 -- built by the next train
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
  - namespace: mw-script
    releases:
      main: {}
    mw_kind: cli-image
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
""")
    def hiera_side(stdout):
        return [x for x in prefixes(stdout) if x[0] == "kubernetes.yaml"]

    # one missing kind is one finding, at its first node: the comment there hides it (it is
    # about the kind, which the next train builds for every namespace that uses it)
    p = mwlint("check-report", rp("report-2025-late-no-cli-image.json"), "--hiera", str(hiera))
    assert hiera_side(p.stdout) == []
    p = mwlint("check", "--report", rp("report-2025-late-no-cli-image.json"), str(hiera))
    assert hiera_side(p.stdout) == []
    p = mwlint("check-report", rp("report-2025-late-no-cli-image.json"), "--hiera", str(hiera),
               "--no-suppressions")
    assert [x[1] for x in hiera_side(p.stdout)] == [5]
    assert "also set at line 11" in p.stdout


SUPPRESSED_HIERA = RELEASES_KEY + """:
  - namespace: mw-cron
    releases:
      main: {}
    mw_kind: cli-image  # mwlint: disable=MW403 -- built by the next train
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""


@pytest.mark.parametrize("command", ["check-report", "check --report"])
@pytest.mark.parametrize("report, expected", [
    # the report lacks cli-image: the comment hides the MW403 it was written for
    ("report-2025-late-no-cli-image.json", []),
    # the report has everything: the comment hides nothing, and only the report check can
    # tell (a plain check never runs MW403)
    ("report-2025-late.json", [("kubernetes.yaml", 5, 43, "MW004")]),
    # an unusable report checks nothing on the hiera side: the comment cannot be judged
    ("report-invalid-json.json", []),
])
def test_suppression_of_a_report_rule_is_judged_against_the_report(tmp_path, command,
                                                                    report, expected):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA)
    if command == "check-report":
        p = mwlint("check-report", rp(report), "--hiera", str(hiera), "--fail-on", "info")
    else:
        p = mwlint("check", "--report", rp(report), str(hiera), "--fail-on", "info")
    got = [x for x in prefixes(p.stdout) if x[0] == "kubernetes.yaml"]
    assert got == expected, p.stdout
    if expected:
        assert "hid nothing" in p.stdout and "checked against the build report" in p.stdout


def test_plain_check_cannot_judge_a_report_rule_suppression(tmp_path):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA)
    p = mwlint("check", str(hiera), "--fail-on", "info")
    assert p.returncode == 0 and p.stdout == "mwlint: OK\n"


def test_report_rule_suppression_is_used_if_any_report_needs_it(tmp_path):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA)
    p = mwlint("check-report", rp("report-2025-late.json"),
               rp("report-2025-late-no-cli-image.json"), "--hiera", str(hiera),
               "--fail-on", "info")
    assert [x for x in prefixes(p.stdout) if x[0] == "kubernetes.yaml"] == []


def test_unused_report_suppression_obeys_mw004_directives_and_selection(tmp_path):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA.replace("-- built", "-- built") +
                     "# mwlint: disable-file=MW004\n")
    p = mwlint("check", "--report", rp("report-2025-late.json"), str(hiera), "--fail-on", "info")
    assert [x for x in prefixes(p.stdout) if x[0] == "kubernetes.yaml"] == []
    hiera.write_text(SUPPRESSED_HIERA)
    p = mwlint("check", "--report", rp("report-2025-late.json"), str(hiera), "--fail-on", "info",
               "--ignore", "MW004")
    assert [x for x in prefixes(p.stdout) if x[0] == "kubernetes.yaml"] == []


def test_report_findings_on_hiera_follow_that_files_config(tmp_path):
    """The MW4xx found on a hiera file obey the config nearest to that file (selection and
    severity), as the file's own findings do."""
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "hieradata"
    sub.mkdir()
    hiera = sub / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA.replace("  # mwlint: disable=MW403 -- built by the next "
                                              "train", ""))
    report = tmp_path / "report.json"
    shutil.copy(rp("report-2025-late-no-cli-image.json"), report)
    for command in (["check", "--report", str(report), str(hiera)],
                    ["check-report", str(report), "--hiera", str(hiera)]):
        p = mwlint(*command, "--format", "json")
        assert [(f["code"], f["severity"]) for f in json.loads(p.stdout)["findings"]
                if f["path"].endswith("kubernetes.yaml")] == [("MW403", "error")]
        (sub / ".mwlint.toml").write_text('[severity]\nMW403 = "warning"\n')
        p = mwlint(*command, "--format", "json")
        assert [(f["code"], f["severity"]) for f in json.loads(p.stdout)["findings"]
                if f["path"].endswith("kubernetes.yaml")] == [("MW403", "warning")]
        (sub / ".mwlint.toml").write_text('ignore = ["MW403"]\n')
        p = mwlint(*command, "--format", "json")
        assert [f["code"] for f in json.loads(p.stdout)["findings"]
                if f["path"].endswith("kubernetes.yaml")] == []
        (sub / ".mwlint.toml").unlink()


def test_hiera_directory_and_rendered_file(tmp_path):
    d = tmp_path / "hieradata" / "role"
    d.mkdir(parents=True)
    shutil.copy(LATE, d / "kubernetes.yaml")
    (d / "other.yaml").write_text("a: b\n")
    p = mwlint("check-report", rp("report-2025-late-no-cli-image.json"), "--hiera",
               str(tmp_path / "hieradata"), "--format", "json")
    doc = json.loads(p.stdout)
    assert doc["summary"]["files"] == 3 and doc["summary"]["linted"] == 2
    assert [f["code"] for f in doc["findings"]] == ["MW403"]
    rendered = tmp_path / "mediawiki-deployments.yaml"
    rendered.write_text("- namespace: mw-web\n  releases: {main: {}}\n"
                        "  mw_flavour: publish-81\n  web_flavour: webserver-bookworm\n")
    # Findings are sorted by full path: keep both files in one folder so that the
    # expected order does not depend on where the checkout and the temp folder are.
    report = tmp_path / "report-2025-late.json"
    shutil.copy(rp("report-2025-late.json"), report)
    p = mwlint("check-report", str(report), "--hiera", str(rendered))
    assert prefixes(p.stdout) == [("mediawiki-deployments.yaml", 3, 15, "MW402"),
                                  ("report-2025-late.json", 4, 7, "MW405")]


def test_config_invalid_shape_is_reported_not_cross_checked(tmp_path):
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(RELEASES_KEY + ": {namespace: mw-web}\n")
    p = mwlint("check-report", rp("report-2025-late.json"), "--hiera", str(hiera))
    assert p.returncode == 1
    assert [c for *_x, c in prefixes(p.stdout)] == ["MW101"]


def test_rule_docs():
    p = mwlint("rule", "MW402")
    assert p.returncode == 0 and "missing-flavour" in p.stdout and "Use instead" in p.stdout


def test_pre_commit_hook_mwlint_build_report(tmp_path):
    """The real pre-commit framework runs the `mwlint-build-report` hook from this repository."""
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable) + os.pathsep
                       + os.environ.get("PATH", ""))
    if exe is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    if not os.path.exists(os.path.join(ROOT, ".git")):  # a worktree has a .git file
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    repo = tmp_path / "release"
    (repo / "images").mkdir(parents=True)
    shutil.copy(rp("report-wrong-types.json"), repo / "images" / "report.json")
    (repo / "images" / "other.json").write_text("not json, and not a report\n")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PYTHONPATH", None)

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", ".")
    cmd = [exe, "try-repo", ROOT, "mwlint-build-report", "--all-files"]
    p = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "images/report.json:6:35: error MW401" in p.stdout
    assert "other.json" not in p.stdout  # files: report.*\.json$
    shutil.copy(rp("report-2025-late.json"), repo / "images" / "report.json")
    git("add", ".")
    p = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout


@pytest.mark.parametrize("fmt", ["junit", "gerrit", "html"])
def test_report_side_paths_are_labelled_json_hiera_side_yaml(fmt):
    p = mwlint("check-report", rp("report-illustrative.json"), "--hiera", MID, "--format", fmt)
    assert p.returncode == 1, p.stderr
    assert "JSON path: " in p.stdout and "JSON path: mw_releases" not in p.stdout
    label = "YAML path: <code>mw_releases[" if fmt == "html" else "YAML path: mw_releases["
    assert label in p.stdout
    assert "YAML path: mediawiki." not in p.stdout and "YAML path: <code>mediawiki." not in p.stdout


def test_unused_report_suppression_takes_the_files_severity_for_mw004(tmp_path):
    (tmp_path / ".git").mkdir()
    hiera = tmp_path / "kubernetes.yaml"
    hiera.write_text(SUPPRESSED_HIERA)
    (tmp_path / ".mwlint.toml").write_text('[severity]\nMW004 = "error"\n')
    p = mwlint("check", "--report", rp("report-2025-late.json"), str(hiera), "--format", "json")
    assert [(f["code"], f["severity"]) for f in json.loads(p.stdout)["findings"]
            if f["path"].endswith("kubernetes.yaml")] == [("MW004", "error")]
