"""The fixer's decisions, one table row each (mwlint.fix, mwlint.fix.textedit,
mwlint.fix.command): how edits apply and where they collide, the unified diff's hunks, the
proof's verdicts, the refusal reasons, the counts and words of the summary. Each row pins an
exact output, so that a flipped comparison or a wrong constant fails (scripts/mutate, issue
20)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import pytest
from helpers import releases_doc

from mwlint.findings import SAFE, UNSAFE, Edit, Finding, Fix, Position
from mwlint.fix import PROOF_BUDGET, FixResult, Refused, _prove, fix_findings, fix_text, write
from mwlint.fix.command import FileFix, FixRun, _plural, encode_like, fix_paths
from mwlint.fix.textedit import (
    OverlapError,
    _lines,
    _range,
    apply_edits,
    check_disjoint,
    unified_diff,
)
from mwlint.settings import Settings

TEXT = "a: 1\nb: 2\nc: 3\n"


def at(offset: int, text: str = TEXT) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1, offset)


def edit(start: int, end: int, content: str) -> Edit:
    return Edit(content, at(start), at(end))


def finding(code: str, offset: int, edits: Sequence[Tuple[int, int, str]] = (),
            applicability: str = SAFE, severity: str = "error",
            repaired_by: Optional[Tuple[str, int, int]] = None, path: str = "k.yaml",
            fix: bool = True) -> Finding:
    p = at(offset)
    fx = Fix(f"fix {code}", applicability, tuple(edit(s, e, c) for s, e, c in edits),
             repaired_by) if fix else None
    return Finding(code, "x", severity, f"{code} here", path, p.line, p.column, p.line,
                   p.column + 1, f"path.{code}", fx is not None, (), None, fx)


# -- edits ------------------------------------------------------------------------------------

@pytest.mark.parametrize("edits,expected", [
    ([], TEXT),
    ([(0, 0, "#\n")], "#\n" + TEXT),  # an insertion at the start
    ([(15, 15, "d: 4\n")], TEXT + "d: 4\n"),  # at the end
    ([(3, 4, "9")], "a: 9\nb: 2\nc: 3\n"),  # a replacement
    ([(5, 10, "")], "a: 1\nc: 3\n"),  # a deletion
    ([(13, 14, "z"), (3, 4, "x")], "a: x\nb: 2\nc: z\n"),  # any order
    ([(3, 4, "x"), (4, 4, "y")], "a: xy\nb: 2\nc: 3\n"),  # touching: disjoint
])
def test_apply_edits(edits: List[Tuple[int, int, str]], expected: str) -> None:
    assert apply_edits(TEXT, [edit(*e) for e in edits]) == expected


@pytest.mark.parametrize("edits,message", [
    ([(3, 4, "x"), (3, 3, "y")], "edits overlap at line 1"),  # same start
    ([(3, 5, "x"), (4, 6, "y")], "edits overlap at line 1"),  # overlapping
    ([(2, 8, "x"), (6, 7, "y")], "edits overlap at line 2"),  # inside
])
def test_overlapping_edits_raise(edits: List[Tuple[int, int, str]], message: str) -> None:
    with pytest.raises(OverlapError) as e:
        check_disjoint([edit(*x) for x in edits])
    assert str(e.value) == message


@pytest.mark.parametrize("start,end", [(-1, 0), (4, 3), (15, 16), (16, 16)])
def test_an_edit_outside_the_text_raises(start: int, end: int) -> None:
    bad = Edit("x", Position(7, 1, start), Position(7, 1, end))
    with pytest.raises(OverlapError) as e:
        apply_edits(TEXT, [bad])
    assert str(e.value) == "an edit lies outside the text (line 7)"


def test_check_disjoint_sorts_by_start_then_end() -> None:
    es = [edit(9, 10, "c"), edit(0, 0, "a"), edit(3, 4, "b")]
    assert [e.content for e in check_disjoint(es)] == ["a", "b", "c"]


# -- the diff ---------------------------------------------------------------------------------

@pytest.mark.parametrize("start,stop,text", [
    (0, 0, "0,0"), (3, 3, "3,0"), (0, 1, "1"), (4, 5, "5"), (0, 2, "1,2"), (2, 5, "3,3")])
def test_hunk_range(start: int, stop: int, text: str) -> None:
    assert _range(start, stop) == text


@pytest.mark.parametrize("text,lines", [
    ("", []), ("a", ["a"]), ("a\n", ["a\n"]), ("a\nb", ["a\n", "b"]),
    ("a\r\nb\r\n", ["a\r\n", "b\r\n"]), ("a\rb\n", ["a\rb\n"]), ("\n\n", ["\n", "\n"]),
])
def test_diff_lines(text: str, lines: List[str]) -> None:
    assert _lines(text) == lines


LONG = "".join(f"k{i}: {i}\n" for i in range(1, 11))


@pytest.mark.parametrize("old,new,diff", [
    ("a\n", "a\n", ""),
    ("a: 1\n", "a: 2\n", "--- a/k.yaml\n+++ b/k.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"),
    ("a\nb\n", "a\n", "--- a/k.yaml\n+++ b/k.yaml\n@@ -1,2 +1 @@\n a\n-b\n"),
    ("", "a\n", "--- a/k.yaml\n+++ b/k.yaml\n@@ -0,0 +1 @@\n+a\n"),
    ("a", "b", "--- a/k.yaml\n+++ b/k.yaml\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n"
               "+b\n\\ No newline at end of file\n"),
    # three lines of context each side, two hunks when the changes are 7+ lines apart
    (LONG, LONG.replace("k1: 1", "k1: x").replace("k10: 10", "k10: y"),
     "--- a/k.yaml\n+++ b/k.yaml\n@@ -1,4 +1,4 @@\n-k1: 1\n+k1: x\n k2: 2\n k3: 3\n k4: 4\n"
     "@@ -7,4 +7,4 @@\n k7: 7\n k8: 8\n k9: 9\n-k10: 10\n+k10: y\n"),
    (LONG, LONG.replace("k5: 5", "k5: x"),
     "--- a/k.yaml\n+++ b/k.yaml\n@@ -2,7 +2,7 @@\n k2: 2\n k3: 3\n k4: 4\n-k5: 5\n+k5: x\n"
     " k6: 6\n k7: 7\n k8: 8\n"),
])
def test_unified_diff(old: str, new: str, diff: str) -> None:
    assert unified_diff(old, new, "/k.yaml") == diff


# -- the proof --------------------------------------------------------------------------------

F900 = finding("MW900", 3)
F900B = finding("MW900", 8)
W901 = finding("MW901", 8, severity="warning")
E901 = finding("MW901", 8)


@pytest.mark.parametrize("old,fixed,new,why", [
    ([F900], [F900], [], None),
    ([F900], [F900], "it does not parse", "it does not parse"),
    ([F900], [F900], [F900], "the MW900 finding it repairs would remain"),
    ([F900], [F900], [E901], "it would bring a new MW901 error: MW901 here"),
    ([F900], [F900], [W901], None),  # a new warning may appear
    ([F900, E901], [F900], [E901], None),  # an error that was there already
    ([F900, E901], [F900], [E901, E901], "it would bring a new MW901 error: MW901 here"),
    # two of one identity, one fixed: one may remain, not two
    ([F900, F900B], [F900], [F900B], None),
    ([F900, F900B], [F900], [F900, F900B], "the MW900 finding it repairs would remain"),
])
def test_prove(old: List[Finding], fixed: List[Finding], new: Union[str, List[Finding]],
               why: Optional[str]) -> None:
    assert _prove(old, fixed, new) == why


def relint_clean(_text: str) -> Union[str, Sequence[Finding]]:
    return []


@pytest.mark.parametrize("edits,reason", [
    ([(3, 4, "9"), (3, 4, "8")], "its edits are not well formed (they overlap or lie outside "
                                 "the text)"),
    ([(3, 5, "9"), (4, 6, "8")], "its edits are not well formed (they overlap or lie outside "
                                 "the text)"),
    ([(3, 16, "9")], "its edits are not well formed (they overlap or lie outside the text)"),
    # an insertion and a replacement at one offset: which goes first is a guess
    ([(3, 3, "x"), (3, 4, "9")], "its edits are not well formed (they overlap or lie outside "
                                 "the text)"),
])
def test_a_fix_with_bad_edits_is_refused(edits: List[Tuple[int, int, str]],
                                         reason: str) -> None:
    f = finding("MW900", 3)._replace(fix=Fix("x", SAFE, tuple(
        Edit(c, at(s), Position(1, 1, e)) for s, e, c in edits)))
    r = fix_findings(TEXT, "k.yaml", [f], relint_clean, old=[f])
    assert (r.fixed, r.applied, [(x.finding.code, x.reason) for x in r.refused]) == (
        TEXT, (), [("MW900", reason)])


def test_well_formed_edits_of_one_fix_apply_together() -> None:
    f = finding("MW900", 3, [(3, 4, "9"), (4, 4, "0"), (8, 9, "7")])
    r = fix_findings(TEXT, "k.yaml", [f], relint_clean, old=[f])
    assert r.fixed == "a: 90\nb: 7\nc: 3\n" and r.refused == ()
    assert [e.content for e in r.edits] == ["9", "0", "7"]


@pytest.mark.parametrize("first,second,refused", [
    ((3, 5, "x"), (4, 4, "y"), ["MW901"]),  # an insertion inside the other
    ((3, 4, "x"), (1, 3, ""), []),  # ends where the other starts
    ((3, 4, "x"), (1, 4, ""), ["MW900"]),  # starts first, ends at the other's end
    ((8, 9, "x"), (3, 4, "y"), []),  # far apart, the second first in the text
    ((8, 9, "x"), (3, 8, "y"), []),  # ends where the first starts
    ((8, 9, "x"), (3, 9, "y"), ["MW900"]),
])
def test_more_overlap_boundaries(first: Tuple[int, int, str], second: Tuple[int, int, str],
                                 refused: List[str]) -> None:
    a = finding("MW900", 3, [first])
    b = finding("MW901", 8, [second])
    r = fix_findings(TEXT, "k.yaml", [a, b], relint_clean, old=[])
    assert [x.finding.code for x in r.refused] == refused
    assert len(r.applied) == 2 - len(refused)


def test_the_fixes_are_taken_in_text_order_and_reported_in_line_order() -> None:
    late = finding("MW900", 13, [(13, 14, "z")])
    early = finding("MW901", 3, [(3, 4, "x")])
    r = fix_findings(TEXT, "k.yaml", [late, early], relint_clean, old=[])
    assert [f.code for f in r.applied] == ["MW901", "MW900"]
    assert r.fixed == "a: x\nb: 2\nc: z\n"


def test_only_the_applicable_fixes_are_taken() -> None:
    safe = finding("MW900", 3, [(3, 4, "x")])
    unsafe = finding("MW901", 8, [(8, 9, "y")], applicability=UNSAFE)
    empty = finding("MW902", 13, [])
    none = finding("MW903", 13, fix=False)
    r = fix_findings(TEXT, "k.yaml", [safe, unsafe, empty, none], relint_clean, old=[])
    assert [f.code for f in r.applied] == ["MW900"]
    r = fix_findings(TEXT, "k.yaml", [safe, unsafe, empty, none], relint_clean, True, old=[])
    assert [f.code for f in r.applied] == ["MW900", "MW901"]
    r = fix_findings(TEXT, "k.yaml", [empty, none], relint_clean, True, old=[])
    assert (r.fixed, r.applied, r.refused, r.changed) == (TEXT, (), (), False)


def test_followers_count_as_repaired_once() -> None:
    carrier = finding("MW900", 3, [(3, 4, "x")])
    follower = finding("MW901", 8, repaired_by=("MW900", 1, 4))
    other = finding("MW902", 13, repaired_by=("MW900", 9, 9))
    r = fix_findings(TEXT, "k.yaml", [carrier, follower, other, carrier], relint_clean,
                     old=[carrier, follower, other])
    assert [f.code for f in r.repaired] == ["MW900", "MW901"]
    assert [f.code for f in r.applied] == ["MW900"]


def test_the_old_side_is_linted_when_not_given_and_may_stop_the_fix() -> None:
    f = finding("MW900", 3, [(3, 4, "x")])
    seen: List[str] = []

    def relint(text: str) -> Union[str, Sequence[Finding]]:
        seen.append(text)
        return "it does not parse" if text == TEXT else []
    r = fix_findings(TEXT, "k.yaml", [f], relint)
    assert (r.fixed, r.error, seen) == (TEXT, "not fixed: it does not parse", [TEXT])
    r = fix_findings(TEXT, "k.yaml", [f], relint_clean)
    assert r.fixed == "a: x\nb: 2\nc: 3\n" and r.error is None


def test_fixes_that_pass_alone_but_not_together_are_all_refused() -> None:
    a = finding("MW900", 3, [(3, 4, "x")])
    b = finding("MW901", 8, [(8, 9, "y")])

    def relint(text: str) -> Union[str, Sequence[Finding]]:
        both = "x" in text and "y" in text
        return [finding("MW999", 13)] if both else []
    r = fix_findings(TEXT, "k.yaml", [a, b], relint, old=[])
    assert r.fixed == TEXT and r.applied == ()
    assert [(x.finding.code, x.reason) for x in r.refused] == [
        (c, "the rewritten text does not pass the proof (it would bring a new MW999 error: "
            "MW999 here)") for c in ("MW900", "MW901")]


def test_the_proof_budget_bounds_the_lints() -> None:
    text = "".join(f"k{i:03}: 1\n" for i in range(200))
    fs = [finding("MW900", 0)._replace(line=i + 1, fix=Fix("x", SAFE, (Edit(
        "2", Position(i + 1, 7, 8 * i + 6), Position(i + 1, 8, 8 * i + 7)),)))
        for i in range(200)]
    calls: List[int] = []

    def relint(t: str) -> Union[str, Sequence[Finding]]:
        calls.append(1)
        return "no"
    r = fix_findings(text, "k.yaml", fs, relint, old=[])
    assert len(calls) == PROOF_BUDGET and r.fixed == text
    reasons: Dict[str, int] = {}
    for x in r.refused:
        reasons[x.reason] = reasons.get(x.reason, 0) + 1
    # halves first-half first: 200, 100, 50, 25, then the 12 and the 13 in full (23 + 25
    # lints, 25 refused one by one), then 25, 12, 6, 3, 1, 2, 1, 1, 3, 1, 2, 1: 64 lints,
    # 30 fixes refused alone, the other 170 not tried
    assert reasons == {
        "the rewritten text does not pass the proof (no)": 30,
        "not tried: too many fixes in this file failed the proof (edit it by hand)": 170}
    assert [x.finding.line for x in r.refused] == list(range(1, 201))


@pytest.mark.parametrize("text,error", [
    ("other: 1\n", None),  # no configuration key: nothing to fix, no error
    ("a: [\n", "not fixed: "),
])
def test_fix_text_of_a_file_it_cannot_fix(text: str, error: Optional[str]) -> None:
    r = fix_text(text, "k.yaml")
    assert (r.fixed, r.applied, r.refused) == (text, (), ())
    if error is None:
        assert r.error is None
    else:
        assert r.error is not None and r.error.startswith(error) and len(r.error) > len(error)


# -- the command's words and counts -----------------------------------------------------------

@pytest.mark.parametrize("n,word,text", [
    (0, "file", "0 files"), (1, "file", "1 file"), (2, "file", "2 files"),
    (1, "fix", "1 fix"), (2, "fix", "2 fixes"), (0, "fix", "0 fixes"),
])
def test_plural(n: int, word: str, text: str) -> None:
    assert _plural(n, word) == text


@pytest.mark.parametrize("original,text,data", [
    (b"a: 1\n", "a: 2\n", b"a: 2\n"),
    (codecs.BOM_UTF8 + b"a: 1\n", "a: 2\n", codecs.BOM_UTF8 + b"a: 2\n"),
    (b"", "\u00e9", "\u00e9".encode()),
    (b"x", "\udcff", b"\xed\xb3\xbf"),  # a lone surrogate survives (surrogatepass)
])
def test_encode_like(original: bytes, text: str, data: bytes) -> None:
    assert encode_like(original, text) == data


def changed_file(path: str, n_applied: int = 1, followers: int = 0, written: bool = True,
                 not_written: Optional[str] = None,
                 refused: Tuple[Refused, ...] = ()) -> FileFix:
    applied = tuple(finding("MW900", 3, [(3, 4, "x")], path=path)._replace(line=i + 1)
                    for i in range(n_applied))
    repaired = applied + tuple(finding("MW901", 8, path=path)._replace(line=i + 1)
                               for i in range(followers))
    res = FixResult(path, TEXT, TEXT.replace("1", "x") if applied else TEXT, applied,
                    repaired, refused, findings_seen=repaired)
    return FileFix(path, res, written, not_written, b"")


REFUSED = Refused(finding("MW905", 8, [(8, 9, "z")]), "its edits overlap")


@pytest.mark.parametrize("files,write,found,hidden,remaining,lines", [
    ([], True, 0, 0, 0, ["mwlint: found 0 findings (0 fixed, 0 remaining): nothing to fix"]),
    ([changed_file("a.yaml", 2, 1)], True, 4, 0, 1,
     ["mwlint: found 4 findings (3 fixed, 1 remaining): 2 fixes (2 edits) written to 1 file"]),
    ([changed_file("a.yaml"), changed_file("b.yaml")], False, 2, 0, 0,
     ["mwlint: found 2 findings (2 would be fixed, 0 would remain): 2 fixes (2 edits) for "
      "2 files"]),
    ([changed_file("a.yaml"), changed_file("b.yaml", written=False, not_written="ro")],
     True, 3, 1, 2,
     ["b.yaml: not written: ro",
      "mwlint: found 3 findings (1 fixed, 2 remaining): 1 fix (1 edit) written to 1 file; "
      "1 file not written; 1 hidden fix can be enabled with the `--unsafe-fixes` option"]),
    ([changed_file("b.yaml", written=False, not_written="ro")], True, 1, 2, 1,
     ["b.yaml: not written: ro",
      "mwlint: found 1 finding (0 fixed, 1 remaining); 1 file not written; 2 hidden fixes "
      "can be enabled with the `--unsafe-fixes` option"]),
    ([changed_file("a.yaml", 0, refused=(REFUSED,))], False, 1, 0, 1,
     ["a.yaml:2:4: MW905 not fixed: its edits overlap",
      "mwlint: found 1 finding (0 would be fixed, 1 would remain): nothing to fix"]),
    ([changed_file("a.yaml", 0, refused=(REFUSED,))], True, 1, 0, 1,
     ["mwlint: found 1 finding (0 fixed, 1 remaining): nothing to fix"]),
    ([FileFix("c.yaml", FixResult("c.yaml", "", "", error="not fixed: bad"))], True, 1, 0, 1,
     ["c.yaml: not fixed: bad",
      "mwlint: found 1 finding (0 fixed, 1 remaining): nothing to fix"]),
])
def test_summary(files: List[FileFix], write: bool, found: int, hidden: int, remaining: int,
                 lines: List[str]) -> None:
    assert FixRun(files, write, found, hidden).summary(remaining) == lines


# the findings of the run before the fixes: MW900 carries the fix, MW901 has none
BEFORE = (finding("MW900", 3, [(3, 4, "x")]), finding("MW901", 8, fix=False),
          finding("MW902", 8, fix=False))


@pytest.mark.parametrize("after,write,line", [
    # MW901 went as a side effect of MW900's fix: fixed, though it had no fix of its own
    ((BEFORE[2],), True, "mwlint: found 3 findings (2 fixed, 1 remaining): 1 fix (1 edit) "
                         "written to 1 file"),
    ((BEFORE[2],), False, "mwlint: found 3 findings (2 would be fixed, 1 would remain): 1 fix "
                          "(1 edit) for 1 file"),
    # a finding moved by the edit (another line) is the same finding: remaining
    ((BEFORE[1]._replace(line=9), BEFORE[2]), True,
     "mwlint: found 3 findings (1 fixed, 2 remaining): 1 fix (1 edit) written to 1 file"),
    # a warning the fix uncovered is not one of the findings before: said apart
    ((BEFORE[2], finding("MW903", 8, severity="warning", fix=False)), True,
     "mwlint: found 3 findings (2 fixed, 1 remaining): 1 fix (1 edit) written to 1 file; the "
     "fixes uncover 1 other finding"),
    ((), False, "mwlint: found 3 findings (3 would be fixed, 0 would remain): 1 fix (1 edit) "
                "for 1 file"),
])
def test_summary_matches_the_findings_before_and_after(after: Tuple[Finding, ...], write: bool,
                                                        line: str) -> None:
    run = FixRun([changed_file("k.yaml")], write, len(BEFORE), 0, BEFORE)
    assert run.summary(after) == [line]
    t = run.tally(after)
    assert t.found == t.fixed + t.remaining == len(BEFORE)


def test_fixed_done_changed_and_sources() -> None:
    a = changed_file("a.yaml", 2, 1)
    b = changed_file("b.yaml", written=False, not_written="ro")
    c = changed_file("c.yaml", 0)
    run = FixRun([a, b, c], True, 9, 0)
    assert [ff.path for ff in run.changed] == ["a.yaml", "b.yaml"]
    assert [ff.path for ff in run.done] == ["a.yaml"]
    assert run.fixed == 3
    assert FixRun([a, b, c], False, 9, 0).fixed == 4
    assert run.sources({"a.yaml": b"old", "b.yaml": b"old", "d": None}) == {
        "a.yaml": TEXT.replace("1", "x").encode(), "b.yaml": b"old", "d": None}
    assert run.diff() == a.result.diff() + b.result.diff() != ""


def test_notes_and_annotate() -> None:
    carrier = REFUSED.finding
    follower = finding("MW906", 13, repaired_by=("MW905", 2, 4))
    refused = FileFix("k.yaml", FixResult("k.yaml", TEXT, TEXT, refused=(REFUSED,),
                                          findings_seen=(carrier, follower)))
    unwritten = changed_file("u.yaml", written=False, not_written="read-only")
    broken = FileFix("e.yaml", FixResult("e.yaml", TEXT, TEXT, error="not fixed: bad",
                                         findings_seen=(finding("MW907", 3, path="e.yaml"),)))
    run = FixRun([refused, unwritten, broken], True, 4, 0)
    assert run.notes() == {
        ("k.yaml", "MW905", "path.MW905"): "its edits overlap",
        ("k.yaml", "MW906", "path.MW906"): "its edits overlap",
        ("u.yaml", "MW900", "path.MW900"): "the file was not written: read-only",
        ("e.yaml", "MW907", "path.MW907"): "not fixed: bad"}
    no_fix = finding("MW905", 8, fix=False)
    with_help = carrier._replace(help="do it")
    out = run.annotate([carrier, with_help, no_fix, finding("MW908", 3)])
    assert [(f.message, f.help, f.fixable, f.fix is None) for f in out] == [
        ("MW905 here (not fixed automatically)", "not fixed automatically: its edits overlap",
         False, True),
        ("MW905 here (not fixed automatically)",
         "not fixed automatically: its edits overlap; do it", False, True),
        ("MW905 here", None, False, True),
        ("MW908 here", None, True, False)]


# -- writing ----------------------------------------------------------------------------------

def test_a_hard_link_made_after_the_check_is_still_refused(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The link count is checked before the re-read; a link made in between (another
    process) must not be split by the rename: the write itself refuses it too."""
    dst = tmp_path / "k.yaml"
    dst.write_bytes(b"a: 1\n")
    real_read = write._read_current

    def read_and_link(path: str) -> bytes:
        if not (tmp_path / "other.yaml").exists():
            os.link(path, tmp_path / "other.yaml")
        return real_read(path)
    monkeypatch.setattr(write, "_read_current", read_and_link)
    with pytest.raises(write.NotWritten) as e:
        write.write_atomic(str(dst), b"a: 1\n", b"a: 2\n")
    assert str(e.value) == "it has 2 hard links, which replacing it would split"
    assert dst.read_bytes() == (tmp_path / "other.yaml").read_bytes() == b"a: 1\n"
    assert os.stat(dst).st_ino == os.stat(tmp_path / "other.yaml").st_ino


@pytest.mark.parametrize("setup,reason", [
    ("fifo", "not a regular file"),
    ("readonly", "the file is read-only"),
    ("linked", "it has 2 hard links, which replacing it would split (apply the --diff by "
               "hand to change them all)"),
    ("changed", "the file changed since it was read"),
    ("missing", "cannot stat the file: No such file or directory"),
])
def test_write_refusals(tmp_path: Path, setup: str, reason: str) -> None:
    dst = tmp_path / "k.yaml"
    if setup == "fifo":
        os.mkfifo(dst)
    elif setup != "missing":
        dst.write_bytes(b"a: 1\n" if setup != "changed" else b"a: 3\n")
    if setup == "readonly":
        os.chmod(dst, 0o444)
    if setup == "linked":
        os.link(dst, tmp_path / "other.yaml")
    with pytest.raises(write.NotWritten) as e:
        write.write_atomic(str(dst), b"a: 1\n", b"a: 2\n")
    assert str(e.value) == reason


def test_a_fix_at_the_start_of_the_text_applies() -> None:
    f = finding("MW900", 0, [(0, 1, "A"), (4, 4, "0")])
    g = finding("MW901", 0, [(0, 0, "#\n")])
    r = fix_findings(TEXT, "k.yaml", [f], relint_clean, old=[f])
    assert r.fixed == "A: 10\nb: 2\nc: 3\n" and r.refused == ()
    r = fix_findings(TEXT, "k.yaml", [g], relint_clean, old=[g])
    assert r.fixed == "#\n" + TEXT and r.refused == ()


def test_fix_paths_considers_only_files_with_a_fix_and_diff_writes_nothing(
        tmp_path: Path) -> None:
    fixable_text = releases_doc("""
        - namespace: mw-web
          debug: true
          releases:
            main: {stage: testservers}
          mw_flavour: publish
          web_flavour: webserver
        """)
    unfixable = releases_doc("""
        - namespace: mw-web
          releases:
            main: {stage: nowhere-near}
          mw_flavour: publish
          web_flavour: webserver
        """)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(fixable_text)
    b.write_text(unfixable)
    inodes = (os.stat(a).st_ino, os.stat(b).st_ino)
    run = fix_paths([str(a), str(b)], Settings(), write=False)
    assert [(ff.path, ff.result.changed, ff.written) for ff in run.files] == [
        (str(a), True, False)]
    assert (a.read_text(), b.read_text()) == (fixable_text, unfixable)
    assert (os.stat(a).st_ino, os.stat(b).st_ino) == inodes
    run = fix_paths([str(a), str(b)], Settings(), write=True)
    assert [(ff.path, ff.written) for ff in run.files] == [(str(a), True)]
    assert a.read_text() != fixable_text and b.read_text() == unfixable
