"""``--format json``: the document described in cli.md."""

from __future__ import annotations

import json

from mwlint import __version__
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from mwlint.formats import Report


def render(report: Report, **_options: object) -> str:
    counts = report.counts()
    doc = {
        "tool": "mwlint",
        "version": __version__,
        "findings": [f.as_dict() for f in report.findings],
        "summary": {
            "files": report.files,
            "linted": report.linted,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
