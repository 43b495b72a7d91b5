"""The sixteen real versions of the key against tests/fixtures/real/README.md, MW2xx part:
every expectation of §3 line for line (MW201 lines, MW202 entries, MW203 releases, MW205
entries, MW209), the forbidden codes, and the require-mw-kind counts of §4.

Each file's MW2xx findings must be *exactly* the listed ones: the README lists no
tolerances for these codes.
"""

import collections
import glob
import os
from functools import lru_cache

import pytest
from helpers import REAL

from mwlint.engine import lint_paths
from mwlint.settings import Settings

FILES = sorted(glob.glob(os.path.join(REAL, "*.yaml")))
assert len(FILES) == 16, "tests/fixtures/real must hold the 16 real versions"
COMMITS = [os.path.basename(f).split("-kubernetes")[0].rsplit("-", 1)[1] for f in FILES]


@lru_cache(maxsize=None)
def findings_of(commit, require_mw_kind=False):
    (path,) = [f for f in FILES if f"-{commit}-" in os.path.basename(f)]
    return tuple(lint_paths([path], Settings(require_mw_kind=require_mw_kind)).findings)


def mw2(commit, code):
    return [f for f in findings_of(commit) if f.code == code]


def E(i):
    return f"mw_releases[{i}]"


# §3.2 (G3) and §3.3 (mixed G3/G4): the legacy entries (MW205, by index with the entry
# line where the README gives it), the debug key lines (MW201), the debug: true entries
# without mw_kind (MW202, with the line where given) and MW203 releases.
LEGACY = {
    "3f4f43ed": dict(mw205={0: 247}, mw201=[252], mw202={0: None}),
    "b22e0919": dict(mw205={0: 248}, mw201=[253], mw202={0: None}),
    "dba30a58": dict(mw205={0: 248, 1: 254, 2: 260, 3: 266, 4: 272},
                     mw201=[253, 259, 265, 271, 277], mw202={0: None}),
    "64c41884": dict(mw205={0: 267, 1: None, 2: None, 3: None, 4: None, 5: 297},
                     mw201=[272, 278, 284, 290, 296], mw202={0: None}),
    "70fd8231": dict(mw205={i: None for i in range(6)},
                     mw201=[272, 278, 284, 290, 296, 301], mw202={0: None, 5: 297}),
    "45f7b0f6": dict(mw205={i: None for i in range(6)},
                     mw201=[272, 278, 284, 290, 296, 302], mw202={0: None, 5: None}),
    "f4bbaa74": dict(mw205={i: None for i in range(7)},
                     mw201=[268, 274, 280, 286, 292, 298, 304], mw202={0: None, 5: None}),
    "c5218f30": dict(mw205={i: None for i in range(8)},
                     mw201=[272, 278, 284, 290, 296, 302, 308, 314],
                     mw202={0: None, 6: None}),
    "d038f844": dict(mw205={1: 268, 2: None, 3: None, 4: None, 5: None, 6: None, 7: 304},
                     mw201=[267, 273, 279, 285, 291, 297, 303, 309],
                     mw202={0: 262, 6: 298},
                     mw203={"mw_releases[0].releases.pinkunicorn": 264}),
    "3211bf82": dict(mw205={1: 269, 2: None, 3: None, 4: None, 5: None, 6: None, 7: 305},
                     mw201=[268, 274, 280, 286, 292, 298, 304, 310],
                     mw202={0: 262, 6: 299},
                     mw203={"mw_releases[0].releases.pinkunicorn": 264,
                            "mw_releases[0].releases.next": 265}),
}

# §3.4: G4 with debug, the exact expected set.
G4_DEBUG = {
    "96fe1a10": dict(mw201=[274, 282, 290, 298, 306, 314, 320, 326],
                     mw202={0: 268, 6: 315},
                     mw203={"mw_releases[0].releases.pinkunicorn": 270,
                            "mw_releases[0].releases.next": 271,
                            "mw_releases[6].releases.main": 317}),
    "cf184ede": dict(mw201=[274, 283, 291, 300, 308, 316, 322, 328],
                     mw202={0: 268, 6: 317},
                     mw203={"mw_releases[0].releases.pinkunicorn": 270,
                            "mw_releases[0].releases.next": 271,
                            "mw_releases[6].releases.main": 319}),
}

EXPECTED = {**LEGACY, **G4_DEBUG}


# --- §3.1 the 2022 shapes ------------------------------------------------------------

def test_g1_hash_is_one_mw205_naming_the_generation():
    fs = [f for f in findings_of("c1a04edb") if f.code.startswith("MW2")]
    assert [(f.code, f.line) for f in fs] == [("MW205", 234)]
    assert fs[0].yaml_path.startswith("mw_releases")
    assert "2022 hash" in fs[0].message
    assert not {f.code for f in findings_of("c1a04edb")} & {"MW101", "MW201", "MW202"}


def test_g2_list_of_one_key_hashes_is_one_mw205_naming_the_generation():
    fs = [f for f in findings_of("2125c65d") if f.code.startswith("MW2")]
    assert [(f.code, f.line, f.yaml_path) for f in fs] == [("MW205", 246, "mw_releases[0]")]
    assert "list of one-key hashes" in fs[0].message
    assert not {f.code for f in findings_of("2125c65d")} & {
        "MW101", "MW102", "MW103", "MW201", "MW202"}


# --- §3.2-§3.4 line for line ---------------------------------------------------------

@pytest.mark.parametrize("commit", sorted(EXPECTED))
def test_mw201_at_every_debug_key(commit):
    fs = mw2(commit, "MW201")
    assert [f.line for f in fs] == EXPECTED[commit]["mw201"]
    for f in fs:
        assert f.yaml_path.endswith(".debug") and f.yaml_path.startswith("mw_releases[")
        assert f.column == 5  # the key, not the value


@pytest.mark.parametrize("commit", sorted(EXPECTED))
def test_mw202_once_per_debug_true_entry(commit):
    fs = mw2(commit, "MW202")
    want = EXPECTED[commit]["mw202"]
    assert [f.yaml_path for f in fs] == [E(i) for i in sorted(want)]
    for f, (i, line) in zip(fs, sorted(want.items())):
        if line is not None:
            assert f.line == line, (i, f.line)
        # at the entry's first key (the line of `- namespace:`)
        assert f.column == 5


@pytest.mark.parametrize("commit", sorted(EXPECTED))
def test_mw203_only_on_releases_map_debug_releases(commit):
    fs = mw2(commit, "MW203")
    assert {f.yaml_path: f.line for f in fs} == EXPECTED[commit].get("mw203", {})
    assert len(fs) == len(EXPECTED[commit].get("mw203", {}))
    for f in fs:
        assert f.column == 7  # the release key


@pytest.mark.parametrize("commit", sorted(EXPECTED))
def test_mw205_once_per_flat_entry(commit):
    fs = mw2(commit, "MW205")
    want = EXPECTED[commit].get("mw205", {})
    assert [f.yaml_path for f in fs] == [E(i) for i in sorted(want)]
    for f, (i, line) in zip(fs, sorted(want.items())):
        if line is not None:
            assert f.line == line, (i, f.line)
        assert f.column == 5
        assert "uses the flat release/canary format" in f.message


@pytest.mark.parametrize("commit", sorted(LEGACY))
def test_mw202_and_mw205_share_the_entry_position(commit):
    """Both are conclusions about a whole entry: the line of `- namespace:`."""
    lines205 = {f.yaml_path: f.line for f in mw2(commit, "MW205")}
    for f in mw2(commit, "MW202"):
        if f.yaml_path in lines205:
            assert f.line == lines205[f.yaml_path]


def test_the_mixed_files_mw202_lines_agree_with_mw205():
    # d038f844: mw-misc [6] is flat, so MW205 and MW202 share line 298
    assert {f.line for f in mw2("d038f844", "MW205") if f.yaml_path == E(6)} == {298}
    assert {f.line for f in mw2("3211bf82", "MW205") if f.yaml_path == E(6)} == {299}


def test_mw209_only_on_64c41884_line_300():
    for commit in COMMITS:
        fs = mw2(commit, "MW209")
        if commit == "64c41884":
            assert [(f.line, f.yaml_path, f.severity) for f in fs] == [
                (300, "mw_releases[5].mw_flavour", "warning")]
            assert "'debug'" in fs[0].message
        else:
            assert fs == [], commit


@pytest.mark.parametrize("commit", COMMITS)
def test_mw2xx_set_is_exact(commit):
    """Every MW2xx finding of a file is one the README lists (no extra finding)."""
    got = collections.Counter(f.code for f in findings_of(commit) if f.code.startswith("MW2"))
    want = collections.Counter()
    if commit in EXPECTED:
        exp = EXPECTED[commit]
        want.update({"MW201": len(exp["mw201"]), "MW202": len(exp["mw202"]),
                     "MW203": len(exp.get("mw203", {})), "MW205": len(exp.get("mw205", {}))})
    elif commit in ("c1a04edb", "2125c65d"):
        want["MW205"] = 1
    if commit == "64c41884":
        want["MW209"] = 1
    assert got == +want


@pytest.mark.parametrize("commit", COMMITS)
def test_forbidden_mw2xx_codes(commit):
    codes = {f.code for f in findings_of(commit)}
    assert not codes & {"MW204", "MW206", "MW207", "MW208"}, codes
    if commit not in EXPECTED:
        assert "MW203" not in codes and "MW202" not in codes and "MW201" not in codes


@pytest.mark.parametrize("commit", sorted(LEGACY))
def test_legacy_entries_get_no_model_rules(commit):
    """A flat entry gets MW205, MW201, MW202 and the flavour checks, nothing else: no MW203,
    no MW102 for its missing releases, no MW103 for release/canary/debug."""
    flat = {f.yaml_path for f in mw2(commit, "MW205")}
    allowed = {"MW205", "MW201", "MW202", "MW102", "MW106", "MW209"}
    for f in findings_of(commit):
        entry = f.yaml_path.split(".")[0]
        if entry in flat and f.code not in allowed:
            pytest.fail(f"{f.code} at line {f.line} on a flat entry: {f.message}")
        if f.code == "MW102":
            assert commit in ("64c41884", "70fd8231") and "releases" not in f.message.split(
                "(")[0], f.message


@pytest.mark.parametrize("commit", ["001797c3", "263a58ee"])
def test_after_the_migration_nothing_from_mw2xx(commit):
    """§3.5/§3.6: the migration is complete; mw-experimental/pinkllama (debug-image at
    production, deploy: false) stays clean, and the deploy: false releases have no stage."""
    assert [f for f in findings_of(commit) if f.code.startswith("MW2")] == []


def test_fixable_flags_on_the_fix_input():
    """cf184ede is the --fix input: every MW201 there is a releases-map entry, not reached
    through an alias, so fixable; MW201 on flat entries never is."""
    assert all(f.fixable for f in mw2("cf184ede", "MW201"))
    assert not any(f.fixable for f in mw2("c5218f30", "MW201"))
    # d038f844: only the releases-map entry [0] is fixable
    assert [f.yaml_path for f in mw2("d038f844", "MW201") if f.fixable] == [
        "mw_releases[0].debug"]


# --- §4 require-mw-kind --------------------------------------------------------------

REQUIRE = {
    "001797c3": {"mw-web": 4, "mw-api-int": 3, "mw-api-ext": 4, "mw-jobrunner": 3,
                 "mw-parsoid": 3, "mw-wikifunctions": 3, "mw-videoscaler": 1,
                 "mw-script": 1},
    "263a58ee": {"mw-web": 4, "mw-api-int": 3, "mw-api-ext": 4, "mw-jobrunner": 3,
                 "mw-parsoid": 1, "mw-wikifunctions": 3, "mw-videoscaler": 1,
                 "mw-pretrain": 1},
}


@pytest.mark.parametrize("commit,total", [("001797c3", 22), ("263a58ee", 20)])
def test_require_mw_kind_counts(commit, total):
    fs = [f for f in findings_of(commit, True) if f.code == "MW202"]
    assert len(fs) == total
    assert collections.Counter(f.context[0] for f in fs) == REQUIRE[commit]
    if commit == "263a58ee":
        assert [f.context[1] for f in fs if f.context[0] == "mw-parsoid"] == ["pinkllama"]
    # nothing else changes
    others = [f.code for f in findings_of(commit, True) if f.code != "MW202"]
    assert others == [f.code for f in findings_of(commit)]
