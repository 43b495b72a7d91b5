"""``mwlint server``: the language server, driven by a real client over stdio.

The client (:mod:`mwlint.server.client`) frames JSON-RPC itself and starts ``python -m
mwlint server`` as a subprocess; the diagnostics it receives are compared with what
``mwlint --format json`` and ``mwlint --fix`` give on the same text. One server serves most
tests (start-up is the slow part); the exit-status tests start their own.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from mwlint import __version__
from mwlint.cli import main as cli_main
from mwlint.rules import by_code
from mwlint.server.client import Client, apply_text_edits, uri_of
from mwlint.server.positions import UTF8, UTF16, UTF32, TextIndex

pytest.importorskip("pygls")

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
CF184EDE = REAL / "puppet-2024-10-17-cf184ede-kubernetes.yaml"
SERVICES = ROOT / "tests" / "fixtures" / "deploy-service" / "kubernetes-deploy-service.yaml"
SERVER = [sys.executable, "-m", "mwlint", "server"]
KEY = "profile::kubernetes::deployment_server::mediawiki::release::mw_releases"
SEVERITY = {"error": 1, "warning": 2, "info": 3}

# one entry in flow style: a non-BMP character before findings on the same line
EMOJI = (f"{KEY}:\n"
         '  - {namespace: "mw-\U0001F600-debug", releases: {main: {}}, mw_flavour: "publish", '
         'web_flavour: "webserver", debug: true}\n')
PLAIN = (f"{KEY}:\n"
         "  - namespace: mw-debug\n"
         "    releases:\n"
         "      main: {}\n"
         "    mw_flavour: publish\n"
         "    web_flavour: webserver\n"
         "    debug: true\n")


# -- helpers -------------------------------------------------------------------------------

def cli_json(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> List[Dict[str, Any]]:
    capsys.readouterr()
    cli_main(["--format", "json", "--no-show-source", *args, str(path)])
    findings: List[Dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return [f for f in findings if os.path.abspath(f["path"]) == os.path.abspath(path)]


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def expected(text: str, findings: List[Dict[str, Any]]) -> List[Tuple[Any, ...]]:
    """The diagnostics the CLI's findings should become, computed independently of the
    server's conversion: only '\\n' line breaks in these texts, UTF-16 columns."""
    lines = text.split("\n")
    out = []
    for f in findings:
        start = (f["line"] - 1, utf16(lines[f["line"] - 1][: f["column"] - 1]))
        end = (f["end_line"] - 1, utf16(lines[f["end_line"] - 1][: f["end_column"] - 1]))
        message = f["message"] + (f"\nhelp: {f['help']}" if f["help"] else "")
        out.append((f["code"], start, end, SEVERITY[f["severity"]], message))
    return sorted(out)


def got(diagnostics: List[Dict[str, Any]]) -> List[Tuple[Any, ...]]:
    out = []
    for d in diagnostics:
        r = d["range"]
        assert d["source"] == "mwlint"
        assert d["codeDescription"]["href"].endswith(
            "#" + f"{d['code']} {by_code()[d['code']].name}".lower().replace(" ", "-"))
        out.append((d["code"], (r["start"]["line"], r["start"]["character"]),
                    (r["end"]["line"], r["end"]["character"]), d["severity"], d["message"]))
    return sorted(out)


def actions(c: Client, uri: str, rng: Dict[str, Any], only: Any = None,
            diagnostics: Any = ()) -> List[Dict[str, Any]]:
    context: Dict[str, Any] = {"diagnostics": list(diagnostics)}
    if only is not None:
        context["only"] = only
    res = c.request("textDocument/codeAction",
                    {"textDocument": {"uri": uri}, "range": rng, "context": context})
    assert "error" not in res, res
    return list(res["result"] or [])


def whole(text: str) -> Dict[str, Any]:
    return {"start": {"line": 0, "character": 0},
            "end": {"line": text.count("\n"), "character": 0}}


def alive(c: Client) -> None:
    """The server still answers a request."""
    res = c.request("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.yaml"},
                                           "position": {"line": 0, "character": 0}})
    assert res.get("result") is None and "error" not in res


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose cluster groups and service catalog sit in different files."""
    ws = tmp_path_factory.mktemp("ws")
    lines = SERVICES.read_text().splitlines(keepends=True)
    (ws / "hieradata" / "common").mkdir(parents=True)
    (ws / "hieradata" / "role").mkdir(parents=True)
    (ws / "hieradata" / "common" / "groups.yaml").write_text("".join(lines[7:35]))
    # a catalog naming an environment its cluster group does not have
    catalog = "".join(lines[36:]).replace("            codfw:\n              releases:\n"
                                          "                canary:",
                                          "            codfx:\n              releases:\n"
                                          "                canary:", 1)
    assert "codfx" in catalog
    (ws / "hieradata" / "role" / "catalog.yaml").write_text(catalog)
    # the walk for the cluster groups meets a FIFO first: it must not wait for a writer
    os.mkfifo(ws / "hieradata" / "a-fifo.yaml")
    return ws


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[Client]:
    with Client(SERVER) as c:
        c.initialized = c.initialize(str(workspace))  # type: ignore[attr-defined]
        yield c


# -- positions (no server) -------------------------------------------------------------------

@pytest.mark.parametrize("text, mw, encoding, lsp", [
    ("a: b\n", (1, 4), UTF16, (0, 3)),
    ("a: '\U0001F600x'\n", (1, 6), UTF16, (0, 6)),  # after the emoji: 2 UTF-16 units
    ("a: '\U0001F600x'\n", (1, 6), UTF32, (0, 5)),
    ("a: '\U0001F600x'\n", (1, 6), UTF8, (0, 8)),  # 4 UTF-8 bytes
    ("a: 'é'\nb: c\n", (2, 4), UTF16, (1, 3)),
    ("a: b\r\nc: d\r\n", (2, 1), UTF16, (1, 0)),  # CRLF: one break for both
    ("a: b\rc: d\r", (2, 4), UTF16, (1, 3)),  # a lone CR breaks a line for both
    # U+2028 breaks a YAML line, not an LSP one: mwlint's line 2 is on LSP line 0
    ("a: 'x\u2028y'\nb: c\n", (2, 2), UTF16, (0, 7)),
    ("a: 'x\x85y'\nb: c\n", (3, 1), UTF16, (1, 0)),
    ("\ufeffa: b\n", (1, 1), UTF16, (0, 1)),  # after a BOM the engine no longer sees
    ("a: b\n", (9, 9), UTF16, (1, 0)),  # past the end: clamped
])
def test_text_index_maps_mwlint_positions_to_lsp(text: str, mw: Tuple[int, int],
                                                 encoding: str, lsp: Tuple[int, int]) -> None:
    index = TextIndex(text, encoding)
    assert index.position(index.offset_of(*mw)) == lsp


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_text_index_offsets_round_trip(encoding: str) -> None:
    text = "k: '\U0001F600é\u2028x'\r\nz: \U00010348\rq\n"
    index = TextIndex(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1: offset + 1] == "\r\n":
            continue  # between CR and LF: not a position an editor can name
        assert index.offset(*index.position(offset)) == offset


def test_positions_on_one_long_line_cost_linear_time() -> None:
    """A flow-style config on one line with a finding every few characters: N vs 4N."""
    def run(n: int) -> float:
        text = "k: [" + "\U0001F600x, " * n + "]\n"
        index = TextIndex(text)
        start = time.perf_counter()
        for offset in range(4, len(text) - 2, 4):
            index.position(offset)
            index.position(offset + 2)  # a finding's end, then the next one's start
        return time.perf_counter() - start

    run(2000)  # warm up
    small, large = min(run(5000) for _ in range(3)), min(run(20000) for _ in range(3))
    assert large < 5.0
    assert large / small < 8, (small, large)  # linear: ~4; counting each from the start: ~16


def test_without_pygls_server_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)
    for name in [m for m in sys.modules if m.startswith(("pygls.", "mwlint.server.app"))]:
        monkeypatch.delitem(sys.modules, name)
    assert cli_main(["server"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'mwlint[lsp]'" in err


def test_server_refuses_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["server", "--port\x1b[2J"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err


def test_version_and_check_never_import_pygls() -> None:
    code = ("import sys; from mwlint.cli import main; main(['--version']); "
            f"main(['--format', 'json', {str(CF184EDE)!r}]); "
            "print([m for m in sys.modules if m.split('.')[0] in "
            "('pygls', 'lsprotocol', 'cattrs') or m.startswith('mwlint.server')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60).stdout
    assert out.rstrip().endswith("[]")


def test_bounded_stdin_drops_an_oversized_body(monkeypatch: pytest.MonkeyPatch) -> None:
    from mwlint.server import app

    monkeypatch.setattr(app, "MAX_MESSAGE", 10)
    data = b"x" * 25 + b"Content-Length: 2\r\n"
    stdin = app.BoundedStdin(io.BytesIO(data))
    assert stdin.read(25) == b'"dropped"'  # read and dropped, never held whole
    assert stdin.readline() == b"Content-Length: 2\r\n"  # the stream stays in step


def test_an_unsafe_fix_is_offered_but_never_in_fix_all() -> None:
    """MW105's did-you-mean (``canary`` -> ``canaries``) is an unsafe fix: offered as a quick
    fix, never preferred, and left out of fix-all as ``--fix`` leaves it."""
    from mwlint.server import convert
    from mwlint.server.lint import fix_buffer, lint_buffer
    from mwlint.settings import Settings

    text = PLAIN_UNSAFE
    assert fix_buffer(text, "k.yaml", Settings()) is None  # unsafe: --fix leaves it
    findings = lint_buffer(text, "k.yaml", Settings()) or []
    index = TextIndex(text)
    mw105 = [f for f in findings if f.code == "MW105"][0]
    assert mw105.fix is not None and mw105.fix.applicability == "unsafe"
    offered = convert.quick_fixes("file:///k.yaml", index, [mw105],
                                  convert.lsp_range(index, mw105))
    assert [(a.is_preferred, a.title.endswith("(unsafe)")) for a in offered] == [(False, True)]


PLAIN_UNSAFE = """\
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  deployment_targets:
    - namespace: mw-web
      mw_flavour: publish-83
      web_flavour: webserver
      releases:
        main: {stage: canary}
  supervision_rules:
    - {scope: train, stage: canaries, checks: [{manual: look}]}
"""


# -- the server --------------------------------------------------------------------------------

def test_initialize_announces_the_features(server: Client) -> None:
    result = server.initialized  # type: ignore[attr-defined]
    caps = result["result"]["capabilities"]
    assert caps["positionEncoding"] == "utf-16"
    assert caps["hoverProvider"] is True
    assert set(caps["codeActionProvider"]["codeActionKinds"]) == {
        "quickfix", "source.fixAll.mwlint"}
    assert caps["textDocumentSync"]["openClose"] is True
    assert caps["textDocumentSync"]["save"] == {"includeText": False}
    assert result["result"]["serverInfo"] == {"name": "mwlint", "version": __version__}


@pytest.mark.parametrize("path", sorted(REAL.glob("*.yaml")), ids=lambda p: p.name[:30])
def test_diagnostics_equal_cli_findings(server: Client, path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = path.read_text()
    uri = uri_of(str(path))
    server.open(uri, text)
    try:
        diagnostics = server.diagnostics(uri)
        assert got(diagnostics) == expected(text, cli_json(path, capsys))
    finally:
        server.close(uri)
    assert server.diagnostics(uri) == []  # cleared on close


def test_non_bmp_characters_count_as_the_client_asks(server: Client, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(EMOJI, encoding="utf-8")
    want = expected(EMOJI, cli_json(path, capsys))
    assert [w[1] for w in want if w[0] == "MW203"] == [(1, 42)]  # 41 code points + 1
    server.open(uri_of(str(path)), EMOJI)  # UTF-16, the default
    assert got(server.diagnostics(uri_of(str(path)))) == want
    server.close(uri_of(str(path)))
    server.diagnostics(uri_of(str(path)))
    with Client(SERVER) as c32:
        assert c32.initialize(encodings=["utf-32", "utf-16"])["result"]["capabilities"][
            "positionEncoding"] == "utf-32"
        c32.open(uri_of(str(path)), EMOJI)
        starts = {d["code"]: d["range"]["start"]["character"]
                  for d in c32.diagnostics(uri_of(str(path)))}
        assert starts["MW203"] == 41


def test_fix_all_gives_what_fix_writes_and_clears_the_fixed(server: Client, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    text = CF184EDE.read_text()
    path = tmp_path / CF184EDE.name
    path.write_text(text)
    uri = uri_of(str(path))
    server.open(uri, text)
    before = server.diagnostics(uri)
    assert {"MW201", "MW202", "MW203"} <= {d["code"] for d in before}
    top = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    assert actions(server, uri, top, only=["quickfix"]) == []  # no finding there
    assert len(actions(server, uri, whole(text), only=["quickfix"])) == len(
        [d for d in before if d["data"]["fixable"]])
    fix_all = actions(server, uri, whole(text), only=["source.fixAll"])
    assert [a["kind"] for a in fix_all] == ["source.fixAll.mwlint"]
    fixed = apply_text_edits(text, fix_all[0]["edit"]["changes"][uri])
    assert path.read_text() == text  # the server never writes
    cli_main(["--fix", str(path)])
    assert fixed == path.read_text() != text  # exactly what --fix wrote
    server.change(uri, fixed, 2)
    after = server.diagnostics(uri)
    assert got(after) == expected(fixed, cli_json(path, capsys))
    assert not {"MW201", "MW202", "MW203"} & {d["code"] for d in after}
    assert actions(server, uri, whole(fixed), only=["source.fixAll.mwlint"]) == []
    server.close(uri)
    assert server.diagnostics(uri) == []


def test_quick_fix_of_a_finding_and_of_those_it_repairs(server: Client, tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(PLAIN)
    uri = uri_of(str(path))
    server.open(uri, PLAIN)
    diagnostics = {d["code"]: d for d in server.diagnostics(uri)}
    mw201 = diagnostics["MW201"]
    offered = actions(server, uri, mw201["range"], diagnostics=[mw201])
    assert [a["kind"] for a in offered] == ["quickfix", "source.fixAll.mwlint"]
    fixes = offered[:1]
    assert fixes[0]["isPreferred"] is True
    assert fixes[0]["diagnostics"][0]["code"] == "MW201"
    # MW202 is repaired by the MW201 fix: it offers the same edits
    mw202 = actions(server, uri, diagnostics["MW202"]["range"], only=["quickfix"])
    assert [a["diagnostics"][0]["code"] for a in mw202] == ["MW202"]
    assert mw202[0]["edit"] == fixes[0]["edit"]
    fixed = apply_text_edits(PLAIN, fixes[0]["edit"]["changes"][uri])
    server.change(uri, fixed, 2)
    left = {d["code"] for d in server.diagnostics(uri)}
    assert not left & {"MW201", "MW202", "MW203"}
    server.close(uri)
    assert server.diagnostics(uri) == []


def test_hover_shows_the_rule_documentation(server: Client, tmp_path: Path) -> None:
    uri = uri_of(str(tmp_path / "k.yaml"))
    server.open(uri, PLAIN)
    mw201 = [d for d in server.diagnostics(uri) if d["code"] == "MW201"][0]
    res = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": mw201["range"]["start"]})
    value = res["result"]["contents"]["value"]
    assert value.startswith(by_code()["MW201"].doc())
    assert res["result"]["range"] == mw201["range"]
    nothing = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": 0, "character": 0}})
    assert nothing["result"] is None
    server.close(uri)
    assert server.diagnostics(uri) == []


@pytest.mark.parametrize("name, text", [
    # scap's rendered files hold no key: linted by their name, whatever they hold
    ("mediawiki-deployments.yaml", "".join(line[2:] + "\n" for line in PLAIN.splitlines()[1:])),
    ("cluster-groups.yaml", "wikikube:\n  environments: {}\n  environment_stages: [DEFAULT]\n"),
    ("service-catalog.yaml", "services:\n  x:\n    cluster_group: nowhere\n"),
])
def test_scap_rendered_files_are_linted_by_name(server: Client, tmp_path: Path, name: str,
                                                text: str, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    path = tmp_path / name
    path.write_text(text)
    uri = uri_of(str(path))
    server.open(uri, text, language="plaintext")  # by its name, whatever the editor says
    diagnostics = server.diagnostics(uri)
    cli = cli_json(path, capsys)
    assert cli and got(diagnostics) == expected(text, cli)
    server.close(uri)
    server.diagnostics(uri)


def test_changes_are_coalesced_and_the_last_text_wins(server: Client, tmp_path: Path) -> None:
    uri = uri_of(str(tmp_path / "k.yaml"))
    server.open(uri, PLAIN)
    assert server.diagnostics(uri)
    clean = PLAIN.replace("    debug: true\n", "")
    for version in range(2, 7):  # typing: the last text has no debug key
        server.change(uri, PLAIN if version < 6 else clean, version)
    deadline = time.monotonic() + 10
    while True:  # every publish is of a whole version; the last one is of version 6
        msg = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri, deadline - time.monotonic())
        if msg["params"]["version"] == 6:
            break
        assert {d["code"] for d in msg["params"]["diagnostics"]} >= {"MW201"}
    assert not {"MW201", "MW202", "MW203"} & {d["code"] for d in msg["params"]["diagnostics"]}
    server.close(uri)
    assert server.diagnostics(uri) == []


def test_a_file_without_deployments_keys_gets_nothing(server: Client, tmp_path: Path) -> None:
    other = uri_of(str(tmp_path / "other.yaml"))
    server.open(other, "profile::foo: bar\nlist: [1, 2]\n")
    server.open(uri_of(str(tmp_path / "notes.txt")), PLAIN, language="plaintext")  # not YAML
    k = uri_of(str(tmp_path / "k.yaml"))
    server.open(k, PLAIN)
    # runs are in order: when k.yaml's diagnostics arrive, the others were done
    assert server.diagnostics(k)
    assert not [m for m in server.notifications
                if m.get("method") == "textDocument/publishDiagnostics"]
    for uri in (other, k):
        server.close(uri)
    server.diagnostics(k)


def test_the_buffer_is_linted_with_the_settings_of_its_path(server: Client, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".mwlint.toml").write_text('ignore = ["MW203"]\n')
    sub = tmp_path / "hieradata"
    sub.mkdir()
    path = sub / "k.yaml"
    path.write_text("# not saved yet\n")  # the disk says nothing: the buffer counts
    uri = uri_of(str(path))
    server.open(uri, PLAIN)
    diagnostics = server.diagnostics(uri)
    path.write_text(PLAIN)
    assert got(diagnostics) == expected(PLAIN, cli_json(path, capsys))
    assert "MW203" not in {d["code"] for d in diagnostics} and diagnostics
    server.close(uri)
    assert server.diagnostics(uri) == []


def test_saving_a_config_file_lints_the_open_documents_again(server: Client,
                                                             tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".mwlint.toml"
    config.write_text("ignore = []\n")
    uri = uri_of(str(tmp_path / "k.yaml"))
    server.open(uri, PLAIN)
    assert "MW201" in {d["code"] for d in server.diagnostics(uri)}
    config.write_text('ignore = ["MW201"]\n')
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(str(config))}})
    assert "MW201" not in {d["code"] for d in server.diagnostics(uri)}
    server.close(uri)
    server.diagnostics(uri)


def test_the_repository_puppet_types_apply_to_the_buffer(server: Client, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """A repository whose Puppet type predates mw_kind and the testservers stage (V4)."""
    (tmp_path / ".git").mkdir()
    types = tmp_path / "modules" / "profile" / "types"
    shutil.copytree(ROOT / "tests" / "fixtures" / "puppet-types" / "V4", types)
    path = tmp_path / "hieradata" / "role" / "common" / "deployment_server" / "kubernetes.yaml"
    path.parent.mkdir(parents=True)
    text = PLAIN.replace("      main: {}\n", "      main: {stage: testservers}\n") \
        .replace("    debug: true\n", "    mw_kind: debug-image\n")
    path.write_text(text)
    uri = uri_of(str(path))
    server.open(uri, text)
    diagnostics = server.diagnostics(uri)
    assert got(diagnostics) == expected(text, cli_json(path, capsys))
    assert {"MW103", "MW105"} <= {d["code"] for d in diagnostics}
    server.close(uri)
    server.diagnostics(uri)


def test_catalog_is_checked_against_the_workspace_cluster_groups(
        server: Client, workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workspace / "hieradata" / "role" / "catalog.yaml"
    text = path.read_text()
    uri = uri_of(str(path))
    server.open(uri, text)
    diagnostics = server.diagnostics(uri)
    capsys.readouterr()
    cli_main(["--format", "json", str(workspace)])  # the CLI run over the workspace
    cli = [f for f in json.loads(capsys.readouterr().out)["findings"]
           if f["path"].endswith("catalog.yaml")]
    assert got(diagnostics) == expected(text, cli)
    assert "MW608" not in {d["code"] for d in diagnostics}
    assert any("codfx" in d["message"] for d in diagnostics)
    server.close(uri)
    server.diagnostics(uri)


def test_bad_input_never_takes_the_server_down(server: Client, tmp_path: Path) -> None:
    # not JSON, not an object, not JSON-RPC
    for body in (b"{not json", b"[1, 2]", b'{"id": 1}', b"\xff\xfe\x00"):
        server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        alive(server)
    # an unknown method, a request whose params do not fit: error responses
    assert server.request("mwlint/nothing", {})["error"]["code"] == -32601
    # a method name that would clear the terminal and forge a log line: logged escaped
    assert server.request("x\x1b[2J\nmwlint server: ok", {})["error"]["code"] == -32601
    bad = server.request("textDocument/hover", {"textDocument": {"uri": 3}})
    assert bad["error"]["code"] in (-32602, -32603)
    server.notify("textDocument/didChange", {"bogus": True})  # a notification: nothing
    alive(server)
    cases = {
        # 12 MB: over the max-file-size of a CLI run (MW003), not parsed
        "big.yaml": (PLAIN + "# " + "x" * (12 * 1024 * 1024) + "\n", "MW003"),
        # a billion laughs: over the alias budget (MW001)
        "bomb.yaml": (f"{KEY}:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n"
                      + "".join(f"  - &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
                                for i in range(8)), "MW001"),
        "binary.yaml": (PLAIN + "\x00\x01\x02\x7f\ufffe", "MW003"),  # NUL: binary
        "surrogate.yaml": (PLAIN + "# \udc80\n", "MW003"),  # not encodable: not UTF-8
        "deep.yaml": (f"{KEY}: " + "[" * 100_000 + "]" * 100_000 + "\n", "MW001"),
    }
    for name, (text, code) in cases.items():
        uri = uri_of(str(tmp_path / name))
        start = time.monotonic()
        server.open(uri, text)
        codes = {d["code"] for d in server.diagnostics(uri, timeout=30)}
        assert code in codes, (name, codes)
        assert time.monotonic() - start < 5, name  # bounded like a CLI run
        server.close(uri)
        server.diagnostics(uri)
        alive(server)
    assert not list(tmp_path.iterdir())  # nothing written
    time.sleep(0.2)  # stderr is read by a thread
    assert b"\x1b" not in server.stderr and b"\nmwlint server: ok" not in server.stderr
    assert b"Traceback" not in server.stderr


def test_shutdown_then_exit_is_status_0_and_exit_alone_is_1() -> None:
    # the console script when installed (`mwlint server`), else python -m mwlint server
    exe = shutil.which("mwlint", path=os.path.dirname(sys.executable))
    with Client([exe, "server"] if exe else SERVER) as c:
        assert c.initialize()["result"]["serverInfo"]["name"] == "mwlint"
        assert c.stop() == 0
    with Client(SERVER) as c:
        c.initialize()
        c.notify("exit")
        assert c.proc.wait(10) == 1


def test_diagnostic_links_are_the_urls_sarif_and_gerrit_give() -> None:
    """One rule, one docs URL: the LSP codeDescription.href is SARIF's helpUri and Gerrit's
    robot-comment url (the rule's section of docs/rules.md at the running release)."""
    from mwlint.formats import render
    from mwlint.formats.links import rule_url
    from mwlint.rules import all_rules
    from mwlint.server.convert import docs_url

    sys.path.insert(0, os.path.dirname(__file__))
    from format_cases import sample_report

    driver = json.loads(render("sarif", sample_report()))["runs"][0]["tool"]["driver"]
    help_uri = {r["id"]: r["helpUri"] for r in driver["rules"]}
    assert sorted(help_uri) == sorted(r.code for r in all_rules())
    for code, uri in help_uri.items():
        assert docs_url(code) == uri == rule_url(code, by_code()[code].name), code
    from mwlint.findings import Edit, Fix, Position

    report = sample_report()
    first = report.findings[0]  # give it a fix: Gerrit posts a robot comment with its url
    start = Position(first.line, first.column, 0)
    end = Position(first.end_line, first.end_column, first.end_column - first.column)
    report.findings[0] = first._replace(fix=Fix("replace it", edits=(Edit("x", start, end),)))
    review = json.loads(render("gerrit", report))
    robot = [c for cs in review.get("robot_comments", {}).values() for c in cs]
    assert len(robot) == 1
    for c in robot:
        assert c["url"] == docs_url(c["properties"]["code"])
