"""``--fix`` on the real pre-migration configs (fixtures README §3.4), and the command line:
``--fix`` writes, ``--diff`` does not, the exit status reflects what remains, and a file is
never clobbered (read-only, changed between read and write)."""

import difflib
import os
import shutil
import stat
import subprocess
import sys

import pytest
from helpers import HERE, KEY_PATH, REAL, RELEASES_KEY

from mwlint.engine import lint_text, load_model
from mwlint.fix import fix_text
from mwlint.fix.command import fix_paths
from mwlint.fix.write import NotWritten, write_atomic
from mwlint.settings import Settings

ROOT = os.path.dirname(HERE)
CF184EDE = "puppet-2024-10-17-cf184ede-kubernetes.yaml"
F96FE1A10 = "puppet-2024-10-15-96fe1a10-kubernetes.yaml"
MID_2025 = "puppet-2025-mid-001797c3-kubernetes.yaml"
MIGRATION = ("MW201", "MW202", "MW203")

# README §3.4: the lines of the debug keys
DEBUG_LINES = {
    F96FE1A10: [274, 282, 290, 298, 306, 314, 320, 326],
    CF184EDE: [274, 283, 291, 300, 308, 316, 322, 328],
}


def read(name):
    with open(os.path.join(REAL, name), encoding="utf-8") as f:
        return f.read()


def mwlint(*args, input=None, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    for k in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR"):
        env.pop(k, None)
    return subprocess.run([sys.executable, "-m", "mwlint", *args], input=input, text=True,
                          capture_output=True, env=env, cwd=cwd or ROOT, timeout=60)


def debug_entries(text):
    """(namespace, mw_kind, {release: stage}) of mw-debug and mw-misc."""
    hiera = load_model(text, KEY_PATH, Settings())
    out = []
    for e in hiera.deployments[0].entries:
        if e.namespace in ("mw-debug", "mw-misc"):
            kind = e.fields["mw_kind"].value if "mw_kind" in e.fields else None
            out.append((e.namespace, kind, {r.name: r.stage.value for r in e.releases}))
    return out


@pytest.mark.parametrize("name", [F96FE1A10, CF184EDE])
def test_real_pre_migration_versions_are_fixed(name):
    text = read(name)
    before = lint_text(text, KEY_PATH)
    assert {f.code for f in before} >= set(MIGRATION)
    result = fix_text(text, KEY_PATH)
    assert result.error is None and result.refused == ()
    # every debug key of README §3.4 is fixed
    assert sorted(f.line for f in result.repaired if f.code == "MW201") == DEBUG_LINES[name]
    after = lint_text(result.fixed, KEY_PATH)
    assert [f for f in after if f.code in MIGRATION] == []
    # nothing else changed in the findings
    assert sorted((f.code, f.yaml_path) for f in after) == sorted(
        (f.code, f.yaml_path) for f in before if f.code not in MIGRATION)
    # mw-debug and mw-misc now have the shape of 001797c3
    assert debug_entries(result.fixed) == [
        ("mw-debug", "debug-image", {"pinkunicorn": "testservers", "next": "testservers"}),
        ("mw-misc", "debug-image", {"main": "testservers"}),
    ]
    mid = debug_entries(read(MID_2025))
    assert [(ns, kind, set(stages.values())) for ns, kind, stages in mid] == [
        ("mw-debug", "debug-image", {"testservers"}), ("mw-misc", "debug-image", {"testservers"})]
    # comments intact: every comment line is still there, in order
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    kept = [line for line in result.fixed.splitlines() if line.lstrip().startswith("#")]
    assert kept == comments and len(comments) > 20
    # only the debug lines and the debug namespaces' release lines changed
    old, new = text.splitlines(), result.fixed.splitlines()
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
    added = [line for line in difflib.ndiff(old, new) if line.startswith("+ ")]
    assert sorted(removed) == sorted(
        ["-     debug: false"] * 6 + ["-     debug: true"] * 2
        + ["-       pinkunicorn: {}", "-       next: {}", "-       main: {}"])
    assert sorted(added) == sorted(
        ['+     mw_kind: "debug-image"'] * 2
        + ['+       pinkunicorn: {stage: "testservers"}', '+       next: {stage: "testservers"}',
           '+       main: {stage: "testservers"}'])
    assert len(new) == len(old) - 6
    # idempotent
    assert fix_text(result.fixed, KEY_PATH).fixed == result.fixed


def copy(tmp_path, name=CF184EDE, mode=0o640):
    dst = tmp_path / "kubernetes.yaml"
    shutil.copyfile(os.path.join(REAL, name), dst)
    os.chmod(dst, mode)
    return dst


def test_cli_fix_writes_keeps_mode_and_exits_on_what_remains(tmp_path):
    dst = copy(tmp_path, mode=0o640)
    original = dst.read_bytes()
    p = mwlint("--fix", str(dst))
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout == "mwlint: OK\n"
    # counted as the check's summary counts them: "13 errors; 13 fixable"
    assert mwlint("-", "--stdin-filename", "k.yaml", input=read(CF184EDE)).stdout.splitlines()[-1] == (
        "mwlint: FAILED (13 errors; 13 fixable with `mwlint --fix`)")
    assert p.stderr == ("mwlint: found 13 findings (13 fixed, 0 remaining): 8 fixes (13 edits) "
                        "written to 1 file\n")
    assert stat.S_IMODE(os.stat(dst).st_mode) == 0o640
    assert dst.read_bytes() == fix_text(original.decode(), str(dst)).fixed.encode()
    assert not [n for n in os.listdir(tmp_path) if n != "kubernetes.yaml"]  # no temp file left
    # a second run has nothing to do
    p = mwlint("--fix", str(dst))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n")
    assert p.stderr == "mwlint: found 0 findings (0 fixed, 0 remaining): nothing to fix\n"


def test_cli_diff_writes_nothing(tmp_path):
    dst = copy(tmp_path)
    original = dst.read_bytes()
    p = mwlint("--diff", "kubernetes.yaml", cwd=str(tmp_path))
    assert p.returncode == 1  # the file as it stands still fails
    assert dst.read_bytes() == original
    assert p.stdout.startswith("--- a/kubernetes.yaml\n+++ b/kubernetes.yaml\n@@ -267,11 +267,11 @@")
    assert p.stdout.count("\n-    debug: ") == 8
    assert p.stderr == ("mwlint: found 13 findings (13 would be fixed, 0 would remain): 8 fixes "
                        "(13 edits) for 1 file\n")
    # the diff applies to the original and gives what --fix writes
    if shutil.which("patch"):
        subprocess.run(["patch", "-s", "-p1"], input=p.stdout, text=True, cwd=str(tmp_path),
                       check=True)
        assert dst.read_text() == fix_text(original.decode(), "k").fixed


def test_cli_diff_on_stdin_and_fix_on_stdin_refused():
    text = read(CF184EDE)
    p = mwlint("--diff", "-", "--stdin-filename", "k.yaml", input=text)
    assert p.returncode == 1 and p.stdout.startswith("--- a/k.yaml\n")
    p = mwlint("--fix", "-", "--stdin-filename", "k.yaml", input=text)
    assert p.returncode == 2 and p.stdout == ""
    assert "--fix cannot write back to stdin" in p.stderr


def test_cli_fix_leaves_a_person_the_rest(tmp_path):
    dst = tmp_path / "k.yaml"
    dst.write_text(RELEASES_KEY + """:
  - namespace: mw-cli
    releases: {main: {}}
    mw_kind: cli-image
    mw_flavour: publish
    web_flavour: webserver
    debug: true
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish
    web_flavour: webserver
    debug: false
""")
    p = mwlint("--fix", "--format", "json", str(dst))
    assert p.returncode == 1
    import json

    findings = json.loads(p.stdout)["findings"]
    mw201 = [f for f in findings if f["code"] == "MW201"]
    assert [(f["line"], f["fixable"]) for f in mw201] == [(7, False)]
    # the rule's help says why --fix leaves it to a person
    assert mw201[0]["help"].endswith("; not fixed automatically: the namespace sets mw_kind: "
                                     "cli-image while debug: true asks for debug-image: no "
                                     "faithful translation, a person decides")
    assert "debug: false" not in dst.read_text()


def test_cli_fix_respects_the_selection(tmp_path):
    dst = copy(tmp_path)
    original = dst.read_bytes()
    p = mwlint("--fix", "--ignore", "MW201", str(dst))
    assert p.returncode == 1
    assert dst.read_bytes() == original


def test_read_only_file_is_not_clobbered(tmp_path):
    dst = copy(tmp_path, mode=0o444)
    original = dst.read_bytes()
    p = mwlint("--fix", str(dst))
    assert p.returncode == 1
    assert dst.read_bytes() == original
    assert "not written: the file is read-only" in p.stderr
    assert "found 13 findings (0 fixed, 13 remaining); 1 file not written" in p.stderr
    assert "help: not fixed automatically: the file was not written" in p.stdout
    assert stat.S_IMODE(os.stat(dst).st_mode) == 0o444


def test_a_file_not_written_marks_no_remaining_finding_fixable(tmp_path):
    """MW202 and MW203 are repaired by MW201's recipe: when the file cannot be written they
    remain, and say why, like MW201."""
    import json

    dst = copy(tmp_path, mode=0o444)
    p = mwlint("--fix", "--format", "json", str(dst))
    findings = json.loads(p.stdout)["findings"]
    assert {f["code"] for f in findings} == {"MW201", "MW202", "MW203"}
    assert not [f for f in findings if f["fixable"]]
    for f in findings:
        if f["code"] in ("MW202", "MW203"):
            assert f["help"].startswith("not fixed automatically: the file was not written")


def test_file_changed_between_read_and_write_is_not_clobbered(tmp_path, monkeypatch):
    dst = copy(tmp_path)
    edited = dst.read_bytes().replace(b"mw-wikifunctions", b"mw-someone-else")
    import mwlint.fix.command as command

    real = command.fix_findings

    def concurrent_edit(*args, **kwargs):
        result = real(*args, **kwargs)
        dst.write_bytes(edited)  # someone saves the file while mwlint works
        return result

    monkeypatch.setattr(command, "fix_findings", concurrent_edit)
    (ff,) = fix_paths([str(dst)], Settings()).files
    assert not ff.written and ff.not_written == "the file changed since it was read"
    assert dst.read_bytes() == edited


def test_write_atomic_checks_content_and_follows_symlinks(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    os.symlink(target, link)
    with pytest.raises(NotWritten, match="changed since it was read"):
        write_atomic(str(link), b"stale\n", b"new\n")
    write_atomic(str(link), b"old\n", b"new\n")
    assert os.path.islink(link) and target.read_bytes() == b"new\n"
    assert sorted(os.listdir(tmp_path)) == ["link.yaml", "real.yaml"]


def test_hard_linked_file_is_not_written_and_the_links_stay_one_file(tmp_path):
    """Replacing a file with several names would give this name a new file and leave the
    other names with the old text: the link would split silently. It is refused instead."""
    dst = copy(tmp_path)
    other = tmp_path / "elsewhere.yaml"
    os.link(dst, other)
    original = dst.read_bytes()
    (ff,) = fix_paths([str(dst)], Settings()).files
    assert not ff.written
    assert ff.not_written == "it has 2 hard links, which replacing it would split (apply " \
                             "the --diff by hand to change them all)"
    assert dst.read_bytes() == original and os.path.samefile(dst, other)
    assert sorted(os.listdir(tmp_path)) == ["elsewhere.yaml", "kubernetes.yaml"]
    with pytest.raises(NotWritten, match="2 hard links"):
        write_atomic(str(other), original, b"new\n")
    os.unlink(other)  # one name again: written as usual
    assert fix_paths([str(dst)], Settings()).files[0].written


def test_the_write_helper_itself_refuses_to_split_hard_links(tmp_path):
    """Checked again where the rename is decided, for a link made after fix_file looked."""
    from mwlint.atomic_write import WriteRefused, write_file

    dst = copy(tmp_path)
    original = dst.read_bytes()
    os.link(dst, tmp_path / "b.yaml")
    with pytest.raises(WriteRefused, match="2 hard links"):
        write_file(str(dst), b"x", split_links=False)
    assert dst.read_bytes() == original and os.path.samefile(dst, tmp_path / "b.yaml")
    assert sorted(os.listdir(tmp_path)) == ["b.yaml", "kubernetes.yaml"]


def test_bom_and_crlf_survive(tmp_path):
    text = read(CF184EDE).replace("\n", "\r\n")
    dst = tmp_path / "k.yaml"
    dst.write_bytes(b"\xef\xbb\xbf" + text.encode())
    (ff,) = fix_paths([str(dst)], Settings()).files
    assert ff.written
    data = dst.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode()
    assert "\n" not in body.replace("\r\n", "")
    assert [f for f in lint_text(body, KEY_PATH) if f.code in MIGRATION] == []


def test_utf16_file_is_not_rewritten(tmp_path):
    dst = tmp_path / "k.yaml"
    data = b"\xff\xfe" + read(CF184EDE).encode("utf-16-le")
    dst.write_bytes(data)
    (ff,) = fix_paths([str(dst)], Settings()).files
    assert not ff.written and "not UTF-8" in ff.result.error
    assert dst.read_bytes() == data


def test_rule_listing_says_mw201_is_fixable():
    p = mwlint("rule")
    line = next(x for x in p.stdout.splitlines() if x.startswith("MW201"))
    assert " [*] " in line  # the listing marks fixable rules as the text output marks findings
    assert "[*] fixable with `mwlint --fix`" in p.stdout
    p = mwlint("rule", "MW201")
    assert "(error, fixable)" in p.stdout and "mw_kind: debug-image" in p.stdout


def _identity(f):
    """A finding, whatever the lines the fix removes above it (and the message's "see MW201
    at line N")."""
    return (f.code, f.yaml_path, f.context)


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(REAL) if n.endswith(".yaml")))
def test_fix_removes_exactly_the_findings_that_carry_a_fix(name):
    """Issue 11: on the real fixtures, the findings --fix removes are exactly those whose
    JSON has a ``fix`` (with edits, or repaired by another finding's fix)."""
    text = read(name)
    before = lint_text(text, KEY_PATH)
    for f in before:
        d = f.as_dict()
        assert d["fixable"] is (d["fix"] is not None), (f.code, f.line)
        if f.fix is not None and not f.fix.edits:  # repaired by another finding's fix
            code, line, column = f.fix.repaired_by
            assert d["fix"]["repaired_by"] == {"code": code, "line": line, "column": column}
            assert f.fix.message == f"repaired by the {code} fix at line {line}"
            carrier = [g for g in before if (g.code, g.line, g.column) == (code, line, column)]
            assert len(carrier) == 1 and carrier[0].fix.edits
    result = fix_text(text, KEY_PATH)
    after = {_identity(f) for f in lint_text(result.fixed, KEY_PATH)}
    removed = {_identity(f) for f in before} - after
    assert removed == {_identity(f) for f in before if f.fix is not None}
    assert after <= {_identity(f) for f in before}  # and nothing new appears


def test_json_fix_of_the_real_migration(tmp_path):
    """JSON ``fix``: message, applicability and edits by line/column; MW202/MW203 name the
    MW201 finding whose fix repairs them."""
    import json

    dst = copy(tmp_path)
    p = mwlint("--format", "json", str(dst))
    findings = json.loads(p.stdout)["findings"]
    by_line = {(f["code"], f["line"]): f for f in findings}
    mw201 = by_line[("MW201", 274)]  # mw-debug's debug: true
    fix = mw201["fix"]
    assert set(fix) == {"message", "applicability", "edits"} and fix["applicability"] == "safe"
    assert "mw_kind: debug-image" in fix["message"]
    lines = read(CF184EDE).splitlines(keepends=True)
    for e in fix["edits"]:
        assert set(e) == {"content", "location", "end_location"}
        start, end = e["location"], e["end_location"]
        assert set(start) == set(end) == {"line", "column"}
        assert (start["line"], start["column"]) <= (end["line"], end["column"])
    assert {"content": "mw_kind", "location": {"line": 274, "column": 5},
            "end_location": {"line": 274, "column": 10}} in fix["edits"]
    assert lines[273][4:9] == "debug"
    mw202 = [f for f in findings if f["code"] == "MW202"]
    assert mw202 and all(f["fixable"] and f["fix"]["edits"] == []
                         and f["fix"]["repaired_by"]["code"] == "MW201" for f in mw202)
    for f in findings:
        assert f["fixable"] is (f["fix"] is not None)
