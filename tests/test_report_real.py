"""The build report check on the real configs (fixtures README §4), the fixture reports,
large reports, and the library function."""

from __future__ import annotations

import builtins
import json
import os
import re
import time

import pytest
import yaml
from helpers import DEPLOYMENTS_KEY, FIXTURES, KEY_PATH, REAL, RELEASES_KEY, triples

from mwlint.engine import check_report_data, check_report_text
from mwlint.report import parse_report_text
from mwlint.rules import all_rules

REPORTS = os.path.join(FIXTURES, "build-report")
LATE = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
MID = os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml")
BROKEN_G3 = os.path.join(REAL, "puppet-2023-07-26-64c41884-kubernetes.yaml")


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def report_path(name: str) -> str:
    return os.path.join(REPORTS, name)


def check_files(report_name: str, hiera_file=None, **kw):
    rp = report_path(report_name)
    hiera = read(hiera_file) if hiera_file else None
    return check_report_text(read(rp), hiera, report_path=rp, hiera_path=KEY_PATH, **kw)


# -- the late-2025 config and its fixture report --------------------------------------------

def test_late_config_passes_against_the_fixture_report():
    assert check_files("report-2025-late.json", LATE) == []


def test_fixture_report_covers_every_flavour_and_kind_of_the_late_config():
    data = json.loads(read(report_path("report-2025-late.json")))
    value = yaml.safe_load(read(LATE))[DEPLOYMENTS_KEY]
    used_mw, used_web = set(), set()
    for t in value["deployment_targets"]:
        for rel in t["releases"].values():
            used_mw.add((rel.get("mw_flavour", t["mw_flavour"]),
                         rel.get("mw_kind", t.get("mw_kind")) or "image"))
            used_web.add(rel.get("web_flavour", t["web_flavour"]))
    built_mw = {(f, k) for f, v in data["mediawiki"]["flavours"].items() for k in v["kinds"]}
    built_web = set(data["webserver"]["flavours"])
    assert used_mw == built_mw == {("publish-83", "image"), ("publish-83", "debug-image"),
                                   ("publish-83", "cli-image")}
    assert used_web == built_web == {"webserver-bookworm"}


def test_removing_cli_image_fails_every_cli_image_release_at_the_node_setting_it():
    """One missing kind is one finding, at the first node that sets it; the help names the
    other nodes (issue 20 item 7: three namespaces gave three MW403)."""
    findings = check_files("report-2025-late-no-cli-image.json", LATE)
    assert triples(findings) == [("MW403", 297, 16)]
    lines = read(LATE).splitlines()
    (f,) = findings
    assert lines[f.line - 1].strip() == 'mw_kind: "cli-image"'
    assert f.path == KEY_PATH and f.severity == "error"
    assert f.message == ("mw_kind 'cli-image' of 3 namespaces is not built for flavour "
                         "'publish-83': scap aborts the sync")
    rp = report_path("report-2025-late-no-cli-image.json")
    assert f.help == (f"set mw_kind to a kind of {rp} ('debug-image', 'image'), or add "
                      "'cli-image' to the image build of 'publish-83'; also set at line 307, "
                      "line 315")
    for n in (307, 315):
        assert lines[n - 1].strip() == 'mw_kind: "cli-image"'
    assert f.yaml_path == "mw_deployments.deployment_targets[10].mw_kind"


def test_missing_flavour_is_one_mw402_and_nothing_else():
    """A report lacking one flavour that 14 namespaces set: one MW402 (was 14), at the
    first namespace, the others counted in the message and listed in the help."""
    findings = check_files("report-flavour-missing.json", LATE)
    mw402 = [f for f in findings if f.code == "MW402"]
    assert triples(mw402) == [("MW402", 216, 19)]
    assert not [f for f in findings if f.code in ("MW403", "MW404")]
    (f,) = mw402
    # another PHP version is another build, not a typo: no did-you-mean, the help lists it
    assert "did you mean" not in f.message and "publish-84" not in f.message
    assert f.message == ("mw_flavour 'publish-83' of 14 namespaces is not in the build "
                         "report: scap aborts the sync")
    assert "('publish-84')" in f.help
    assert f.help.endswith("; also set at line 224, line 234, line 243 \u2026and 10 more")
    assert triples(findings, "MW405") == [("MW405", 4, 7)]


def test_web_image_missing_is_one_mw404():
    findings = check_files("report-web-image-missing.json", LATE)
    mw404 = [f for f in findings if f.code == "MW404"]
    setting = sorted(n for n, line in enumerate(read(LATE).splitlines(), 1)
                     if line.strip() == 'web_flavour: "webserver-bookworm"')
    assert len(setting) == 14 and [f.line for f in mw404] == setting[:1]
    assert mw404[0].message == ("web_flavour 'webserver-bookworm' of 14 namespaces has no kind "
                                "'image': scap aborts the sync")
    assert mw404[0].help.endswith(
        "; also set at " + ", ".join(f"line {n}" for n in setting[1:4]) + " \u2026and 10 more")


# -- fixtures README §4: the illustrative report of deployments-config.md §6.6 ----------------

def test_illustrative_report_late_config_one_mw405():
    findings = check_files("report-illustrative.json", LATE)
    assert triples(findings) == [("MW405", 12, 7)]
    assert findings[0].yaml_path == "mediawiki.flavours.publish-83-next"
    assert findings[0].severity == "info"


def test_illustrative_report_mid_config_mw402_at_publish_publish81_webserver():
    """Three missing names, three MW402 (was 25, one per node), each at the first node that
    sets it."""
    findings = check_files("report-illustrative.json", MID)
    text = read(MID)
    setting = {n for n, line in enumerate(text.splitlines(), 1)
               if re.fullmatch(r'\s*(mw_flavour: "(publish|publish-81)"|web_flavour: '
                               r'"webserver")', line)}
    mw402 = [f for f in findings if f.code == "MW402"]
    assert len(setting) == 25 and {269, 272, 273, 354} <= setting
    assert [(f.line, re.search(r"'([^']*)'", f.message).group(1)) for f in mw402] == [
        (269, "publish-81"), (272, "publish"), (273, "webserver")]
    assert all(len(f.message) <= 120 for f in mw402)
    assert not [f for f in findings if f.code in ("MW403", "MW404")]
    assert {f.code for f in findings} == {"MW402", "MW405"}


def test_legacy_entries_are_skipped_by_the_report_check():
    findings = check_files("report-illustrative.json", BROKEN_G3)
    assert not [f for f in findings if f.code in ("MW402", "MW403", "MW404")]


def test_by_flavour_report_of_mid_2025_against_its_config():
    findings = check_files("report-legacy-by-flavour.json", MID)
    assert triples(findings) == [("MW406", 3, 5), ("MW405", 5, 9)]
    assert findings[1].yaml_path == "mediawiki.by-flavour.publish.image"


def test_flat_report_against_the_late_config():
    findings = check_files("report-legacy-flat.json", LATE)
    assert triples(findings) == [("MW406", 3, 5)]
    assert "mw-cron/main" in findings[0].help  # cli-image has no slot: not checked


REAL_CONFIGS = sorted(n for n in os.listdir(REAL) if n.endswith(".yaml"))
FIXTURE_REPORTS = sorted(n for n in os.listdir(REPORTS) if n.endswith(".json"))


def test_the_real_fixtures_and_reports_are_there():
    """The parametrized test below runs on what the repository ships (no vacuous pass: it
    used to return early on README.md and MANIFEST.tsv)."""
    assert len(REAL_CONFIGS) >= 16 and len(FIXTURE_REPORTS) >= 10


@pytest.mark.parametrize("name", REAL_CONFIGS)
def test_every_real_config_against_every_fixture_report_never_crashes(name):
    hiera = read(os.path.join(REAL, name))
    total = 0
    for report in FIXTURE_REPORTS:
        findings = check_report_text(read(report_path(report)), hiera, report_path=report)
        total += len(findings)
        for f in findings:
            assert f.line >= 1 and f.column >= 1 and f.message
            assert len(f.message) <= 200
    assert total > 0  # report-empty.json alone gives MW401


def test_wrong_types_fixture():
    findings = check_files("report-wrong-types.json")
    assert triples(findings) == [("MW401", 6, 35), ("MW401", 7, 11), ("MW401", 8, 39),
                                 ("MW401", 10, 21), ("MW401", 12, 7), ("MW401", 13, 18),
                                 ("MW401", 19, 29)]


@pytest.mark.parametrize("name, expected", [
    ("report-empty.json", [("MW401", 1, 1)]),
    ("report-invalid-json.json", [("MW401", 7, 9)]),
    ("report-legacy-by-flavour.json", [("MW406", 3, 5)]),
    ("report-legacy-flat.json", [("MW406", 3, 5)]),
    ("report-2025-late.json", []),
    ("report-illustrative.json", []),
])
def test_fixture_reports_alone(name, expected):
    assert triples(check_files(name)) == expected


# -- large reports ------------------------------------------------------------------------------

def big_report(min_size: int = 2 * 1024 * 1024):
    """The late fixture report plus unused flavours, to at least ``min_size`` bytes."""
    data = json.loads(read(report_path("report-2025-late.json")))
    flavours = data["mediawiki"]["flavours"]
    template = json.dumps(flavours["publish-83"])
    i = 0
    while len(json.dumps(data, indent=2)) < min_size:
        for _ in range(250):
            name = f"publish-83-build-{i:05d}"
            flavours[name] = json.loads(template.replace("publish-83", name))
            i += 1
    return data, i


def test_two_megabyte_report_positions_and_time():
    data, extra = big_report()
    text = json.dumps(data, indent=2)
    assert len(text) >= 2 * 1024 * 1024
    t0 = time.perf_counter()
    findings = check_report_text(text, read(LATE))
    elapsed = time.perf_counter() - t0
    assert len(findings) == extra and {f.code for f in findings} == {"MW405"}
    last = f"publish-83-build-{extra - 1:05d}"
    line = text[:text.index(f'"{last}"')].count("\n") + 1
    f = [f for f in findings if f.yaml_path.endswith(last)][0]
    assert (f.line, f.column) == (line, 7)
    assert elapsed < 10, f"{elapsed:.2f}s for a 2 MB report"


def test_two_megabyte_minified_report_error_at_the_end():
    data, _extra = big_report()
    last = sorted(data["mediawiki"]["flavours"])[-1]
    data["mediawiki"]["flavours"][last]["kinds"]["image"]["image_name"] = ""
    text = json.dumps(data, separators=(",", ":"))
    findings = [f for f in check_report_text(text) if f.code == "MW401"]
    assert len(findings) == 1
    f = findings[0]
    needle = f'"{last}":'
    start = text.index(needle)
    expected_col = text.index('"image_name":""', start) + len('"image_name":') + 1
    assert (f.line, f.column, f.end_column) == (1, expected_col, expected_col + 2)


# -- library ------------------------------------------------------------------------------------

def late_value():
    return yaml.safe_load(read(LATE))[DEPLOYMENTS_KEY]


def test_library_plain_data_late_config_passes():
    report = json.loads(read(report_path("report-2025-late.json")))
    assert check_report_data(report, late_value()) == []
    # a whole hiera document works too
    assert check_report_data(report, yaml.safe_load(read(LATE))) == []


def test_library_missing_kind_names_the_nodes():
    report = json.loads(read(report_path("report-2025-late-no-cli-image.json")))
    (f,) = check_report_data(report, late_value())
    assert f.code == "MW403"
    assert f.yaml_path == "mediawiki-deployments.deployment_targets[10].mw_kind"
    assert f.path == "mediawiki-deployments.yaml"
    assert f.help.endswith("; also set at line 101, line 109")  # lines of the dumped value


def test_library_list_form_and_default_clusters():
    report = json.loads(read(report_path("report-2025-late.json")))
    value = yaml.safe_load(read(MID))[RELEASES_KEY]
    findings = check_report_data(report, value, default_clusters="eqiad codfw")
    mw402 = [f for f in findings if f.code == "MW402"]
    assert len(mw402) == 3  # publish, publish-81, webserver: one finding per missing name
    assert mw402[0].yaml_path.startswith("mediawiki-deployments[0].")
    findings = check_report_data(report, value[:1], default_clusters=["traindev"])
    assert findings[0].code == "MW402"
    assert findings[0].message.startswith("mw_flavour 'publish-81' of 'mw-debug/")
    assert findings[0].message.endswith("is not in the build report: scap aborts the sync")


def test_library_report_alone_and_bad_data():
    assert [f.code for f in check_report_data(None)] == ["MW401"]
    assert [f.code for f in check_report_data({"mediawiki": {1, 2}})] == ["MW401"]
    assert [f.code for f in check_report_data([])] == ["MW401"]
    report = json.loads(read(report_path("report-2025-late.json")))
    assert [f.code for f in check_report_data(report, "not a config")] == ["MW101"]
    with pytest.raises(TypeError):
        check_report_data(report, [{"namespace": object()}])


def test_library_does_no_file_io(monkeypatch):
    report = json.loads(read(report_path("report-2025-late-no-cli-image.json")))
    value = late_value()
    expected = check_report_data(report, value)  # warm up: lazy imports read modules

    def no_io(*_a, **_k):
        raise AssertionError("file I/O")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(os, "stat", no_io)
    assert check_report_data(report, value) == expected


def test_lookup_on_the_fixture_report():
    r = parse_report_text(read(report_path("report-illustrative.json")))
    assert r.metadata("mediawiki", "publish-83") == {"php_version": "8.3"}
    assert r.image_name("mediawiki", "publish-83-next").endswith("publish-83-next")
    assert r.flavour_names("webserver") == ("webserver-bookworm",)


# -- issue 12, item 2: a did-you-mean points at the side that looks misspelt ---------------------

def test_report_that_misspells_the_flavour_is_blamed_not_the_correct_config():
    """The build wrote 'pubilsh-83': the finding must not tell the deployer to change the
    correct hiera to the report's typo, and MW405 blames the report, not the config."""
    text = read(report_path("report-2025-late.json")).replace('"publish-83"', '"pubilsh-83"')
    assert '"pubilsh-83"' in text
    findings = check_report_text(text, read(LATE), report_path="report.json",
                                 hiera_path=KEY_PATH)
    (f,) = [f for f in findings if f.code == "MW402"]
    assert "did you mean" not in f.message
    assert f.message.endswith("is not in the build report, whose 'pubilsh-83' looks "
                              "misspelt")
    assert f.help.startswith("check the image build: report.json names the flavour "
                             "'pubilsh-83', not 'publish-83'; also set at line 224")
    (unused,) = [f for f in findings if f.code == "MW405"]
    assert unused.message == ("MediaWiki flavour 'pubilsh-83' is used by no release: did you "
                              "mean 'publish-83', the config's name?")
    assert "check the config" not in unused.help
    assert unused.help == ("fix the name in the image build: the config asks for "
                           "'publish-83', which the report lacks")


@pytest.mark.parametrize("report_kind, config_kind, message, help", [
    # the report misspelt the kind: blamed on the report (was "check the config for a
    # misspelt mw_kind")
    ("cli-imgae", "cli-image",
     "kind 'cli-imgae' of MediaWiki flavour 'publish-83' is used by no release: did you mean "
     "'cli-image', the config's name?",
     "fix the name in the image build: the config asks for 'cli-image', which the report "
     "lacks"),
    # the config misspelt it: the config is named
    ("cli-image", "cli-imgae",
     "kind 'cli-image' of MediaWiki flavour 'publish-83' is used by no release; the config's "
     "'cli-imgae' looks misspelt",
     "check the config's mw_kind 'cli-imgae': the report builds 'cli-image'"),
])
def test_mw405_blames_the_side_that_looks_misspelt(report_kind, config_kind, message, help):
    report = read(report_path("report-2025-late.json")).replace('"cli-image"',
                                                                f'"{report_kind}"')
    hiera = read(LATE).replace('mw_kind: "cli-image"', f'mw_kind: "{config_kind}"')
    findings = check_report_text(report, hiera, report_path="report.json",
                                 hiera_path=KEY_PATH)
    (f,) = [f for f in findings if f.code == "MW405"]
    assert (f.message, f.help) == (message, help)
    assert len(f.message) <= 120
    assert [g.code for g in findings if g.severity == "error"] == ["MW403"]


def test_config_that_misspells_the_flavour_gets_the_did_you_mean():
    text = read(LATE).replace('mw_flavour: "publish-83"', 'mw_flavour: "pubilsh-83"', 1)
    findings = check_report_text(read(report_path("report-2025-late.json")), text,
                                 report_path="report.json", hiera_path=KEY_PATH)
    (f,) = [f for f in findings if f.code == "MW402"]
    assert f.message.endswith("is not in the build report; did you mean 'publish-83'?")


def test_report_findings_on_hiera_nodes_come_from_rules_that_declare_it():
    """A report rule whose findings sit in the hiera file declares ``on_hiera`` (the engine
    judges a hiera file's suppressions for exactly those codes): no code list to keep."""
    declared = {r.code for r in all_rules() if getattr(r, "on_hiera", False)}
    on_hiera = set()
    for name in sorted(os.listdir(REPORTS)):
        if name.endswith(".json"):
            for hiera in (LATE, MID, BROKEN_G3):
                on_hiera |= {f.code for f in check_files(name, hiera)
                             if f.code.startswith("MW4") and f.path == KEY_PATH}
    assert declared and on_hiera == declared
