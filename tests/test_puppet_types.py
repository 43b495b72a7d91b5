"""The Puppet type reader on each historical type shape (deployments-config.md §7.2), and
linting through a repository that carries its own types."""

import os
import shutil
import textwrap

import pytest
from helpers import DEPLOYMENTS_KEY, FIXTURES, RELEASES_KEY, triples

from mwlint.config import ConfigResolver
from mwlint.config.puppet_types import (
    PuppetTypeError,
    parse_types,
    read_texts,
    read_types_dir,
)
from mwlint.engine import lint_paths

TYPES = os.path.join(FIXTURES, "puppet-types")
S3 = ("testservers", "canaries", "production")

# version -> (top, entry, release, stages), from the §7.2 table
EXPECTED = {
    "V1": (None, {"name", "canary", "mw_flavour", "web_flavour", "debug"}, None, None),
    "V2": (None, {"namespace", "release", "canary", "mw_flavour", "web_flavour", "debug"},
           None, None),
    "V3": (None, {"namespace", "release", "canary", "releases", "mw_flavour", "web_flavour",
                  "debug"}, {"stage", "mw_flavour", "web_flavour"}, ("canaries",)),
    "V4": (None, {"namespace", "releases", "mw_flavour", "web_flavour", "debug"},
           {"stage", "mw_flavour", "web_flavour"}, ("canaries",)),
    "V5": (None, {"namespace", "releases", "mw_kind", "mw_flavour", "web_flavour", "debug"},
           {"stage", "mw_kind", "mw_flavour", "web_flavour", "deploy"}, S3),
    "V6": (None, {"namespace", "releases", "mw_kind", "mw_flavour", "web_flavour", "dir",
                  "clusters"}, {"stage", "mw_kind", "mw_flavour", "web_flavour", "deploy"}, S3),
    "V7": ({"deployment_targets", "supervision_rules"},
           {"namespace", "releases", "mw_kind", "mw_flavour", "web_flavour", "dir", "clusters",
            "scope"}, {"stage", "mw_kind", "mw_flavour", "web_flavour", "deploy"}, S3),
}


def _set(keys):
    return None if keys is None else set(keys)


@pytest.mark.parametrize("version", sorted(EXPECTED))
def test_reader_on_each_historical_shape(version):
    t = read_types_dir(os.path.join(TYPES, version))
    top, entry, release, stages = EXPECTED[version]
    assert _set(t.top) == top
    assert set(t.entry) == entry
    assert _set(t.release) == release
    assert t.stages == stages
    assert len(set(t.entry)) == len(t.entry)  # no key twice (V3's Variant is a union)


@pytest.mark.parametrize("text, entry, release, stages", [
    # the key written as the value's Optional, or as an Optional key
    ("type Profile::Mediawiki_deployment = Struct[{namespace => String, releases => "
     "Hash[String, Struct[{stage => Optional[Enum['canaries']]}]]}]",
     ("namespace", "releases"), ("stage",), ("canaries",)),
    ("type Profile::Mediawiki_deployment = Struct[{Optional['namespace'] => String, "
     "'releases' => Optional[Hash[String, Struct[{Optional[stage] => String}]]]}]",
     ("namespace", "releases"), ("stage",), None),
    # a leading :: and a Variant of Enums
    ("type ::Profile::Mediawiki_deployment = Struct[{releases => Hash[String, Struct[{"
     "stage => Variant[Enum['a'], Enum[\"b\"]]}]]}]",
     ("releases",), ("stage",), ("a", "b")),
    # comments of both kinds, trailing commas, regex and numbers in arguments
    ("# c\n/* block\n comment */ type Profile::Mediawiki_deployment = Struct[{\n"
     "  namespace => Pattern[/^mw-[a-z]+$/, /x\\/y/], # why\n"
     "  releases => Hash[String[1, 63], Struct[{deploy => Boolean,},],],\n}]\n",
     ("namespace", "releases"), ("deploy",), None),
    # a release type named by an alias defined in the same text
    ("type Profile::Mediawiki_deployment_release = Struct[{stage => Enum['canaries'], "
     "mw_kind => Optional[String]}]\n"
     "type Profile::Mediawiki_deployment = Struct[{releases => Hash[String, "
     "Profile::Mediawiki_deployment_release]}]",
     ("releases",), ("stage", "mw_kind"), ("canaries",)),
])
def test_reader_syntax_variants(text, entry, release, stages):
    t = read_texts({"modules/profile/types/mediawiki_deployment.pp": text})
    assert t.entry == entry
    assert t.release == release
    assert t.stages == stages


def test_entry_found_through_the_top_type_when_named_otherwise():
    t = read_texts({"mediawiki_deployments.pp": textwrap.dedent("""
        type Profile::Mediawiki_deployments = Struct[{
          deployment_targets => Array[Struct[{namespace => String, owner => String}]],
          supervision_rules  => Array[Hash],
        }]
    """)})
    assert t.top == ("deployment_targets", "supervision_rules")
    assert t.entry == ("namespace", "owner")
    assert t.release is None


@pytest.mark.parametrize("text, line, message", [
    ("type Profile::Mediawiki_deployment = Struct[{namespace => String", 1, "expected"),
    ("type Profile::Mediawiki_deployment = Struct[{\n  namespace -> String}]", 2, "expected"),
    ("class profile::foo { }", 1, "type Name"),
    ("type Profile::Mediawiki_deployment = Struct[{namespace => String}] @", 1, "'@'"),
    ("type Profile::Mediawiki_deployment = Struct[{\n\n  [a] => String}]", 3, "Struct key"),
    ("type Profile::Mediawiki_deployment = String", 1, "no Struct"),
    ("", 1, "no Struct"),
])
def test_unreadable_types_are_errors_with_a_line(text, line, message):
    with pytest.raises(PuppetTypeError) as e:
        read_texts({"x/mediawiki_deployment.pp": text})
    assert e.value.line == line
    assert message in e.value.message
    assert e.value.path == "x/mediawiki_deployment.pp"


def test_parse_types_names_every_alias():
    aliases = parse_types("type A = String\ntype B::C = Hash[String, A]\n")
    assert sorted(aliases) == ["a", "b::c"]
    assert aliases["b::c"][0] == "B::C"


# -- linting through a repository with its own types ---------------------------------------

def _repo(tmp_path, version=None, files=None):
    """A repository (with .git) whose types are ``version``'s, or the given texts."""
    root = tmp_path / "puppet"
    (root / ".git").mkdir(parents=True)
    types = root / "modules" / "profile" / "types"
    types.mkdir(parents=True)
    if version:
        for name in os.listdir(os.path.join(TYPES, version)):
            shutil.copy(os.path.join(TYPES, version, name), types / name)
    for name, text in (files or {}).items():
        (types / name).write_text(text)
    key_dir = root / "hieradata" / "role" / "common" / "deployment_server"
    key_dir.mkdir(parents=True)
    return root, key_dir / "kubernetes.yaml"


def _lint(path, prefix="MW1", **kw):
    resolver = ConfigResolver(**kw)
    run = lint_paths([str(path)], resolver.cli, settings_for=resolver.settings_for)
    return triples(run.findings, prefix), run, resolver


DEBUG_ERA = RELEASES_KEY + """:
  - namespace: mw-debug
    releases:
      pinkunicorn: {stage: testservers}
      next: {stage: canaries}
    mw_kind: debug-image
    mw_flavour: publish
    web_flavour: webserver
    debug: true
"""


def test_v4_repository_rejects_new_stages_and_mw_kind(tmp_path):
    _root, key = _repo(tmp_path, "V4")
    key.write_text(DEBUG_ERA)
    found, _run, _r = _lint(key)
    # V4: mw_kind unknown at entry level, stage Enum only canaries; debug allowed (no MW103)
    assert found == [("MW105", 4, 28), ("MW103", 6, 5)]
    (mw105,) = [f for f in _run.findings if f.code == "MW105"]
    assert "this repository's Puppet type" in mw105.message
    assert mw105.help.startswith("use one of canaries, or update the type")


def test_v5_repository_allows_everything_of_that_era(tmp_path):
    _root, key = _repo(tmp_path, "V5")
    key.write_text(DEBUG_ERA)
    found, _run, _r = _lint(key)
    assert found == []


def test_v6_repository_uses_the_builtin_sets_equivalent(tmp_path):
    _root, key = _repo(tmp_path, "V6")
    key.write_text(DEBUG_ERA.replace("    debug: true\n", "    dir: services\n    owner: x\n"))
    found, _run, _r = _lint(key)
    assert found == [("MW103", 10, 5)]


def test_v7_repository_mapping_form_top_keys(tmp_path):
    _root, key = _repo(tmp_path, "V7")
    key.write_text(DEPLOYMENTS_KEY + """:
  deployment_targets:
    - namespace: mw-web
      scope: train
      releases: {main: {}}
      mw_flavour: publish-83
      web_flavour: webserver-bookworm
  supervision_rules: []
  notes: x
""")
    found, _run, _r = _lint(key)
    assert found == [("MW103", 9, 3)]


def test_extra_keys_extend_the_repository_types(tmp_path):
    _root, key = _repo(tmp_path, "V4")
    key.write_text(DEBUG_ERA)
    (key.parent / ".mwlint.toml").write_text('extra-keys = {entry = ["mw_kind"]}\n')
    found, _run, _r = _lint(key)
    assert found == [("MW105", 4, 28)]


def test_isolated_ignores_the_repository_types(tmp_path):
    _root, key = _repo(tmp_path, "V4")
    key.write_text(DEBUG_ERA)
    found, _run, _r = _lint(key, isolated=True)
    assert found == []


def test_unreadable_type_file_warns_and_builtin_sets_apply(tmp_path):
    _root, key = _repo(tmp_path, files={
        "mediawiki_deployment.pp": "type Profile::Mediawiki_deployment = Struct[{\n oops"})
    key.write_text(DEBUG_ERA)
    found, _run, resolver = _lint(key)
    assert found == []  # the built-in (V6/V7) sets: mw_kind and stages fine
    assert len(resolver.warnings) == 1
    w = resolver.warnings[0]
    assert "mediawiki_deployment.pp:2:" in w and "built-in" in w and "\n" not in w


def test_types_found_in_an_ancestor_below_the_repository_root(tmp_path):
    root, key = _repo(tmp_path, "V4")
    # a nested repository root above the types is never crossed
    nested = root / "sub"
    (nested / ".git").mkdir(parents=True)
    inner = nested / "kubernetes.yaml"
    inner.write_text(DEBUG_ERA)
    key.write_text(DEBUG_ERA)
    found_outer, _run, _r = _lint(key)
    found_inner, _run2, _r2 = _lint(inner)
    assert ("MW105", 4, 28) in found_outer
    assert found_inner == []


def test_cli_prints_the_type_warning_once_on_stderr(tmp_path, capsys, monkeypatch):
    from mwlint.cli import main

    root, key = _repo(tmp_path, files={"mediawiki_deployment.pp": "type X = Struct[{"})
    key.write_text(DEBUG_ERA)
    (key.parent / "other.yaml").write_text(DEBUG_ERA)
    monkeypatch.chdir(root)
    status = main(["--select", "MW1", "hieradata"])
    err = capsys.readouterr().err
    assert status == 0
    warnings = [ln for ln in err.splitlines() if ln.startswith("mwlint: warning:")]
    assert len(warnings) == 1 and "cannot read the Puppet type" in warnings[0]


# Each real config, in a repository carrying the Puppet type of its era, passes that type:
# no MW103/MW105 (what Puppet accepted then, the reader must accept).
ERAS = [
    ("puppet-2022-03-24-c1a04edb-kubernetes.yaml", "V1"),
    ("puppet-2022-09-08-3f4f43ed-kubernetes.yaml", "V2"),
    ("puppet-2024-10-03-d038f844-kubernetes.yaml", "V3"),
    ("puppet-2024-10-07-3211bf82-kubernetes.yaml", "V3"),
    ("puppet-2024-10-15-96fe1a10-kubernetes.yaml", "V4"),
    ("puppet-2024-10-17-cf184ede-kubernetes.yaml", "V4"),
    ("puppet-2025-mid-001797c3-kubernetes.yaml", "V6"),
    ("puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml", "V7"),
]


@pytest.mark.parametrize("name, version", ERAS)
def test_real_configs_pass_the_type_of_their_era(tmp_path, name, version):
    from helpers import REAL

    _root, key = _repo(tmp_path, version)
    shutil.copy(os.path.join(REAL, name), key)
    found, _run, resolver = _lint(key, prefix="MW10")
    assert [t for t in found if t[0] in ("MW103", "MW105")] == []
    assert resolver.warnings == []


def test_a_later_config_fails_an_older_type(tmp_path):
    from helpers import REAL

    _root, key = _repo(tmp_path, "V4")
    shutil.copy(os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml"), key)
    found, run, _r = _lint(key, prefix="MW10")
    codes = {t[0] for t in found}
    assert {"MW103", "MW105"} <= codes  # mw_kind/deploy/dir unknown to V4, testservers too
    unknown = {f.message.split("'")[1] for f in run.findings if f.code == "MW103"}
    assert {"mw_kind", "deploy", "dir"} <= unknown


@pytest.mark.parametrize("data, words", [
    (b"type Profile::Mediawiki_deployment = Struct[{'na\xe9me' => String}]", "not UTF-8"),
    (b"type Profile::Mediawiki_deployment = Struct[{'namespace' => String}]" + b" " * 300000,
     "larger than"),
    (b"type Profile::Mediawiki_deployment = Struct[{'ns => String}]", "unexpected character"),
    # the reader recurses: deep nesting, a long alias chain and an alias fan-out are bounded
    (b"type Profile::Mediawiki_deployment = " + b"Optional[" * 1000 + b"String"
     + b"]" * 1000, "nested deeper than"),
    (b"type Profile::Mediawiki_deployment = A1\n"
     + b"".join(b"type A%d = A%d\n" % (i, i + 1) for i in range(1, 1000))
     + b"type A1000 = Struct[{namespace => String}]\n", "more than 100 aliases"),
    (b"type Profile::Mediawiki_deployment = A0\n"
     + b"".join(b"type A%d = Variant[A%d, A%d]\n" % (i, i + 1, i + 1) for i in range(40))
     + b"type A40 = Struct[{namespace => String}]\n", "expand to more than"),
    (b"type Profile::Mediawiki_deployment = Struct[{namespace => Integer[0, " + b"9" * 5000
     + b"]}]", "number longer than"),
])
def test_unreadable_type_files_are_one_warning(tmp_path, data, words):
    root, key = _repo(tmp_path)
    (root / "modules" / "profile" / "types" / "mediawiki_deployment.pp").write_bytes(data)
    key.write_text(DEBUG_ERA)
    found, _run, resolver = _lint(key)
    assert found == []
    assert len(resolver.warnings) == 1 and words in resolver.warnings[0]


def test_a_type_file_that_is_a_fifo_is_one_warning_not_a_hang(tmp_path):
    """A FIFO named like a type file would block the read forever: it is refused unopened."""
    import signal

    root, key = _repo(tmp_path)
    os.mkfifo(root / "modules" / "profile" / "types" / "mediawiki_deployment.pp")
    key.write_text(DEBUG_ERA)

    def _hung(*_):
        raise AssertionError("reading the type file blocked")

    old = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(5)
    try:
        found, _run, resolver = _lint(key)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert found == []
    assert len(resolver.warnings) == 1 and "not a regular file" in resolver.warnings[0]
