"""The static helmfile reader (mwlint/charts/helmfile.py, deployment-charts.md §6.2): the
fixture checkout's expected output (its README), the action scanner, masking and "open"
lists, parts and bases, and every way a file can be unreadable (unknown, never a crash)."""

import os
import textwrap

import pytest
import yaml
from helpers import FIXTURES

from mwlint.charts import MARKER, InstallList, checkout_for, read_helmfile
from mwlint.charts.helmfile import (
    TemplateError,
    clear_cache,
    find_actions,
    is_control,
    mask_part,
    parse_text,
    split_parts,
)

CHARTS = os.path.join(FIXTURES, "deployment-charts")
WEB = "helmfile.d/services/mw-web/helmfile.yaml"
DEBUG = "helmfile.d/services/mw-debug/helmfile.yaml"
DUMPS = "helmfile.d/dse-k8s-services/mediawiki-dumps-legacy/helmfile.yaml"

WEB_ALL = ("main", "next", "migration", "canary", "prometheus")
DEBUG_PROD = ("pinkunicorn", "next", "prometheus")

# The fixture README's "Expected reader output" table.
EXPECTED = [
    (WEB, {"eqiad": WEB_ALL, "codfw": WEB_ALL, "traindev": ("main", "canary"),
           "traindev-staging": ("main",)},
     WEB_ALL, "helmfile.d/services/global.yaml"),
    (DEBUG, {"eqiad": DEBUG_PROD, "codfw": DEBUG_PROD, "staging-eqiad": ("staging",),
             "staging-codfw": ("staging",), "traindev": ("pinkunicorn",),
             "traindev-staging": ("pinkunicorn",)},
     ("pinkunicorn", "next", "staging", "prometheus"), "helmfile.d/services/global.yaml"),
    (DUMPS, {"dse-k8s-eqiad": ("production", "resources")}, ("production", "resources"),
     "helmfile.d/dse-k8s-services/global.yaml"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.mark.parametrize("rel,envs,releases,base", EXPECTED, ids=["mw-web", "mw-debug",
                                                                    "dumps"])
def test_fixture_checkout(rel, envs, releases, base):
    facts = read_helmfile(CHARTS, rel)
    assert facts.unknown is None and facts.readable
    assert facts.path == rel
    assert {k: v.names for k, v in facts.environments.items()} == envs
    assert not any(v.open for v in facts.environments.values())
    assert facts.releases == releases
    assert not facts.environments_open and not facts.releases_open
    assert facts.bases == (base,)


@pytest.mark.parametrize("rel", [WEB, DEBUG, DUMPS])
def test_fixture_helmfiles_are_not_yaml_before_masking(rel):
    with open(os.path.join(CHARTS, rel), encoding="utf-8") as fh:
        text = fh.read()
    parts = split_parts(text)
    assert len(parts) == 2
    for part in parts:
        with pytest.raises(yaml.YAMLError):
            yaml.safe_load(part)


def test_base_files_declare_nothing():
    facts = read_helmfile(CHARTS, "helmfile.d/services/global.yaml")
    assert (facts.environments, facts.releases, facts.environments_open,
            facts.releases_open) == ({}, (), False, False)


# -- the scanner -------------------------------------------------------------------------

SCAN_CASES = [
    ("plain", "a: {{ .x }}", ["{{ .x }}"]),
    ("two on a line", "{{ if .a }}x{{ end }}", ["{{ if .a }}", "{{ end }}"]),
    ("raw string holding }}", "v: '{{`{{ .Release.Name }}`}}' # c",
     ["{{`{{ .Release.Name }}`}}"]),
    ("go string holding }}", 'v: {{ "}}" | quote }}', ['{{ "}}" | quote }}']),
    ("escaped quote", r'v: {{ "a\"}}" }}', [r'{{ "a\"}}" }}']),
    ("rune", "v: {{ '}' }}", ["{{ '}' }}"]),
    ("comment holding }}", "{{/* }} */}}x", ["{{/* }} */}}"]),
    ("raw string over lines", "a: {{`x\n}}\ny`}} b", ["{{`x\n}}\ny`}}"]),
    ("trim markers", "{{- .x -}}", ["{{- .x -}}"]),
    ("none", "a: b\nc: '{ {x} }'", []),
]


@pytest.mark.parametrize("text,actions", [c[1:] for c in SCAN_CASES],
                         ids=[c[0] for c in SCAN_CASES])
def test_find_actions(text, actions):
    assert [text[s:e] for s, e in find_actions(text)] == actions


@pytest.mark.parametrize("text", ["a: {{ .x", "a: {{ `raw }}", 'a: {{ "str }}\n"}}',
                                  "{{/* }}", "a: {{ 'x }}"])
def test_unterminated_is_an_error(text):
    with pytest.raises(TemplateError):
        find_actions(text)


CONTROL_CASES = [
    ("{{ if .x }}", True), ("{{- else if .y }}", True), ("{{ end -}}", True),
    ("{{ range $i, $v := .l }}", True), ("{{ with .v }}", True),
    ('{{ define "x" }}', True), ('{{ template "x" . }}', True), ("{{ break }}", True),
    ("{{ $name := env \"X\" }}", True), ("{{ $name = 3 }}", True),
    ("{{/* note */}}", True), ("{{- /* note */ -}}", True),
    ("{{ .Values.x }}", False), ('{{ env "RELEASE_NAME" }}', False),
    ('{{ "no" | fail }}', False), ('{{ include "x" . }}', False), ("{{ toYaml .v }}", False),
    ("{{ $name }}", False), ("{{ ifx }}", False),
]


@pytest.mark.parametrize("action,control", CONTROL_CASES, ids=[c[0] for c in CONTROL_CASES])
def test_is_control(action, control):
    assert is_control(action) is control


# -- masking -----------------------------------------------------------------------------

def test_masking_keeps_line_numbers():
    text = "a: {{`x\ny\nz`}} tail\nb: 1\n"
    masked, opened = mask_part(text)
    assert masked.split("\n") == [f"a: {MARKER}", "", " tail", "b: 1", ""]
    assert opened == set()


MASK_CASES = [
    ("control line is blanked, opens nothing",
     "releases:\n{{- if .x }}\n  - name: a\n{{- end }}\n", set(), "releases:\n\n  - name: a\n\n"),
    ("printing line in releases opens releases",
     "releases:\n  - name: a\n  {{ include \"more\" . }}\n", {"releases"}, None),
    ("printing line in environments opens environments",
     "environments:\n  eqiad: {}\n{{ toYaml .envs }}\n", {"environments"}, None),
    ("printing line before any key opens everything", "{{ .header }}\nreleases: []\n", {"*"},
     None),
    ("printing line in another block opens that key only",
     "templates:\n  d: {}\n  {{ .extra }}\nreleases: []\n", {"templates"}, None),
    ("inline action is data, not a line", "releases:\n  - name: {{ .n }}\n", set(), None),
    ("quoted top-level key", '"releases":\n  {{ .x }}\n', {"releases"}, None),
]


@pytest.mark.parametrize("text,opened,masked", [c[1:] for c in MASK_CASES],
                         ids=[c[0] for c in MASK_CASES])
def test_mask_part(text, opened, masked):
    out, got = mask_part(text)
    assert got == opened
    if masked is not None:
        assert out == masked
    assert out.count("\n") == text.count("\n")


def test_split_parts_like_helmfile():
    assert split_parts("a: 1\r\n---\r\nb: 2\n") == ["a: 1", "b: 2\n"]
    assert split_parts("a: 1\n--- \nb: 2\n") == ["a: 1\n--- \nb: 2\n"]  # not a separator
    assert split_parts("---\na: 1\n") == ["---\na: 1\n"]  # no newline before it


# -- collecting facts ----------------------------------------------------------------------

def facts_of(text):
    acc = parse_text(textwrap.dedent(text))
    return acc


def test_single_part_with_environments_at_the_end():
    """The layout before March 2025: one part, environments after releases."""
    acc = facts_of("""
        releases:
          - name: main
          - name: canary
        environments:
          eqiad:
            values:
              - releases: [main]
              - "/etc/helmfile-defaults/clusterinfo-{{ .Environment.Name }}.yaml"
    """)
    assert acc.releases == ["main", "canary"]
    assert acc.environments == {"eqiad": InstallList(("main",), False)}


def test_later_non_empty_release_list_replaces_earlier():
    acc = facts_of("releases:\n  - name: a\n---\nreleases: []\n---\nreleases:\n  - name: b\n")
    assert acc.releases == ["b"] and not acc.releases_open


def test_environments_are_merged_over_parts():
    acc = facts_of("environments:\n  eqiad:\n    values:\n      - releases: [a]\n"
                   "---\nenvironments:\n  codfw: {}\n  eqiad:\n    values:\n"
                   "      - releases: [b]\n")
    assert acc.environments == {"eqiad": InstallList(("b",), False), "codfw": None}


def test_mw_script_like_release_list_is_open():
    """mw-script: a release named by RELEASE_NAME inside an if, with a fail line."""
    acc = facts_of("""
        releases:
        {{- if (env "RELEASE_NAME") }}
        {{- $release_name := env "RELEASE_NAME" }}
          - name: {{ $release_name }}
            namespace: mw-script
        {{- else }}
        {{ "RELEASE_NAME is not set" | fail }}
        {{- end }}
          - name: prometheus
          - name: mediawiki-common
        environments:
          eqiad:
            values:
              - releases: [mediawiki-common, prometheus, {{ env "RELEASE_NAME" }}]
    """)
    assert acc.releases == ["prometheus", "mediawiki-common"]
    assert acc.releases_open
    assert acc.environments["eqiad"] == InstallList(("mediawiki-common", "prometheus"), True)
    assert not acc.environments_open


FACT_CASES = [
    ("templated environment key", "environments:\n  {{ .Env }}: {}\n  eqiad: {}\n",
     (["eqiad"], True, [], False)),
    ("environments not a mapping", "environments: {{ toYaml .envs }}\n",
     ([], True, [], False)),
    ("release without a name", "releases:\n  - chart: x\n  - name: a\n",
     ([], False, ["a"], True)),
    ("releases not a list", "releases: {a: {}}\n", ([], False, [], True)),
    ("release item not a mapping", "releases:\n  - {{ .r }}\n", ([], False, [], True)),
    ("null releases", "releases:\n", ([], False, [], False)),
    ("helmfiles key", "helmfiles:\n  - path: other.yaml\nreleases:\n  - name: a\n",
     ([], True, ["a"], True)),
    ("numeric name", "releases:\n  - name: 123\n", ([], False, ["123"], False)),
    ("anchors and merge keys", "templates:\n  d: &d {namespace: x}\nreleases:\n"
                               "  - name: a\n    <<: *d\n", ([], False, ["a"], False)),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in FACT_CASES],
                         ids=[c[0] for c in FACT_CASES])
def test_collected_facts(text, expected):
    acc = parse_text(text)
    envs, envs_open, releases, releases_open = expected
    assert sorted(acc.environments) == envs
    assert acc.environments_open is envs_open
    assert acc.releases == releases
    assert acc.releases_open is releases_open


INSTALL_CASES = [
    ("last inline mapping with releases wins",
     "values:\n  - releases: [a]\n  - x: 1\n  - releases: [b]\n", InstallList(("b",), False)),
    ("no values", "missingFileHandler: Warn\n", None),
    ("only files", "values:\n  - \"/etc/{{ .Environment.Name }}.yaml\"\n", None),
    ("templated list", "values:\n  - releases: {{ toJson .r }}\n", InstallList((), True)),
    ("templated item", "values:\n  - releases: [a, \"{{ .b }}\"]\n", InstallList(("a",), True)),
    ("block list", "values:\n  - releases:\n    - a\n    - b\n", InstallList(("a", "b"), False)),
    ("templated values", "values: {{ .v }}\n", InstallList((), True)),
]


@pytest.mark.parametrize("env,expected", [c[1:] for c in INSTALL_CASES],
                         ids=[c[0] for c in INSTALL_CASES])
def test_install_lists(env, expected):
    text = "environments:\n  eqiad:\n" + textwrap.indent(env, "    ")
    assert parse_text(text).environments == {"eqiad": expected}


def test_yaml_error_and_unterminated_raise():
    with pytest.raises(yaml.YAMLError):
        parse_text("environments:\n  eqiad: [\n")
    with pytest.raises(TemplateError):
        parse_text("environments: {{ .x\n")
    with pytest.raises(TemplateError):
        parse_text("- a\n- b\n")  # a part that is not a mapping


# -- files, bases, limits ------------------------------------------------------------------

def write(root, rel, text, mode="w"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as fh:
        fh.write(text)
    return rel


HELMFILE = "helmfile.d/services/ns/helmfile.yaml"
SIMPLE = ("environments:\n  eqiad:\n    values:\n      - releases: [main]\n---\n"
          "bases:\n  - {base}\nreleases:\n  - name: main\n")


BASE_CASES = [
    ("base read, environments merged", "../global.yaml",
     {"helmfile.d/services/global.yaml": "environments:\n  staging: {}\nreleases:\n"
                                         "  - name: common\n"},
     (["eqiad", "staging"], False, ("common", "main"), False)),
    ("absolute base never read", "/etc/global.yaml", {}, (["eqiad"], True, ("main",), True)),
    ("templated base never read", "../{{ .Values.base }}.yaml", {},
     (["eqiad"], True, ("main",), True)),
    ("base outside the checkout", "../../../../outside.yaml", {"../outside.yaml": "a: 1\n"},
     (["eqiad"], True, ("main",), True)),
    ("missing base", "../nope.yaml", {}, (["eqiad"], True, ("main",), True)),
    ("base with bases of its own", "../global.yaml",
     {"helmfile.d/services/global.yaml": "bases:\n  - other.yaml\n"},
     (["eqiad"], True, ("main",), True)),
    ("unreadable base", "../global.yaml", {"helmfile.d/services/global.yaml": "a: [\n"},
     (["eqiad"], True, ("main",), True)),
]


@pytest.mark.parametrize("base,files,expected", [c[1:] for c in BASE_CASES],
                         ids=[c[0] for c in BASE_CASES])
def test_bases(tmp_path, base, files, expected):
    root = tmp_path / "checkout"
    root.mkdir()
    for rel, text in files.items():
        write(str(root), rel, text)
    write(str(root), HELMFILE, SIMPLE.format(base=base))
    facts = read_helmfile(str(root), HELMFILE)
    envs, envs_open, releases, releases_open = expected
    assert facts.unknown is None
    assert sorted(facts.environments) == envs
    assert (facts.environments_open, facts.releases, facts.releases_open) == (
        envs_open, releases, releases_open)


UNKNOWN_CASES = [
    ("not UTF-8", b"releases:\n  - name: \xff\n", "UTF-8"),
    ("NUL byte", b"releases: []\x00\n", "NUL"),
    ("not YAML", b"environments:\n  eqiad: [\n", "not YAML"),
    ("unterminated action", b"releases:\n  - name: {{ .x\n", "unterminated"),
    ("too deep", b"a: " + b"[" * 150 + b"]" * 150 + b"\n", "nesting"),
    ("too large", b"# " + b"x" * 2000 + b"\n", "max-file-size"),
]


@pytest.mark.parametrize("data,why", [c[1:] for c in UNKNOWN_CASES],
                         ids=[c[0] for c in UNKNOWN_CASES])
def test_unreadable_is_unknown(tmp_path, data, why):
    write(str(tmp_path), HELMFILE, data, "wb")
    facts = read_helmfile(str(tmp_path), HELMFILE, max_size=1000)
    assert not facts.readable and why in facts.unknown
    assert (facts.environments, facts.releases) == ({}, ())


def test_symlink_out_of_the_checkout_is_unknown(tmp_path):
    root = tmp_path / "checkout"
    root.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("releases:\n  - name: main\n")
    os.makedirs(root / "helmfile.d" / "services" / "ns")
    os.symlink(outside, root / HELMFILE)
    facts = read_helmfile(str(root), HELMFILE)
    assert facts.unknown == "resolves outside the deployment-charts checkout"


def test_missing_file_is_unknown(tmp_path):
    facts = read_helmfile(str(tmp_path), HELMFILE)
    assert not facts.readable and "cannot be read" in facts.unknown


def test_crlf_and_bom(tmp_path):
    write(str(tmp_path), HELMFILE,
          "\ufeffenvironments:\r\n  eqiad: {}\r\n---\r\nreleases:\r\n  - name: main\r\n")
    facts = read_helmfile(str(tmp_path), HELMFILE)
    assert facts.readable and list(facts.environments) == ["eqiad"]
    assert facts.releases == ("main",)


def test_cached_per_path_and_reread_when_changed(tmp_path):
    write(str(tmp_path), HELMFILE, "releases:\n  - name: a\n")
    first = read_helmfile(str(tmp_path), HELMFILE)
    assert read_helmfile(str(tmp_path), HELMFILE) is first
    write(str(tmp_path), HELMFILE, "releases:\n  - name: a\n  - name: bb\n")
    again = read_helmfile(str(tmp_path), HELMFILE)
    assert again.releases == ("a", "bb")


def test_template_functions_are_never_run(tmp_path):
    flag = tmp_path / "PWNED"
    text = ('releases:\n  - name: {{ exec "sh" (list "-c" "touch %s") }}\n'
            '  - name: {{ readFile "/etc/passwd" }}\n  - name: main\n' % flag)
    write(str(tmp_path), HELMFILE, text)
    facts = read_helmfile(str(tmp_path), HELMFILE)
    assert facts.releases == ("main",) and facts.releases_open
    assert not flag.exists()


def test_checkout_lookup(tmp_path):
    root = str(tmp_path)
    write(root, "helmfile.d/services/a/helmfile.yaml", "releases: []\n")
    write(root, "helmfile.d/services/b/helmfile.yaml.gotmpl", "releases: []\n")
    write(root, "helmfile.d/services/c/helmfile.yaml", "releases: []\n")
    write(root, "helmfile.d/services/c/helmfile.yaml.gotmpl", "releases: []\n")
    os.makedirs(os.path.join(root, "helmfile.d", "services", "d"))
    c = checkout_for(root)
    assert c.lookup("services", "a") == ("ok", "helmfile.d/services/a",
                                         "helmfile.d/services/a/helmfile.yaml")
    assert c.lookup("services", "b").path == "helmfile.d/services/b/helmfile.yaml.gotmpl"
    assert c.lookup("services", "c").status == "both"
    assert c.lookup("services", "d").status == "none"
    assert c.lookup("services", "e").status == "no-dir"
    assert c.lookup("dse-k8s-services", "a").status == "no-dir-root"
