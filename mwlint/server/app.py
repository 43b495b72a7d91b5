"""The language server (pygls): diagnostics on open, change (throttled) and save, quick fixes
and fix-all, hover with the rule's documentation. Imported only by ``mwlint server``."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from mwlint import __version__
from mwlint.findings import Finding
from mwlint.safe_text import neutralise
from mwlint.server import convert
from mwlint.server.lint import fix_buffer, lint_buffer
from mwlint.server.positions import UTF8, UTF16, UTF32, TextIndex
from mwlint.server.workspace import SettingsError, Workspace
from mwlint.settings import Settings
from mwlint.source.reader import is_rendered_any
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import IO, Any, Dict, List, Optional, Sequence, Tuple

log = logging.getLogger("mwlint.server")

# a change lints at once when the document was not linted in the last THROTTLE seconds;
# changes within that time are coalesced into one run on the latest text
THROTTLE = 0.05
# a message body larger than this is read and dropped, never held in memory
MAX_MESSAGE = 64 * 1024 * 1024
_ENCODINGS = {"utf-8": UTF8, "utf-16": UTF16, "utf-32": UTF32}


class _Dropped:
    """What the reader hands on for a message it refused: not JSON-RPC, ignored."""

    jsonrpc = "dropped"


class Protocol(LanguageServerProtocol):
    """pygls' protocol, answering a request whose params do not fit its method with an
    error response (pygls would log it and leave the client waiting), and ignoring what is
    not a JSON-RPC message at all."""

    def structure_message(self, data: Dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as e:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], None, e.to_response_error())
            log.warning("invalid %s message: ignored", data.get("method", "JSON-RPC"))
            return _Dropped()

    def handle_message(self, message: Any) -> None:
        if not hasattr(message, "jsonrpc"):
            log.warning("not a JSON-RPC message: ignored")
            return
        super().handle_message(message)


class BoundedStdin:
    """stdin for pygls' reader: a header line of at most 64 KiB, and a body over
    :data:`MAX_MESSAGE` consumed in pieces and replaced by a message that is ignored."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def readline(self) -> bytes:
        return self.stream.readline(65536)

    def read(self, n: int) -> bytes:
        if n <= MAX_MESSAGE:
            return self.stream.read(n)
        left = n
        while left > 0:
            chunk = self.stream.read(min(left, 1 << 20))
            if not chunk:
                return b""
            left -= len(chunk)
        log.warning("a message of %d bytes is over the %d-byte limit: ignored", n, MAX_MESSAGE)
        return b'"dropped"'


class Snapshot(NamedTuple):
    version: Optional[int]
    text: str
    buffers: Dict[str, str]  # path -> text of every open file buffer


class _Doc:
    """What the server keeps per open YAML document."""

    def __init__(self) -> None:
        self.timer: Optional[asyncio.TimerHandle] = None
        self.last_start = 0.0
        self.published = False  # the client shows diagnostics of ours for it
        # (version, findings) of the last run, and the text they are about
        self.findings: Optional[Tuple[Optional[int], str, List[Finding]]] = None
        # (version, the fix-all edits or None): --fix re-parses to prove its edits, so it
        # runs once per version, not at every cursor move that asks for code actions
        self.fix_all: Optional[Tuple[Optional[int], Optional[List[Tuple[int, int, str]]]]] = None


class MwlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("mwlint", __version__, protocol_cls=Protocol)
        self.ws = Workspace()
        self.docs: Dict[str, _Doc] = {}
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mwlint-lint")
        self.shutdown_requested = False
        self._said: Dict[str, None] = {}

    # -- what a document is ------------------------------------------------------------
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        return _ENCODINGS.get(str(getattr(enc, "value", enc) or "utf-16"), UTF16)

    def path_of(self, uri: str) -> Tuple[str, Optional[str]]:
        """(the path the engine reads the buffer as, the file on disk or None)."""
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if fs:
            return self.ws.display(fs), fs
        return uri.rsplit("/", 1)[-1] or "untitled.yaml", None

    def settings_for(self, fs_path: Optional[str]) -> Settings:
        return self.ws.settings_for(fs_path) if fs_path else Settings()

    def buffers(self) -> Dict[str, str]:
        out: Dict[str, str] = {}
        for uri in list(self.docs):
            fs = to_fs_path(uri) if uri.startswith("file:") else None
            if fs:
                try:
                    out[fs] = self.workspace.get_text_document(uri).source
                except Exception:  # closed meanwhile
                    pass
        return out

    # -- linting -----------------------------------------------------------------------
    def snapshot(self, uri: str) -> Optional[Snapshot]:
        """(version, text, the other open buffers) of an open document, taken in the event
        loop, where pygls applies changes: a run in the lint thread never sees a text
        half-way through a change, or a version that does not match its text."""
        if uri not in self.docs:
            return None
        try:
            doc = self.workspace.get_text_document(uri)
        except Exception:
            return None
        return Snapshot(doc.version, doc.source, self.buffers())

    def lint_now(self, uri: str, snap: Snapshot
                 ) -> Tuple[Optional[int], str, Optional[List[Finding]]]:
        """Lint a snapshot of the document (in the calling thread): (version, text,
        findings), the findings None when the engine skips the text."""
        version, text, buffers = snap
        path, fs = self.path_of(uri)
        try:
            settings = self.settings_for(fs)
        except SettingsError as e:
            self.say(f"mwlint: {e}", types.MessageType.Error)
            return (version, text, None)
        # a file outside the workspace is no file of a run over it: no groups from there
        groups = self.ws.groups_finder(fs, lambda: buffers) \
            if fs and self.ws.contains(fs) else None
        return (version, text, lint_buffer(text, path, settings, groups))

    def schedule(self, uri: str, at_once: bool) -> None:
        state = self.docs.get(uri)
        if state is None:
            return
        loop = asyncio.get_running_loop()
        if state.timer is not None:
            state.timer.cancel()
        wait = 0.0 if at_once else max(0.0, state.last_start + THROTTLE - time.monotonic())
        state.timer = loop.call_later(wait, lambda: asyncio.ensure_future(self.run(uri)))

    async def run(self, uri: str) -> None:
        state = self.docs.get(uri)
        if state is None:
            return
        state.timer = None
        state.last_start = time.monotonic()
        snap = self.snapshot(uri)
        if snap is None:
            return
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self.pool, self.lint_now, uri, snap)
        except Exception as e:  # never down: say it, publish nothing
            log.error("lint failed: %s: %s", type(e).__name__, e)
            self.say(f"mwlint: internal error: {type(e).__name__}: {e}",
                     types.MessageType.Error)
            return
        if self.docs.get(uri) is not state:
            return  # closed meanwhile
        try:
            current = self.workspace.get_text_document(uri).version
        except Exception:
            return
        if current != result[0]:
            return  # changed meanwhile: the run on the new text is scheduled
        findings = result[2]
        state.findings = (result[0], result[1], findings or [])
        if findings is None and not state.published:
            return  # not a deployments file: nothing to say, nothing shown to clear
        index = TextIndex(result[1], self.encoding())
        diagnostics = [convert.diagnostic(index, f) for f in findings or []]
        state.published = findings is not None
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=result[0]))

    def current(self, uri: str, snap: Snapshot
                ) -> Tuple[Optional[int], str, List[Finding]]:
        """The findings of the snapshot: the last run's when it was of that version, else
        a run now."""
        state = self.docs.get(uri)
        if state is not None and state.findings is not None \
                and state.findings[0] == snap.version:
            return state.findings
        version, text, findings = self.lint_now(uri, snap)
        return version, text, findings or []

    def say(self, message: str, kind: types.MessageType) -> None:
        """A line in the client's log (each message once: a bad config would repeat it at
        every keystroke)."""
        if message in self._said:
            return
        if len(self._said) > 100:
            self._said.clear()
        self._said[message] = None
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def fix_all_edits(self, uri: str, version: Optional[int], text: str
                      ) -> Optional[List[Tuple[int, int, str]]]:
        """The edits of ``mwlint --fix`` for the document at ``version`` (cached)."""
        state = self.docs.get(uri)
        if state is not None and state.fix_all is not None and state.fix_all[0] == version:
            return state.fix_all[1]
        path, fs = self.path_of(uri)
        try:
            cuts = fix_buffer(text, path, self.settings_for(fs))
        except SettingsError:
            cuts = None
        if state is not None:
            state.fix_all = (version, cuts)
        return cuts

    def code_actions(self, params: types.CodeActionParams, snap: Snapshot
                     ) -> List[types.CodeAction]:
        uri = params.text_document.uri
        version, text, findings = self.current(uri, snap)
        index = TextIndex(text, self.encoding())
        only: Optional[Sequence[str]] = params.context.only
        out: List[types.CodeAction] = []
        if convert.wants(only, types.CodeActionKind.QuickFix.value):
            out.extend(convert.quick_fixes(uri, index, findings, params.range))
        if any(f.fixable for f in findings) and convert.wants(only, convert.FIX_ALL_KIND):
            cuts = self.fix_all_edits(uri, version, text)
            if cuts:
                out.append(convert.fix_all(uri, index, cuts))
        return out

    def hover(self, params: types.HoverParams, snap: Snapshot) -> Optional[types.Hover]:
        now = self.current(params.text_document.uri, snap)
        if not now[2]:
            return None
        index = TextIndex(now[1], self.encoding())
        at = types.Range(params.position, params.position)
        hits = [(f, convert.lsp_range(index, f)) for f in now[2]]
        hits = [(f, r) for f, r in hits if convert.overlaps(r, at)]
        text = convert.hover_text([f.code for f, _ in hits])
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.PlainText,
                                                        value=text), range=hits[0][1])


def concerns(uri: str, language_id: Optional[str]) -> bool:
    """Is the document YAML (the only files mwlint reads)?"""
    name = uri.rsplit("/", 1)[-1].split("?", 1)[0]
    return language_id == "yaml" or name.endswith((".yaml", ".yml")) \
        or is_rendered_any(name)


def build() -> MwlintServer:
    server = MwlintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: MwlintServer, params: types.InitializeParams) -> None:
        roots: List[str] = []
        for folder in params.workspace_folders or []:
            p = to_fs_path(folder.uri)
            if p:
                roots.append(p)
        if not roots:
            root = params.root_uri and to_fs_path(params.root_uri) or params.root_path
            if root:
                roots.append(root)
        ls.ws = Workspace(roots)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: MwlintServer, *_args: Any) -> None:
        ls.shutdown_requested = True

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MwlintServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        if concerns(doc.uri, doc.language_id):
            ls.docs[doc.uri] = _Doc()
            ls.schedule(doc.uri, at_once=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MwlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, at_once=False)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: MwlintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if fs:
            ls.ws.invalidate(fs)
            if os.path.basename(fs) in (".mwlint.toml", "pyproject.toml") \
                    or fs.endswith(".pp"):
                for other in list(ls.docs):  # new settings: every document again
                    ls.schedule(other, at_once=True)
        ls.schedule(uri, at_once=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: MwlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.ws.invalidate(None)
        for other in list(ls.docs):
            ls.schedule(other, at_once=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders(ls: MwlintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        roots = [p for p in (to_fs_path(f.uri) for f in ls.workspace.folders.values()) if p]
        ls.ws = Workspace(roots)
        for other in list(ls.docs):
            ls.schedule(other, at_once=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MwlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = ls.docs.pop(uri, None)
        if state is None:
            return
        if state.timer is not None:
            state.timer.cancel()
        if state.published:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND]))
    async def code_action(ls: MwlintServer, params: types.CodeActionParams
                          ) -> Optional[List[types.CodeAction]]:
        # in the lint thread: after any run in flight, and the loop keeps reading
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(ls.pool, ls.code_actions, params, snap)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: MwlintServer, params: types.HoverParams) -> Optional[types.Hover]:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(ls.pool, ls.hover, params, snap)

    return server


class _OneLine(logging.Formatter):
    """Log records on one line each: no traceback (stderr is the client's log; pygls puts
    some in the message itself), control characters escaped."""

    def format(self, record: logging.LogRecord) -> str:
        record.msg = record.getMessage().split("\n", 1)[0]
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return neutralise(" ".join(super().format(record).split()))


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> int:
    """Serve one client over the two streams; the exit status (0 after shutdown/exit)."""
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("mwlint server: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    server = build()
    try:
        server.start_io(BoundedStdin(stdin), stdout)  # type: ignore[arg-type]
    finally:
        server.pool.shutdown(wait=False, cancel_futures=True)
    return 0 if server.shutdown_requested else 1
