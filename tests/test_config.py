"""Config files: discovery, precedence (command line > nearest file > parent > default),
every key, per-file-ignores, --config, --isolated, --show-settings, per-file settings in one
run."""

import os

import pytest
from helpers import RELEASES_KEY, triples

from mwlint.cli import main
from mwlint.config import ConfigResolver, read_config
from mwlint.config.resolve import glob_matches
from mwlint.engine import lint_paths
from mwlint.settings import Settings

DOC = RELEASES_KEY + """:
  - namespace: mw-web
    releases:
      main: {}
      canary: {stage: canary}
    mw_flavour: publish-83
    web_flavour: webserver-bookworm
    owner: x
"""
MW105 = ("MW105", 5, 23)
MW103 = ("MW103", 8, 5)


@pytest.fixture
def repo(tmp_path):
    """``tmp_path/repo`` (a repository root) with ``hieradata/a/k.yaml`` = DOC."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "hieradata" / "a").mkdir(parents=True)
    (root / "hieradata" / "a" / "k.yaml").write_text(DOC)
    return root


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _resolved(path, **kw):
    return ConfigResolver(**kw).resolve(str(path))


def _cli(capsys, monkeypatch, cwd, *argv):
    monkeypatch.chdir(cwd)
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# -- discovery -------------------------------------------------------------------------------

def test_no_config_gives_the_defaults(repo):
    r = _resolved(repo / "hieradata" / "a" / "k.yaml")
    assert r.settings == Settings()
    assert r.files == ()
    assert r.origins == {}  # every setting has its default


def test_nearest_file_wins_key_by_key_over_parents(repo):
    _write(repo / ".mwlint.toml", 'fail-on = "info"\nknown-kinds = ["image"]\n')
    _write(repo / "hieradata" / ".mwlint.toml", 'fail-on = "warning"\n')
    _write(repo / "hieradata" / "a" / "pyproject.toml",
           '[tool.mwlint]\nfail-on = "error"\ndefault-dir = "dse-k8s-services"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml")
    assert r.files == (str(repo / "hieradata" / "a" / "pyproject.toml"),
                       str(repo / "hieradata" / ".mwlint.toml"), str(repo / ".mwlint.toml"))
    assert r.settings.fail_on == "error"  # nearest
    assert r.settings.default_dir == "dse-k8s-services"
    assert r.settings.known_kinds == ("image",)  # from the root: not set nearer
    assert r.origins["fail_on"] == str(repo / "hieradata" / "a" / "pyproject.toml")
    assert r.origins["known_kinds"] == str(repo / ".mwlint.toml")
    assert "select" not in r.origins  # default
    # a sibling directory sees only what is above it
    r2 = _resolved(repo / "hieradata" / "b" / "other.yaml")
    assert r2.settings.fail_on == "warning"
    assert r2.settings.default_dir == "services"


def test_command_line_beats_every_file(repo):
    _write(repo / ".mwlint.toml", 'fail-on = "info"\nignore = ["MW103"]\n')
    _write(repo / "hieradata" / ".mwlint.toml", 'fail-on = "warning"\n')
    cli = Settings(fail_on="error", known_kinds=("x",))
    r = _resolved(repo / "hieradata" / "a" / "k.yaml", cli=cli, cli_fields={"fail_on"})
    assert r.settings.fail_on == "error"
    assert r.origins["fail_on"] == "command line"
    assert r.settings.ignore == ("MW103",)  # the command line did not set it
    # a value of the command line that was not given explicitly is only a default
    assert r.settings.known_kinds == ("x",)


def test_mwlint_toml_beats_pyproject_in_the_same_directory(repo):
    _write(repo / "pyproject.toml", '[tool.mwlint]\nfail-on = "info"\n')
    _write(repo / ".mwlint.toml", 'default-dir = "x"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml")
    assert r.files == (str(repo / ".mwlint.toml"),)
    assert r.settings.fail_on == "error"


def test_pyproject_without_tool_mwlint_is_not_a_config(repo):
    _write(repo / "hieradata" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\n')
    _write(repo / ".mwlint.toml", 'fail-on = "info"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml")
    assert r.files == (str(repo / ".mwlint.toml"),)


def test_discovery_stops_at_the_repository_root(tmp_path, repo):
    _write(tmp_path / ".mwlint.toml", 'fail-on = "info"\n')  # above the root
    assert _resolved(repo / "hieradata" / "a" / "k.yaml").settings.fail_on == "error"
    # a .git file (worktrees, submodules) marks a root too
    sub = repo / "hieradata" / "a"
    (sub / ".git").write_text("gitdir: elsewhere\n")
    _write(repo / ".mwlint.toml", 'fail-on = "warning"\n')
    assert _resolved(sub / "k.yaml").settings.fail_on == "error"


def test_without_a_repository_discovery_goes_to_the_filesystem_root(tmp_path):
    _write(tmp_path / "top" / ".mwlint.toml", 'fail-on = "info"\n')
    r = _resolved(tmp_path / "top" / "x" / "y" / "k.yaml")
    assert r.settings.fail_on == "info"


def test_explicit_config_replaces_discovery(repo, tmp_path):
    _write(repo / ".mwlint.toml", 'fail-on = "info"\n')
    other = _write(tmp_path / "elsewhere.toml", 'default-dir = "x"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml", config=str(other))
    assert r.files == (str(other),)
    assert r.settings.fail_on == "error" and r.settings.default_dir == "x"
    pyproject = _write(tmp_path / "p" / "pyproject.toml", '[tool.mwlint]\nfail-on = "info"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml", config=str(pyproject))
    assert r.settings.fail_on == "info"


@pytest.mark.parametrize("name, text", [
    ("ci.toml", '[tool.mwlint]\nfail-on = "info"\nignore = ["MW103"]\n'),
    ("ci.toml", 'fail-on = "info"\nignore = ["MW103"]\n'),
    # a pyproject-like file under another name: its other tables are not mwlint's
    ("pyproject-ci.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n'
                          '[tool.mwlint]\nfail-on = "info"\nignore = ["MW103"]\n'),
    (".mwlint.toml", '[tool.mwlint]\nfail-on = "info"\nignore = ["MW103"]\n'),
])
def test_explicit_config_of_any_name_holds_a_tool_mwlint_table_or_top_level_keys(
        repo, tmp_path, capsys, monkeypatch, name, text):
    cfg = _write(tmp_path / "cfg" / name, text)
    r = _resolved(repo / "hieradata" / "a" / "k.yaml", config=str(cfg))
    assert r.files == (str(cfg),)
    assert r.settings.fail_on == "info" and r.settings.ignore == ("MW103",)
    status, out, err = _cli(capsys, monkeypatch, repo, "--config", str(cfg), "--format",
                            "json", "hieradata")
    assert (status, err) == (1, "")
    assert "MW103" not in out and "MW105" in out


def test_isolated_ignores_every_file(repo, tmp_path):
    _write(repo / ".mwlint.toml", 'fail-on = "info"\n')
    r = _resolved(repo / "hieradata" / "a" / "k.yaml", isolated=True,
                  config=str(tmp_path / "missing.toml"))
    assert r.files == () and r.settings.fail_on == "error"


def test_resolution_is_cached_per_directory(repo, monkeypatch):
    _write(repo / ".mwlint.toml", 'fail-on = "info"\n')
    resolver = ConfigResolver()
    reads = []
    import mwlint.config.files as files

    real = files.read_config
    monkeypatch.setattr(files, "read_config", lambda *a, **k: reads.append(a) or real(*a, **k))
    for name in ("k.yaml", "l.yaml", "m.yaml"):
        resolver.settings_for(str(repo / "hieradata" / "a" / name))
    resolver.settings_for(str(repo / "hieradata" / "b" / "n.yaml"))
    assert len(reads) == 1


def test_walk_listings_give_the_same_settings_without_stat_calls(repo, monkeypatch):
    """The directory listings of the walk replace the per-directory stat calls of config
    discovery, and change nothing in what is found: configs at several levels, a
    pyproject.toml that does not configure mwlint, a folder named like a config file, the
    repository root and the Puppet types folder."""
    from mwlint.engine import discover

    _write(repo / ".mwlint.toml", 'fail-on = "info"\nignore = ["MW208"]\n')
    _write(repo / "hieradata" / "a" / ".mwlint.toml", 'fail-on = "warning"\n')
    _write(repo / "hieradata" / "b" / "pyproject.toml", '[project]\nname = "x"\n')
    _write(repo / "hieradata" / "b" / "c" / "pyproject.toml", '[tool.mwlint]\nignore = []\n')
    (repo / "hieradata" / "d" / ".mwlint.toml").mkdir(parents=True)
    _write(repo / "hieradata" / "d" / "k.yaml", DOC)
    for sub in ("b", "b/c", "e/f/g"):
        _write(repo / "hieradata" / sub / "k.yaml", DOC)
    _write(repo / "modules" / "profile" / "types" / "mediawiki" / "release.pp",
           "type Profile::Mediawiki::Release = Hash\n")
    listings = {}
    files = discover([str(repo)], listings)
    assert len(files) == 5 and str(repo) in listings

    plain = ConfigResolver()
    expected = [(plain.resolve(f).settings, plain.resolve(f).files) for f in files]

    import mwlint.config.files as cfiles
    import mwlint.config.resolve as cresolve

    stats = []
    real_isfile, real_exists, real_isdir = os.path.isfile, os.path.exists, os.path.isdir

    def counting(real):
        return lambda p: stats.append(p) or real(p)

    monkeypatch.setattr(cfiles.os.path, "isfile", counting(real_isfile))
    monkeypatch.setattr(cfiles.os.path, "exists", counting(real_exists))
    monkeypatch.setattr(cresolve.os.path, "isdir", counting(real_isdir))
    hinted = ConfigResolver()
    hinted.add_listings(listings)
    got = [(hinted.resolve(f).settings, hinted.resolve(f).files) for f in files]
    assert got == expected
    # only names present in a listing are looked at (plus the directories above the walk)
    walked = [p for p in stats if os.path.dirname(p).startswith(str(repo))]
    assert sorted(os.path.relpath(p, repo) for p in walked) == sorted([
        ".git", ".mwlint.toml", "modules/profile/types", "hieradata/a/.mwlint.toml",
        "hieradata/b/pyproject.toml", "hieradata/b/c/pyproject.toml",
        "hieradata/d/.mwlint.toml"])


def test_engine_passes_the_walk_listings_to_the_resolver(repo):
    resolver = ConfigResolver()
    got = []
    run = lint_paths([str(repo)], Settings(), settings_for=resolver.settings_for,
                     on_listings=lambda ls: got.append(ls) or resolver.add_listings(ls))
    assert run.files == 1
    assert set(got[0]) == {str(repo), str(repo / "hieradata"), str(repo / "hieradata" / "a")}
    assert got[0][str(repo)] >= {".git", "hieradata"}


# -- every key -------------------------------------------------------------------------------

@pytest.mark.parametrize("toml, attr, value", [
    ('select = ["MW1", "debug-image-stage"]', "select", ("MW1", "debug-image-stage")),
    ('ignore = ["MW208"]', "ignore", ("MW208",)),
    ('fail-on = "warning"', "fail_on", "warning"),
    ('[severity]\nMW204 = "error"\nMW20 = "info"', "severity",
     {"MW204": "info", **{c: "info" for c in
                          ("MW201", "MW202", "MW203", "MW205", "MW206", "MW207", "MW208",
                           "MW209")}}),
    ('severity = {unknown-kind = "error"}', "severity", {"MW208": "error"}),
    ('default-clusters = ["dse-k8s-eqiad"]', "default_clusters", ("dse-k8s-eqiad",)),
    ('default-dir = "dse-k8s-services"', "default_dir", "dse-k8s-services"),
    ('known-kinds = ["image", "x"]', "known_kinds", ("image", "x")),
    ('known-dirs = []', "known_dirs", ()),
    ('require-mw-kind = true', "require_mw_kind", True),
    ('max-file-size = 1024', "max_file_size", 1024),
    ('max-file-size = "2K"', "max_file_size", 2048),
    ('mw-flavour-pattern = "^publish-[0-9]+$"', "mw_flavour_pattern", "^publish-[0-9]+$"),
    ('web-flavour-pattern = "^webserver$"', "web_flavour_pattern", "^webserver$"),
    ('extra-keys = {entry = ["owner"], release = []}', "extra_keys",
     {"entry": ("owner",), "release": ()}),
])
def test_every_key(tmp_path, toml, attr, value):
    cf = read_config(str(_write(tmp_path / ".mwlint.toml", toml + "\n")))
    s = ConfigResolver(config=cf.path).settings_for(str(tmp_path / "k.yaml"))
    got = getattr(s, attr)
    if attr == "severity":
        assert {k: v for k, v in got.items()} == value
    else:
        assert got == value


def test_deployment_charts_is_relative_to_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "charts" / "helmfile.d").mkdir(parents=True)
    _write(tmp_path / "puppet" / ".mwlint.toml", 'deployment-charts = "../charts"\n')
    monkeypatch.chdir(tmp_path / "puppet")
    s = ConfigResolver().settings_for("k.yaml")
    assert s.deployment_charts == str(tmp_path / "charts")


# -- per-file-ignores --------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, rel, hit", [
    ("k.yaml", "hieradata/a/k.yaml", True),  # no '/': the file name, any depth
    ("*.yaml", "k.yaml", True),
    ("hieradata/*.yaml", "hieradata/a/k.yaml", False),  # '*' stays in one directory
    ("hieradata/*/k.yaml", "hieradata/a/k.yaml", True),
    ("hieradata/**/k.yaml", "hieradata/k.yaml", True),
    ("hieradata/**/k.yaml", "hieradata/a/b/k.yaml", True),
    ("hieradata/**", "hieradata/a/b/k.yaml", True),
    ("./hieradata/a/k.y?ml", "hieradata/a/k.yaml", True),
    ("hieradata/[ab]/k.yaml", "hieradata/a/k.yaml", True),
    ("hieradata/[!ab]/k.yaml", "hieradata/a/k.yaml", False),
    ("role/**", "hieradata/role/x.yaml", False),
    ("*-*-*.yaml", "hieradata/a/x-y-z.yaml", True),
    ("*-*-*.yaml", "hieradata/a/x-y.yaml", False),
    ("hieradata/a**.yaml", "hieradata/a/b/k.yaml", True),  # '**' inside a name crosses '/'
    ("hieradata/**/**/k.yaml", "hieradata/k.yaml", True),
    ("hieradata/[^a]/k.yaml", "hieradata/b/k.yaml", True),  # '^' negates, as '!' does
    ("hieradata/[]a]/k.yaml", "hieradata/]/k.yaml", True),  # ']' first: a member
    ("hieradata/[!]]/k.yaml", "hieradata/a/k.yaml", True),
    ("hieradata/[!]]/k.yaml", "hieradata/]/k.yaml", False),
    ("hieradata/[[]a]/k.yaml", "hieradata/[a]/k.yaml", True),
    ("hieradata/[a/k.yaml", "hieradata/[a/k.yaml", True),  # no ']': a plain '['
    ("hieradata/[]", "hieradata/[]", True),
])
def test_glob_matching(tmp_path, pattern, rel, hit):
    assert glob_matches(pattern, str(tmp_path / rel), str(tmp_path)) is hit


def test_files_outside_the_config_directory_never_match(tmp_path):
    assert not glob_matches("**", str(tmp_path / "k.yaml"), str(tmp_path / "sub"))


def test_per_file_ignores_apply_to_matching_files_only(repo):
    _write(repo / ".mwlint.toml", '[per-file-ignores]\n"hieradata/a/*.yaml" = ["MW103"]\n'
                                  '"nomatch.yaml" = ["MW105"]\n')
    _write(repo / "hieradata" / "b" / "k.yaml", DOC)
    resolver = ConfigResolver()
    run = lint_paths([str(repo / "hieradata")], resolver.cli,
                     settings_for=resolver.settings_for)
    by_file = {os.path.relpath(r.path, repo): triples(r.findings, "MW1") for r in run.results}
    assert by_file == {os.path.join("hieradata", "a", "k.yaml"): [MW105],
                       os.path.join("hieradata", "b", "k.yaml"): [MW105, MW103]}


def test_engine_applies_the_nearest_config_of_each_file(repo):
    _write(repo / "hieradata" / "b" / "k.yaml", DOC)
    _write(repo / "hieradata" / "b" / ".mwlint.toml", 'ignore = ["invalid-stage"]\n'
                                                      'extra-keys = {entry = ["owner"]}\n')
    resolver = ConfigResolver()
    run = lint_paths([str(repo / "hieradata")], resolver.cli,
                     settings_for=resolver.settings_for)
    got = [(os.path.basename(os.path.dirname(r.path)), triples(r.findings, "MW1"))
           for r in run.results]
    assert got == [("a", [MW105, MW103]), ("b", [])]


def test_max_file_size_from_the_config_applies_to_reading(repo):
    _write(repo / ".mwlint.toml", "max-file-size = 100\n")
    resolver = ConfigResolver()
    run = lint_paths([str(repo / "hieradata")], resolver.cli,
                     settings_for=resolver.settings_for)
    assert [f.code for f in run.findings] == ["MW003"]


# -- command line ------------------------------------------------------------------------------

def test_cli_precedence_end_to_end(repo, capsys, monkeypatch):
    _write(repo / ".mwlint.toml", 'select = ["MW1"]\nignore = ["MW105"]\n')
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert "MW103" in out and "MW105" not in out and status == 1
    _write(repo / "hieradata" / "a" / ".mwlint.toml", 'ignore = ["MW103"]\n')
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert "MW105" in out and "MW103" not in out  # nearer ignore replaces the parent's
    status, out, _ = _cli(capsys, monkeypatch, repo, "--ignore", "MW105,MW103", "hieradata")
    assert out.strip() == "mwlint: OK" and status == 0
    status, out, _ = _cli(capsys, monkeypatch, repo, "--isolated", "--select", "MW103",
                          "hieradata")
    assert "MW103" in out and "MW105" not in out


def test_fail_on_from_the_config_sets_the_exit_status(repo, capsys, monkeypatch):
    _write(repo / ".mwlint.toml", 'select = ["MW103"]\nseverity = {MW103 = "warning"}\n')
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert "warning MW103" in out and status == 0
    _write(repo / ".mwlint.toml", 'select = ["MW103"]\nseverity = {MW103 = "warning"}\n'
                                  'fail-on = "warning"\n')
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert status == 1 and "FAILED" in out
    status, out, _ = _cli(capsys, monkeypatch, repo, "--fail-on", "error", "hieradata")
    assert status == 0


def test_stdin_filename_finds_the_config_of_that_path(repo, capsys, monkeypatch):
    import io
    import sys

    _write(repo / "hieradata" / "a" / ".mwlint.toml", 'select = ["MW105"]\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DOC.encode())))
    status, out, _ = _cli(capsys, monkeypatch, repo, "-", "--stdin-filename",
                          "hieradata/a/k.yaml")
    assert out.startswith("hieradata/a/k.yaml:5:23: error MW105") and "MW103" not in out


def test_show_settings_names_the_origin_of_each_setting(repo, capsys, monkeypatch):
    _write(repo / ".mwlint.toml", 'fail-on = "warning"\n[per-file-ignores]\n'
                                  '"k.yaml" = ["MW2"]\n')
    _write(repo / "hieradata" / "pyproject.toml", '[tool.mwlint]\nknown-kinds = ["image"]\n')
    status, out, err = _cli(capsys, monkeypatch, repo, "--show-settings", "--default-dir",
                            "x", "hieradata/a/k.yaml")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "# mwlint settings for hieradata/a/k.yaml"
    assert lines[1] == ("# config files, nearest first: "
                        f"{os.path.join('hieradata', 'pyproject.toml')}, .mwlint.toml")

    def row(key):
        return next(ln for ln in lines if ln.startswith(key))

    assert row("fail-on = ").split("#")[1].strip() == ".mwlint.toml"
    assert row("known-kinds = ").endswith("# " + os.path.join("hieradata", "pyproject.toml"))
    assert row("default-dir = ").endswith("# command line")
    assert row("require-mw-kind = ").endswith("# default")
    assert '# + per-file-ignores for this file: ["MW2"]' in out


def test_show_settings_lists_the_puppet_types(tmp_path, capsys, monkeypatch):
    import shutil

    from helpers import FIXTURES

    root = tmp_path / "p"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(os.path.join(FIXTURES, "puppet-types", "V4"),
                    root / "modules" / "profile" / "types")
    status, out, _ = _cli(capsys, monkeypatch, root, "--show-settings")
    assert status == 0
    assert "# Puppet types: " + os.path.join("modules", "profile", "types",
                                             "mediawiki_deployment.pp") in out
    assert '# allowed stages: ["canaries"]' in out
    assert '# allowed keys (entry): ["namespace", "releases", "mw_flavour", "web_flavour", ' \
           '"debug"]' in out


def test_library_resolver_without_command_line(repo):
    _write(repo / ".mwlint.toml", 'known-dirs = ["services"]\n')
    s = ConfigResolver().settings_for(str(repo / "hieradata" / "a" / "k.yaml"))
    assert s.known_dirs == ("services",)


def test_readme_configuration_example_is_a_valid_config(tmp_path):
    import re

    from helpers import HERE

    with open(os.path.join(os.path.dirname(HERE), "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    toml = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "deployment-charts").mkdir()
    cfg = _write(tmp_path / "repo" / ".mwlint.toml", toml)
    s = ConfigResolver().settings_for(str(cfg.parent / "k.yaml"))
    assert s.fail_on == "warning" and s.severity == {"MW204": "error"}
    assert s.deployment_charts == str(tmp_path / "deployment-charts")


def test_fail_on_per_file_configs_the_strictest_of_the_files_with_findings(repo, capsys,
                                                                          monkeypatch):
    _write(repo / ".mwlint.toml", 'select = ["MW103"]\nseverity = {MW103 = "warning"}\n')
    _write(repo / "hieradata" / "b" / "k.yaml", DOC)
    _write(repo / "hieradata" / "b" / ".mwlint.toml", 'fail-on = "warning"\n'
                                                      'select = ["MW105"]\n')
    _write(repo / "hieradata" / "c" / ".mwlint.toml", 'fail-on = "info"\n')  # no files
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata/a")
    assert status == 0 and "warning MW103" in out
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert status == 1  # b's findings reach b's threshold
    _write(repo / "hieradata" / "b" / "k.yaml", DOC.replace("canary}", "canaries}"))
    status, out, _ = _cli(capsys, monkeypatch, repo, "hieradata")
    assert status == 0 and "warning MW103" in out  # a's warning is below a's threshold


def test_per_file_ignores_within_one_directory_are_per_file(repo):
    """The settings memo is per directory only where no per-file ignore can apply: two files
    of one directory, one matched, keep their own settings in either order."""
    _write(repo / ".mwlint.toml", '[per-file-ignores]\n"hieradata/a/k.yaml" = ["MW103"]\n')
    resolver = ConfigResolver()
    matched = str(repo / "hieradata" / "a" / "k.yaml")
    other = str(repo / "hieradata" / "a" / "z.yaml")
    assert "MW103" not in resolver.settings_for(other).ignore
    assert "MW103" in resolver.settings_for(matched).ignore
    assert "MW103" not in resolver.settings_for(other).ignore
