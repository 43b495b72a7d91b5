"""Baselines: keyed on what a finding is about (never lines or list indexes), so inserting an
entry above revives nothing; stale entries are MW005 at line 1 of their file."""

import json
import os

import pytest
from helpers import RELEASES_KEY, lint

from mwlint.cli import main
from mwlint.suppress.baseline import (
    Baseline,
    apply_baseline,
    baseline_document,
    finding_key,
    load_baseline,
)

KEY_FILE = os.path.join("hieradata", "role", "common", "deployment_server", "kubernetes.yaml")

ENTRY_WEB = """\
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
    owner: x
"""
ENTRY_API = """\
  - namespace: mw-api-int
    releases:
      main: {}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""
ENTRY_NEW = """\
  - namespace: mw-new
    releases:
      main: {}
      next: {}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
"""


def doc(*entries):
    return RELEASES_KEY + ":\n" + "".join(entries)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "puppet"
    (root / ".git").mkdir(parents=True)
    (root / os.path.dirname(KEY_FILE)).mkdir(parents=True)
    (root / KEY_FILE).write_text(doc(ENTRY_API, ENTRY_WEB))
    monkeypatch.chdir(root)
    return root


def cli(capsys, *argv):
    status = main(["--select", "MW1,MW005", "--format", "json", *argv])
    out, err = capsys.readouterr()
    data = json.loads(out) if out.strip().startswith("{") else None
    found = [(f["code"], f["line"], f["column"]) for f in data["findings"]] if data else None
    return status, found, data, err


def test_write_then_hide_everything(repo, capsys):
    status, found, _data, _err = cli(capsys, KEY_FILE)
    assert status == 1 and found == [("MW105", 10, 23), ("MW103", 13, 5)]
    status = main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    out, err = capsys.readouterr()
    assert status == 0 and out == ""
    assert err == "mwlint: wrote 2 findings to the baseline baseline.json\n"
    status, found, data, _err = cli(capsys, "--baseline", "baseline.json", KEY_FILE)
    assert status == 0 and found == [] and data["summary"]["errors"] == 0


def test_baseline_survives_an_inserted_entry_and_reports_only_new_findings(repo, capsys):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    # an entry inserted above shifts every line and list index of the recorded findings
    (repo / KEY_FILE).write_text(doc(ENTRY_NEW, ENTRY_API, ENTRY_WEB))
    status, found, _data, _err = cli(capsys, "--baseline", "baseline.json", KEY_FILE)
    assert status == 0 and found == []
    # a new problem of an already-baselined kind, elsewhere, is reported
    (repo / KEY_FILE).write_text(doc(ENTRY_NEW.replace("next: {}", "next: {stage: canary}"),
                                     ENTRY_API, ENTRY_WEB))
    status, found, _data, _err = cli(capsys, "--baseline", "baseline.json", KEY_FILE)
    assert status == 1 and found == [("MW105", 5, 21)]


def test_changed_value_is_a_new_finding_and_the_old_entry_is_stale(repo, capsys):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    (repo / KEY_FILE).write_text(doc(ENTRY_API, ENTRY_WEB.replace("stage: canary",
                                                                  "stage: prod")))
    status, found, data, _err = cli(capsys, "--baseline", "baseline.json", KEY_FILE)
    assert status == 1
    assert found == [("MW005", 1, 1), ("MW105", 10, 23)]
    stale = data["findings"][0]
    assert stale["severity"] == "info" and stale["name"] == "stale-baseline-entry"
    assert "MW105 at namespace 'mw-web', release 'canary', field 'stage'" in stale["message"]
    assert "baseline.json" in stale["help"] and "--write-baseline" in stale["help"]


def test_fixed_problem_leaves_a_stale_entry_reported_as_info(repo, capsys):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    (repo / KEY_FILE).write_text(doc(ENTRY_API, ENTRY_WEB.replace("    owner: x\n", "")))
    status, found, data, _err = cli(capsys, "--baseline", "baseline.json", KEY_FILE)
    assert status == 0 and found == [("MW005", 1, 1)]  # info: below the threshold
    assert data["findings"][0]["path"] == KEY_FILE
    status, found, _data, _err = cli(capsys, "--baseline", "baseline.json", "--fail-on",
                                     "info", KEY_FILE)
    assert status == 1
    status, found, _data, _err = cli(capsys, "--baseline", "baseline.json", "--ignore",
                                     "MW005", KEY_FILE)
    assert found == []


def test_entries_of_files_not_linted_in_this_run_are_not_stale(repo, capsys):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    other = repo / "hieradata" / "other.yaml"
    other.write_text(doc(ENTRY_API))
    status, found, _data, _err = cli(capsys, "--baseline", "baseline.json", str(other))
    assert status == 0 and found == []


def test_paths_are_relative_to_the_baseline_file(repo, capsys, monkeypatch):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    stored = json.loads((repo / "baseline.json").read_text())
    assert {e["path"] for e in stored["findings"]} == {KEY_FILE.replace(os.sep, "/")}
    monkeypatch.chdir(repo / "hieradata")
    status, found, _data, _err = cli(capsys, "--baseline", "../baseline.json",
                                     os.path.relpath(repo / KEY_FILE, repo / "hieradata"))
    assert status == 0 and found == []
    status, found, _data, _err = cli(capsys, "--baseline", str(repo / "baseline.json"),
                                     str(repo / KEY_FILE))
    assert status == 0 and found == []


def test_counts_hide_as_many_identical_findings_as_recorded(repo, capsys):
    # two entries with the same namespace and the same unknown key: the same identity
    dup = ENTRY_API.replace("    mw_flavour", "    owner: y\n    mw_flavour")
    (repo / KEY_FILE).write_text(doc(dup))
    main(["--select", "MW103", "--write-baseline", "baseline.json", KEY_FILE])
    capsys.readouterr()
    (repo / KEY_FILE).write_text(doc(dup, dup.replace("main", "next")))
    status, found, _data, _err = cli(capsys, "--select", "MW103", "--baseline",
                                     "baseline.json", KEY_FILE)
    assert found == [("MW103", 11, 5)]
    stored = json.loads((repo / "baseline.json").read_text())
    assert [e["count"] for e in stored["findings"]] == [1]


def test_baseline_file_is_deterministic(repo, capsys):
    main(["--write-baseline", "a.json", KEY_FILE])
    main(["--write-baseline", "b.json", KEY_FILE])
    capsys.readouterr()
    a = (repo / "a.json").read_text()
    assert a == (repo / "b.json").read_text()
    doc_ = json.loads(a)
    assert doc_["mwlint-baseline"] == 1
    assert set(doc_["findings"][0]) == {"path", "code", "namespace", "release", "field",
                                        "value", "count", "message"}


def test_write_baseline_records_everything_even_with_a_baseline(repo, capsys):
    main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE])
    status = main(["--select", "MW1", "--baseline", "baseline.json", "--write-baseline",
                   "again.json", KEY_FILE])
    capsys.readouterr()
    assert status == 0
    assert len(json.loads((repo / "again.json").read_text())["findings"]) == 2


@pytest.mark.parametrize("content, words", [
    (None, "no such file"),
    ("{not json", "not JSON"),
    ('{"findings": []}', "not an mwlint baseline"),
    ('{"mwlint-baseline": 1, "findings": [{"path": "x"}]}', "findings[0]"),
    ('{"mwlint-baseline": 1, "findings": [{"path": "x", "code": "MW1", "namespace": null, '
     '"release": null, "field": null, "value": "", "count": 0}]}', "positive count"),
    # json recurses once per level: RecursionError before the depth check
    ("[" * 100_000 + "]" * 100_000, "nested deeper than 20 levels"),
    ('{"mwlint-baseline": 1, "findings": [' + '{"a": ' * 30 + "1" + "}" * 30 + "]}",
     "nested deeper than 20 levels"),
])
def test_bad_baseline_file_is_exit_2_before_linting(repo, capsys, content, words):
    if content is not None:
        (repo / "baseline.json").write_text(content)
    status = main(["--baseline", "baseline.json", KEY_FILE])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mwlint: error: --baseline: ")
    assert words in lines[0] and "Traceback" not in err


# -- the library level -------------------------------------------------------------------------

def test_keys_ignore_lines_and_indexes():
    a = lint(doc(ENTRY_API, ENTRY_WEB), select=("MW1",))
    b = lint(doc(ENTRY_NEW, ENTRY_API, ENTRY_WEB), select=("MW1",))
    assert [f.line for f in a] != [f.line for f in b]
    assert [f.yaml_path for f in a] != [f.yaml_path for f in b]
    assert [finding_key(f, "/") for f in a] == [finding_key(f, "/") for f in b]


def test_findings_without_context_fall_back_to_path_and_message_without_digits():
    a = lint(doc(ENTRY_API) + "x: [\n")
    b = lint("# a comment\n\n" + doc(ENTRY_API) + "x: [\n")
    assert [f.code for f in a] == ["MW001"] and a[0].line != b[0].line
    assert finding_key(a[0], "/") == finding_key(b[0], "/")


def test_apply_baseline_without_settings():
    from mwlint.findings import FileResult

    findings = lint(doc(ENTRY_WEB), select=("MW1",))
    document = baseline_document(findings, os.path.join(os.getcwd(), "b.json"))
    counts = {}
    for e in document["findings"]:
        counts[(e["path"], e["code"], e["namespace"], e["release"], e["field"],
                e["value"])] = e["count"]
    bl = Baseline("b.json", os.getcwd(), counts, {})
    path = findings[0].path
    out = apply_baseline([FileResult(path, True, tuple(findings))], bl)
    assert out[0].findings == ()


def test_load_baseline_round_trip(tmp_path):
    findings = lint(doc(ENTRY_WEB), select=("MW1",))
    path = tmp_path / "b.json"
    path.write_text(json.dumps(baseline_document(findings, str(path))))
    bl = load_baseline(str(path))
    assert sum(bl.counts.values()) == 2 and bl.base_dir == str(tmp_path)


def test_brackets_inside_strings_are_not_nesting(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"mwlint-baseline": 1, "findings": [
        {"path": "[" * 50, "code": "MW1", "namespace": "{" * 50, "release": None,
         "field": None, "value": "", "count": 1, "message": "\\\"[[[["}]}))
    assert sum(load_baseline(str(path)).counts.values()) == 1


def test_file_name_that_is_not_utf8_round_trips(tmp_path):
    """A name with bytes that are not UTF-8 used to make --write-baseline fail (it could not
    be encoded); it is stored with \\xNN and matches the same file on the next run."""
    from mwlint.findings import FileResult
    from mwlint.suppress.baseline import write_baseline

    name = str(tmp_path / os.fsdecode(b"k\xff.yaml"))
    findings = [f._replace(path=name) for f in lint(doc(ENTRY_WEB), select=("MW1",))]
    path = tmp_path / "b.json"
    assert write_baseline(str(path), findings) == 2
    assert '"path": "k\\\\xff.yaml"' in path.read_bytes().decode("utf-8")
    bl = load_baseline(str(path))
    assert apply_baseline([FileResult(name, True, tuple(findings))], bl)[0].findings == ()


def test_write_baseline_to_a_missing_directory_is_exit_2_before_linting(repo, capsys):
    status = main(["--write-baseline", "no/such/dir/b.json", KEY_FILE])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("mwlint: error: --write-baseline: cannot write to ")
    assert len(err.splitlines()) == 1


# -- keys do not depend on the message (issue 12 rewrote every message) -----------------------

FILE_LEVEL = [
    ("profile::x: [\n", "MW001"),  # a syntax error
    (RELEASES_KEY + ":\n  - namespace: a\n    namespace: b\n", "MW002"),
    (RELEASES_KEY + ": {a: 1}\n", "MW101"),
    (RELEASES_KEY + ":\n  - 1\n", "MW101"),
    (RELEASES_KEY + ": []\n" + RELEASES_KEY.replace("mw_releases", "mw_deployments")
     + ": {deployment_targets: [], supervision_rules: []}\n", "MW107"),
    (RELEASES_KEY.replace("mw_releases", "mw_deployments") + ": {deployment_targets: []}\n",
     "MW102"),
]


@pytest.mark.parametrize("text,code", FILE_LEVEL, ids=[c for _t, c in FILE_LEVEL])
def test_findings_without_a_release_still_have_a_message_free_identity(text, code):
    found = [f for f in lint(text) if f.code == code]
    assert found, [f.code for f in lint(text)]
    for f in found:
        assert f.context, f
        assert finding_key(f, ".") == finding_key(f._replace(message="reworded"), ".")


def test_every_finding_on_the_fixtures_has_a_message_free_identity():
    from test_message_shape import FINDINGS

    for f in FINDINGS:
        assert f.context, (f.code, f.message)
        assert finding_key(f, ".") == finding_key(f._replace(message="reworded 42"), ".")


def test_unreadable_file_identity_is_not_its_message(tmp_path):
    from mwlint.engine import lint_paths
    from mwlint.settings import Settings

    bad = tmp_path / "k.yaml"
    bad.write_bytes(b"profile::kubernetes::deployment_server::mediawiki::release::mw_releases:"
                    b" [\xff]\n")
    (f,) = lint_paths([str(bad)], Settings()).findings
    assert f.code == "MW003" and f.context == (None, None, "unreadable-file", None)


# -- writing and reading the file itself -------------------------------------------------------

def test_new_baseline_is_readable_by_others_and_a_rewrite_keeps_the_mode(repo, capsys):
    old_umask = os.umask(0o022)
    try:
        assert main(["--write-baseline", "baseline.json", KEY_FILE]) == 0
        assert os.stat("baseline.json").st_mode & 0o777 == 0o644  # not mkstemp's 0600
        os.chmod("baseline.json", 0o640)
        assert main(["--write-baseline", "baseline.json", KEY_FILE]) == 0
        assert os.stat("baseline.json").st_mode & 0o777 == 0o640
    finally:
        os.umask(old_umask)
    capsys.readouterr()


def test_write_baseline_through_a_symlink_keeps_the_link(repo, capsys):
    os.mkdir("ci")
    os.symlink(os.path.join("ci", "baseline.json"), "baseline.json")
    assert main(["--select", "MW1", "--write-baseline", "baseline.json", KEY_FILE]) == 0
    capsys.readouterr()
    assert os.path.islink("baseline.json")
    assert len(json.loads((repo / "ci" / "baseline.json").read_text())["findings"]) == 2
    assert os.listdir("ci") == ["baseline.json"]


def test_write_baseline_over_the_linted_file_is_refused(repo, capsys):
    before = (repo / KEY_FILE).read_text()
    status = main(["--write-baseline", os.path.join(".", KEY_FILE), KEY_FILE])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err == f"mwlint: error: --write-baseline ./{KEY_FILE}: refusing to overwrite the " \
                  f"linted file {KEY_FILE}, which this run reads\n"
    assert (repo / KEY_FILE).read_text() == before


def test_baseline_over_max_file_size_is_refused_unread(repo, capsys, monkeypatch):
    with open("baseline.json", "wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse
    import mwlint.source.bounded as bounded

    with monkeypatch.context() as m:
        m.setattr(bounded.os, "open", None)  # it must not even be opened
        status = main(["--baseline", "baseline.json", KEY_FILE])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err == "mwlint: error: --baseline: baseline.json: 20971520 bytes, over the " \
                  "max-file-size limit of 10485760 bytes (raise --max-file-size if this is " \
                  "intended)\n"
    # the limit is the run's --max-file-size
    status = main(["--baseline", "baseline.json", "--max-file-size", "30M", KEY_FILE])
    assert status == 2 and "not JSON" in capsys.readouterr().err


def _hang(_signum, _frame):
    raise AssertionError("blocked on the FIFO")


def test_baseline_that_is_a_fifo_is_refused_without_blocking(repo, capsys):
    import signal

    os.mkfifo("baseline.json")
    old = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(5)
    try:
        status = main(["--baseline", "baseline.json", KEY_FILE])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err == "mwlint: error: --baseline: cannot read baseline.json: not a regular file " \
                  "(a FIFO, device or socket)\n"
