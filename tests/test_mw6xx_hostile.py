"""Hostile inputs for the deploy-service family (issue 19 items 1 and 2): work linear in the
input (N against 4N, a ratio, not a time; a 5 s safety bound), and output linear in the
findings with a small constant (every value clipped, every help list capped)."""

import time
import tracemalloc

from mwlint.engine import lint_text
from mwlint.settings import Settings

GROUPS = "profile::kubernetes::deployment_server::deploy_service::cluster_groups"
CATALOG = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
PATH = "hieradata/role/common/deployment_server/kubernetes.yaml"


def _group(environments: str, stages: str = "[CANARY, DEFAULT]") -> str:
    return (f"{GROUPS}:\n  g:\n    environments:\n{environments}"
            f"    environment_stages: {stages}\n    environment_default_stage: DEFAULT\n")


def misspelt_env_refs(n: int) -> str:
    envs = "".join(f"      env-{i:05d}: {{datacenter: eqiad, type: PRODUCTION}}\n"
                   for i in range(n))
    refs = "".join(f"            env-{i:05d}x: {{}}\n" for i in range(n))
    return (_group(envs) + f"{CATALOG}:\n  services:\n    s:\n      cluster_group: g\n"
            f"      namespaces:\n        ns:\n          environments:\n{refs}")


def bad_stages(n: int) -> str:
    stages = "[" + ", ".join(f"STAGE{i:05d}" for i in range(n)) + ", DEFAULT]"
    rels = "".join(f"                r{i}: {{stage: STAGE{i:05d}X}}\n" for i in range(n))
    return (_group("      eqiad: {datacenter: eqiad, type: PRODUCTION}\n", stages)
            + f"{CATALOG}:\n  services:\n    s:\n      cluster_group: g\n      namespaces:\n"
              f"        ns:\n          environments:\n            eqiad:\n"
              f"              releases:\n{rels}")


def services(n: int) -> str:
    one = ("    s{0}:\n      cluster_group: g\n      namespaces:\n        ns{0}:\n"
           "          environments:\n            eqiad: {{releases: {{main: {{}}, "
           "canary: {{stage: CANARY}}}}}}\n            staging: {{}}\n")
    return (_group("      eqiad: {datacenter: eqiad, type: PRODUCTION}\n"
                   "      staging-eqiad: {datacenter: eqiad, type: STAGING, "
                   "aliases: [staging]}\n")
            + f"{CATALOG}:\n  services:\n" + "".join(one.format(i) for i in range(n)))


def _run(text: str, repeat: int = 1):
    """(the fastest of ``repeat`` runs, the findings): the machine may be busy."""
    best, found = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        found = lint_text(text, PATH, Settings())
        best = min(best, time.perf_counter() - start)
    return best, found


def _ratio(make, n: int, code: str, expected_per_n: int) -> float:
    _run(make(n // 4))  # warm up (imports, caches)
    small_t, small = _run(make(n), 3)
    big_t, big = _run(make(4 * n), 2)
    assert len([f for f in small if f.code == code]) == expected_per_n * n
    assert len([f for f in big if f.code == code]) == expected_per_n * 4 * n
    assert big_t < 5, big_t
    return big_t / max(small_t, 1e-3)  # linear: about 4 (less: hints are bounded)


def test_misspelt_env_refs_are_linear():
    # 0.2.0: every reference scanned every environment and ran difflib over all of them
    assert _ratio(misspelt_env_refs, 250, "MW606", 1) < 10


def test_bad_stages_are_linear():
    assert _ratio(bad_stages, 250, "MW604", 1) < 10


def test_many_services_are_linear_in_time_and_memory():
    text_n, text_4n = services(300), services(1200)
    _run(services(50))
    t1, f1 = _run(text_n, 3)
    t4, f4 = _run(text_4n, 3)
    assert f1 == [] and f4 == [] and t4 < 5
    assert t4 / t1 < 12, (t1, t4)  # linear: about 4 (garbage collection adds noise); quadratic: 16
    peaks = []
    for text in (services(150), services(600)):
        tracemalloc.start()
        lint_text(text, PATH, Settings())
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] / peaks[0] < 6, peaks


def test_mw604_help_is_capped_whatever_the_number_of_stages():
    text = bad_stages(5000)  # 50 KB of stages: 0.2.0 wrote them all into each help
    found = [f for f in lint_text(text, PATH, Settings()) if f.code == "MW604"]
    assert len(found) == 5000
    assert all(len(f.help) < 300 and f.help.endswith("and 4995 more") for f in found), \
        found[0].help
    out = sum(len(f.message) + len(f.help or "") + len(f.yaml_path) for f in found)
    assert out < 5000 * 400  # linear in the findings, a small constant each


def test_a_1mb_namespace_referenced_600_times_stays_small():
    name = "n" * 1_000_000
    refs = "".join(f"            nope-{i}: {{}}\n" for i in range(600))
    text = (_group("      eqiad: {datacenter: eqiad, type: PRODUCTION}\n")
            + f"{CATALOG}:\n  services:\n    s:\n      cluster_group: g\n      namespaces:\n"
              f"        ? {name}\n        : environments:\n{refs}")
    tracemalloc.start()
    try:
        found = lint_text(text, PATH, Settings())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2 ** 20, peak  # 0.2.0: the name copied into 600 YAML paths: 600 MB
    assert len([f for f in found if f.code == "MW606"]) == 600
    assert [f.code for f in found if f.code == "MW614"] == ["MW614"]
    for f in found:
        assert len(f.message) <= 120 and len(f.help or "") < 400 and len(f.yaml_path) < 400
        assert all(len(str(c)) < 2_000 for c in f.context if c != name), f.context
