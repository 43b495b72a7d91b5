"""``--format gitlab``: a GitLab Code Quality report (``artifacts: reports: codequality``).

GitLab reads a JSON array of issues, each with the fields its documentation requires
("Code Quality report format", docs.gitlab.com/ci/testing/code_quality/)::

    [{"description": "MW102 missing-key: entry 'mw-misc' lacks web_flavour",
      "check_name": "MW102",
      "fingerprint": "<32 hex digits>",
      "severity": "major",
      "location": {"path": "hieradata/role/common/deployment_server/kubernetes.yaml",
                   "lines": {"begin": 297}}}]

``severity`` is one of GitLab's ``info``, ``minor``, ``major``, ``critical``, ``blocker``:
an info is ``info``, a warning ``minor``, an error ``major`` (``critical`` and ``blocker``
are not used: whether a finding fails the job is ``--fail-on``'s, not the widget's, call).
``fingerprint`` is the finding's stable identity (as SARIF's ``partialFingerprints``): GitLab
compares reports of the source and target branches by it, and shows one issue per
fingerprint, so it is distinct within a report. ``location.path`` is relative to the
repository root (``--root``, else the git top level); a file outside any repository is given
relative to the working directory. A clean run is ``[]``.
"""

from __future__ import annotations

import json
import os

from mwlint.formats.fingerprint import fingerprints
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, List

SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def _path(path: str) -> str:
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive (Windows): nothing relative to say
            return path
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _description(f: Any) -> str:
    text = f"{f.code} {f.name}: {f.message}"
    if f.help:
        text += f" (help: {f.help})"
    return text


def document(report: Any) -> List[Dict[str, Any]]:
    issues = []
    for f, fp in zip(report.findings, fingerprints(report.findings)):
        issues.append({
            "description": _description(f),
            "check_name": f.code,
            "fingerprint": fp,
            "severity": SEVERITIES[f.severity],
            "location": {"path": _path(f.path), "lines": {"begin": max(1, f.line)}},
        })
    return issues


def render(report: Any, **_options: Any) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
