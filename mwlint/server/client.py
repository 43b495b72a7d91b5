"""A minimal LSP client over a subprocess's stdio, for the tests, the latency benchmark and
transcripts: it frames JSON-RPC messages, answers nothing, and keeps every message the
server sends. Not used by the server (which runs on pygls).

    with Client([sys.executable, "-m", "mwlint", "server"]) as c:
        c.initialize("/path/to/repo")
        c.open("file:///path/to/repo/k.yaml", text)
        diagnostics = c.diagnostics("file:///path/to/repo/k.yaml")
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time

from mwlint.server.positions import TextIndex
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO, Any, Dict, List, Optional, Sequence


class Client:
    def __init__(self, argv: Sequence[str], env: Optional[Dict[str, str]] = None,
                 cwd: Optional[str] = None, log: Optional[List[Dict[str, Any]]] = None
                 ) -> None:
        self.proc = subprocess.Popen(list(argv), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=cwd)
        self.inbox: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self.next_id = 0
        self.log = log  # every message both ways, as {"dir": ">"|"<", "msg": ...}
        self.stderr = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._err.start()
        self.notifications: List[Dict[str, Any]] = []

    # -- framing ---------------------------------------------------------------------
    def _read(self) -> None:
        out: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = out.read(length or 0)
            msg = json.loads(body)
            if self.log is not None:
                self.log.append({"dir": "<", "msg": msg})
            self.inbox.put(msg)

    def _read_err(self) -> None:
        err: IO[bytes] = self.proc.stderr  # type: ignore[assignment]
        for chunk in iter(lambda: err.read(4096), b""):
            self.stderr += chunk

    def send_raw(self, data: bytes) -> None:
        stdin: IO[bytes] = self.proc.stdin  # type: ignore[assignment]
        stdin.write(data)
        stdin.flush()

    def send(self, msg: Dict[str, Any]) -> None:
        msg = {"jsonrpc": "2.0", **msg}
        if self.log is not None:
            self.log.append({"dir": ">", "msg": msg})
        body = json.dumps(msg).encode("utf-8", "surrogatepass")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    # -- messages --------------------------------------------------------------------
    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = 10.0
                ) -> Dict[str, Any]:
        """The response (``result`` or ``error``) to a request."""
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait(self, match: Any, timeout: float = 10.0) -> Dict[str, Any]:
        """The first message matching ``match(msg)``, earlier notifications kept."""
        for i, m in enumerate(self.notifications):
            if match(m):
                return self.notifications.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message from the server")
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no matching message from the server") from None
            if msg is None:
                raise EOFError("the server closed its stdout")
            if match(msg):
                return msg
            self.notifications.append(msg)

    def diagnostics(self, uri: str, timeout: float = 10.0) -> List[Dict[str, Any]]:
        """The next publishDiagnostics for ``uri``."""
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri, timeout)
        return list(msg["params"]["diagnostics"])

    def initialize(self, root: Optional[str] = None,
                   encodings: Sequence[str] = ("utf-16",)) -> Dict[str, Any]:
        params: Dict[str, Any] = {
            "processId": os.getpid(),
            "rootUri": uri_of(root) if root else None,
            "capabilities": {"general": {"positionEncodings": list(encodings)},
                             "textDocument": {"publishDiagnostics": {}}},
        }
        if root:
            params["workspaceFolders"] = [{"uri": uri_of(root), "name": "root"}]
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1, language: str = "yaml") -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version, "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]})

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def stop(self, timeout: float = 10.0) -> int:
        """shutdown, exit: the server's exit status."""
        self.request("shutdown")
        self.notify("exit")
        return self.proc.wait(timeout)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for s in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                if s is not None:
                    s.close()
            except OSError:
                pass


def uri_of(path: str) -> str:
    from pathlib import Path

    return Path(os.path.abspath(path)).as_uri()


def apply_text_edits(text: str, edits: Sequence[Dict[str, Any]], encoding: str = "utf-16"
                     ) -> str:
    """``text`` with LSP TextEdits applied, as an editor applies them."""
    index = TextIndex(text, encoding)
    spans = []
    for e in edits:
        r = e["range"]
        a = index.offset(r["start"]["line"], r["start"]["character"])
        b = index.offset(r["end"]["line"], r["end"]["character"])
        spans.append((a, b, e["newText"]))
    out = text
    for a, b, new in sorted(spans, reverse=True):
        out = out[:a] + new + out[b:]
    return out
