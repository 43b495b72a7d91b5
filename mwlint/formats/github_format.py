"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message%0Ahelp: ...

The help line, when the finding has one, is the annotation's second line.

``error``/``warning``/``notice`` follow the finding's severity. Paths are
repository-relative. Escaping follows the runner's rules: in the message ``%``, ``\\r`` and
``\\n`` become ``%25``, ``%0D`` and ``%0A``; in property values ``:`` and ``,`` also become
``%3A`` and ``%2C``. Control characters and escape sequences from the linted file are
neutralised first (shown as ``\\x1b``), so a file cannot colour or rewrite the log, and no
newline can start a forged workflow command. The last line is the summary of the text
format (``mwlint: OK`` / ``mwlint: FAILED (...)``).
"""

from __future__ import annotations

from mwlint.findings import Finding
from mwlint.formats.terminal import neutralise
from mwlint.formats.text_format import summary_line
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from mwlint.formats import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return neutralise(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    line, col = max(1, f.line), max(1, f.column)
    end_line = max(line, f.end_line)
    # workflow commands take an inclusive end column; mwlint's end is exclusive
    end_col = max(1, f.end_column - 1)
    if end_line == line:
        end_col = max(col, end_col)
    props = [("file", f.path), ("line", str(line)), ("col", str(col)),
             ("endLine", str(end_line)), ("endColumn", str(end_col)),
             ("title", f"{f.code} {f.name}")]
    rendered = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    text = escape_data(f.message)
    if f.help:  # its own line of the annotation (each part neutralised on its own)
        text += "%0A" + escape_data(f"help: {f.help}")
    return f"::{COMMANDS[f.severity]} {rendered}::{text}"


def render(report: Report, **_options: object) -> str:
    out = [annotation(f) for f in report.findings]
    out.append(summary_line(report))
    return "\n".join(out) + "\n"
