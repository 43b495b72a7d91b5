"""``--output FORMAT=PATH``, ``--root`` and repository-relative paths (cli.md "Output formats")."""

import json
import os
import stat
import xml.etree.ElementTree as ET

import pytest
from format_cases import BROKEN, CLEAN, make_repo, mwlint
from helpers import KEY_PATH

from mwlint.formats import FORMATS, render
from mwlint.formats.output import OutputError, parse_output, write_atomic
from mwlint.formats.repo_paths import RepoPaths, git_top_level


@pytest.mark.parametrize("value, expected", [
    ("junit=log/junit-mwlint.xml", ("junit", "log/junit-mwlint.xml")),
    ("sarif=a=b.sarif", ("sarif", "a=b.sarif")),  # only the first = separates
    (" json=out.json", ("json", "out.json")),
])
def test_parse_output(value, expected):
    assert tuple(parse_output(value, FORMATS)) == expected


@pytest.mark.parametrize("value, message", [
    ("junit", "expected FORMAT=PATH"),
    ("=x.xml", "expected FORMAT=PATH"),
    ("junit=", "expected FORMAT=PATH"),
    ("xunit=x.xml", "unknown format 'xunit'"),
])
def test_parse_output_rejects(value, message):
    with pytest.raises(OutputError, match=message):
        parse_output(value, FORMATS)


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "report.xml"
    target.write_text("old")
    old_umask = os.umask(0o022)
    try:
        write_atomic(str(target), "new ü\n")
    finally:
        os.umask(old_umask)
    assert target.read_text(encoding="utf-8") == "new ü\n"
    assert os.listdir(tmp_path) == ["report.xml"]
    # readable by a CI publisher running as another user, not mkstemp's 0600
    assert target.stat().st_mode & 0o777 == 0o644


def test_write_atomic_failure_keeps_old_file_and_removes_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.xml"
    target.write_text("old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(str(target), "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.xml"]


def _repo_with_broken(tmp_path):
    return make_repo(tmp_path, {KEY_PATH: BROKEN, "hieradata/hosts/deploy1003.yaml": CLEAN})


def test_all_outputs_in_one_run_repo_relative_paths(tmp_path):
    repo = _repo_with_broken(tmp_path)
    out = tmp_path / "log"
    out.mkdir()
    args = ["--select", "MW102", str(repo / "hieradata")]
    for fmt in FORMATS:
        args += ["--output", f"{fmt}={out / ('r.' + fmt)}"]
    p = mwlint(*args, cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    assert sorted(os.listdir(out)) == sorted("r." + f for f in FORMATS)
    # text and json keep the path as given (absolute here)
    given = str(repo / KEY_PATH)
    assert p.stdout.startswith(f"{given}:297:5: error MW102 missing-key: ")
    assert (out / "r.text").read_text() == p.stdout
    doc = json.loads((out / "r.json").read_text())
    assert [(f["path"], f["line"], f["column"]) for f in doc["findings"]] == [(given, 297, 5)]
    # sarif, junit, github, gerrit are relative to the repository root
    sarif = json.loads((out / "r.sarif").read_text())
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == KEY_PATH
    junit = ET.parse(str(out / "r.junit"))
    cases = {c.get("classname"): c for c in junit.getroot().iter("testcase")}
    assert sorted(cases) == ["hieradata/hosts/deploy1003.yaml", KEY_PATH]
    assert cases[KEY_PATH].find("failure") is not None
    assert f"file={KEY_PATH},line=297,col=5," in (out / "r.github").read_text()
    gerrit = json.loads((out / "r.gerrit").read_text())
    assert list(gerrit["comments"]) == [KEY_PATH]
    assert "<html" in (out / "r.html").read_text()


def test_root_option_and_relative_invocation(tmp_path):
    repo = _repo_with_broken(tmp_path)
    p = mwlint("--select", "MW102", "--format", "github", "--root", str(repo / "hieradata"),
               KEY_PATH, cwd=str(repo))
    assert p.returncode == 1, p.stderr
    rel = os.path.relpath(KEY_PATH, "hieradata")
    assert p.stdout.startswith(f"::error file={rel},line=297,col=5,")
    p = mwlint("--select", "MW102", "--format", "github", os.path.join("repo", KEY_PATH),
               cwd=str(tmp_path))
    assert p.stdout.startswith(f"::error file={KEY_PATH},line=297,")


def test_stdin_filename_is_relative_to_the_repository(tmp_path):
    repo = _repo_with_broken(tmp_path)
    with open(BROKEN, encoding="utf-8") as fh:
        text = fh.read()
    sub = repo / "hieradata"
    p = mwlint("--select", "MW102", "--format", "gerrit", "-", "--stdin-filename",
               os.path.relpath(KEY_PATH, "hieradata"), input=text, cwd=str(sub))
    assert p.returncode == 1, p.stderr
    assert list(json.loads(p.stdout)["comments"]) == [KEY_PATH]


def test_repo_paths_outside_any_repository_stay_as_given(tmp_path):
    f = tmp_path / "a" / "x.yaml"
    f.parent.mkdir()
    f.write_text("")
    rel = RepoPaths()
    if git_top_level(str(f)) is None:
        assert rel(str(f)) == str(f)
    assert RepoPaths(str(tmp_path / "a"))(str(f)) == "x.yaml"
    # outside --root: kept as given rather than ../..
    assert RepoPaths(str(tmp_path / "b"))(str(f)) == str(f)
    assert rel("<stdin>") == "<stdin>"


def test_git_top_level_finds_worktree_file_and_caches(tmp_path):
    top = tmp_path / "wt"
    (top / "x" / "y").mkdir(parents=True)
    (top / ".git").write_text("gitdir: elsewhere\n")  # a worktree or submodule
    cache = {}
    assert git_top_level(str(top / "x" / "y" / "f.yaml"), cache) == str(top)
    assert cache[str(top / "x" / "y")] == str(top)


def test_render_relativises_only_ci_formats(tmp_path):
    from format_cases import sample_report

    repo = make_repo(tmp_path)
    report = sample_report()
    absolute = report._replace(
        findings=[f._replace(path=str(repo / f.path)) for f in report.findings],
        sources={str(repo / k): v for k, v in report.sources.items()},
        linted_paths=tuple(str(repo / p) for p in report.linted_paths))
    assert render("gerrit", absolute) == render("gerrit", report)
    assert str(repo) in render("json", absolute)


@pytest.mark.parametrize("args, message", [
    (["--output", "junit"], "--output: expected FORMAT=PATH"),
    (["--output", "xml=o.xml"], "--output: unknown format 'xml'"),
    (["--output", "junit=BROKEN/o.xml"], "not a directory: "),
    (["--output", "junit=."], "is a directory"),
    (["--root", "no/such/dir"], "--root: not a directory"),
    (["--format", "xunit"], "--format: unknown format 'xunit'"),
])
def test_output_usage_errors_before_linting(tmp_path, args, message):
    args = [a.replace("BROKEN", BROKEN) for a in args]  # a file where a directory should be
    p = mwlint(*args, BROKEN, cwd=str(tmp_path))
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.count("\n") == 1 and message in p.stderr, p.stderr
    assert os.listdir(tmp_path) == []


def test_unwritable_output_is_exit_2_one_line(tmp_path, monkeypatch, capsys):
    from mwlint import cli

    def boom(path, text):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("mwlint.formats.output.write_atomic", boom)
    rc = cli.main(["--select", "MW102", "--output", f"junit={tmp_path / 'j.xml'}", BROKEN])
    err = capsys.readouterr().err
    assert rc == 2
    assert err == f"mwlint: error: --output junit={tmp_path / 'j.xml'}: cannot write: " \
                  "Permission denied\n"


def test_html_without_jinja2_is_a_usage_error(monkeypatch, capsys):
    import builtins

    from mwlint import cli

    real_import = builtins.__import__

    def no_jinja(name, *a, **k):
        if name == "jinja2" or name.startswith("jinja2."):
            raise ImportError("no jinja2")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_jinja)
    rc = cli.main(["--format", "html", CLEAN])
    assert rc == 2
    assert "the html format needs jinja2" in capsys.readouterr().err


def test_missing_output_directories_are_created(tmp_path):
    target = tmp_path / "log" / "ci" / "junit-mwlint.xml"
    p = mwlint("--select", "MW102", "--output", f"junit={target}", BROKEN, cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    assert target.read_text(encoding="utf-8").startswith("<?xml")


# -- what is at PATH decides how it is written (mwlint.atomic_write) ----------------------

def test_write_atomic_keeps_the_mode_of_an_existing_file(tmp_path):
    target = tmp_path / "report.xml"
    target.write_text("old")
    os.chmod(target, 0o600)  # someone keeps the report private: a rewrite must not widen it
    write_atomic(str(target), "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_write_atomic_writes_through_a_symlink(tmp_path):
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "junit.xml"
    real.write_text("old")
    link = tmp_path / "junit.xml"
    os.symlink(os.path.join("reports", "junit.xml"), link)
    write_atomic(str(link), "new")
    assert os.path.islink(link) and real.read_text() == "new"
    assert sorted(os.listdir(tmp_path / "reports")) == ["junit.xml"]  # the temp file went there


def test_write_atomic_writes_into_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the reader is there first
    try:
        write_atomic(str(fifo), "doc ü\n")
        os.set_blocking(rfd, True)
        got = os.read(rfd, 100)
    finally:
        os.close(rfd)
    assert got == "doc ü\n".encode()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_to_a_fifo_without_reader_is_exit_2_not_a_hang(tmp_path):
    """0.2.0 opened the FIFO for writing and waited for a reader forever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    p = mwlint("--select", "MW102", "--output", f"junit={fifo}", BROKEN, cwd=str(tmp_path))
    assert p.returncode == 2, p.stderr
    assert p.stderr == f"mwlint: error: --output junit={fifo}: it is a FIFO with no reader\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("second", ["a.xml", "./a.xml", "sub/../a.xml", "link.xml", "hard.xml"])
def test_two_outputs_naming_one_file_are_refused(tmp_path, second):
    """0.2.0 let the last writer win silently."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.xml").write_text("old")
    os.symlink("a.xml", tmp_path / "link.xml")
    os.link(tmp_path / "a.xml", tmp_path / "hard.xml")
    p = mwlint("--select", "MW102", "--output", "junit=a.xml", "--output", f"sarif={second}",
               BROKEN, cwd=str(tmp_path))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == f"mwlint: error: --output sarif={second}: the same file as " \
                       "--output junit=a.xml\n"
    assert (tmp_path / "a.xml").read_text() == "old"


def test_two_outputs_to_new_files_in_one_directory_are_fine(tmp_path):
    p = mwlint("--select", "MW102", "--output", "junit=log/a.xml", "--output",
               "sarif=log/a.sarif", BROKEN, cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    assert sorted(os.listdir(tmp_path / "log")) == ["a.sarif", "a.xml"]


def test_write_atomic_leaves_a_character_device_a_device(tmp_path):
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    write_atomic(str(node), "x" * 100_000)
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert os.listdir(tmp_path) == ["null"]


def test_write_atomic_refuses_a_directory(tmp_path):
    from mwlint.atomic_write import WriteRefused

    with pytest.raises(WriteRefused, match="is a directory"):
        write_atomic(str(tmp_path), "x")


@pytest.mark.parametrize("dest", ["k.yaml", "./k.yaml", "link.yaml", "hard.txt"])
def test_output_over_the_linted_file_is_refused_before_linting(tmp_path, dest):
    """`mwlint --output text=k.yaml k.yaml` used to replace the file being linted."""
    key = tmp_path / "k.yaml"
    with open(BROKEN, "rb") as f:
        key.write_bytes(f.read())
    os.symlink("k.yaml", tmp_path / "link.yaml")
    os.link(key, tmp_path / "hard.txt")
    before = key.read_bytes()
    p = mwlint("--output", f"text={dest}", "k.yaml", cwd=str(tmp_path))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == f"mwlint: error: --output text={dest}: refusing to overwrite the " \
                       "linted file k.yaml, which this run reads\n"
    assert key.read_bytes() == before and os.path.islink(tmp_path / "link.yaml")
    assert os.path.samefile(key, tmp_path / "hard.txt")
