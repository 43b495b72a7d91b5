"""Findings: what every stage of the pipeline reports, and nothing else reaches the formatters."""

from __future__ import annotations

from mwlint.typehints import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Span(NamedTuple):
    """1-based start, exclusive 1-based end (as PyYAML's end mark)."""

    line: int
    column: int
    end_line: int
    end_column: int


class _Mark(Protocol):
    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class Marked(Protocol):
    """What :func:`span_of` reads of a PyYAML node (this module never imports yaml)."""

    @property
    def start_mark(self) -> _Mark: ...

    @property
    def end_mark(self) -> _Mark: ...


def span_of(node: Marked) -> Span:
    """The span of a PyYAML node (marks are 0-based)."""
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


class Position(NamedTuple):
    """A place in the decoded text: 1-based line and column (code points, as YAML counts
    them), and the 0-based character offset."""

    line: int
    column: int
    offset: int


class Edit(NamedTuple):
    """Replace the text from ``start`` (inclusive) to ``end`` (exclusive) by ``content``;
    ``start == end`` inserts, an empty ``content`` deletes."""

    content: str
    start: Position
    end: Position


SAFE = "safe"  # ``--fix`` applies it
UNSAFE = "unsafe"  # a guess: applied only with ``--fix --unsafe-fixes``


class Fix(NamedTuple):
    """What repairs a finding, as ruff carries it: a one-line ``message``, its
    ``applicability`` (``safe``/``unsafe``) and the text ``edits``.

    A finding repaired by another finding's fix (MW202 and MW203 by the MW201 migration of
    their namespace) has a fix with no edits of its own whose ``repaired_by`` names that
    finding as ``(code, line, column)``; it is dropped from a run where that finding is not
    reported (see :func:`settle_repairs`). ``--fix`` applies the ``safe`` fixes, and with
    ``--unsafe-fixes`` the ``unsafe`` ones (a guess, such as a did-you-mean) too.
    """

    message: str
    applicability: str = SAFE
    edits: Tuple[Edit, ...] = ()
    repaired_by: Optional[Tuple[str, int, int]] = None

    def applies(self, unsafe: bool = False) -> bool:
        """Whether ``--fix`` applies it (``unsafe``: with ``--unsafe-fixes``)."""
        return self.applicability == SAFE or (unsafe and self.applicability == UNSAFE)

    def as_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [{"content": e.content,
                       "location": {"line": e.start.line, "column": e.start.column},
                       "end_location": {"line": e.end.line, "column": e.end.column}}
                      for e in self.edits],
        }
        if self.repaired_by is not None:
            code, line, column = self.repaired_by
            out["repaired_by"] = {"code": code, "line": line, "column": column}
        return out


class Finding(NamedTuple):
    code: str
    name: str
    severity: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    yaml_path: str = ""
    fixable: bool = False
    # Stable identity for baselines: (namespace, release, field, value) where known.
    context: Tuple[object, ...] = ()
    # How to fix it: one sentence, or None. The why lives in the rule's docs.
    help: Optional[str] = None
    # The fix that repairs it, or None; ``fixable`` is ``fix is not None``.
    fix: Optional[Fix] = None

    def fix_applies(self, unsafe: bool = False) -> bool:
        """Whether ``--fix`` (``unsafe``: with ``--unsafe-fixes``) repairs this finding."""
        return self.fix is not None and self.fix.applies(unsafe)

    def sort_key(self) -> Tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    @property
    def path_label(self) -> str:
        """How human-facing formats name ``yaml_path``: a build report is JSON."""
        return "JSON path" if self.path.lower().endswith(".json") else "YAML path"

    def as_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "help": self.help,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "yaml_path": self.yaml_path,
            "fixable": self.fixable,
            "fix": self.fix.as_dict() if self.fix is not None else None,
        }


def settle_repairs(findings: Iterable[Finding]) -> List[Finding]:
    """``findings`` where a fix that is only "repaired by" another finding's fix is dropped
    (with ``fixable``) when that finding is not among them with a fix of its own: it was not
    selected, or it was suppressed, so ``--fix`` would not repair this one either."""
    findings = list(findings)
    if not any(f.fix is not None and f.fix.repaired_by is not None for f in findings):
        return findings
    carriers: Dict[Tuple[str, str, int, int], bool] = {
        (f.path, f.code, f.line, f.column): True
        for f in findings if f.fix is not None and f.fix.edits}
    out = []
    for f in findings:
        by = f.fix.repaired_by if f.fix is not None else None
        if by is not None and (f.path,) + tuple(by) not in carriers:
            f = f._replace(fix=None, fixable=False)
        out.append(f)
    return out


def repairs(findings: Sequence[Finding], carrier: Finding) -> List[Finding]:
    """``carrier`` and the findings its fix repairs (``repaired_by`` names it)."""
    at = (carrier.code, carrier.line, carrier.column)
    return [carrier] + [f for f in findings if f is not carrier and f.fix is not None
                        and f.fix.repaired_by == at and f.path == carrier.path]


def fixable(findings: Sequence[Finding], unsafe: bool = False) -> List[Finding]:
    """The findings that ``--fix`` repairs (``unsafe``: with ``--unsafe-fixes``): those
    with a fix that applies, and those repaired by such a fix of a finding among them.
    What the text summary counts as fixable and marks ``[*]``, and what ``--fix`` counts
    as fixed."""
    carriers = {(f.path, f.code, f.line, f.column) for f in findings
                if f.fix is not None and f.fix.edits and f.fix.applies(unsafe)}
    out = []
    for f in findings:
        if f.fix is None or not f.fix.applies(unsafe):
            continue
        by = f.fix.repaired_by
        if f.fix.edits or (by is not None and (f.path,) + tuple(by) in carriers):
            out.append(f)
    return out


class FileResult(NamedTuple):
    """What the pipeline learned about one file."""

    path: str
    linted: bool  # holds a deployments key
    findings: Tuple[Finding, ...]
    text: Optional[str] = None  # decoded source, for snippets
