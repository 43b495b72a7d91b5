"""A service catalog linted alone (pre-commit and gerrit-ci pass only the changed files) is
checked against cluster groups kept in another file of the repository: where production
keeps them, the common layer's file for the key, or the rendered sibling of scap's
catalog. Those context files are read and bound, their own findings never reported; MW608
only when none is found (issue 21 item 6)."""

from __future__ import annotations

import os

import pytest
from helpers import FIXTURES

from mwlint.engine import lint_paths
from mwlint.settings import Settings

with open(os.path.join(FIXTURES, "deploy-service", "kubernetes-deploy-service.yaml"),
          encoding="utf-8") as _f:
    BASE = _f.read()
CATALOG_KEY = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
GROUPS = BASE[:BASE.index(CATALOG_KEY)]
CATALOG = BASE[BASE.index(CATALOG_KEY):]
TYPO = CATALOG.replace("cluster_group: dse-k8s", "cluster_group: dse-k8")
# an unknown key in the groups: MW601 there, which must not be reported from a context file
GROUPS_WITH_A_PROBLEM = GROUPS.replace("    environments:", "    colour: red\n    environments:", 1)


def _write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _mw6(paths):
    return [(os.path.basename(f.path), f.code) for f in lint_paths(paths, Settings()).findings
            if f.code.startswith("MW6")]


@pytest.mark.parametrize("groups_at", [
    "hieradata/role/common/deployment_server/kubernetes.yaml",
    "hieradata/common/profile/kubernetes/deployment_server/deploy_service.yaml",
])
def test_catalog_alone_is_bound_to_the_groups_of_the_hiera_tree(tmp_path, groups_at):
    context = _write(tmp_path, groups_at, GROUPS_WITH_A_PROBLEM)
    assert ("kubernetes.yaml", "MW601") in _mw6([context]) or ("deploy_service.yaml",
                                                              "MW601") in _mw6([context])
    catalog = _write(tmp_path, "hieradata/role/codfw/deployment_server/kubernetes.yaml", TYPO)
    assert _mw6([catalog]) == [("kubernetes.yaml", "MW606")]
    fine = _write(tmp_path, "hieradata/hosts/deploy1003.yaml", CATALOG)
    assert _mw6([fine]) == []


def test_catalog_alone_is_bound_to_the_rendered_sibling(tmp_path):
    import yaml

    (groups,) = yaml.safe_load(GROUPS_WITH_A_PROBLEM).values()
    (catalog_value,) = yaml.safe_load(TYPO).values()
    _write(tmp_path, "etc/scap/cluster-groups.yaml", yaml.safe_dump(groups))
    catalog = _write(tmp_path, "etc/scap/service-catalog.yaml", yaml.safe_dump(catalog_value))
    assert _mw6([catalog]) == [("service-catalog.yaml", "MW606")]


def test_no_groups_anywhere_is_mw608(tmp_path):
    catalog = _write(tmp_path, "hieradata/role/codfw/deployment_server/kubernetes.yaml", TYPO)
    assert _mw6([catalog]) == [("kubernetes.yaml", "MW608")]


def test_groups_in_the_run_win_over_the_context(tmp_path):
    _write(tmp_path, "hieradata/role/common/deployment_server/kubernetes.yaml",
           GROUPS.replace("dse-k8s:", "other:"))
    groups = _write(tmp_path, "hieradata/hosts/a.yaml", GROUPS)
    catalog = _write(tmp_path, "hieradata/hosts/b.yaml", CATALOG)
    assert _mw6([catalog, groups]) == []
