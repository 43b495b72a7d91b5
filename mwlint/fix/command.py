"""The ``--fix`` / ``--diff`` options of ``mwlint check``, on the findings of the check's own
run: apply each file's fixes (:func:`mwlint.fix.fix_findings`), write the file (or print
the diff), and annotate the findings that remain with why they were not fixed.

The run reads each file once (:func:`mwlint.engine.reading_into` keeps the bytes): a file is
written back only while it still holds those bytes, and the report after ``--fix`` is a
second pass of the same run over the texts in memory (:func:`mwlint.engine.reading_from`).
"""

from __future__ import annotations

import codecs
from collections import Counter

from mwlint.engine import RunResult, reading_into, relinter, run
from mwlint.findings import FileResult, Finding, fixable, repairs
from mwlint.fix import FixResult, fix_findings
from mwlint.fix.write import NotWritten, write_atomic
from mwlint.safe_text import neutralise
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import IO, Callable, Dict, List, Optional, Sequence, Tuple, Union

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
              codecs.BOM_UTF16_BE)


class FileFix(NamedTuple):
    path: str  # as displayed
    result: FixResult
    written: bool = False
    not_written: Optional[str] = None  # why a changed file was not written
    original: Optional[bytes] = None  # the bytes the run read


def encode_like(original: bytes, text: str) -> bytes:
    """``text`` in UTF-8, with the original's byte-order mark if it had one."""
    out = text.encode("utf-8", "surrogatepass")
    if original.startswith(codecs.BOM_UTF8):
        out = codecs.BOM_UTF8 + out
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 'es' if word.endswith('x') else 's'}"


class Tally(NamedTuple):
    """The summary's counts, ruff's way: each finding of the run before the fixes is either
    fixed (gone after them, by its own fix or as a side effect of another) or remaining, so
    ``found == fixed + remaining``; ``new``: findings only the fixed text has (a fix may
    uncover a warning or an info that the broken value hid)."""

    found: int
    fixed: int
    remaining: int
    new: int = 0


def _identity(f: Finding) -> Tuple[str, str, str]:
    """A finding before and after the fixes: its file, code and YAML path (what the fix
    proof compares), whatever lines an edit above it added or removed."""
    return (f.path, f.code, f.yaml_path)


class FixRun(NamedTuple):
    files: List[FileFix]
    write: bool
    found: int  # findings of the run before any fix
    hidden: int  # findings only --unsafe-fixes would repair (0 with it)
    before: Tuple[Finding, ...] = ()  # those findings (what :meth:`tally` matches)

    @property
    def changed(self) -> List[FileFix]:
        return [ff for ff in self.files if ff.result.changed]

    @property
    def done(self) -> List[FileFix]:
        """The files fixed (``--fix``: written; ``--diff``: would be)."""
        return [ff for ff in self.changed if ff.written or not self.write]

    @property
    def fixed(self) -> int:
        """How many findings the fixes repair, counted as the summary counts "fixable"."""
        return sum(len(ff.result.repaired) for ff in self.done)

    def sources(self, read: Dict[str, Optional[bytes]]) -> Dict[str, Optional[bytes]]:
        """``read`` (what the run read) with the fixed files' new bytes."""
        out = dict(read)
        for ff in self.done:
            out[ff.path] = encode_like(ff.original or b"", ff.result.fixed)
        return out

    def notes(self) -> Dict[Tuple[str, str, str], str]:
        """(path, code, YAML path) -> why that finding is not fixed automatically."""
        notes: Dict[Tuple[str, str, str], str] = {}
        for ff in self.files:
            r = ff.result
            for refused in r.refused:
                for f in repairs(r.findings_seen, refused.finding):
                    notes[(f.path, f.code, f.yaml_path)] = refused.reason
            if ff.not_written:
                for f in r.repaired:
                    notes[(f.path, f.code, f.yaml_path)] = \
                        f"the file was not written: {ff.not_written}"
            if r.error:
                for f in r.findings_seen:
                    notes.setdefault((f.path, f.code, f.yaml_path), r.error)
        return notes

    def annotate(self, findings: Sequence[Finding],
                 notes: Optional[Dict[Tuple[str, str, str], str]] = None) -> List[Finding]:
        """``findings`` (what remains), each that a fix left alone saying why, no longer
        marked fixable; ``notes``: :meth:`notes`, when the caller annotates many lists."""
        if notes is None:
            notes = self.notes()
        out = []
        for f in findings:
            reason = notes.get((f.path, f.code, f.yaml_path)) if f.fix is not None else None
            if reason is not None:
                note = f"not fixed automatically: {reason}"
                f = f._replace(message=f"{f.message} (not fixed automatically)",
                               help=f"{note}; {f.help}" if f.help else note, fixable=False,
                               fix=None)
            out.append(f)
        return out

    def annotate_run(self, run: RunResult) -> RunResult:
        notes = self.notes()  # once: per file it would cost files x files
        return run._replace(results=tuple(
            r._replace(findings=tuple(self.annotate(r.findings, notes))) for r in run.results))

    def diff(self) -> str:
        return "".join(ff.result.diff() for ff in self.changed)

    def tally(self, after: Union[int, Sequence[Finding]]) -> Tally:
        """The counts of the summary; ``after``: the findings of the run after the fixes
        (or only how many there are: then each finding not among them counts as fixed)."""
        if isinstance(after, int):
            remaining = min(after, self.found)
            return Tally(self.found, self.found - remaining, remaining, after - remaining)
        left = Counter(_identity(f) for f in after)
        remaining = 0
        for f in self.before:
            ident = _identity(f)
            if left[ident] > 0:
                left[ident] -= 1
                remaining += 1
        return Tally(self.found, self.found - remaining, remaining, len(after) - remaining)

    def summary(self, after: Union[int, Sequence[Finding]]) -> List[str]:
        """Lines for stderr; ``after``: the findings of the run after the fixes (see
        :meth:`tally`)."""
        lines = []
        for ff in self.files:
            r = ff.result
            if r.error:
                lines.append(f"{ff.path}: {r.error}")
            if ff.not_written:
                lines.append(f"{ff.path}: not written: {ff.not_written}")
            if not self.write:
                for refused in r.refused:
                    f = refused.finding
                    lines.append(f"{ff.path}:{f.line}:{f.column}: {f.code} not fixed: "
                                 f"{refused.reason}")
        done = self.done
        fixes = sum(len(ff.result.applied) for ff in done)
        edits = sum(len(ff.result.edits) for ff in done)
        t = self.tally(after)
        if self.write:
            counts = f"{t.fixed} fixed, {t.remaining} remaining"
        else:
            counts = f"{t.fixed} would be fixed, {t.remaining} would remain"
        line = f"mwlint: found {_plural(t.found, 'finding')} ({counts})"
        if fixes:
            verb = "written to" if self.write else "for"
            line += (f": {_plural(fixes, 'fix')} ({_plural(edits, 'edit')}) {verb} "
                     f"{_plural(len(done), 'file')}")
        elif not self.changed:
            line += ": nothing to fix"
        unwritten = len(self.changed) - len(done)
        if unwritten:
            line += f"; {_plural(unwritten, 'file')} not written"
        if t.new:
            verb = "uncover" if self.write else "would uncover"
            line += f"; the fixes {verb} {_plural(t.new, 'other finding')}"
        if self.hidden:
            line += (f"; {self.hidden} hidden fix{'es' if self.hidden != 1 else ''} can be "
                     "enabled with the `--unsafe-fixes` option")
        lines.append(line)
        return lines

    def report(self, after: Union[int, Sequence[Finding]],
               err: Optional[IO[str]] = None) -> None:
        """The summary on stderr (names from the tree: neutralised for the terminal)."""
        import sys

        out = err if err is not None else sys.stderr
        for line in self.summary(after):
            out.write(neutralise(line) + "\n")


def fix_run(first: RunResult, read: Dict[str, Optional[bytes]],
            settings_for: Callable[[str], Settings], write: bool,
            unsafe: bool = False) -> FixRun:
    """Fix the files of ``first`` (a :class:`mwlint.engine.RunResult`) from their findings;
    ``read``: the bytes the run read, by display path (:func:`mwlint.engine.reading_into`,
    stdin's too); ``settings_for(path)``: each file's settings; ``write``: write the fixed
    files back (``--fix``), else only compute them (``--diff``); ``unsafe``: apply the
    unsafe fixes too (``--unsafe-fixes``; a file's ``unsafe-fixes`` setting does as well)."""
    files: List[FileFix] = []
    for r in first.results:
        if r.text is None or not fixable(r.findings, unsafe):
            continue
        data = read.get(r.path)
        if data is None:  # not read by this run's source stage: nothing to compare with
            continue
        if data.startswith(_WIDE_BOMS):
            # UTF-16/32: the rewrite would change the encoding
            files.append(FileFix(r.path, _unfixed(r, "not fixed: the file is not UTF-8 "
                                                     "(re-encode it first)"), original=data))
            continue
        s = settings_for(r.path)
        result = fix_findings(r.text, r.path, r.findings, relinter(r.path, s),
                              unsafe or s.unsafe_fixes)
        if not result.changed or not write:
            files.append(FileFix(r.path, result, original=data))
            continue
        try:
            write_atomic(r.path, data, encode_like(data, result.fixed))
        except NotWritten as e:
            files.append(FileFix(r.path, result, False, str(e), data))
        else:
            files.append(FileFix(r.path, result, True, original=data))
    hidden = 0
    for r in first.results:
        if r.findings and not (unsafe or settings_for(r.path).unsafe_fixes):
            hidden += len(fixable(r.findings, True)) - len(fixable(r.findings, False))
    return FixRun(files, write, len(first.findings), hidden, tuple(first.findings))


def _unfixed(r: FileResult, error: str) -> FixResult:
    text = r.text or ""
    return FixResult(r.path, text, text, error=error, findings_seen=tuple(r.findings))


def fix_paths(paths: Sequence[str], settings: Settings, write: bool = True,
              unsafe: bool = False) -> FixRun:
    """Library use: one run of the engine over ``paths`` under ``settings``, its fixes
    applied (``write``: written back) as ``mwlint --fix`` does; no summary printed."""
    read: Dict[str, Optional[bytes]] = {}
    first = run(settings, paths, reader=reading_into(read))
    return fix_run(first, read, lambda _path: settings, write, unsafe)
