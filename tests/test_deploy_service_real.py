"""Production's first deploy-service config (operations/puppet d00e53d0, shellbox; the
real-fixtures README §3.7): clean at warning and above, with and without the real helmfiles
of operations/deployment-charts (MWLINT_DEPLOYMENT_CHARTS_REAL, set by .ci/run)."""

import os

from helpers import FIXTURES, lint

D00E53D0 = os.path.join(FIXTURES, "deploy-service",
                        "puppet-2026-late-d00e53d0-kubernetes-deploy-service.yaml")
with open(D00E53D0, encoding="utf-8") as _f:
    TEXT = _f.read()


def _serious(found):
    return [(f.code, f.line, f.column, f.message) for f in found
            if f.severity in ("warning", "error")]


def test_d00e53d0_is_clean_at_warning_and_above():
    assert _serious(lint(TEXT)) == []


def test_d00e53d0_is_clean_against_the_real_helmfiles(charts_real_dir):
    found = lint(TEXT, deployment_charts=charts_real_dir)
    assert _serious(found) == []
    # and it was checked: a misspelt env-ref in the shared anchor is found there, once
    bad = TEXT.replace("            staging: {}\n            codfw: {}",
                       "            staging-eqiad: {}\n            codfw: {}", 1)
    found = [f for f in lint(bad, deployment_charts=charts_real_dir) if f.code == "MW612"]
    assert [(f.line, f.column) for f in found] == [(556, 13)]
    assert "'shellbox'" in found[0].message and "and 4 more" in found[0].message
    assert "helmfile.d/services/shellbox/helmfile.yaml" in (found[0].help or "")

