"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, IDE viewers).

``tool.driver.rules`` is the whole rule registry (id, name, short and full description,
help as text and Markdown, default level); each result points at its rule by ``ruleId`` and
``ruleIndex`` and carries a region with start and end (columns count Unicode code points,
``columnKind: unicodeCodePoints``; the end column is exclusive, as in SARIF; the snippet is
the start line, a window of it around the column when it is long). Artifact URIs
are repository-relative against the ``SRCROOT`` base. ``partialFingerprints`` come from the
finding's stable identity (code, path, YAML path or context) so code scanning tracks an
alert across unrelated line moves.

Each rule has a ``helpUri`` (its section of ``docs/rules.md`` at the release) and the driver an
``informationUri`` (the release's source tree). A path that is not repository-relative (no
git repository above it, and no ``--root``) is not put against ``SRCROOT``: an absolute path
becomes a ``file:`` URI with no ``uriBaseId``, and ``SRCROOT`` is declared only when used.

A finding's help line (how to fix it) is ``properties.help`` of its result; the rule's
``help`` and ``fullDescription`` hold the why. A fixable finding says so in
``properties.fixable``; a finding whose fix has edits (``finding.fix``) has a SARIF ``fixes``
entry with those replacements (regions by line/column and by character offset); one repaired
by another finding's fix names it in ``properties.repairedBy`` (``ruleId``, ``line``,
``column``: SARIF fixes need at least one replacement).
"""

from __future__ import annotations

import json
import os
import pathlib
from urllib.parse import quote

from mwlint import __version__
from mwlint.docs import rule_markdown
from mwlint.findings import Finding, Fix
from mwlint.formats.fingerprint import fingerprints
from mwlint.formats.links import release_tree, rule_url
from mwlint.formats.source_lines import clip, source_lines
from mwlint.rules import all_rules
from mwlint.rules.base import Rule
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

if TYPE_CHECKING:
    from mwlint.formats import Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "SRCROOT"


def _uri(path: str) -> str:
    return quote(path, safe="/-._~")


def _artifact_location(path: str) -> Dict[str, Any]:
    """A repository-relative path against ``SRCROOT``; an absolute one (a file outside any
    repository) as a ``file:`` URI on its own: SARIF forbids an absolute URI with a base."""
    if os.path.isabs(path):
        return {"uri": pathlib.Path(path).as_uri()}
    return {"uri": _uri(path), "uriBaseId": SRCROOT}


def _rule_descriptor(rule: Rule) -> Dict[str, Any]:
    desc: Dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": f"{rule.code} {rule.name}: {_first_sentence(rule.summary)}"},
        "fullDescription": {"text": " ".join(rule.summary.split())},
        "help": {"text": rule.doc(), "markdown": rule_markdown(rule, level=2)},
        "helpUri": rule_url(rule.code, rule.name),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"fixable": rule.fixable,
                       "tags": sorted({"mwlint", rule.code[:3].lower() + "xx"})},
    }
    if rule.fix:
        desc["properties"]["fix"] = " ".join(rule.fix.split())
    return desc


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def _region(f: Finding, lines: Optional[List[str]]) -> Dict[str, Any]:
    line, col = max(1, f.line), max(1, f.column)
    end_line = max(line, f.end_line)
    end_col = f.end_column if end_line > line else max(col, f.end_column)
    region: Dict[str, Any] = {"startLine": line, "startColumn": col, "endLine": end_line,
              "endColumn": max(1, end_col)}
    if lines is not None and 1 <= line <= len(lines):
        # the start line, as a window around the column when it is long
        region["snippet"] = {"text": clip(lines[line - 1], col)[0]}
    return region


def _fix(fix: Fix, path: str, index: int) -> Dict[str, Any]:
    replacements = []
    for e in fix.edits:
        rep: Dict[str, Any] = {"deletedRegion": {"startLine": e.start.line, "startColumn": e.start.column,
                                 "endLine": e.end.line, "endColumn": e.end.column,
                                 "charOffset": e.start.offset,
                                 "charLength": e.end.offset - e.start.offset}}
        if e.content:
            rep["insertedContent"] = {"text": e.content}
        replacements.append(rep)
    return {"description": {"text": fix.message},
            "artifactChanges": [{"artifactLocation": {**_artifact_location(path),
                                                      "index": index},
                                 "replacements": replacements}]}


def document(report: Report) -> Dict[str, Any]:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    paths: List[str] = []
    for p in list(report.linted_paths) + [f.path for f in report.findings]:
        if p not in paths:
            paths.append(p)
    artifact_index = {p: i for i, p in enumerate(paths)}
    lines_cache: Dict[str, List[str]] = {}
    results = []
    for f, fingerprint in zip(report.findings, fingerprints(report.findings)):
        lines = None
        if report.sources and f.path in report.sources:
            lines = lines_cache.get(f.path)
            if lines is None:
                lines = lines_cache[f.path] = source_lines(report.sources[f.path])
        location: Dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {**_artifact_location(f.path),
                                     "index": artifact_index[f.path]},
                "region": _region(f, lines),
            },
        }
        if f.yaml_path:
            location["logicalLocations"] = [{"fullyQualifiedName": f.yaml_path,
                                             "kind": "member"}]
        result: Dict[str, Any] = {
            "ruleId": f.code,
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [location],
            "partialFingerprints": {"mwlint/v1": fingerprint},
            "properties": {"name": f.name, "severity": f.severity, "fixable": f.fixable},
        }
        if f.help:
            result["properties"]["help"] = f.help
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.fix is not None and f.fix.edits:
            result["fixes"] = [_fix(f.fix, f.path, artifact_index[f.path])]
        elif f.fix is not None and f.fix.repaired_by is not None:
            code, line, column = f.fix.repaired_by
            result["properties"]["repairedBy"] = {"ruleId": code, "line": line,
                                                  "column": column}
        results.append(result)
    artifacts = [{"location": _artifact_location(p), "sourceLanguage": "yaml"} for p in paths]
    run: Dict[str, Any] = {
        "tool": {"driver": {
            "name": "mwlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": release_tree(),
            "rules": [_rule_descriptor(r) for r in rules],
        }},
        "artifacts": artifacts,
        "invocations": [{"executionSuccessful": True,
                         "exitCode": 1 if report.failed else 0}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if not paths or any("uriBaseId" in a["location"] for a in artifacts):
        run["originalUriBaseIds"] = {SRCROOT: {"description": {
            "text": "The root of the repository holding the linted files."}}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **_options: object) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
