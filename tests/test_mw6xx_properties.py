"""Property tests for the deploy-service rules (deploy-service.md §2, §3): hypothesis
generates configurations scap S2 accepts (mwlint: no error) and mutates them in the ways
the spec says scap refuses (mwlint: an error, MW6xx). Every mutation runs, on a fixed
configuration and on generated ones, and must give its own code."""

import copy

import pytest
import yaml
from helpers import lint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GROUPS_KEY = "profile::kubernetes::deployment_server::deploy_service::cluster_groups"
CATALOG_KEY = "profile::kubernetes::deployment_server::deploy_service::service_catalog"
ENV_NAMES = ["eqiad", "codfw", "staging-eqiad", "staging-codfw", "dse-k8s-eqiad", "traindev"]
STAGE_NAMES = ["CANARY", "DEFAULT", "LATE"]
RELEASE_NAMES = ["main", "canary", "production", "migration"]


@st.composite
def groups(draw):
    out = {}
    for gname in draw(st.lists(st.sampled_from(["wikikube", "dse-k8s", "aux"]), min_size=1,
                               max_size=2, unique=True)):
        envs = draw(st.lists(st.sampled_from(ENV_NAMES), min_size=1, max_size=4, unique=True))
        taken = set(envs)
        environments = {}
        for e in envs:
            env = {"datacenter": draw(st.sampled_from(["eqiad", "codfw"])),
                   "type": draw(st.sampled_from(["STAGING", "PRODUCTION"]))}
            if draw(st.booleans()):
                alias = e.split("-")[0] + "-alias"
                if alias not in taken:
                    taken.add(alias)
                    env["aliases"] = [alias]
            environments[e] = env
        stages = draw(st.lists(st.sampled_from(STAGE_NAMES), min_size=1, max_size=3,
                               unique=True))
        g = {"environments": environments, "environment_stages": stages,
             "environment_default_stage": draw(st.sampled_from(stages))}
        if draw(st.booleans()):
            g["dir"] = gname + "-services"
        out[gname] = g
    return out


@st.composite
def configs(draw):
    gs = draw(groups())
    services = {}
    for sname in draw(st.lists(st.sampled_from(["eventstreams", "shellbox", "superset"]),
                               min_size=1, max_size=2, unique=True)):
        gname = draw(st.sampled_from(sorted(gs)))
        g = gs[gname]
        names_of = {e: [e] + v.get("aliases", []) for e, v in g["environments"].items()}
        deployed = []  # (env, stage)
        namespaces = {}
        for ns in draw(st.lists(st.sampled_from([sname, sname + "-next"]), min_size=1,
                                max_size=2, unique=True)):
            envs = draw(st.lists(st.sampled_from(sorted(names_of)), min_size=1,
                                 unique=True))
            environments = {}
            for e in envs:
                ref = draw(st.sampled_from(names_of[e]))
                if draw(st.booleans()):  # every release: no key, or null (both accepted)
                    environments[ref] = draw(st.sampled_from([{}, {"releases": None}]))
                    deployed.append((e, g["environment_default_stage"]))
                    continue
                releases = {}
                for r in draw(st.lists(st.sampled_from(RELEASE_NAMES), min_size=1,
                                       max_size=2, unique=True)):
                    if draw(st.booleans()):
                        stage = draw(st.sampled_from(g["environment_stages"]))
                        releases[r] = {"stage": stage}
                    else:
                        stage = g["environment_default_stage"]
                        releases[r] = {}
                    deployed.append((e, stage))
                environments[ref] = {"releases": releases}
            namespaces[ns] = {"environments": environments}
        service = {"cluster_group": gname, "namespaces": namespaces}
        picked = draw(st.lists(st.sampled_from(sorted(set(deployed))), max_size=2,
                               unique_by=lambda p: p[0]))
        if picked:
            checks = {}
            for e, stage in picked:
                ref = draw(st.sampled_from(names_of[e]))
                items = []
                if draw(st.booleans()):
                    items.append({"commands": draw(st.lists(
                        st.sampled_from(["true", "curl -sf http://x/healthz", "httpbb t"]),
                        min_size=1, unique=True))})
                items.append({"manual": draw(st.one_of(st.none(), st.just("All good?")))})
                checks[ref] = {stage: items}
            service["checks"] = checks
        elif draw(st.booleans()):
            service["checks"] = draw(st.sampled_from([None, {}]))  # no checks: accepted
        services[sname] = service
    return {GROUPS_KEY: gs, CATALOG_KEY: {"services": services}}


def errors(data):
    text = yaml.safe_dump(data, sort_keys=False)
    return [f for f in lint(text) if f.severity == "error"]


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(configs())
def test_valid_configs_give_no_error(data):
    assert errors(data) == []


def _first(d):
    return next(iter(d.values()))


def _service(data):
    return _first(data[CATALOG_KEY]["services"])


def _group(data):
    return _first(data[GROUPS_KEY])


def _env_ref(data):
    return _first(_first(_service(data)["namespaces"])["environments"])


def _mutations():
    def unknown_group_key(d):
        _group(d)["dirs"] = "x"

    def unknown_env_key(d):
        _first(_group(d)["environments"])["datacentre"] = "eqiad"

    def unknown_service_key(d):
        _service(d)["cluster"] = "x"

    def unknown_ref_key(d):
        _env_ref(d)["release"] = {"main": {}}

    def unknown_catalog_key(d):
        d[CATALOG_KEY]["extra"] = {}

    def no_type(d):
        _first(_group(d)["environments"]).pop("type")

    def no_datacenter(d):
        _first(_group(d)["environments"]).pop("datacenter")

    def no_stages(d):
        _group(d).pop("environment_stages")

    def no_default(d):
        _group(d).pop("environment_default_stage")

    def no_cluster_group(d):
        _service(d).pop("cluster_group")

    def lower_type(d):
        env = _first(_group(d)["environments"])
        env["type"] = env["type"].lower()

    def default_not_a_stage(d):
        _group(d)["environment_default_stage"] = "NOPE"

    def empty_releases(d):
        _env_ref(d)["releases"] = {}

    def empty_environments(d):
        _group(d)["environments"] = {}

    def empty_stages(d):
        _group(d)["environment_stages"] = []

    def duplicate_stage(d):
        g = _group(d)
        g["environment_stages"] = g["environment_stages"] + g["environment_stages"][:1]

    def empty_services(d):
        d[CATALOG_KEY]["services"] = {}

    def empty_namespaces(d):
        _service(d)["namespaces"] = {}

    def undefined_group(d):
        _service(d)["cluster_group"] = "nowhere"

    def undefined_env_ref(d):
        envs = _first(_service(d)["namespaces"])["environments"]
        envs["no-such-env"] = {}

    def int_datacenter(d):
        _first(_group(d)["environments"])["datacenter"] = 3

    def undefined_release_stage(d):
        _env_ref(d)["releases"] = {"main": {"stage": "NOPE"}}

    def two_check_keys(d):
        s = _service(d)
        ref = next(iter(_first(s["namespaces"])["environments"]))
        s["checks"] = {ref: {"DEFAULT": [{"commands": [], "manual": None}]}}

    def unsupported_check(d):
        s = _service(d)
        ref = next(iter(_first(s["namespaces"])["environments"]))
        s["checks"] = {ref: {"DEFAULT": [{"logstash_check": {"threshold": 1}}]}}

    def check_on_nothing(d):
        # a stage of the group at which the first namespace's first env deploys nothing
        s = _service(d)
        g = d[GROUPS_KEY][s["cluster_group"]]
        g["environment_stages"] = g["environment_stages"] + ["NEVER"]
        ref = next(iter(_first(s["namespaces"])["environments"]))
        s["checks"] = {ref: {"NEVER": [{"manual": None}]}}

    def alias_is_another_name(d):
        envs = _group(d)["environments"]
        names = list(envs)
        if len(names) < 2:
            envs["extra-env"] = {"datacenter": "eqiad", "type": "STAGING"}
            names.append("extra-env")
        envs[names[0]]["aliases"] = [names[1]]

    def int_name(d):
        _service(d)["namespaces"][7] = {"environments": {"x": {}}}

    return [unknown_group_key, unknown_env_key, unknown_service_key, unknown_ref_key,
            unknown_catalog_key, no_type, no_datacenter, no_stages, no_default,
            no_cluster_group, lower_type, default_not_a_stage, empty_releases,
            empty_environments, empty_stages, duplicate_stage, empty_services,
            empty_namespaces, undefined_group, undefined_env_ref, int_datacenter,
            undefined_release_stage, two_check_keys, unsupported_check, check_on_nothing,
            alias_is_another_name, int_name]


MUTATIONS = _mutations()

# mutation -> (the code it must give, other codes it may bring along on a generated config)
EXPECTED = {
    "unknown_group_key": ("MW601", ()), "unknown_env_key": ("MW601", ()),
    "unknown_service_key": ("MW601", ()), "unknown_ref_key": ("MW601", ()),
    "unknown_catalog_key": ("MW601", ()), "no_type": ("MW602", ()),
    "no_datacenter": ("MW602", ()), "no_stages": ("MW602", ()), "no_default": ("MW602", ()),
    "no_cluster_group": ("MW602", ()), "lower_type": ("MW604", ()),
    "default_not_a_stage": ("MW604", ()), "empty_releases": ("MW603", ()),
    # the env-refs of the group's services resolve to nothing any more
    "empty_environments": ("MW603", ("MW606",)),
    "empty_stages": ("MW603", ()), "duplicate_stage": ("MW605", ()),
    "empty_services": ("MW603", ()), "empty_namespaces": ("MW603", ()),
    "undefined_group": ("MW606", ()), "undefined_env_ref": ("MW606", ()),
    "int_datacenter": ("MW603", ()), "undefined_release_stage": ("MW604", ()),
    # a group without a DEFAULT stage: the check's stage is not one
    "two_check_keys": ("MW603", ("MW604",)), "unsupported_check": ("MW604", ()),
    "check_on_nothing": ("MW607", ()),
    # the first environment's own alias, replaced, may be what a service used
    "alias_is_another_name": ("MW605", ("MW606",)),
    "int_name": ("MW603", ()),
}

# A fixed valid configuration (the documented example's shape): every mutation applies.
FIXED = {
    GROUPS_KEY: {
        "wikikube": {
            "environments": {
                "staging-codfw": {"datacenter": "codfw", "type": "STAGING"},
                "staging-eqiad": {"datacenter": "eqiad", "type": "STAGING",
                                  "aliases": ["staging"]},
                "codfw": {"datacenter": "codfw", "type": "PRODUCTION"},
                "eqiad": {"datacenter": "eqiad", "type": "PRODUCTION"}},
            "environment_stages": ["CANARY", "DEFAULT"],
            "environment_default_stage": "DEFAULT"}},
    CATALOG_KEY: {"services": {"eventstreams": {
        "cluster_group": "wikikube",
        "namespaces": {"eventstreams": {"environments": {
            "staging": {},
            "eqiad": {"releases": {"canary": {"stage": "CANARY"}, "production": {}}},
            "codfw": {"releases": {"canary": {"stage": "CANARY"}, "production": {}}}}}},
        "checks": {"eqiad": {"CANARY": [{"manual": "Graphs normal?"}]}}}}},
}


def test_the_table_names_every_mutation():
    assert sorted(EXPECTED) == sorted(m.__name__ for m in MUTATIONS)
    assert len(MUTATIONS) == 27


def test_fixed_config_is_valid():
    assert errors(copy.deepcopy(FIXED)) == []
    assert [f.code for f in lint(yaml.safe_dump(FIXED, sort_keys=False))] == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_of_a_fixed_config_gives_its_code(mutation):
    data = copy.deepcopy(FIXED)
    mutation(data)
    code, _also = EXPECTED[mutation.__name__]
    found = {f.code for f in errors(data)}
    assert code in found, (mutation.__name__, found)
    allowed = {code, "MW606"} if mutation.__name__ == "empty_environments" else {code}
    assert found <= allowed, (mutation.__name__, found)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=configs())
def test_mutations_scap_refuses_are_errors(data, mutation):
    data = copy.deepcopy(data)
    mutation(data)
    code, also = EXPECTED[mutation.__name__]
    found = {f.code for f in errors(data)}
    assert code in found, (mutation.__name__, found)
    assert found <= {code, *also}, (mutation.__name__, found)
