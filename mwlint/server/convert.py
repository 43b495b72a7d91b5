"""Findings as LSP objects: diagnostics, quick fixes, the fix-all action, hover text."""

from __future__ import annotations

from lsprotocol import types

from mwlint.findings import SAFE, Finding
from mwlint.formats.links import rule_url, rules_doc_url
from mwlint.rules import by_code
from mwlint.server.positions import TextIndex
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple

SOURCE = "mwlint"
FIX_ALL_KIND = "source.fixAll.mwlint"
_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


def docs_url(code: str) -> str:
    """The rule's section of the rule reference at the running release: the URL SARIF's
    helpUri and Gerrit's robot comments give (:mod:`mwlint.formats.links`)."""
    rule = by_code().get(code)
    return rules_doc_url() if rule is None else rule_url(rule.code, rule.name)


def lsp_range(index: TextIndex, f: Finding) -> types.Range:
    (sl, sc), (el, ec) = index.span(f.line, f.column, f.end_line, f.end_column)
    return types.Range(types.Position(sl, sc), types.Position(el, ec))


def diagnostic(index: TextIndex, f: Finding) -> types.Diagnostic:
    """One finding: range, severity, code, link to the rule's docs, source, the message
    with the help line appended."""
    message = f.message if not f.help else f"{f.message}\nhelp: {f.help}"
    return types.Diagnostic(
        range=lsp_range(index, f),
        message=message,
        severity=_SEVERITY.get(f.severity, types.DiagnosticSeverity.Error),
        code=f.code,
        code_description=types.CodeDescription(href=docs_url(f.code)),
        source=SOURCE,
        data={"name": f.name, "fixable": f.fixable, "yaml_path": f.yaml_path},
    )


def _edits(index: TextIndex, cuts: Sequence[Tuple[int, int, str]]) -> List[types.TextEdit]:
    out = []
    for start, end, text in cuts:
        (sl, sc) = index.position(index.offset_of_engine(start))
        (el, ec) = index.position(index.offset_of_engine(end))
        out.append(types.TextEdit(types.Range(types.Position(sl, sc), types.Position(el, ec)),
                                  text))
    return out


def _carrier(f: Finding, findings: Sequence[Finding]) -> Optional[Finding]:
    """The finding whose fix carries the edits of ``f``: itself, or the one it is repaired
    by (MW202/MW203 by the MW201 migration of their namespace)."""
    fix = f.fix
    if fix is None:
        return None
    if fix.edits:
        return f
    if fix.repaired_by is not None:
        code, line, column = fix.repaired_by
        for g in findings:
            if (g.code, g.line, g.column) == (code, line, column) and g.fix is not None \
                    and g.fix.edits:
                return g
    return None


def overlaps(a: types.Range, b: types.Range) -> bool:
    start = (a.start.line, a.start.character)
    end = (a.end.line, a.end.character)
    return not ((b.end.line, b.end.character) < start or end < (b.start.line, b.start.character))


def quick_fixes(uri: str, index: TextIndex, findings: Sequence[Finding],
                wanted: types.Range) -> List[types.CodeAction]:
    """A quick fix for every fixable finding whose range touches ``wanted``: safe ones
    preferred, unsafe ones offered, marked, never preferred."""
    out: List[types.CodeAction] = []
    for f in findings:
        carrier = _carrier(f, findings)
        if carrier is None or carrier.fix is None:
            continue
        d = diagnostic(index, f)
        if not overlaps(d.range, wanted):
            continue
        fix = carrier.fix
        safe = fix.applicability == SAFE
        title = f"{f.code}: {fix.message}" if carrier is f else \
            f"{f.code}: {carrier.fix.message} (the {carrier.code} fix at line {carrier.line})"
        if not safe:
            title += " (unsafe)"
        cuts = [(e.start.offset, e.end.offset, e.content) for e in fix.edits]
        out.append(types.CodeAction(
            title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[d],
            is_preferred=safe,
            edit=types.WorkspaceEdit(changes={uri: _edits(index, cuts)})))
    return out


def fix_all(uri: str, index: TextIndex, cuts: Sequence[Tuple[int, int, str]]
            ) -> types.CodeAction:
    """Every safe fix of the document, as ``mwlint --fix`` applies them."""
    return types.CodeAction(
        title="mwlint: fix all safe problems", kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: _edits(index, cuts)}))


def wants(only: Optional[Sequence[str]], kind: str) -> bool:
    """Does a request restricted to the kinds ``only`` ask for actions of ``kind``? (A
    kind asks for itself and every kind below it: ``source`` gives ``source.fixAll.mwlint``.)"""
    if not only:
        return True
    return any(kind == k or kind.startswith(str(k) + ".") for k in only)


def hover_text(codes: Sequence[str]) -> Optional[str]:
    """The documentation of the rules ``codes`` (``mwlint rule CODE``), one after another."""
    rules = by_code()
    docs: Dict[str, str] = {}
    for code in codes:
        rule = rules.get(code)
        if rule is not None and code not in docs:
            docs[code] = rule.doc() + f"\n{docs_url(code)}\n"
    return "\n".join(docs.values()) if docs else None
