"""The one engine run (mwlint.engine.run) and its model stage (load_model), as the commands
and the fixer call them."""

import os

import pytest
from helpers import FIXTURES, RELEASES_KEY, releases_doc

from mwlint.engine import RunOptions, UsageError, lint_buffer, load_model, run
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


# -- one run: each stage once -------------------------------------------------------------

SERVICES = os.path.join(FIXTURES, "deploy-service")


def _service_texts():
    with open(os.path.join(SERVICES, "kubernetes-deploy-service.yaml"), encoding="utf-8") as f:
        base = f.read()
    key = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
    return base[:base.index(key)], base[base.index(key):]


def test_a_catalog_before_its_groups_is_bound_once_and_read_once(tmp_path, monkeypatch):
    """The catalog's file comes first, its cluster groups in a later file: the catalog is
    bound to them after the model stage, without a second read or lint of its file."""
    import mwlint.engine as engine

    groups, catalog = _service_texts()
    (tmp_path / "a.yaml").write_text(catalog.replace("cluster_group: dse-k8s",
                                                     "cluster_group: dse-k8"))
    (tmp_path / "b.yaml").write_text(groups)
    reads = []
    real = engine.read_file

    def counting(path, display, limit, force=False):
        reads.append(os.path.basename(path))
        return real(path, display, limit, force)

    monkeypatch.setattr(engine, "read_file", counting)
    result = run(Settings(), [str(tmp_path)])
    assert sorted(reads) == ["a.yaml", "b.yaml"]
    assert [(os.path.basename(f.path), f.code) for f in result.findings
            if f.code.startswith("MW6")] == [("a.yaml", "MW606")]


@pytest.mark.parametrize("text", [GOOD, BAD_STAGE, BAD_STAGE + "# mwlint: disable=MW105\n"])
def test_lint_buffer_is_the_run_over_the_file(tmp_path, text):
    path = tmp_path / "k.yaml"
    path.write_text(text)
    on_disk = run(Settings(), [str(path)]).findings
    assert lint_buffer(text, str(path)).findings == on_disk


def test_lint_buffer_reads_no_file(tmp_path):
    """The buffer is what is linted, not the file of that name."""
    path = tmp_path / "k.yaml"
    path.write_text(GOOD)
    assert [f.code for f in lint_buffer(BAD_STAGE, str(path)).findings] == ["MW105"]


def test_no_engine_function_takes_more_than_six_parameters():
    import ast
    import inspect

    import mwlint.engine as engine

    tree = ast.parse(inspect.getsource(engine))
    too_many = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs
                     if x.arg not in ("self", "cls")]
            names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
            if len(names) > 6:
                too_many.append((node.name, len(names)))
    assert too_many == []


def test_core_findings_come_from_the_core_not_the_registry():
    """MW001/MW003/MW004/MW005 are made by rules.core in the stage that finds them."""
    import inspect

    import mwlint.engine as engine
    import mwlint.suppress as suppress
    import mwlint.suppress.baseline as baseline

    for module in (engine, suppress, baseline):
        assert "by_code()" not in inspect.getsource(module)


def test_deployment_charts_facts_are_loaded_once_per_run_in_the_model_stage(tmp_path,
                                                                             monkeypatch):
    """Two files naming one helmfile: it is looked up and read once; the rules (MW308)
    get the facts through the model, and find what they found when they read the disk."""
    from mwlint.charts.checkout import Checkout

    charts = os.path.join(FIXTURES, "deployment-charts")
    bad = GOOD.replace("main: {}", "main: {}\n      nosuch: {}")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(bad)
    calls = []
    real_read, real_lookup = Checkout.read, Checkout.lookup

    def read(self, rel, max_size):
        calls.append(("read", rel))
        return real_read(self, rel, max_size)

    def lookup(self, cluster_dir, namespace):
        calls.append(("lookup", cluster_dir, namespace))
        return real_lookup(self, cluster_dir, namespace)

    monkeypatch.setattr(Checkout, "read", read)
    monkeypatch.setattr(Checkout, "lookup", lookup)
    result = run(Settings(deployment_charts=charts, select=("MW308",)), [str(tmp_path)])
    assert [(os.path.basename(f.path), f.code, f.line) for f in result.findings] == [
        ("a.yaml", "MW308", 5), ("b.yaml", "MW308", 5)]
    assert sorted(calls) == [("lookup", "services", "mw-web"),
                             ("read", "helmfile.d/services/mw-web/helmfile.yaml")]


def test_the_severity_stage_applies_to_core_findings_too():
    """One severity stage over every finding: an override for MW001 applies (0.2.0 made
    MW001/MW003 after its severity step, so their overrides were silently ignored)."""
    from mwlint.engine import lint_text

    got = lint_text(RELEASES_KEY + ": [\n", "k.yaml", Settings(severity={"MW001": "warning"}))
    assert [(f.code, f.severity) for f in got] == [("MW001", "warning")]
