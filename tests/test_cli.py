"""The command line end to end, through a subprocess (cli.md is the contract)."""

import json
import os
import re
import subprocess
import sys

import pytest
from helpers import HERE, REAL, RELEASES_KEY

ROOT = os.path.dirname(HERE)
EXAMPLES = os.path.join(ROOT, "examples", "hieradata")
LATE = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
BROKEN = os.path.join(REAL, "puppet-2023-07-26-64c41884-kubernetes.yaml")

BAD = RELEASES_KEY + """:
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish
    web_flavour: webserver
"""


def mwlint(*args, input=None, env=None, cwd=None):
    e = dict(os.environ)
    e.pop("FORCE_COLOR", None)
    e.pop("PY_COLORS", None)
    e.pop("NO_COLOR", None)
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "mwlint", *args], input=input,
                          capture_output=True, text=True, env=e, cwd=cwd or ROOT, timeout=60)


def test_version():
    p = mwlint("--version")
    assert p.returncode == 0
    assert re.fullmatch(r"mwlint \d+\.\d+\.\d+\S*\n", p.stdout)


def test_clean_file_exits_0():
    p = mwlint(LATE)
    assert (p.returncode, p.stdout, p.stderr) == (0, "mwlint: OK\n", "")


def test_no_key_of_any_family_says_so_with_the_number_of_files(tmp_path):
    """A run pointed at the wrong directory must not read as a checked file: the summary
    names the files examined (ruff: "No Python files found"); the exit status is unchanged."""
    for i in range(3):
        (tmp_path / f"f{i}.yaml").write_text("profile::other::key: 1\n")
    p = mwlint(str(tmp_path))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK (no deployments key in 3 files)\n")
    (tmp_path / "bad.yaml").write_text(RELEASES_KEY + ": [\n")  # MW001: no key read
    p = mwlint(str(tmp_path))
    assert p.returncode == 1
    assert p.stdout.splitlines()[-1] == "mwlint: FAILED (1 error)"  # read as a key file
    # a file of the deploy-service family is a key found
    p = mwlint(str(tmp_path / "f0.yaml"), os.path.join(ROOT, "examples", "hieradata"))
    assert "no deployments key" not in p.stdout


def test_no_key_summary_keeps_the_counts():
    from mwlint.findings import Finding
    from mwlint.formats import Report
    from mwlint.formats.text_format import summary_line

    f = Finding("MW003", "unreadable-file", "error", "m", "x.yaml", 1, 1, 1, 1)
    assert summary_line(Report([f], 1473, 0, failed=True)) == \
        "mwlint: FAILED (1 error; no deployments key in 1,473 files)"
    assert summary_line(Report([], 1, 0)) == "mwlint: OK (no deployments key in 1 file)"
    assert summary_line(Report([], 2, 1)) == "mwlint: OK"
    assert summary_line(Report([], 0, 0)) == "mwlint: OK"


def test_findings_exit_1_with_greppable_lines(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    p = mwlint(str(f))
    assert p.returncode == 1
    first, summary = p.stdout.splitlines()
    assert re.match(r"^.+:5:\d+: error MW105 invalid-stage: ", first)
    # its did-you-mean is an unsafe fix: no [*], but the summary says how to enable it
    assert "[*]" not in first
    assert summary == ("mwlint: FAILED (1 error; 1 hidden fix can be enabled with the "
                       "`--unsafe-fixes` option)")


def test_examples_tree_fails_with_findings():
    p = mwlint("examples/hieradata")
    assert p.returncode == 1
    assert "role/common/deployment_server/kubernetes.yaml:" in p.stdout
    assert p.stdout.rstrip().splitlines()[-1].startswith("mwlint: FAILED (")
    assert "Traceback" not in p.stderr


def test_json_shape(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    (tmp_path / "other.yaml").write_text("a: b\n")
    p = mwlint("--format", "json", str(tmp_path))
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    assert doc["tool"] == "mwlint" and isinstance(doc["version"], str)
    assert doc["summary"] == {"files": 2, "linted": 1, "errors": 1, "warnings": 0, "infos": 0}
    (finding,) = doc["findings"]
    assert set(finding) == {"code", "name", "severity", "message", "help", "path", "line",
                            "column", "end_line", "end_column", "yaml_path", "fixable", "fix"}
    # the did-you-mean as an unsafe fix (JSON "fixable": it has a fix, as ruff's "fix")
    assert finding["fixable"] is True and finding["fix"] == {
        "message": "stage: canaries", "applicability": "unsafe",
        "edits": [{"content": "canaries", "location": {"line": 5, "column": 23},
                   "end_location": {"line": 5, "column": 29}}]}
    assert finding["help"] is None  # a did-you-mean says it all: no help line
    assert finding["path"] == str(f)
    assert (finding["code"], finding["line"], finding["column"]) == ("MW105", 5, 23)
    assert finding["yaml_path"] == "mw_releases[0].releases.canary.stage"
    assert finding["end_line"] == 5 and finding["end_column"] == 29


def test_relative_paths_stay_relative(tmp_path):
    (tmp_path / "k.yaml").write_text(BAD)
    p = mwlint("--format", "json", "k.yaml", cwd=str(tmp_path))
    assert json.loads(p.stdout)["findings"][0]["path"] == "k.yaml"


def test_missing_path_is_exit_2_before_anything(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    p = mwlint(str(f), str(tmp_path / "nope.yaml"))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "does not exist" in p.stderr


@pytest.mark.parametrize("args", [
    ["--fail-on", "nope"],
    ["--format", "xml"],
    ["--select", "MW999"],
    ["--max-file-size", "lots"],
    ["--stdin-filename", "k.yaml", "k.yaml"],
    ["--statistics", "--format", "sarif"],
    ["--exit-zero", "--extend-select", "MW999"],
    ["--bogus-option"],
])
def test_usage_errors_are_one_line_exit_2(args):
    p = mwlint(*args, input="")
    assert p.returncode == 2, p
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("mwlint: error:"), p.stderr
    assert "Traceback" not in p.stderr


def test_stdin_with_filename():
    p = mwlint("-", "--stdin-filename", "hieradata/k.yaml", input=BAD)
    assert p.returncode == 1
    assert p.stdout.startswith("hieradata/k.yaml:5:")


def test_fail_on_warning_and_select_ignore():
    mid = os.path.join(REAL, "puppet-2023-07-26-64c41884-kubernetes.yaml")
    assert mwlint(mid, "--select", "MW102").returncode == 1
    assert mwlint(mid, "--ignore", "MW1,MW2,MW3").returncode == 0


def test_show_source_snippet_and_caret(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    p = mwlint("--show-source", str(f))
    lines = p.stdout.splitlines()
    assert lines[1] == "       5 |       canary: {stage: canary}"
    assert lines[2] == "         |                       ^^^^^^"


def test_colour_only_when_forced_and_never_in_prefix(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    plain = mwlint(str(f)).stdout
    assert "\033[" not in plain
    coloured = mwlint(str(f), env={"FORCE_COLOR": "1"}).stdout
    assert "\033[" in coloured
    prefix = coloured.split(" ", 1)[0]
    assert "\033[" not in prefix and prefix == plain.split(" ", 1)[0]
    assert "\033[" not in mwlint(str(f), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_deterministic_order(tmp_path):
    for name in ("b.yaml", "a.yaml"):
        (tmp_path / name).write_text(BAD + "    foo: 1\n")
    p1 = mwlint("--format", "json", str(tmp_path)).stdout
    p2 = mwlint("--format", "json", str(tmp_path / "b.yaml"), str(tmp_path / "a.yaml")).stdout
    k1 = [(f["path"], f["line"], f["column"], f["code"]) for f in json.loads(p1)["findings"]]
    k2 = [(f["path"], f["line"], f["column"], f["code"]) for f in json.loads(p2)["findings"]]
    assert k1 == sorted(k1) and k2 == sorted(k2) and k1 == k2


def test_rule_command_lists_and_explains():
    p = mwlint("rule")
    assert p.returncode == 0 and "MW105  invalid-stage" in p.stdout
    for arg in ("MW105", "invalid-stage", "mw105"):
        p = mwlint("rule", arg)
        assert p.returncode == 0
        assert p.stdout.startswith("MW105 invalid-stage (error, fixable with --unsafe-fixes)")
        assert "Why it matters" in p.stdout and "Use instead" in p.stdout
    p = mwlint("rule", "invalid-stag")
    assert p.returncode == 2 and "did you mean 'invalid-stage'" in p.stderr


def test_directory_named_like_yaml_is_recursed_not_read(tmp_path):
    d = tmp_path / "x.yaml"
    d.mkdir()
    (d / "k.yaml").write_text(BAD)
    p = mwlint(str(tmp_path))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    p = mwlint(str(d))
    assert p.returncode == 1


def test_unreadable_and_binary_files_are_findings_not_crashes(tmp_path):
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01" + RELEASES_KEY.encode() + b": []\x00")
    (tmp_path / "latin.yaml").write_bytes(RELEASES_KEY.encode() + b": [caf\xe9]\n")
    p = mwlint("--format", "json", str(tmp_path))
    assert p.returncode == 1
    codes = sorted(f["code"] for f in json.loads(p.stdout)["findings"])
    assert codes == ["MW003", "MW003"]


def test_python_dash_m_and_console_script_agree():
    p = mwlint("--version")
    assert p.stdout.startswith("mwlint ")


DEBUG = RELEASES_KEY + """:
  - namespace: mw-debug
    releases:
      pinkunicorn: {}
    mw_flavour: publish
    web_flavour: webserver
    debug: true
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish
    web_flavour: webserver
    debug: false
"""
FIRST_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) "
                        r"(?P<code>MW\d{3}) (?P<name>[a-z0-9-]+): (?P<message>.*)$")


def test_fixable_findings_are_marked_and_counted_in_the_summary(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(DEBUG)
    p = mwlint(str(f))
    assert p.returncode == 1
    *lines, summary = p.stdout.splitlines()
    lines = [line for line in lines if not line.startswith(" ")]  # not the help lines
    fixable = json.loads(mwlint("--format", "json", str(f)).stdout)["findings"]
    # [*]: a safe fix (MW201 twice, and the MW202/MW203 its recipe repairs); the MW105
    # did-you-mean is an unsafe fix, not marked
    marks = {(d["line"], d["code"]): d["fixable"] and d["fix"]["applicability"] == "safe"
             for d in fixable}
    assert sum(marks.values()) == 4 and not all(marks.values())
    assert [d["code"] for d in fixable if d["fixable"] and not marks[(d["line"], d["code"])]] \
        == ["MW105"]
    for line in lines:
        m = FIRST_LINE.match(line)  # the marker keeps the first line's grammar
        assert m, line
        assert m["message"].startswith("[*] ") == marks[(int(m["line"]), m["code"])], line
    n_errors = len(lines)
    assert summary == (f"mwlint: FAILED ({n_errors} errors; 4 fixable with `mwlint --fix`; 1 "
                       "hidden fix can be enabled with the `--unsafe-fixes` option)")
    assert mwlint("--unsafe-fixes", str(f)).stdout.splitlines()[-1] == (
        f"mwlint: FAILED ({n_errors} errors; 5 fixable with `mwlint --fix --unsafe-fixes`)")
    fixed = mwlint("--fix", str(f))
    assert "[*]" not in fixed.stdout and "fixable with" not in fixed.stdout
    assert fixed.stdout.splitlines()[-1] == ("mwlint: FAILED (1 error; 1 hidden fix can be "
                                             "enabled with the `--unsafe-fixes` option)")
    assert fixed.stderr == ("mwlint: found 5 findings (4 fixed, 1 remaining): 2 fixes (4 edits) "
                            "written to 1 file; 1 hidden fix can be enabled with the "
                            "`--unsafe-fixes` option\n")
    fixed = mwlint("--fix", "--unsafe-fixes", str(f))
    assert fixed.stdout == "mwlint: OK\n" and "canaries" in f.read_text()
    assert fixed.stderr == ("mwlint: found 1 finding (1 fixed, 0 remaining): 1 fix (1 edit) "
                            "written to 1 file\n")


def _one_error(p):
    assert p.returncode == 2 and p.stdout == "", p
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("mwlint: error: "), p.stderr
    return p.stderr.rstrip("\n")


def test_help_lists_the_commands_one_line_each():
    p = mwlint("--help", env={"COLUMNS": "100"})
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert lines[0] == "usage: mwlint [check] [OPTIONS] [PATH ...]"
    start = lines.index("commands:")
    listed = [line.split()[0] for line in lines[start + 1:start + 6]]
    assert listed == ["check", "rule", "plan", "check-report", "server"]
    assert all(len(line.split()) > 2 for line in lines[start + 1:start + 6])  # and what it does
    assert lines[start + 6] == ""


@pytest.mark.parametrize("command", ["check", "rule", "plan", "check-report", "server"])
def test_command_help_names_the_command(command):
    p = mwlint(command, "--help")
    assert p.returncode == 0
    assert p.stdout.startswith(f"usage: mwlint {command} "), p.stdout


@pytest.mark.parametrize("args, words", [
    (["rul"], ["'rul' is neither a path nor a command", "did you mean 'rule'?"]),
    (["chek", "hieradata"], ["'chek' is neither a path nor a command", "did you mean 'check'?"]),
    (["lint"], ["'lint' is neither a path nor a command", "commands: check, rule, plan, "
                                                         "check-report"]),
    (["rule", "debug"], ["unknown rule 'debug': did you mean 'deprecated-debug' (MW201) or "
                         "'debug-image-stage' (MW203)?"]),
    (["rule", "201"], ["did you mean 'deprecated-debug' (MW201)?"]),
    (["rule", "zzzz"], ["unknown rule 'zzzz' (`mwlint rule` lists them all)"]),
    (["--format", "jsn"], ["--format: unknown format 'jsn' (did you mean 'json'? choose from "
                           "text, json, sarif, junit, github, gerrit, html, gitlab)"]),
    (["--fail-on=warn"], ["--fail-on: unknown level 'warn' (did you mean 'warning'? choose "
                          "from error, warning, info)"]),
    (["--fail-on", "fatal"], ["unknown level 'fatal' (choose from error, warning, info)"]),
    (["--output", "sarf=x.sarif"], ["unknown format 'sarf' (did you mean 'sarif'?"]),
    (["rule", "--format", "jsn"], ["unknown format 'jsn' (did you mean 'json'? choose from "
                                   "text, json)"]),
    (["plan", "--format", "htm"], ["unknown format 'htm' (did you mean 'html'?"]),
    (["check-report", "--fail-on", "warn", "r.json"], ["did you mean 'warning'?"]),
])
def test_mistyped_words_get_a_suggestion_on_one_line(args, words):
    line = _one_error(mwlint(*args))
    for w in words:
        assert w in line, line


def test_a_path_named_like_a_command_is_linted(tmp_path):
    (tmp_path / "rul").mkdir()
    (tmp_path / "rul" / "k.yaml").write_text(BAD)
    p = mwlint("rul", cwd=str(tmp_path))
    assert p.returncode == 1 and p.stdout.startswith(os.path.join("rul", "k.yaml") + ":5:")
    (tmp_path / "lint").write_text("a: b\n")
    assert mwlint("lint", cwd=str(tmp_path)).stdout == "mwlint: OK (no deployments key in 1 file)\n"
    # a missing file that looks like a path is still a missing path
    assert "path does not exist: nope.yaml" in _one_error(mwlint("nope.yaml", cwd=str(tmp_path)))


def test_rule_lists_every_rule_with_its_summary():
    from mwlint.rules import all_rules

    p = mwlint("rule")
    assert p.returncode == 0
    rows = {line.split()[0]: line for line in p.stdout.splitlines() if line.startswith("MW")}
    rules = all_rules()
    assert list(rows) == [r.code for r in rules]
    for r in rules:
        m = re.fullmatch(r"(MW\d{3})  (\S+) +(error|warning|info) +(\[\*\] )? *(.+)", rows[r.code])
        assert m, rows[r.code]
        # [*]: what `mwlint --fix` fixes (an unsafe fix needs --unsafe-fixes)
        assert (m[2], m[3], bool(m[4])) == (r.name, r.severity, r.fixable and not r.unsafe_fix)
        summary = m[5].rstrip(".")
        assert len(summary) <= 100
        assert " ".join(r.summary.split()).startswith(summary.rstrip(".").rstrip()), r.code
    assert "[*] fixable with `mwlint --fix`" in p.stdout


@pytest.mark.parametrize("size, mw003", [(1024, False), (1025, True), (50_000, True)])
def test_stdin_is_capped_at_max_file_size_like_a_file(size, mw003):
    text = BAD + "#" * (size - len(BAD.encode()))
    p = mwlint("-", "--stdin-filename", "k.yaml", "--max-file-size", "1K", "--select", "MW0",
               input=text)
    assert (p.returncode, p.stderr) == ((1 if mw003 else 0), "")
    if mw003:
        assert p.stdout.startswith("k.yaml:1:1: error MW003 unreadable-file: file is over the "
                                   "max-file-size limit of 1024 bytes, so it is not read")


def test_check_report_output_over_the_report_is_refused(tmp_path):
    report = tmp_path / "r.json"
    report.write_text("{}")
    p = mwlint("check-report", "r.json", "--output", "json=r.json", cwd=str(tmp_path))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == "mwlint: error: --output json=r.json: refusing to overwrite the build " \
                       "report r.json, which this run reads\n"
    assert report.read_text() == "{}"


def test_the_command_raises_the_collectors_threshold_before_importing(monkeypatch, capsys):
    """The console script and python -m mwlint enter through mwlint.__main__.main, which
    sets the thresholds first (start-up time); a library caller's collector is untouched."""
    import gc
    import subprocess
    import sys

    import mwlint.__main__ as entry

    code = ("import gc, sys; import mwlint.__main__ as m; sys.argv = ['mwlint', '--version'];"
            "m.main(); print(gc.get_threshold())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60).stdout
    assert out.splitlines()[-1] == str(entry.THRESHOLDS)
    before = gc.get_threshold()
    import mwlint.cli  # noqa: F401  (a library import)
    assert gc.get_threshold() == before
    assert entry.THRESHOLDS[0] > before[0]
