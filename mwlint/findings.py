"""Findings: what every stage of the pipeline reports, and nothing else reaches the formatters."""

from __future__ import annotations

from typing import NamedTuple, Optional

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Span(NamedTuple):
    """1-based start, exclusive 1-based end (as PyYAML's end mark)."""

    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span(1, 1, 1, 1)


def span_of(node) -> Span:
    """The span of a PyYAML node (marks are 0-based)."""
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


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
    context: tuple = ()
    # How to fix it: one sentence, or None. The why lives in the rule's docs.
    help: Optional[str] = None

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)

    @property
    def path_label(self) -> str:
        """How human-facing formats name ``yaml_path``: a build report is JSON."""
        return "JSON path" if self.path.lower().endswith(".json") else "YAML path"

    def as_dict(self) -> dict:
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
        }


class FileResult(NamedTuple):
    """What the pipeline learned about one file."""

    path: str
    linted: bool  # holds a deployments key
    findings: tuple
    text: Optional[str] = None  # decoded source, for snippets
