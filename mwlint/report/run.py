"""The library functions :func:`check_report_data` / :func:`check_report_text`: a build
report checked against configs given as text or data, through the engine's stages
(``mwlint check --report`` and ``mwlint check-report`` run :func:`mwlint.engine.run`)."""

from __future__ import annotations

from typing import List, Optional

import yaml

from mwlint.engine import check_report, hiera_rules, lint_source, report_rules
from mwlint.findings import Finding
from mwlint.report.reader import parse_report_text, report_from_data
from mwlint.settings import Settings
from mwlint.source import read_bytes

RENDERED_PATH = "mediawiki-deployments.yaml"
HIERA_PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"


# -- library --------------------------------------------------------------------------------

def _settings(settings: Optional[Settings], default_clusters) -> Settings:

    s = settings.replace() if settings is not None else Settings()
    if default_clusters is not None:
        if isinstance(default_clusters, str):
            default_clusters = [c for c in default_clusters.replace(",", " ").split() if c]
        s.default_clusters = tuple(default_clusters)
    return s


def _models_from_text(text: str, path: str, settings: Settings):
    lint_rules, codes = hiera_rules(settings, "report")
    models: list = []
    outcome = read_bytes(text.encode("utf-8", "surrogatepass"), path, settings.max_file_size,
                         force=True)
    result = lint_source(outcome, path, settings, lint_rules, codes, models.append)
    return models, list(result.findings)


def check_report_text(report_text: str, hiera_text: Optional[str] = None, *,
                      report_path: str = "report.json", hiera_path: str = HIERA_PATH,
                      default_clusters=None, settings: Optional[Settings] = None
                      ) -> List[Finding]:
    """Check report text (JSON) against hiera text (YAML: a hiera file setting
    ``mw_releases``/``mw_deployments``, or, with ``hiera_path`` ending in
    ``mediawiki-deployments.yaml``, scap's rendered file). Positions refer to the texts.
    Without ``hiera_text`` only the report itself is checked."""
    s = _settings(settings, default_clusters)
    findings: List[Finding] = []
    models: list = []
    if hiera_text is not None:
        models, findings = _models_from_text(hiera_text, hiera_path, s)
    report = parse_report_text(report_text, report_path)
    findings.extend(check_report(report, models, s, report_rules(s))[0])
    findings.sort(key=Finding.sort_key)
    return findings


def check_report_data(report, deployments=None, *, default_clusters=None,
                      settings: Optional[Settings] = None) -> List[Finding]:
    """Check a build report against a deployments config, both as plain Python data.

    ``report`` is what :func:`json.load` returns for ``report.json``; ``deployments`` is
    the deployments value as scap loads it from ``mediawiki-deployments.yaml`` (the list
    form, or the mapping form with ``deployment_targets``), or a whole hiera document (a
    dict holding the ``...::mw_releases``/``...::mw_deployments`` key), or None to check
    the report alone. ``default_clusters`` is scap's ``k8s_clusters`` (a list, or a
    comma/space separated string; default ``eqiad, codfw``).

    Returns the findings (MW0xx/MW101 on the config, MW401–MW406). No file is read or
    written. Findings name the node by ``yaml_path`` (hiera side, starting with
    ``mediawiki-deployments`` for a bare value) or by its key path in the report
    (``mediawiki.flavours.publish-83``); their line and column refer to the data written
    back as YAML and indented JSON. A finding of severity ``error`` means scap's image
    lookup would abort the sync.
    """
    s = _settings(settings, default_clusters)
    findings: List[Finding] = []
    models: list = []
    if deployments is not None:
        path = RENDERED_PATH
        if isinstance(deployments, dict) and any(
                isinstance(k, str) and k.endswith(("::mw_releases", "::mw_deployments"))
                for k in deployments):
            path = HIERA_PATH
        try:
            text = yaml.safe_dump(deployments, sort_keys=False, default_flow_style=False,
                                  allow_unicode=True)
        except yaml.YAMLError as e:
            raise TypeError("deployments must be plain data (dicts, lists, strings, numbers, "
                            f"booleans, None): {e}") from None
        models, findings = _models_from_text(text, path, s)
    report_obj = report_from_data(report)
    findings.extend(check_report(report_obj, models, s, report_rules(s))[0])
    findings.sort(key=Finding.sort_key)
    return findings
