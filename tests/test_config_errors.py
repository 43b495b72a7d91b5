"""Every bad-config case: exit 2, one line on stderr naming the file, the key and the reason,
nothing on stdout, no traceback."""

import os

import pytest
from helpers import RELEASES_KEY

from mwlint.cli import main

DOC = RELEASES_KEY + """:
  - namespace: mw-web
    releases: {main: {}}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""

# (config text, key as reported, words the reason must contain)
CASES = [
    ('selct = ["MW1"]', "selct", ["unknown key", "did you mean 'select'"]),
    ('fail_on = "warning"', "fail_on", ["unknown key", "did you mean 'fail-on'"]),
    ('zzzzzz = 1', "zzzzzz", ["unknown key", "known keys: select, ignore"]),
    ('[tool.mwlint]\nselect = ["MW1"]', "tool", ["belongs in pyproject.toml"]),
    ('select = "MW1"', "select", ["expected an array of strings, got a string"]),
    ('ignore = ["MW1", 2]', "ignore", ["expected an array of strings", "an integer 2"]),
    ('select = ["MW999"]', "select", ["unknown rule code or name 'MW999'"]),
    ('ignore = ["debug-imag-stage"]', "ignore",
     ["unknown rule code or name", "did you mean 'debug-image-stage'"]),
    ('fail-on = "warn"', "fail-on", ["expected one of error, warning, info",
                                     "did you mean 'warning'"]),
    ('fail-on = 1', "fail-on", ["expected a string, got an integer"]),
    ('severity = "error"', "severity", ["expected a table"]),
    ('[severity]\nMW999 = "error"', "severity.MW999", ["unknown rule code or name"]),
    ('[severity]\nMW204 = "fatal"', "severity.MW204", ["expected one of error, warning, info"]),
    ('per-file-ignores = ["x"]', "per-file-ignores", ["expected a table"]),
    ('[per-file-ignores]\n"a/*.yaml" = ["MW9"]', 'per-file-ignores."a/*.yaml"',
     ["unknown rule code or name 'MW9'"]),
    ('[per-file-ignores]\n"a/*.yaml" = "MW1"', 'per-file-ignores."a/*.yaml"',
     ["expected an array of strings"]),
    ('default-clusters = []', "default-clusters", ["at least one"]),
    ('default-clusters = "eqiad"', "default-clusters", ["expected an array of strings"]),
    ('default-clusters = [""]', "default-clusters", ["non-empty"]),
    ('default-dir = ""', "default-dir", ["non-empty string"]),
    ('known-kinds = [true]', "known-kinds", ["a boolean"]),
    ('known-dirs = "services"', "known-dirs", ["expected an array of strings"]),
    ('require-mw-kind = "yes"', "require-mw-kind", ["expected true or false, got a string"]),
    ('deployment-charts = "no/such/dir"', "deployment-charts", ["not a directory"]),
    ('deployment-charts = 3', "deployment-charts", ["expected a string"]),
    ('max-file-size = "ten"', "max-file-size", ["not a size: 'ten'"]),
    ('max-file-size = -1', "max-file-size", ["negative"]),
    ('max-file-size = true', "max-file-size", ["got a boolean"]),
    ('mw-flavour-pattern = "publish-("', "mw-flavour-pattern",
     ["not a valid regular expression", "missing )"]),
    ('web-flavour-pattern = "[a-"', "web-flavour-pattern", ["not a valid regular expression"]),
    ('extra-keys = ["owner"]', "extra-keys", ["expected a table"]),
    ('extra-keys = {entri = ["owner"]}', "extra-keys.entri",
     ["unknown level 'entri'", "did you mean 'entry'"]),
    ('extra-keys = {entry = "owner"}', "extra-keys.entry", ["expected an array of strings"]),
]


def _run(capsys, monkeypatch, cwd, *argv):
    monkeypatch.chdir(cwd)
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _one_error_line(err):
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mwlint: error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "hieradata").mkdir()
    (root / "hieradata" / "k.yaml").write_text(DOC)
    return root


@pytest.mark.parametrize("text, key, words", CASES, ids=[c[1] + ":" + c[0][:20] for c in CASES])
def test_bad_mwlint_toml(repo, capsys, monkeypatch, text, key, words):
    (repo / ".mwlint.toml").write_text(text + "\n")
    status, out, err = _run(capsys, monkeypatch, repo, "hieradata")
    assert status == 2 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"mwlint: error: {repo / '.mwlint.toml'}: {key}: "), line
    for w in words:
        assert w in line


@pytest.mark.parametrize("text, key, words", CASES[4:8])
def test_bad_pyproject_keys_are_prefixed_with_the_table(repo, capsys, monkeypatch, text, key,
                                                        words):
    body = text if text.startswith("[") else text
    (repo / "pyproject.toml").write_text("[tool.mwlint]\n" + body + "\n")
    status, out, err = _run(capsys, monkeypatch, repo, "hieradata")
    assert status == 2 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"mwlint: error: {repo / 'pyproject.toml'}: tool.mwlint.{key}: ")


@pytest.mark.parametrize("name, data, words", [
    (".mwlint.toml", b'fail-on = error\n', ["invalid TOML", "line 1"]),
    (".mwlint.toml", b'select = ["MW1"\n', ["invalid TOML"]),
    (".mwlint.toml", b'fail-on = "a"\nfail-on = "b"\n', ["invalid TOML"]),
    (".mwlint.toml", b'fail-on = "\xe9"\n', ["not UTF-8"]),
    ("pyproject.toml", b"[tool]\nmwlint = 1\n", ["tool.mwlint: expected a table"]),
    # the TOML reader recurses (RecursionError) and converts integers (ValueError)
    (".mwlint.toml", b"select = " + b"[" * 5000 + b"]" * 5000 + b"\n",
     ["nested deeper than 50 levels", "line 1"]),
    (".mwlint.toml", b"ignore = [\n" + b"{a = " * 60 + b"1" + b"}" * 60 + b"]\n",
     ["nested deeper than 50 levels", "line 2"]),
    ("pyproject.toml", b"[tool.mwlint]\nselect = " + b"[" * 5000 + b"]" * 5000 + b"\n",
     ["nested deeper than"]),
    (".mwlint.toml", b"max-file-size = " + b"9" * 5000 + b"\n", ["invalid TOML"]),
])
def test_unparsable_config_files(repo, capsys, monkeypatch, name, data, words):
    (repo / name).write_bytes(data)
    status, out, err = _run(capsys, monkeypatch, repo, "hieradata")
    assert status == 2 and out == ""
    line = _one_error_line(err)
    assert str(repo / name) in line
    for w in words:
        assert w in line


def test_explicit_config_that_is_missing_or_not_a_config(repo, tmp_path, capsys, monkeypatch):
    status, out, err = _run(capsys, monkeypatch, repo, "--config", "nope.toml", "hieradata")
    assert status == 2 and "nope.toml: cannot read" in _one_error_line(err)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    status, out, err = _run(capsys, monkeypatch, repo, "--config",
                            str(tmp_path / "pyproject.toml"), "hieradata")
    assert status == 2 and "has no [tool.mwlint] table" in _one_error_line(err)


@pytest.mark.parametrize("text, key, words", [
    ('[tool.mwlint]\nselct = ["MW1"]\n', "tool.mwlint.selct", ["did you mean 'select'"]),
    ('[tool]\nmwlint = 1\n', "tool.mwlint", ["expected a table"]),
    ('fail-on = "info"\n[tool.mwlint]\nignore = []\n', "fail-on",
     ["also has a [tool.mwlint] table"]),
    ('[tool.ruff]\nline-length = 1\n', "tool", ["unknown key"]),
])
def test_explicit_config_of_any_name_with_bad_keys(repo, tmp_path, capsys, monkeypatch, text,
                                                   key, words):
    cfg = tmp_path / "ci.toml"
    cfg.write_text(text)
    status, out, err = _run(capsys, monkeypatch, repo, "--config", str(cfg), "hieradata")
    assert status == 2 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"mwlint: error: {cfg}: {key}: "), line
    for w in words:
        assert w in line


def test_bad_config_found_mid_run_stops_before_any_output(repo, capsys, monkeypatch):
    deeper = repo / "hieradata" / "z"
    deeper.mkdir()
    (deeper / "k.yaml").write_text(DOC)
    (deeper / ".mwlint.toml").write_text("selct = []\n")
    status, out, err = _run(capsys, monkeypatch, repo, "hieradata")
    assert status == 2 and out == ""
    assert os.path.join("z", ".mwlint.toml") + ": selct: unknown key" in _one_error_line(err)


def test_bad_config_with_show_settings(repo, capsys, monkeypatch):
    (repo / ".mwlint.toml").write_text('fail-on = "x"\n')
    status, out, err = _run(capsys, monkeypatch, repo, "--show-settings", "hieradata")
    assert status == 2 and out == "" and "fail-on" in _one_error_line(err)


def test_brackets_in_strings_and_comments_are_not_nesting(repo, capsys, monkeypatch):
    (repo / ".mwlint.toml").write_text(
        '# ' + '[' * 200 + '\n[per-file-ignores]\n"' + '[' * 100 + '*.yaml" = ["MW2"]\n'
        "'" + "{" * 100 + "' = [\"MW2\"]\n")
    status, out, err = _run(capsys, monkeypatch, repo, "hieradata")
    assert status == 0 and err == ""


def test_plan_with_a_bad_discovered_config_is_one_line(repo, capsys, monkeypatch):
    """plan reads the config next to each file as it goes: that used to be an internal
    error (ConfigError)."""
    (repo / "hieradata" / ".mwlint.toml").write_text("selct = []\n")
    status, out, err = _run(capsys, monkeypatch, repo, "plan", "hieradata")
    assert status == 2 and out == ""
    assert "selct: unknown key" in _one_error_line(err)


def test_isolated_does_not_read_a_bad_config(repo, capsys, monkeypatch):
    (repo / ".mwlint.toml").write_text("selct = []\n")
    status, out, err = _run(capsys, monkeypatch, repo, "--isolated", "hieradata")
    assert status == 0 and err == ""


def _mknull(path):
    import stat

    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))


@pytest.mark.parametrize("make, words", [
    (os.mkfifo, "cannot read: not a regular file (a FIFO, device or socket)"),  # used to hang
    (_mknull, "cannot read: not a regular file (a FIFO, device or socket)"),
    (os.mkdir, "cannot read: not a regular file (a directory)"),
])
def test_explicit_config_that_is_not_a_regular_file(repo, capsys, monkeypatch, make, words):
    import signal

    def hang(_signum, _frame):
        raise AssertionError("blocked on the FIFO")

    make(str(repo / "c.toml"))
    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(5)
    try:
        status, out, err = _run(capsys, monkeypatch, repo, "--config", "c.toml", "hieradata")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert status == 2 and out == ""
    assert _one_error_line(err) == f"mwlint: error: {repo / 'c.toml'}: {words}"


def test_config_growing_past_the_cap_is_not_read_whole(repo, capsys, monkeypatch):
    """/dev/zero-like: stat says 0 bytes, the content never ends. The read stops at the cap."""
    import io

    import mwlint.source.bounded as bounded

    (repo / "c.toml").write_text("")
    served = []

    class Endless(io.RawIOBase):
        def __init__(self, fd):
            super().__init__()
            self.fd = fd

        def close(self):
            if not self.closed:
                os.close(self.fd)
            super().close()

        def readable(self):
            return True

        def readinto(self, b):
            served.append(len(b))
            b[:] = b"#" * len(b)
            return len(b)

    real_open = open
    monkeypatch.setattr(bounded, "open", lambda fd, *a, **k: Endless(fd) if isinstance(fd, int)
                        else real_open(fd, *a, **k), raising=False)
    status, out, err = _run(capsys, monkeypatch, repo, "--config", "c.toml", "hieradata")
    assert status == 2 and out == ""
    assert _one_error_line(err).endswith("c.toml: larger than 1048576 bytes")
    assert sum(served) == 1024 * 1024 + 1
