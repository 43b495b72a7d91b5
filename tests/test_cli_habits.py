"""The command-line habits ruff's users reach for: --exit-zero, --statistics, --show-fixes,
--extend-select, -q/--quiet, the path - alone, did-you-mean for options, one wording of
usage errors in every sub-command, and ``mwlint rule`` wrapped to the terminal."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from helpers import HERE, RELEASES_KEY

from mwlint.cli import main

ROOT = os.path.dirname(HERE)
EXAMPLE = os.path.join(ROOT, "examples", "hieradata", "role", "common", "deployment_server",
                       "kubernetes.yaml")
SERVICES = os.path.join(HERE, "fixtures", "deploy-service", "kubernetes-deploy-service.yaml")

BAD = RELEASES_KEY + """:
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish
    web_flavour: webserver
"""


def run(capsys, *args):
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def subprocess_run(*args, input=None, env=None, cwd=None, drop=("COLUMNS",)):
    e = {k: v for k, v in os.environ.items() if k not in drop}
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "mwlint", *args], input=input,
                          capture_output=True, text=True, env=e, cwd=cwd or ROOT, timeout=60)


def json_findings(capsys, *args):
    rc, out, _err = run(capsys, "--format", "json", *args)
    return json.loads(out)["findings"]


@pytest.fixture
def example(tmp_path):
    """A copy of the example config (MW201 and the findings its fix repairs, and others)."""
    path = tmp_path / "kubernetes.yaml"
    shutil.copy(EXAMPLE, path)
    return str(path)


# -- --exit-zero -----------------------------------------------------------------------

def test_exit_zero_reports_the_findings_and_exits_0(capsys, example):
    rc, out, _ = run(capsys, example)
    rc0, out0, _ = run(capsys, "--exit-zero", example)
    assert rc == 1 and rc0 == 0 and out0 == out and "FAILED" in out0


@pytest.mark.parametrize("args", [
    ["--exit-zero", "--format", "xml"],
    ["--exit-zero", "--select", "MW999"],
    ["--exit-zero", "nope.yaml"],
    ["check-report", "--exit-zero", "--fail-on", "bad", "r.json"],
])
def test_exit_zero_still_exits_2_on_usage_errors(capsys, args):
    rc, out, err = run(capsys, *args)
    assert (rc, out) == (2, "") and err.startswith("mwlint: error:") and err.count("\n") == 1


def test_exit_zero_with_diff_and_check_report(capsys, example, tmp_path):
    rc, out, _ = run(capsys, "--diff", example)
    assert rc == 1 and out.startswith("---")
    assert run(capsys, "--diff", "--exit-zero", example)[:2] == (0, out)
    report = tmp_path / "report.json"
    report.write_text("{}")
    assert run(capsys, "check-report", str(report))[0] == 1
    assert run(capsys, "check-report", "--exit-zero", str(report))[0] == 0


# -- --statistics ----------------------------------------------------------------------

def _expected_rows(findings):
    counts = {}
    for f in findings:
        row = counts.setdefault(f["code"], [f["name"], 0, 0])
        row[1] += 1
        row[2] += bool(f["fix"]) and f["fixable"] and f["fix"]["applicability"] == "safe"
    return sorted(((c, n, k, x) for c, (n, k, x) in counts.items()), key=lambda r: (-r[2], r[0]))


def test_statistics_counts_each_code_and_its_fixable_findings(capsys, example):
    findings = json_findings(capsys, example)
    rows = _expected_rows(findings)
    assert any(x for *_r, x in rows) and any(not x for *_r, x in rows)  # both kinds shown
    rc, out, err = run(capsys, "--statistics", example)
    assert (rc, err) == (1, "")
    lines = out.splitlines()
    assert lines[-1] == f"mwlint: FAILED ({len(findings)} errors)"
    width = len(str(rows[0][2]))
    want = []
    for code, name, count, fixable in rows:
        mark = "[*]" if fixable == count else "[-]" if fixable else "[ ]"
        some = f" ({fixable} of {count} fixable)" if 0 < fixable < count else ""
        want.append(f"{count:>{width}}  {code}  {mark} {name}{some}")
    assert lines[:-1] == want


def test_statistics_json_counts_what_the_json_findings_hold(capsys, example):
    rc, out, _ = run(capsys, "--statistics", "--format", "json", example)
    doc = json.loads(out)
    rows = _expected_rows(json_findings(capsys, example))
    assert rc == 1
    assert doc == [{"code": c, "name": n, "count": k, "fixable": x > 0, "fixable_count": x}
                   for c, n, k, x in rows]


def test_statistics_marks_a_partly_fixable_code():
    from mwlint.cli.extras import statistics, statistics_text
    from mwlint.findings import Finding, Fix

    def finding(line, fix):
        return Finding("MW203", "debug-image-stage", "error", "m", "k.yaml", line, 1, line, 2,
                       fixable=fix is not None, fix=fix)

    rows = statistics([finding(1, Fix("f")), finding(2, None), finding(3, Fix("f", "unsafe")),
                       Finding("MW105", "invalid-stage", "error", "m", "k.yaml", 4, 1, 4, 2)])
    assert statistics_text(rows) == ("3  MW203  [-] debug-image-stage (1 of 3 fixable)\n"
                                     "1  MW105  [ ] invalid-stage\n")


def test_statistics_of_a_clean_run_and_with_quiet(capsys, tmp_path):
    clean = tmp_path / "a.yaml"
    clean.write_text("a: b\n")
    assert run(capsys, "--statistics", str(clean)) == (0, "mwlint: OK (no deployments key in 1 file)\n", "")
    assert run(capsys, "--statistics", "-q", str(clean)) == (0, "", "")
    assert run(capsys, "--statistics", "--format", "json", str(clean)) == (0, "[]\n", "")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "gerrit"])
def test_statistics_with_another_format_is_a_usage_error(capsys, example, fmt):
    rc, out, err = run(capsys, "--statistics", "--format", fmt, example)
    assert (rc, out) == (2, "")
    assert err == (f"mwlint: error: --statistics prints text or json, not {fmt} "
                   f"(--output {fmt}=PATH writes the findings beside it)\n")


def test_statistics_leaves_output_files_whole(capsys, example, tmp_path):
    dest = tmp_path / "out.json"
    rc, out, _ = run(capsys, "--statistics", "--output", f"json={dest}", example)
    assert rc == 1 and "MW201" in out
    assert len(json.loads(dest.read_text())["findings"]) == len(json_findings(capsys, example))


def test_check_report_takes_statistics_quiet_and_extend_select(capsys, tmp_path):
    report = tmp_path / "report.json"
    report.write_text("{}")
    findings = json.loads(run(capsys, "check-report", "--format", "json",
                              str(report))[1])["findings"]
    codes = {f["code"] for f in findings}
    assert len(codes) == 1  # one code, so one row
    (code,) = codes
    rc, out, _ = run(capsys, "check-report", "--statistics", str(report))
    assert rc == 1 and out.splitlines() == [
        f"{len(findings)}  {code}  [ ] {findings[0]['name']}",
        f"mwlint: FAILED ({len(findings)} errors)"]
    rc, out, _ = run(capsys, "check-report", "-q", "--concise", str(report))
    assert rc == 1 and len(out.splitlines()) == len(findings) and "mwlint:" not in out
    rc, out, _ = run(capsys, "check-report", "--select", "MW405", "--extend-select", code,
                     "--concise", str(report))
    assert rc == 1 and f" {code} " in out


# -- --show-fixes ----------------------------------------------------------------------

def _fix_section(findings, path):
    per = {}
    for f in findings:
        if f["fix"] and f["fixable"] and f["fix"]["applicability"] == "safe":
            per[(f["code"], f["name"])] = per.get((f["code"], f["name"]), 0) + 1
    n = sum(per.values())
    return n, [f"- {path}:"] + [f"    {k} × {c} ({name})" for (c, name), k in sorted(per.items())]


def test_show_fixes_lists_what_fix_would_repair_before_the_summary(capsys, example):
    n, body = _fix_section(json_findings(capsys, example), example)
    assert n >= 3
    rc, out, err = run(capsys, "--show-fixes", "--concise", example)
    lines = out.splitlines()
    at = lines.index(f"Would fix {n} findings with `mwlint --fix`:")
    assert lines[at + 1:-1] == body
    assert lines[-1].startswith("mwlint: FAILED") and rc == 1 and err == ""
    # the findings come first, unchanged
    plain = run(capsys, "--concise", example)[1].splitlines()
    assert lines[:at] == plain[:-1]


def test_show_fixes_with_fix_lists_what_was_repaired(capsys, example):
    n, body = _fix_section(json_findings(capsys, example), example)
    before = open(example).read()
    rc, out, err = run(capsys, "--fix", "--show-fixes", "--concise", example)
    assert open(example).read() != before
    lines = out.splitlines()
    at = lines.index(f"Fixed {n} findings:")
    assert lines[at + 1:-1] == body
    # what remains is what the run without the fixable findings reports
    remaining = json_findings(capsys, example)
    # (an unsafe fix stays: --fix applies safe fixes only)
    assert at == len(remaining) and not any(
        f["fix"] and f["fix"]["applicability"] == "safe" for f in remaining)
    assert rc == 1 and "fixed" in err


def test_show_fixes_with_fix_when_nothing_is_fixable(capsys, tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(BAD)
    rc, out, _ = run(capsys, "--fix", "--show-fixes", str(f))
    assert rc == 1 and "Fixed" not in out
    assert out.splitlines()[-1].startswith("mwlint: FAILED (1 error")


def test_show_fixes_keeps_machine_output_valid(capsys, example):
    rc, out, err = run(capsys, "--show-fixes", "--format", "json", example)
    json.loads(out)
    assert err.startswith("Would fix ") and f"- {example}:" in err


def test_show_fixes_neutralises_the_file_name(capsys, tmp_path):
    hostile = tmp_path / "k\x1b]0;owned\x07\nMW999.yaml"
    shutil.copy(EXAMPLE, hostile)
    rc, out, _ = run(capsys, "--show-fixes", "--concise", str(hostile))
    section = out[out.index("Would fix"):]
    assert "\x1b" not in section and "\x07" not in section
    assert not any(line.startswith("MW999") for line in section.splitlines())


# -- --quiet ---------------------------------------------------------------------------

def test_quiet_prints_the_findings_and_nothing_else(capsys, example, tmp_path):
    rc, out, err = run(capsys, "--concise", example)
    rcq, outq, errq = run(capsys, "-q", "--concise", example)
    assert rcq == rc == 1 and errq == err == ""
    assert outq.splitlines() == out.splitlines()[:-1] and outq.endswith("\n")
    clean = tmp_path / "a.yaml"
    clean.write_text("a: b\n")
    assert run(capsys, "--quiet", str(clean)) == (0, "", "")


def test_quiet_drops_config_warnings_and_fix_notes(capsys, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    types = tmp_path / "modules" / "profile" / "types"
    types.mkdir(parents=True)
    (types / "mediawiki_deployment.pp").write_text(
        "type Profile::Mediawiki_deployment = Struct[{namespace =>\n")
    shutil.copy(EXAMPLE, tmp_path / "k.yaml")
    monkeypatch.chdir(tmp_path)
    rc, out, err = run(capsys, "--diff", "k.yaml")
    assert "mwlint: warning: " in err and "would be fixed" in err
    rc, out, err = run(capsys, "-q", "--diff", "k.yaml")
    assert err == "" and out.startswith("---")
    rc, out, err = run(capsys, "-q", "--fix", "--show-fixes", "k.yaml")
    assert err == "" and "Fixed" not in out and "mwlint:" not in out


def test_quiet_leaves_json_whole(capsys, example):
    assert run(capsys, "-q", "--format", "json", example)[1] == \
        run(capsys, "--format", "json", example)[1]


# -- --extend-select -------------------------------------------------------------------

def _codes(capsys, *args):
    return sorted({f["code"] for f in json_findings(capsys, *args)})


def test_extend_select_adds_to_the_config_selection(capsys, tmp_path, monkeypatch):
    shutil.copy(EXAMPLE, tmp_path / "k.yaml")
    (tmp_path / ".mwlint.toml").write_text('select = ["MW1"]\n')
    monkeypatch.chdir(tmp_path)
    only_mw1 = _codes(capsys, "k.yaml")
    assert only_mw1 and all(c.startswith("MW1") for c in only_mw1)
    extended = _codes(capsys, "--extend-select", "MW201", "k.yaml")
    assert extended == sorted(only_mw1 + ["MW201"])
    # --select replaces the config's, --extend-select adds to that
    assert _codes(capsys, "--select", "MW105", "--extend-select", "deprecated-debug",
                  "k.yaml") == ["MW105", "MW201"]
    rc, out, _ = run(capsys, "--extend-select", "MW2", "--show-settings", "k.yaml")
    assert re.search(r'^select = \["MW1", "MW2"\] +# \.mwlint\.toml, command line$', out, re.M)


def test_extend_select_with_every_rule_selected_changes_nothing(capsys, example):
    assert _codes(capsys, "--extend-select", "MW2", example) == _codes(capsys, example)


def test_extend_select_of_an_unknown_code_is_a_usage_error(capsys, example):
    rc, out, err = run(capsys, "--extend-select", "MW21O", example)
    assert (rc, out) == (2, "")
    assert err.startswith("mwlint: error: --extend-select: unknown rule code or name 'MW21O'")
    assert err.count("\n") == 1


# -- the path - alone ------------------------------------------------------------------

def test_stdin_without_a_name_is_linted_as_stdin():
    p = subprocess_run("-", input=BAD)
    assert p.returncode == 1 and p.stderr == ""
    assert p.stdout.startswith("<stdin>:5:") and "MW105" in p.stdout


def test_stdin_without_a_name_finds_deploy_service_keys_by_content():
    with open(SERVICES) as fh:
        text = fh.read()
    by_file = subprocess_run("--format", "json", "--select", "MW6", SERVICES)
    assert by_file.returncode == 0
    broken = text.replace("datacenter: codfw\n        type: STAGING",
                          "datacenter: codfw\n        type: STAGINGG", 1)
    assert broken != text
    p = subprocess_run("--select", "MW6", "--concise", "-", input=broken)
    assert p.returncode == 1 and p.stdout.startswith("<stdin>:")
    assert re.search(r"^<stdin>:\d+:\d+: error MW6\d\d ", p.stdout, re.M)


def test_stdin_without_a_name_uses_the_config_of_the_current_directory(tmp_path):
    (tmp_path / ".mwlint.toml").write_text('ignore = ["MW105"]\n')
    p = subprocess_run("-", input=BAD, cwd=str(tmp_path))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n")


def test_stdin_name_without_the_path_dash_is_still_an_error(capsys):
    rc, out, err = run(capsys, "--stdin-filename", "k.yaml", "k.yaml")
    assert (rc, err) == (2, "mwlint: error: --stdin-filename goes with the path -\n")


# -- did-you-mean and one wording of usage errors ----------------------------------------

@pytest.mark.parametrize("args, line", [
    (["--selct", "MW1"], "unknown option --selct (did you mean --select?)"),
    (["--no-show-sorce"], "unknown option --no-show-sorce (did you mean --no-show-source?)"),
    (["--exit-zer0"], "unknown option --exit-zer0 (did you mean --exit-zero?)"),
    (["--FORMAT=json"], "unknown option --FORMAT (did you mean --format?)"),
    (["--zzz"], "unknown option --zzz"),
    (["--x", "--y"], "unknown option --x (and 1 more unknown option)"),
    (["check", "--statistcs"], "unknown option --statistcs (did you mean --statistics?)"),
    (["plan", "--fromat", "json"], "unknown option --fromat (did you mean --format?)"),
    (["rule", "--fromat", "json"], "unknown option --fromat (did you mean --format?)"),
    (["check-report", "--hiear", "x", "r.json"], "unknown option --hiear (did you mean --hiera?)"),
    (["rule", "MW201", "extra"], "unrecognized arguments: extra"),
])
def test_misspelt_options_get_a_suggestion(capsys, args, line):
    assert run(capsys, *args) == (2, "", f"mwlint: error: {line}\n")


@pytest.mark.parametrize("command, choices", [
    ([], "text, json, sarif, junit, github, gerrit, html"),
    (["check"], "text, json, sarif, junit, github, gerrit, html"),
    (["check-report", "r.json"], "text, json, sarif, junit, github, gerrit, html"),
    (["plan"], "text, json, html, markdown"),
    (["rule"], "text, json"),
])
def test_every_command_words_a_bad_option_value_alike(capsys, command, choices):
    from mwlint.formats import FORMATS

    if command in ([], ["check"], ["check-report", "r.json"]):
        choices = ", ".join(FORMATS)  # the check formats, with any added since
    rc, out, err = run(capsys, *command, "--format", "jsn")
    assert (rc, out) == (2, "")
    assert err == ("mwlint: error: --format: unknown format 'jsn' (did you mean 'json'? "
                   f"choose from {choices})\n")


@pytest.mark.parametrize("command", [[], ["check"], ["plan"], ["rule"], ["check-report", "r.json"]])
def test_every_command_words_a_missing_value_alike(capsys, command):
    assert run(capsys, *command, "--format") == \
        (2, "", "mwlint: error: --format: expected one argument\n")


def test_usage_message_keeps_the_long_flag():
    from mwlint.cli import usage_message

    assert usage_message("argument -q/--quiet: ignored explicit argument 'x'") == \
        "--quiet: ignored explicit argument 'x'"
    assert usage_message("the following arguments are required: REPORT") == \
        "the following arguments are required: REPORT"


# -- mwlint rule, wrapped --------------------------------------------------------------

def _rows(lines):
    """Rule code -> its row's text with the wrapped summary joined again."""
    rows = {}
    code = None
    for line in lines:
        if line.startswith("MW"):
            code = line.split()[0]
            rows[code] = line.rstrip()
        elif line.startswith(" ") and code:
            rows[code] += " " + line.strip()
        else:
            code = None
    return rows


@pytest.mark.parametrize("columns", [60, 80, 132])
def test_rule_list_fits_the_terminal_width(columns):
    from mwlint.cli import _first_sentence
    from mwlint.rules import all_rules

    p = subprocess_run("rule", env={"COLUMNS": str(columns)})
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    rows = _rows(lines)
    assert list(rows) == [r.code for r in all_rules()]
    for r in all_rules():
        assert rows[r.code].endswith(" " + _first_sentence(r.summary)), rows[r.code]
        assert rows[r.code].split()[1:3] == [r.name, r.severity]
    assert "[*] fixable with `mwlint --fix`." in p.stdout


def test_rule_list_on_a_narrow_terminal_puts_the_summary_under_the_row():
    p = subprocess_run("rule", env={"COLUMNS": "44"})
    lines = p.stdout.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("MW001")))
    assert lines[first].split() == ["MW001", "yaml-syntax", "error"]
    assert lines[first + 1].startswith("    A file")
    assert all(len(line) <= 50 for line in lines)  # the row itself is the widest part


def test_rule_list_piped_keeps_one_line_per_rule_for_grep():
    from mwlint.rules import all_rules

    p = subprocess_run("rule")
    rule_lines = [line for line in p.stdout.splitlines() if line.startswith("MW")]
    assert len(rule_lines) == len(all_rules())
    assert all(line.startswith("MW") or not line.startswith(" ") for line in
               p.stdout.splitlines())


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_rule_list_on_a_terminal_wraps_to_its_width():
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 70, 0, 0))
    e = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "mwlint", "rule"], stdout=slave,
                            stderr=subprocess.DEVNULL, env=e, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    lines = b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
    assert lines and max(len(line) for line in lines) <= 70
    assert any(line.startswith("    ") for line in lines)  # wrapped under the row


# -- hostile option names --------------------------------------------------------------

def _timed_error(capsys, args):
    import time

    start = time.perf_counter()
    rc, out, err = run(capsys, *args)
    return time.perf_counter() - start, rc, out, err


@pytest.mark.parametrize("make", [
    lambda n: ["--sel" + "e" * n],
    lambda n: ["--" + "selct" * (n // 5)],
    lambda n: ["rule", "MW201", "x" * n, "y", "z", "w"],
])
def test_a_huge_unknown_option_is_one_short_line_in_linear_time(capsys, make):
    t1, rc, out, err = _timed_error(capsys, make(250_000))
    t4, rc4, out4, err4 = _timed_error(capsys, make(1_000_000))
    assert (rc, out, rc4, out4) == (2, "", 2, "")
    assert err4.count("\n") == 1 and len(err4) <= 120 and "characters)" in err4
    assert t4 < 5 and t4 < 4 * 4 * t1 + 0.5, (t1, t4)


def test_an_unknown_option_cannot_forge_lines_or_escape_sequences(capsys):
    rc, out, err = run(capsys, "--selct\x1b]0;owned\x07\rMW999")
    assert (rc, out) == (2, "") and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err and "\r" not in err
    assert err.startswith("mwlint: error: unknown option --selct")
