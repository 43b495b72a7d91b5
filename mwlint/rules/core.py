"""The core findings: the ones no rule's ``check`` makes, because the stage that finds
them runs before a model exists or after the rules ran.

* MW001 (not YAML, over the alias or depth budget) and MW003 (unreadable): the source and
  parse stages (:func:`input_problem`, :func:`parse_error`, :func:`budget_exceeded`);
* MW004 (unused suppression): the suppression stage (:data:`UNUSED_SUPPRESSION`);
* MW005 (stale baseline entry): the baseline stage (:data:`STALE_BASELINE`).

Every stage makes them here, with their rule's code, name, severity and the file-level
identity (:data:`FILE_CONTEXT`) that baselines and SARIF fingerprints key them by.
"""

from __future__ import annotations

from mwlint.findings import Finding, Span
from mwlint.rules.base import Rule
from mwlint.rules.mw001_yaml_syntax import YamlSyntax
from mwlint.rules.mw003_unreadable_file import UnreadableFile
from mwlint.rules.mw004_unused_suppression import UnusedSuppression
from mwlint.rules.mw005_stale_baseline_entry import StaleBaselineEntry
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Dict, Optional, Tuple

YAML_SYNTAX: Rule = YamlSyntax()
UNREADABLE: Rule = UnreadableFile()
UNUSED_SUPPRESSION: Rule = UnusedSuppression()
STALE_BASELINE: Rule = StaleBaselineEntry()
_BY_CODE: Dict[str, Rule] = {r.code: r for r in (YAML_SYNTAX, UNREADABLE)}

# The identity of a file-level finding (baselines, SARIF fingerprints): one per file, so it
# does not depend on the message, whose wording may change.
FILE_CONTEXT: Dict[str, Tuple[None, None, str, None]] = {
    "MW001": (None, None, "yaml-syntax", None),
    "MW003": (None, None, "unreadable-file", None)}


def input_problem(path: str, code: str, at: Tuple[int, int], message: str,
                  help: Optional[str] = None) -> Finding:
    """An MW001/MW003 finding at ``at`` (line, column) of the file ``path``."""
    line, column = at
    return _BY_CODE[code].finding_at(path, Span(line, column, line, column + 1), message,
                                     context=FILE_CONTEXT[code], help=help)


__all__ = ["input_problem", "FILE_CONTEXT", "YAML_SYNTAX", "UNREADABLE",
           "UNUSED_SUPPRESSION", "STALE_BASELINE"]
