"""The ``--fix`` / ``--diff`` options of ``mwlint check``: apply the fixes of each file's
findings (:func:`mwlint.fix.fix_text`), write the file (or print the diff), and annotate the
findings that remain with why they were not fixed."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.engine import UsageError, discover
from mwlint.findings import settle_repairs
from mwlint.fix import FixResult, fix_text
from mwlint.fix.write import NotWritten, write_atomic
from mwlint.safe_text import neutralise
from mwlint.selection import fails
from mwlint.source import SourceText, read_bytes


class FileFix(NamedTuple):
    path: str  # as displayed
    result: Optional[FixResult]  # None: the file holds no deployments key or is unreadable
    written: bool = False
    not_written: Optional[str] = None  # why a changed file was not written


def fix_bytes(data: bytes, display: str, settings) -> Optional[FixResult]:
    """Fix undecoded file content; ``None`` when there is nothing mwlint reads in it."""
    outcome = read_bytes(data, display, settings.max_file_size)
    if not isinstance(outcome, SourceText):
        return None
    result = fix_text(outcome.text, display, settings)
    if result.changed and not (data.startswith(codecs.BOM_UTF8) or _plain_utf8(data)):
        # UTF-16/32 with a byte-order mark: the rewrite would change the encoding
        return result._replace(fixed=result.text, fixes=(),
                               error="not fixed: the file is not UTF-8 (re-encode it first)")
    return result


def _plain_utf8(data: bytes) -> bool:
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                codecs.BOM_UTF32_BE):
        if data.startswith(bom):
            return False
    return True


def encode_like(original: bytes, text: str) -> bytes:
    """``text`` in UTF-8, with the original's byte-order mark if it had one."""
    out = text.encode("utf-8", "surrogatepass")
    if original.startswith(codecs.BOM_UTF8):
        out = codecs.BOM_UTF8 + out
    return out


def fix_file(path: str, settings, write: bool = True, display: Optional[str] = None) -> FileFix:
    display = display or path
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > settings.max_file_size:
            return FileFix(display, None)  # the lint reports it (MW003)
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return FileFix(display, None)  # the lint reports it (MW003)
    result = fix_bytes(data, display, settings)
    if result is None or not result.changed or not write:
        return FileFix(display, result)
    try:
        write_atomic(path, data, encode_like(data, result.fixed))
    except NotWritten as e:
        return FileFix(display, result, False, str(e))
    return FileFix(display, result, True)


class FixRun(NamedTuple):
    files: List[FileFix]
    write: bool

    def notes(self) -> Tuple[Dict[Tuple[str, str, str], str], Dict[str, str]]:
        """(path, code, YAML path) → why that finding is not fixed automatically, and
        path → why a file was not written (every finding the fix would have repaired there,
        MW202 and MW203 too, is then not fixed)."""
        notes: Dict[Tuple[str, str, str], str] = {}
        unwritten: Dict[str, str] = {}
        for ff in self.files:
            if ff.result is None:
                continue
            if ff.not_written:
                unwritten[ff.path] = f"the file was not written: {ff.not_written}"
            for (code, ypath), reason in ff.result.notes().items():
                notes[(ff.path, code, ypath)] = reason
            if ff.not_written:
                for fx in ff.result.fixes:
                    for ypath in fx.fixed_paths:
                        notes[(ff.path, "MW201", ypath)] = f"the file was not written: " \
                                                           f"{ff.not_written}"
        return notes, unwritten

    def annotate(self, findings, notes=None):
        """Remaining findings, each MW201/MW203 that the fix left alone saying why; in a file
        that was not written, every finding the fix would have repaired (MW202, MW203 too).
        ``notes`` is :meth:`notes`, when the caller annotates many lists."""
        if notes is None:
            notes = self.notes()
        notes, unwritten = notes
        if not notes and not unwritten:
            return list(findings)
        out = []
        for f in findings:
            reason = notes.get((f.path, f.code, f.yaml_path))
            if reason is None and f.fixable:
                reason = unwritten.get(f.path)
            if reason is not None:
                note = f"not fixed automatically: {reason}"
                f = f._replace(message=f"{f.message} (not fixed automatically)",
                               help=f"{note}; {f.help}" if f.help else note, fixable=False,
                               fix=None)
            out.append(f)
        # what a fix refused or not written would have repaired (MW202/MW203) says no more
        # that it is repaired by it
        return settle_repairs(out)

    def annotate_run(self, run):
        """A :class:`mwlint.engine.RunResult` with its findings annotated (the notes are
        gathered once for the run, not once per file: that was quadratic in files)."""
        notes = self.notes()
        return run._replace(results=tuple(
            r._replace(findings=tuple(self.annotate(r.findings, notes)))
            for r in run.results))

    def emit_diff(self, run, settings, write: Callable[[str], None]) -> int:
        """``--diff``: the diff through ``write`` (the command line's stdout writer); the
        exit status of the files as they are."""
        write(self.diff())
        return 1 if fails(run.findings, settings.fail_on) else 0

    def diff(self) -> str:
        return "".join(ff.result.diff() for ff in self.files
                       if ff.result is not None and ff.result.changed)

    def summary(self) -> List[str]:
        """Lines for stderr."""
        lines = []
        changed = [ff for ff in self.files if ff.result is not None and ff.result.changed]
        keys = sum(ff.result.fixed_keys for ff in changed
                   if ff.result is not None and (ff.written or not self.write))
        for ff in self.files:
            r = ff.result
            if r is None:
                continue
            if r.error:
                lines.append(f"{ff.path}: {r.error}")
            if ff.not_written:
                lines.append(f"{ff.path}: not written: {ff.not_written}")
            if not self.write:
                for sk in r.skipped:
                    lines.append(f"{ff.path}:{sk.line}:{sk.column}: not fixed: {sk.reason}")
        done = [ff for ff in changed if ff.written] if self.write else changed
        verb = "fixed" if self.write else "would fix"
        files = len(done)
        if not changed:
            lines.append("mwlint: nothing to fix")
            return lines
        line = (f"mwlint: {verb} {keys} debug key{'s' if keys != 1 else ''} in {files} "
                f"file{'s' if files != 1 else ''}")
        unwritten = len(changed) - files
        if unwritten:
            line += f"; {unwritten} file{'s' if unwritten != 1 else ''} not written"
        lines.append(line)
        return lines


def run_fixes(paths: Sequence[str], settings, stdin_data: Optional[bytes] = None,
              stdin_filename: Optional[str] = None, write: bool = True,
              err=None, settings_for=None) -> FixRun:
    """Fix every file under ``paths``. Raises :class:`mwlint.engine.UsageError` for a missing
    path, or for stdin with ``write`` (there is no file to write back). ``settings_for``
    gives the settings of one file (its nearest config), else ``settings`` apply."""
    err = err if err is not None else sys.stderr
    files = discover(paths)
    if write and "-" in files:
        raise UsageError("--fix cannot write back to stdin: use --diff with the path -")
    out: List[FileFix] = []
    for path in files:
        display = (stdin_filename or "<stdin>") if path == "-" else path
        file_settings = settings_for(display) if settings_for is not None else settings
        if path == "-":
            out.append(FileFix(display, fix_bytes(stdin_data or b"", display, file_settings)))
        else:
            out.append(fix_file(path, file_settings, write))
    run = FixRun(out, write)

    for line in run.summary():  # file names from the tree: neutralised for the terminal
        err.write(neutralise(line) + "\n")
    return run

