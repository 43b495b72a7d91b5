"""The fixer is generic: it applies the edits of the findings' fixes, whatever the rule.

* The did-you-mean fixes of MW105 (a stage) and MW103 (a key) are *unsafe* (a guess, as in
  ruff): ``--fix`` leaves them, ``--fix --unsafe-fixes`` applies them, with MW201's safe
  migration, in one run; JSON says ``fix.applicability``.
* The proof refuses a rewrite, and says why: overlapping edits, a text that no longer
  parses or holds no configuration key, a finding the fix should repair that remains, a
  new error. A write that fails leaves the file and says why.
* CRLF files through ``--fix`` and ``--diff``: the diff applies with ``patch``.
* ``mwlint/fix`` names no rule.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from typing import List, Optional, Sequence, Tuple, Union

import pytest
from helpers import HERE, lint, releases_doc

from mwlint.findings import SAFE, UNSAFE, Edit, Finding, Fix, Position
from mwlint.fix import fix_findings, fix_text
from mwlint.fix.command import fix_paths
from mwlint.fix.textedit import unified_diff
from mwlint.settings import Settings

ROOT = os.path.dirname(HERE)


def mwlint(*args: str, cwd: Optional[str] = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    for k in ("FORCE_COLOR", "PY_COLORS", "NO_COLOR"):
        env.pop(k, None)
    return subprocess.run([sys.executable, "-m", "mwlint", *args], text=True,
                          capture_output=True, env=env, cwd=cwd or ROOT, timeout=60)


def doc(body: str) -> str:
    return releases_doc(body)


def fixes(text: str) -> List[Tuple[str, int, int, str, str, List[Tuple[int, int, str]]]]:
    """(code, line, column, applicability, message, [(line, column, content)]) of every
    finding with edits."""
    out = []
    for f in lint(text):
        if f.fix is not None and f.fix.edits:
            out.append((f.code, f.line, f.column, f.fix.applicability, f.fix.message,
                        [(e.start.line, e.start.column, e.content) for e in f.fix.edits]))
    return out


# (id, body, the fixes of MW105/MW103: (code, line, column, applicability, message, edits))
GUESSES = [
    ("stage-plain", """
        - namespace: mw-web
          releases:
            main: {stage: canary}
          mw_flavour: publish
          web_flavour: webserver
        """, [("MW105", 4, 21, UNSAFE, "stage: canaries", [(4, 21, "canaries")])]),
    ("stage-double-quoted", """
        - namespace: mw-web
          releases:
            main:
              stage: "prod"
          mw_flavour: publish
          web_flavour: webserver
        """, [("MW105", 5, 16, UNSAFE, "stage: production", [(5, 16, '"production"')])]),
    ("stage-single-quoted", """
        - namespace: mw-web
          releases:
            main: {stage: 'testserver'}
          mw_flavour: publish
          web_flavour: webserver
        """, [("MW105", 4, 21, UNSAFE, "stage: testservers", [(4, 21, "'testservers'")])]),
    ("stage-not-a-string", """
        - namespace: mw-web
          releases:
            main: {stage: 5}
          mw_flavour: publish
          web_flavour: webserver
        """, []),
    ("stage-no-close-match", """
        - namespace: mw-web
          releases:
            main: {stage: zzz}
          mw_flavour: publish
          web_flavour: webserver
        """, []),
    ("stage-anchored-and-shared", """
        - namespace: mw-web
          releases:
            main: {stage: &s canary}
            next: {stage: *s}
          mw_flavour: publish
          web_flavour: webserver
        """, []),
    ("key-on-an-entry", """
        - namespace: mw-web
          releases:
            main: {}
          mw_flavor: publish
          web_flavour: webserver
        """, [("MW103", 5, 5, UNSAFE, "rename the key to mw_flavour", [(5, 5, "mw_flavour")])]),
    ("key-on-a-release", """
        - namespace: mw-web
          releases:
            main: {"stages": canaries}
          mw_flavour: publish
          web_flavour: webserver
        """, [("MW103", 4, 14, UNSAFE, "rename the key to stage", [(4, 14, '"stage"')])]),
    ("key-that-would-be-a-duplicate", """
        - namespace: mw-web
          releases:
            main: {}
          mw_flavour: publish
          mw_flavor: publish-81
          web_flavour: webserver
        """, []),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in GUESSES], ids=[c[0] for c in GUESSES])
def test_did_you_mean_is_an_unsafe_fix(body, expected):
    text = doc(body)
    got = [f for f in fixes(text) if f[0] in ("MW105", "MW103")]
    assert got == expected
    # --fix leaves a guess; --unsafe-fixes applies it, and the finding is gone
    assert fix_text(text, "k.yaml").fixed == text
    if expected:
        result = fix_text(text, "k.yaml", unsafe=True)
        assert result.changed and result.refused == ()
        assert [(f.code, f.line) for f in result.repaired] == [(c, li) for c, li, *_ in expected]
        assert not [f for f in lint(result.fixed) if f.code in ("MW105", "MW103")]
        assert fix_text(result.fixed, "k.yaml", unsafe=True).fixed == result.fixed  # idempotent


def test_mw103_message_says_why_it_fails():
    (f,) = [f for f in lint(doc(GUESSES[6][1])) if f.code == "MW103"]
    assert f.message == ("unknown key 'mw_flavor' on an entry, which Puppet's type rejects; "
                         "did you mean 'mw_flavour'?")


ALL_THREE = doc("""
    - namespace: mw-web
      releases:
        main: {}
        canary: {stage: "canary"}
      mw_flavor: publish
      web_flavour: webserver
      debug: false
    """)


def test_cli_unsafe_fixes_repair_stage_key_and_debug_in_one_run(tmp_path):
    """Issue 18's done-when: --fix --unsafe-fixes repairs stage: "canary" and mw_flavor in
    one run (with MW201's safe fix); plain --fix leaves them."""
    dst = tmp_path / "k.yaml"
    dst.write_text(ALL_THREE)
    p = mwlint("--format", "json", str(dst))
    assert p.stdout.count('"fixable": true') == 3
    by_code = {f["code"]: f["fix"]["applicability"] for f in json.loads(p.stdout)["findings"]
               if f["fix"] is not None}
    assert by_code == {"MW105": UNSAFE, "MW103": UNSAFE, "MW201": SAFE}
    p = mwlint("--diff", "--unsafe-fixes", str(dst))
    assert p.returncode == 1 and dst.read_text() == ALL_THREE
    assert [x for x in p.stdout.splitlines() if x[:1] in "+-" and x[:3] not in ("---", "+++")] \
        == ['-      canary: {stage: "canary"}', '-    mw_flavor: publish',
            '+      canary: {stage: "canaries"}', '+    mw_flavour: publish', '-    debug: false']
    p = mwlint("--fix", str(dst))
    assert p.returncode == 1
    assert dst.read_text() == ALL_THREE.replace("    debug: false\n", "")
    assert p.stderr.endswith("; 2 hidden fixes can be enabled with the `--unsafe-fixes` "
                             "option\n")
    p = mwlint("--fix", "--unsafe-fixes", str(dst))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n")
    assert dst.read_text() == ALL_THREE.replace("    debug: false\n", "").replace(
        '"canary"}', '"canaries"}').replace("mw_flavor", "mw_flavour")
    # the MW102 "no mw_flavour" went with the rename: it counts as fixed too (3 = 3 + 0)
    assert p.stderr == ("mwlint: found 3 findings (3 fixed, 0 remaining): 2 fixes (2 edits) "
                        "written to 1 file\n")


# -- the proof: refusals and their reasons (pure, no rule involved) -------------------------

TEXT = "a: 1\nb: 2\nc: 3\n"


def at(offset: int) -> Position:
    line = TEXT.count("\n", 0, offset) + 1
    return Position(line, offset - (TEXT.rfind("\n", 0, offset) + 1) + 1, offset)


def finding(code: str, offset: int, edits: Sequence[Tuple[int, int, str]],
            applicability: str = SAFE, severity: str = "error",
            repaired_by: Optional[Tuple[str, int, int]] = None) -> Finding:
    p = at(offset)
    fix = Fix(f"fix {code}", applicability,
              tuple(Edit(c, at(s), at(e)) for s, e, c in edits), repaired_by)
    return Finding(code, "x", severity, f"{code} here", "k.yaml", p.line, p.column, p.line,
                   p.column + 1, f"path.{code}", True, (), None, fix)


def relint_with(result_for):
    """A relint that answers from ``result_for(new_text)``."""
    seen: List[str] = []

    def relint(text: str) -> Union[str, Sequence[Finding]]:
        seen.append(text)
        return result_for(text)
    return relint, seen


def test_proof_accepts_a_fix_whose_finding_is_gone():
    f = finding("MW900", 3, [(3, 4, "9")])
    relint, seen = relint_with(lambda t: [] if t != TEXT else [f])
    r = fix_findings(TEXT, "k.yaml", [f], relint, old=[f])
    assert r.fixed == "a: 9\nb: 2\nc: 3\n" and r.refused == () and r.repaired == (f,)
    assert seen == [r.fixed]


@pytest.mark.parametrize("answer,reason", [
    ("it does not parse (line 1: oops)",
     "the rewritten text does not pass the proof (it does not parse (line 1: oops))"),
    ("it holds no configuration key any more", "the rewritten text does not pass the proof "
                                               "(it holds no configuration key any more)"),
    ("remains", "the rewritten text does not pass the proof (the MW900 finding it repairs "
                "would remain)"),
    ("new-error", "the rewritten text does not pass the proof (it would bring a new MW901 "
                  "error: MW901 here)"),
], ids=["does-not-parse", "keys-gone", "finding-remains", "new-error"])
def test_proof_refuses_with_the_reason(answer, reason):
    f = finding("MW900", 3, [(3, 4, "9")])
    new_error = finding("MW901", 8, [])
    outcomes = {"remains": [f], "new-error": [new_error]}
    relint, _ = relint_with(lambda t: outcomes.get(answer, answer))
    r = fix_findings(TEXT, "k.yaml", [f], relint, old=[f])
    assert r.fixed == TEXT and r.applied == ()
    assert [(x.finding.code, x.reason) for x in r.refused] == [("MW900", reason)]


def test_proof_lets_a_new_warning_through():
    """A fix may make a warning visible that the broken value hid (as ruff applies it)."""
    f = finding("MW900", 3, [(3, 4, "9")])
    warning = finding("MW901", 8, [], severity="warning")
    relint, _ = relint_with(lambda t: [warning])
    assert fix_findings(TEXT, "k.yaml", [f], relint, old=[f]).changed


def test_overlapping_fixes_the_second_is_refused_and_the_first_applied():
    first = finding("MW900", 3, [(3, 4, "9")])
    second = finding("MW901", 3, [(3, 4, "8")])
    relint, _ = relint_with(lambda t: [] if t != TEXT else [first, second])
    r = fix_findings(TEXT, "k.yaml", [first, second], relint, old=[first, second])
    assert r.fixed == "a: 9\nb: 2\nc: 3\n"
    assert [(x.finding.code, x.reason) for x in r.refused] == [
        ("MW901", "its edits overlap those of the MW900 fix at line 1: run --fix again")]


# the fix whose first edit comes first in the text is taken; a later one that touches it waits
@pytest.mark.parametrize("first,second,refused", [
    ((3, 4, "9"), (4, 4, "+"), []),  # an insertion where the other edit ends: disjoint
    ((3, 4, "9"), (2, 3, ""), []),  # a deletion that ends where the other starts
    ((3, 3, "x"), (3, 3, "y"), ["MW901"]),  # two insertions at one offset: order is a guess
    ((3, 4, "9"), (3, 3, "y"), ["MW901"]),  # an insertion where the other starts
    ((2, 6, ""), (4, 5, "z"), ["MW901"]),  # inside
    ((4, 5, "z"), (2, 6, ""), ["MW900"]),  # around: the second starts first
], ids=["touching-end", "touching-start", "same-insertion", "insert-at-start", "inside",
        "around"])
def test_overlap_boundaries(first, second, refused):
    a = finding("MW900", 3, [first])
    b = finding("MW901", 8, [second])
    relint, _ = relint_with(lambda t: [])
    r = fix_findings(TEXT, "k.yaml", [a, b], relint, old=[])
    assert [x.finding.code for x in r.refused] == refused
    assert len(r.applied) == 2 - len(refused)


def test_one_bad_fix_is_refused_and_the_others_applied():
    good = finding("MW900", 3, [(3, 4, "9")])
    bad = finding("MW901", 8, [(8, 9, "x")])  # its relint keeps MW901

    def answer(t: str) -> Sequence[Finding]:
        return [f for f, fixed in ((good, t[3] == "9"), (bad, False)) if not fixed]
    relint, seen = relint_with(answer)
    r = fix_findings(TEXT, "k.yaml", [good, bad], relint, old=[good, bad])
    assert r.fixed == "a: 9\nb: 2\nc: 3\n" and r.applied == (good,)
    assert [x.finding.code for x in r.refused] == ["MW901"]
    assert "the MW901 finding it repairs would remain" in r.refused[0].reason
    # together, each alone, the good ones together again
    assert len(seen) == 4


def test_a_repaired_by_finding_goes_with_its_carrier_and_counts():
    carrier = finding("MW900", 3, [(3, 4, "9")])
    follower = finding("MW902", 8, [], repaired_by=("MW900", carrier.line, carrier.column))
    relint, _ = relint_with(lambda t: [])
    r = fix_findings(TEXT, "k.yaml", [carrier, follower], relint, old=[carrier, follower])
    assert r.applied == (carrier,) and r.repaired == (carrier, follower)


def test_unsafe_needs_the_option_and_an_unknown_applicability_never_applies():
    guess = finding("MW900", 3, [(3, 4, "9")], applicability=UNSAFE)
    odd = finding("MW901", 8, [(8, 9, "x")], applicability="display-only")
    relint, _ = relint_with(lambda t: [])
    assert not fix_findings(TEXT, "k.yaml", [guess, odd], relint, old=[]).changed
    r = fix_findings(TEXT, "k.yaml", [guess, odd], relint, unsafe=True, old=[])
    assert r.fixed == "a: 9\nb: 2\nc: 3\n"


# -- write errors (we run as root: simulated) -------------------------------------------------

def _debug_file(tmp_path):
    dst = tmp_path / "k.yaml"
    dst.write_text(ALL_THREE)
    return dst


@pytest.mark.parametrize("target,make,reason", [
    ("mwlint.atomic_write.os.fsync", lambda: OSError(errno.ENOSPC, "No space left on device"),
     "cannot write: No space left on device"),
    ("mwlint.fix.write.os.access", None, "no permission to write the file"),
    ("mwlint.fix.write._read_current", lambda: OSError(errno.EIO, "Input/output error"),
     "cannot re-read the file: Input/output error"),
], ids=["disk-full", "no-permission", "re-read-fails"])
def test_write_errors_leave_the_file_and_say_why(tmp_path, monkeypatch, target, make, reason):
    dst = _debug_file(tmp_path)
    if make is None:
        monkeypatch.setattr(target, lambda *a, **k: False)
    else:
        def fail(*a, **k):
            raise make()
        monkeypatch.setattr(target, fail)
    run = fix_paths([str(dst)], Settings())
    (ff,) = run.files
    assert (ff.written, ff.not_written) == (False, reason)
    assert dst.read_text() == ALL_THREE
    assert sorted(os.listdir(tmp_path)) == ["k.yaml"]  # no temporary file left
    # nothing counted as fixed; the finding says why it remains
    assert run.fixed == 0
    after = lint(ALL_THREE, path=str(dst))  # the file as it still is
    assert run.summary(after)[-1] == (
        f"mwlint: found {len(after)} findings (0 fixed, {len(after)} remaining); 1 file not "
        "written; 2 hidden fixes can be enabled with the `--unsafe-fixes` option")
    (mw201,) = [f for f in run.annotate(lint(ALL_THREE, path=str(dst))) if f.code == "MW201"]
    assert not mw201.fixable and mw201.help.startswith(
        f"not fixed automatically: the file was not written: {reason}")


# -- CRLF through --fix and --diff ----------------------------------------------------------

def test_crlf_file_through_diff_and_fix(tmp_path):
    text = ALL_THREE.replace("\n", "\r\n")
    dst = tmp_path / "k.yaml"
    dst.write_bytes(text.encode())
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-m", "mwlint", "--diff", "--unsafe-fixes", "k.yaml"],
                       capture_output=True, env=env, cwd=str(tmp_path), timeout=60)
    assert p.returncode == 1 and dst.read_bytes() == text.encode()
    out = p.stdout.decode()  # as bytes: text mode would turn CRLF into LF
    # every line of the diff ends with a newline; the file's lines keep their CR
    assert all(line.endswith("\r") for line in out.split("\n")[3:-1] if line[:1] in " +-")
    assert out.count("\r") == sum(1 for line in out.split("\n")[3:-1] if line[:1] in " +-")
    if shutil.which("patch"):
        subprocess.run(["patch", "-s", "-p1"], input=out.encode(), cwd=str(tmp_path),
                       check=True)
        patched = dst.read_bytes()
        dst.write_bytes(text.encode())
    p = mwlint("--fix", "--unsafe-fixes", "k.yaml", cwd=str(tmp_path))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n")
    written = dst.read_bytes()
    assert b"\n" not in written.replace(b"\r\n", b"")  # CRLF kept, none added bare
    assert written == ALL_THREE.replace("    debug: false\n", "").replace(
        '"canary"}', '"canaries"}').replace("mw_flavor", "mw_flavour").replace(
        "\n", "\r\n").encode()
    if shutil.which("patch"):
        assert patched == written  # the diff is what --fix writes


def test_diff_of_a_file_with_lone_cr_line_breaks_is_a_valid_patch(tmp_path):
    """YAML also breaks lines at a lone CR: each diff line must still end with \\n (it used
    to emit '-b: 2\\r c: 3\\r', which neither patch nor a terminal reads as lines)."""
    old, new = "a: 1\rb: 2\rc: 3\r", "a: 1\rc: 3\r"
    d = unified_diff(old, new, "k.yaml")
    assert d.endswith("\n") and all(
        line[:1] in ("-", "+", " ", "@", "\\") for line in d.split("\n")[:-1])
    if shutil.which("patch"):
        (tmp_path / "k.yaml").write_bytes(old.encode())  # write_text(newline=) is 3.10+
        subprocess.run(["patch", "-s", "-p1"], input=d.encode(), cwd=str(tmp_path), check=True)
        assert (tmp_path / "k.yaml").read_bytes() == new.encode()


def test_fix_names_no_rule():
    """Issue 18: fix/ applies edits; which rule made them is not its business."""
    import re

    fix_dir = os.path.join(ROOT, "mwlint", "fix")
    for name in sorted(os.listdir(fix_dir)):
        if name.endswith(".py"):
            with open(os.path.join(fix_dir, name), encoding="utf-8") as fh:
                source = fh.read()
            assert not re.search(r"MW\d{3}|debug|mw_kind|migration", source), name


# -- hostile input: the work grows with the fixes, not with their square ---------------------

def _many_stages(n: int) -> str:
    releases = ", ".join(f"r{i}: {{stage: canary}}" for i in range(n))
    return doc(f"""
        - {{namespace: mw-web, mw_flavour: publish, web_flavour: webserver, releases: {{{releases}}}}}
        """)  # noqa: E501


def _timed_fix(n: int) -> float:
    import time

    text = _many_stages(n)
    start = time.perf_counter()
    result = fix_text(text, "k.yaml", unsafe=True)
    took = time.perf_counter() - start
    assert len(result.applied) == n and result.fixed.count("canaries") == n
    return took


def test_many_fixes_in_one_file_cost_linear_time():
    """N vs 4N fixes on one line (the overlap check and the repaired-by lookup were
    quadratic, and each fix was applied to the whole text to validate it)."""
    small, large = _timed_fix(1000), _timed_fix(4000)
    assert large < 5.0
    assert large / small < 8, (small, large)  # 4 when linear; 16 when quadratic


def test_a_file_of_failing_fixes_costs_a_bounded_number_of_lints():
    from mwlint.fix import PROOF_BUDGET

    text = "x" * 2000
    bad = [Finding("MW900", "x", "error", "m", "k.yaml", 1, i + 1, 1, i + 2, f"p{i}", True,
                   (), None, Fix("f", SAFE, (Edit("y", Position(1, i + 1, i),
                                                   Position(1, i + 2, i + 1)),)))
           for i in range(1000)]
    relint, seen = relint_with(lambda t: bad)  # every finding stays: every fix fails
    r = fix_findings(text, "k.yaml", bad, relint, old=bad)
    assert not r.changed and len(r.refused) == 1000
    assert len(seen) == PROOF_BUDGET
    assert sum("not tried: too many fixes" in x.reason for x in r.refused) > 900


def test_a_deploy_service_fix_needs_no_change_in_the_fixer(monkeypatch):
    """A rule of the other family that attaches an unsafe did-you-mean (as MW606 does once
    its rule carries one) is fixed by the same --fix --unsafe-fixes, with nothing in fix/
    knowing it: here the fix is planted on MW606's findings."""
    import re

    from mwlint.findings import Span
    from mwlint.model.migration import replacing
    from mwlint.rules.mw606_service_undefined_reference import ServiceUndefinedReference

    real = ServiceUndefinedReference.check

    def with_fix(self, hiera, settings):
        for f in real(self, hiera, settings):
            guess = re.search(r"did you mean '([^']+)'", f.message)
            if guess:
                span = Span(f.line, f.column, f.end_line, f.end_column)
                f = f._replace(fixable=True, fix=Fix(f"use {guess[1]}", UNSAFE, (
                    replacing(hiera, span, guess[1]),)))
            yield f

    monkeypatch.setattr(ServiceUndefinedReference, "check", with_fix)
    with open(os.path.join(HERE, "fixtures", "deploy-service", "kubernetes-deploy-service.yaml"),
              encoding="utf-8") as fh:
        good = fh.read()
    bad = good.replace("            eqiad:\n              releases:\n                canary",
                       "            eqiadd:\n              releases:\n                canary", 1)
    assert bad != good
    assert fix_text(bad, "k.yaml").fixed == bad  # a guess: not without --unsafe-fixes
    result = fix_text(bad, "k.yaml", unsafe=True)
    assert result.fixed == good
    assert [(f.code, f.line, f.column) for f in result.repaired] == [("MW606", 46, 13)]


def test_a_config_can_allow_the_unsafe_fixes(tmp_path):
    """ruff's `unsafe-fixes = true`: the config of the file decides, as the command line."""
    dst = tmp_path / "k.yaml"
    dst.write_text(ALL_THREE)
    (tmp_path / ".mwlint.toml").write_text("unsafe-fixes = true\n")
    p = mwlint(str(dst))
    assert p.stdout.splitlines()[-1] == (
        "mwlint: FAILED (4 errors; 3 fixable with `mwlint --fix --unsafe-fixes`)")
    p = mwlint("--fix", str(dst))
    assert (p.returncode, p.stdout) == (0, "mwlint: OK\n")
    assert "mw_flavour: publish" in dst.read_text() and '"canaries"' in dst.read_text()
    # and in the library, through the settings
    dst.write_text(ALL_THREE)
    assert fix_paths([str(dst)], Settings(unsafe_fixes=True)).fixed == 3
    assert "mw_flavour: publish" in dst.read_text()


# -- issue 18's done-when: one run repairs a guess of each family, plain --fix none --------

BOTH_FAMILIES = """\
profile::kubernetes::deployment_server::mediawiki::release::mw_deployments:
  deployment_targets:
    - namespace: mw-web
      mw_flavor: publish-83
      web_flavour: webserver
      releases:
        main: {stage: "canary"}
  supervision_rules: []
profile::kubernetes::deployment_server::deploy_service::cluster_groups:
  wikikube:
    dir: services
    environments:
      eqiad: {datacenter: eqiad, type: PRODUCTION}
    environment_stages: [CANARY, DEFAULT]
    environment_default_stage: DEFAULT
profile::kubernetes::deployment_server::deploy_service::service_catalog:
  services:
    shellbox:
      cluster_group: wikikube
      namespaces:
        shellbox:
          environments:
            eqaid: {}
"""


def test_unsafe_fixes_of_both_families_apply_in_one_run_and_plain_fix_leaves_them(tmp_path):
    from mwlint.cli import main

    d = tmp_path / "hieradata" / "role" / "common" / "deployment_server"
    d.mkdir(parents=True)
    k = d / "kubernetes.yaml"
    k.write_text(BOTH_FAMILIES)
    assert main(["--fix", str(k)]) == 1
    assert k.read_text() == BOTH_FAMILIES  # guesses are unsafe: --fix leaves them
    main(["--fix", "--unsafe-fixes", str(k)])
    assert k.read_text() == (BOTH_FAMILIES.replace("mw_flavor:", "mw_flavour:")
                             .replace('stage: "canary"', 'stage: "canaries"')
                             .replace("eqaid: {}", "eqiad: {}"))
    assert {f.code for f in lint(k.read_text(), str(k))} <= {"MW502"}  # only the warning


# -- the summary adds up: found = fixed + remaining ------------------------------------------

# ALL_THREE with a release name no fix repairs (MW306 stays)
WITH_A_REMAINDER = ALL_THREE.replace("      main: {}\n", "      main: {}\n      Next: {}\n")
assert WITH_A_REMAINDER != ALL_THREE
with open(os.path.join(HERE, "fixtures", "deploy-service", "kubernetes-deploy-service.yaml"),
          encoding="utf-8") as _fh:
    # services misspelt: MW601 (its unsafe fix renames the key) and MW602 (no services),
    # which the rename repairs as a side effect
    SERVICE_MISSPELT = _fh.read().replace("\n  services:\n", "\n  service:\n", 1)
assert "\n  service:\n" in SERVICE_MISSPELT


@pytest.mark.parametrize("text,args,rc,summary", [
    # MW103's rename of mw_flavor repairs MW102 ("no mw_flavour"), which has no fix of its own
    (ALL_THREE, ["--fix", "--unsafe-fixes"], 0,
     "mwlint: found 4 findings (4 fixed, 0 remaining): 3 fixes (3 edits) written to 1 file"),
    (ALL_THREE, ["--diff", "--unsafe-fixes"], 1,
     "mwlint: found 4 findings (4 would be fixed, 0 would remain): 3 fixes (3 edits) for 1 "
     "file"),
    (WITH_A_REMAINDER, ["--fix", "--unsafe-fixes"], 0,
     "mwlint: found 5 findings (4 fixed, 1 remaining): 3 fixes (3 edits) written to 1 file"),
    (WITH_A_REMAINDER, ["--diff", "--unsafe-fixes"], 1,
     "mwlint: found 5 findings (4 would be fixed, 1 would remain): 3 fixes (3 edits) for 1 "
     "file"),
    # no side effect: only MW201's safe fix
    (WITH_A_REMAINDER, ["--fix"], 1,
     "mwlint: found 5 findings (1 fixed, 4 remaining): 1 fix (1 edit) written to 1 file; 2 "
     "hidden fixes can be enabled with the `--unsafe-fixes` option"),
    # the deploy-service family: MW601's rename repairs MW602
    (SERVICE_MISSPELT, ["--fix", "--unsafe-fixes"], 0,
     "mwlint: found 2 findings (2 fixed, 0 remaining): 1 fix (1 edit) written to 1 file"),
    (SERVICE_MISSPELT, ["--diff", "--unsafe-fixes"], 1,
     "mwlint: found 2 findings (2 would be fixed, 0 would remain): 1 fix (1 edit) for 1 file"),
], ids=["side-effect-fix", "side-effect-diff", "remainder-fix", "remainder-diff",
        "safe-only-fix", "deploy-service-fix", "deploy-service-diff"])
def test_fix_summary_counts_add_up(tmp_path, text, args, rc, summary):
    dst = tmp_path / "k.yaml"
    dst.write_text(text)
    p = mwlint(*args, str(dst))
    assert (p.returncode, p.stderr) == (rc, summary + "\n")
    found, fixed, remaining = (int(n) for n in re.match(
        r"mwlint: found (\d+) findings? \((\d+) (?:would be )?fixed, (\d+) (?:would )?"
        r"remain", summary).groups())
    assert found == fixed + remaining
