"""The sixteen real versions of the key (tests/fixtures/real/README.md): the foundation's
expectations (MW0xx/MW1xx) for every file."""

import glob
import os

import pytest
from helpers import REAL

from mwlint.engine import lint_paths
from mwlint.settings import Settings

FILES = sorted(glob.glob(os.path.join(REAL, "*.yaml")))
assert len(FILES) == 16, "tests/fixtures/real must hold the 16 real versions"


def findings_of(name, **settings):
    (path,) = [f for f in FILES if name in os.path.basename(f)]
    run = lint_paths([path], Settings(**settings))
    return run.findings


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(f)[7:26] for f in FILES])
def test_forbidden_everywhere(path):
    """All files parse; no duplicate key, no wrong shape or type, every stage valid; legacy
    keys are never MW103 (they have their own codes)."""
    codes = {f.code for f in lint_paths([path], Settings()).findings}
    assert not codes & {"MW001", "MW002", "MW003", "MW004", "MW101", "MW103", "MW104",
                        "MW105", "MW106", "MW107"}, codes


@pytest.mark.parametrize("commit", ["64c41884", "70fd8231"])
def test_merged_broken_configs_give_mw102_for_web_flavour(commit):
    fs = [f for f in findings_of(commit) if f.code == "MW102"]
    assert [(f.line, f.yaml_path) for f in fs] == [(297, "mw_releases[5]")]
    assert "web_flavour" in fs[0].message and "mw_flavour" not in fs[0].message.split("(")[0]


def test_the_fix_45f7b0f6_has_no_mw102():
    assert not [f for f in findings_of("45f7b0f6") if f.code == "MW102"]


@pytest.mark.parametrize("commit", ["001797c3", "263a58ee"])
def test_2025_versions_have_no_error(commit):
    assert not [f for f in findings_of(commit) if f.severity == "error"]


def test_late_2025_is_completely_clean_with_fail_on_warning():
    assert findings_of("263a58ee") == []


@pytest.mark.parametrize("commit", ["c1a04edb", "2125c65d"])
def test_2022_shapes_are_not_mw101_or_mw102(commit):
    codes = {f.code for f in findings_of(commit)}
    assert not codes & {"MW101", "MW102", "MW103"}


def test_legacy_flat_entries_are_not_mw102_for_releases():
    for commit in ("3f4f43ed", "dba30a58", "c5218f30", "d038f844"):
        assert not [f for f in findings_of(commit) if f.code == "MW102"], commit
