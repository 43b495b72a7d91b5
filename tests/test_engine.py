"""The one engine run (mwlint.engine.run) and its model stage (load_model), as the commands
and the fixer call them."""

import pytest
from helpers import RELEASES_KEY, releases_doc

from mwlint.engine import RunOptions, UsageError, load_model, run
from mwlint.findings import Finding
from mwlint.model import HieraFile
from mwlint.settings import Settings
from mwlint.source import read_bytes

GOOD = releases_doc("""
- namespace: mw-web
  releases:
    main: {}
  mw_flavour: publish
  web_flavour: webserver
""")
BAD_STAGE = GOOD.replace("main: {}", "main: {stage: canary}")


@pytest.mark.parametrize("text, expected", [
    (GOOD, HieraFile),
    ("other::key: 1\n", type(None)),  # no deployments key
    (RELEASES_KEY + ": [\n", Finding),  # not YAML: MW001
])
def test_load_model(text, expected):
    got = load_model(text, "k.yaml", Settings())
    assert isinstance(got, expected)
    if isinstance(got, Finding):
        assert got.code == "MW001" and got.path == "k.yaml"


def test_load_model_over_the_alias_budget_is_mw001():
    text = RELEASES_KEY + ":\n  - &a {namespace: x}\n" + "".join(
        "  - *a\n" for _ in range(50))
    got = load_model(text, "k.yaml", Settings(alias_budget=10))
    assert isinstance(got, Finding) and got.code == "MW001"


@pytest.mark.parametrize("scope, keep, codes, models", [
    ("check", False, ["MW105"], 0),
    ("check", True, ["MW105"], 1),
    ("plan", True, [], 1),  # models only: no rule runs
])
def test_run_scopes_and_models(tmp_path, scope, keep, codes, models):
    path = tmp_path / "k.yaml"
    path.write_text(BAD_STAGE)
    result = run(Settings(), [str(path)], RunOptions(scope=scope, keep_models=keep))
    assert [f.code for f in result.findings] == codes
    assert len(result.models) == models
    assert result.fail_on == "error"


def test_run_stops_and_reader(tmp_path):
    """``on_stop`` sees the MW001 that stopped a file even when MW001 is not selected;
    ``reader`` replaces the disk (plan --against reads a git revision)."""
    path = tmp_path / "k.yaml"
    path.write_text(GOOD)
    stops = []

    def reader(p, display, limit):
        return read_bytes((RELEASES_KEY + ": [\n").encode(), display, limit)

    result = run(Settings(select=("MW105",)), [str(path)], RunOptions(on_stop=stops.append),
                 reader=reader)
    assert result.findings == [] and [f.code for f in stops] == ["MW001"]


def test_run_threshold_from_files(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(BAD_STAGE)
    strict = Settings(fail_on="warning")
    result = run(Settings(), [str(path)], RunOptions(settings_for=lambda _p: strict,
                                                     threshold_from_files=True))
    assert result.fail_on == "warning"
    assert run(Settings(), [str(path)],
               RunOptions(settings_for=lambda _p: strict)).fail_on == "error"


def test_run_checks_reports_before_reading(tmp_path):
    with pytest.raises(UsageError, match="report does not exist"):
        run(Settings(), [str(tmp_path / "missing.yaml")], RunOptions(reports=[str(tmp_path / "r.json")]))
