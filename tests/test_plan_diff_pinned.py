"""The plan's difference, decision by decision (mwlint.plan.model, mwlint.plan): each table
row pins one output exactly, so that a flipped comparison, a dropped ``not`` or a wrong
constant in the difference fails a row (scripts/mutate, issue 20)."""

from __future__ import annotations

import glob
import os
from typing import List, Optional, Tuple

import pytest
from helpers import FIXTURES, releases_doc

from mwlint.findings import Finding
from mwlint.plan import (
    FilePlan,
    PlanError,
    PlanRecord,
    check_items,
    diff_plans,
    load_hiera,
    plan_text,
    rank,
    records_of,
    refusals,
)
from mwlint.plan.model import (
    NOT_DEPLOYED,
    NOT_DEPLOYED_RANK,
    Change,
    CheckItem,
    Effect,
    FieldChange,
    PlanDiff,
    PlanSide,
    Record,
    change_effects,
    counts,
    describe,
    diff_checks,
    diff_records,
    effects,
    fmt_value,
    merged,
    side_errors,
    verdict,
)
from mwlint.plan.supervision import Check, Supervision


def rec(name: str = "a", release: str = "main", stage: str = "production",
        deploy: bool = True, flavour: str = "publish", places: Tuple[str, ...] = ("eqiad",),
        rank_: int = 2, family: str = "mediawiki") -> Record:
    fields = (("stage", stage), ("deploy", deploy), ("mw_flavour", flavour),
              ("clusters", places))
    return Record(family, name, release, stage, rank_, deploy,
                  deploy and stage == "production", fields, ("mw_flavour",))


def finding(code: str = "MW601", severity: str = "error", path: str = "k.yaml",
            line: int = 3) -> Finding:
    return Finding(code, "name", severity, "bad", path, line, 5, line, 6)


# -- values and field descriptions ------------------------------------------------------------

@pytest.mark.parametrize("value,text", [
    (None, "~"), (True, "true"), (False, "false"), (0, "0"), (1, "1"), ("x", "x"),
    ((), "none"), (("eqiad", "codfw"), "eqiad, codfw"), ((True, None), "true, ~"),
])
def test_fmt_value(value: object, text: str) -> None:
    assert fmt_value(value) == text


@pytest.mark.parametrize("field,old,new,text", [
    ("stage", "canaries", "production", "moves from canaries to production"),
    ("deploy", False, True, "deploy turned on"),
    ("deploy", True, False, "deploy turned off, no longer deployed"),
    ("mw_flavour", "publish", None, "mw_flavour publish → ~"),
    ("clusters", ("eqiad",), (), "clusters eqiad → none"),
])
def test_describe(field: str, old: object, new: object, text: str) -> None:
    assert describe(FieldChange(field, old, new)) == text


# -- records ----------------------------------------------------------------------------------

def test_record_and_change_accessors() -> None:
    r = rec("ns", "rel", deploy=False)
    assert (r.identity, r.label, r.group) == (("mediawiki", "ns", "rel"), "ns/rel",
                                              NOT_DEPLOYED)
    assert (r.get("mw_flavour"), r.get("deploy"), r.get("nope")) == ("publish", False, None)
    assert rec("ns", "rel").group == "production"
    c = Change("mediawiki", "ns", "rel", "changed", "canaries", 1, False,
               (FieldChange("clusters", ("a", "b"), ("a",)),))
    assert (c.namespace, c.label, c.group, c.tier) == ("ns", "ns/rel", NOT_DEPLOYED, 1)
    assert c._replace(deploy=True).group == "canaries"
    assert c._replace(image=True).tier == 0
    assert c._replace(to_production=True).tier == 0
    assert c.as_dict() == {
        "family": "mediawiki", "name": "ns", "release": "rel", "change": "changed",
        "stage": "canaries", "deploy": False, "group": NOT_DEPLOYED, "to_production": False,
        "image": False, "fields": [{"field": "clusters", "old": ["a", "b"], "new": ["a"]}]}


def _diff(old: List[Record], new: List[Record]
          ) -> List[Tuple[str, str, bool, bool, List[Tuple[str, object, object]]]]:
    return [(c.label, c.change, c.to_production, c.image,
             [(f.field, f.old, f.new) for f in c.fields]) for c in diff_records(old, new)]


ALL = [("stage", "production", None), ("deploy", True, None), ("mw_flavour", "publish", None),
       ("clusters", ("eqiad",), None)]


@pytest.mark.parametrize("old,new,expected", [
    # nothing changes: no change at all
    ([rec()], [rec()], []),
    # added: every field, old None; to production when it deploys to production
    ([], [rec()], [("a/main", "added", True, False,
                    [(k, None, o) for k, o, _n in ALL])]),
    ([], [rec(deploy=False)], [("a/main", "added", False, False,
                                [("stage", None, "production"), ("deploy", None, False),
                                 ("mw_flavour", None, "publish"),
                                 ("clusters", None, ("eqiad",))])]),
    ([], [rec(stage="canaries")], [("a/main", "added", False, False,
                                    [("stage", None, "canaries"), ("deploy", None, True),
                                     ("mw_flavour", None, "publish"),
                                     ("clusters", None, ("eqiad",))])]),
    # removed: last, every field, new None, never to production
    ([rec()], [], [("a/main", "removed", False, False, ALL)]),
    # the new side's order, removed ones last
    ([rec("x"), rec("y")], [rec("z"), rec("y", flavour="f2")],
     [("z/main", "added", True, False, [(k, None, o) for k, o, _n in ALL]),
      ("y/main", "changed", False, True, [("mw_flavour", "publish", "f2")]),
      ("x/main", "removed", False, False, ALL)]),
    # an image field on a record that is not deployed: no image change
    ([rec(deploy=False)], [rec(deploy=False, flavour="f2")],
     [("a/main", "changed", False, False, [("mw_flavour", "publish", "f2")])]),
    # a field only on the old side is a change to None
    ([rec()._replace(fields=rec().fields + (("dir", "x"),))], [rec()],
     [("a/main", "changed", False, False, [("dir", "x", None)])]),
    # a field only on the new side is a change from None
    ([rec()], [rec()._replace(fields=rec().fields + (("dir", "x"),))],
     [("a/main", "changed", False, False, [("dir", None, "x")])]),
    # deploy turned on at canaries: a move (to_production), not to production itself
    ([rec(stage="canaries", deploy=False)], [rec(stage="canaries")],
     [("a/main", "changed", True, False, [("deploy", False, True)])]),
    # deploy turned off in production: not a move
    ([rec()], [rec(deploy=False)],
     [("a/main", "changed", False, False, [("deploy", True, False)])]),
    # production to production, clusters only: not a move
    ([rec()], [rec(places=("codfw",))],
     [("a/main", "changed", False, False, [("clusters", ("eqiad",), ("codfw",))])]),
    # canaries to production: a move
    ([rec(stage="canaries")], [rec()],
     [("a/main", "changed", True, False, [("stage", "canaries", "production")])]),
    # production to canaries: not a move
    ([rec()], [rec(stage="canaries")],
     [("a/main", "changed", False, False, [("stage", "production", "canaries")])]),
    # a repeated identity: the first one counts on either side
    ([rec(), rec(flavour="other")], [rec(), rec(flavour="third")], []),
])
def test_diff_records(old: List[Record], new: List[Record], expected: object) -> None:
    assert _diff(old, new) == expected


def test_diff_records_keeps_image_fields_and_stage() -> None:
    [c] = diff_records([rec(stage="canaries", rank_=1)],
                       [rec(stage="canaries", rank_=1, flavour="f2")])
    assert (c.stage, c.rank, c.deploy, c.image_fields, c.family) == (
        "canaries", 1, True, ("mw_flavour",), "mediawiki")
    [r] = diff_records([rec(stage="canaries", rank_=1, deploy=False)], [])
    assert (r.stage, r.rank, r.deploy) == ("canaries", 1, False)


# -- checks -----------------------------------------------------------------------------------

def chk(key: str, value: object = None, rank_: int = 0, stage: str = "testservers"
        ) -> CheckItem:
    return CheckItem("mediawiki", stage, rank_, (key,), f"check {key}", value)


@pytest.mark.parametrize("old,new,expected", [
    ([chk("a", 1)], [chk("a", 1)], []),
    ([], [chk("a", 1)], [("added", "testservers", "check added: check a", 0)]),
    ([chk("a", 1)], [], [("removed", "testservers", "check removed: check a", 0)]),
    ([chk("a", 1)], [chk("a", 2)], [("changed", "testservers", "check a (was 1)", 0)]),
    ([chk("a", None)], [chk("a", True)], [("changed", "testservers", "check a (was ~)", 0)]),
    # in stage order: a removed check of an early stage before an added one of a later
    ([chk("r", rank_=0)], [chk("n", rank_=2, stage="production")],
     [("removed", "testservers", "check removed: check r", 0),
      ("added", "production", "check added: check n", 2)]),
    ([], [chk("p", rank_=2, stage="production"), chk("t", rank_=0)],
     [("added", "testservers", "check added: check t", 0),
      ("added", "production", "check added: check p", 2)]),
])
def test_diff_checks(old: List[CheckItem], new: List[CheckItem], expected: object) -> None:
    out = diff_checks(old, new)
    assert [(c.change, c.stage, c.what, c.rank) for c in out] == expected
    assert all(c.family == "mediawiki" for c in out)
    assert [c.as_dict() for c in out] == [{"change": e[0], "stage": e[1], "what": e[2]}
                                          for e in expected]  # type: ignore[index]


# -- effects: tiers, order, merged lines ------------------------------------------------------

def change(fields: List[Tuple[str, object, object]], deploy: bool = True,
           to_production: bool = False, kind: str = "changed", rank_: int = 1,
           name: str = "a") -> Change:
    return Change("mediawiki", name, "main", kind, "canaries", rank_, deploy,
                  tuple(FieldChange(*f) for f in fields), to_production=to_production,
                  image_fields=("mw_flavour",))


@pytest.mark.parametrize("c,expected", [
    # deploy turned on: tier 0; turned off: tier 1
    (change([("deploy", False, True)]), [(0, "deploy turned on")]),
    (change([("deploy", True, False)], deploy=False),
     [(1, "deploy turned off, no longer deployed")]),
    # a stage move is tier 0 only when it reaches production
    (change([("stage", "a", "b")]), [(1, "moves from a to b")]),
    (change([("stage", "a", "b")], to_production=True), [(0, "moves from a to b")]),
    # an image field: tier 0 when deployed, 1 when not
    (change([("mw_flavour", "x", "y")]), [(0, "mw_flavour x → y")]),
    (change([("mw_flavour", "x", "y")], deploy=False), [(1, "mw_flavour x → y")]),
    # any other field: tier 0 beside a move to production, 1 otherwise
    (change([("clusters", ("a",), ("b",))]), [(1, "clusters a → b")]),
    (change([("clusters", ("a",), ("b",))], to_production=True), [(0, "clusters a → b")]),
    # deploy turned off beside a move stays tier 1
    (change([("deploy", True, False), ("dir", "x", "y")], to_production=True),
     [(1, "deploy turned off, no longer deployed"), (0, "dir x → y")]),
])
def test_change_effects_tiers(c: Change, expected: object) -> None:
    fx = change_effects(c)
    assert [(e.tier, e.what()) for e in fx] == expected
    assert all((e.kind, e.name, e.group, e.rank) == ("field", "a/main", c.group,
                                                     c.rank if c.deploy else NOT_DEPLOYED_RANK)
               for e in fx)


@pytest.mark.parametrize("kind,deploy,fields,what,tier", [
    ("added", True, [("stage", None, "production"), ("clusters", None, ("eqiad", "codfw"))],
     "added (eqiad, codfw)", 1),
    ("added", False, [("stage", None, "canaries"), ("environments", None, ("s",))],
     "added (s), not deployed (stage canaries)", 1),
    ("removed", True, [("stage", "testservers", None), ("clusters", ("x",), None)],
     "removed (x)", 1),
    ("removed", True, [("stage", "testservers", None)], "removed (~)", 1),
])
def test_added_and_removed_are_one_effect(kind: str, deploy: bool,
                                          fields: List[Tuple[str, object, object]],
                                          what: str, tier: int) -> None:
    [e] = change_effects(change(fields, deploy=deploy, kind=kind))
    assert (e.kind, e.what(), e.tier) == (kind, what, tier)
    assert e.stage == (fields[0][2] if kind == "added" else fields[0][1])


def test_effects_order_tier_family_rank_then_checks() -> None:
    late = change([("clusters", ("a",), ("b",))], rank_=2, name="late")
    early = change([("clusters", ("a",), ("b",))], rank_=0, name="early")
    moved = change([("stage", "a", "b")], to_production=True, rank_=2, name="moved")
    other = late._replace(family="svc", name="svc", rank=0)
    check = diff_checks([], [chk("c", rank_=1)])
    fx = effects([late, other, early, moved], check)
    assert [(e.tier, e.family, e.rank, e.name or e.text) for e in fx] == [
        (0, "mediawiki", 2, "moved/main"),
        (1, "mediawiki", 0, "early/main"),
        (1, "mediawiki", 1, "check added: check c"),
        (1, "mediawiki", 2, "late/main"),
        (1, "svc", 0, "svc/main"),
    ]
    assert fx[2].kind == "check" and fx[2].what(prose=str.upper) == "CHECK ADDED: CHECK C"
    assert fx[2].what() == "check added: check c"


def test_merged_shares_one_line_per_change_and_stage() -> None:
    a = Effect(1, "canaries", 1, "a/main", "field", FieldChange("f", 1, 2))
    b = a._replace(name="b/main")
    other_stage = a._replace(group="production", name="c/main")
    check = Effect(1, "all", 0, "", "check", text="t")
    out = merged([a, b, a, other_stage, check, check])
    assert [(e.group, names) for e, names in out] == [
        ("canaries", ["a/main", "b/main"]), ("production", ["c/main"]), ("all", [])]


# -- verdict and counts -----------------------------------------------------------------------

@pytest.mark.parametrize("new,old,lines", [
    (PlanSide(), PlanSide(), ["scap would load the new config (no errors)"]),
    (PlanSide(errors=(finding(),)), PlanSide(),
     ["the new config has 1 error (scap would still load it)"]),
    (PlanSide(errors=(finding(), finding(line=4))), PlanSide(),
     ["the new config has 2 errors (scap would still load it)"]),
    (PlanSide(refusals=("x",), errors=(finding(),)), PlanSide(refusals=("y",)),
     ["scap would refuse the new config: 1 error", "scap refuses the config at HEAD~1"]),
    (PlanSide(refusals=("x",)), PlanSide(),
     ["scap would refuse the new config: 0 errors"]),
])
def test_verdict(new: PlanSide, old: PlanSide, lines: List[str]) -> None:
    assert verdict(PlanDiff("k.yaml", "HEAD~1", True, [], old, new)) == lines


def test_counts_and_side_errors() -> None:
    cs = [change([], kind=k) for k in ("added", "changed", "added", "removed", "added")]
    assert counts(cs) == {"changed": 1, "added": 3, "removed": 1}
    assert counts([]) == {"changed": 0, "added": 0, "removed": 0}
    err, warn = finding(), finding(severity="warning")
    assert side_errors([warn, err, warn]) == (err,)
    assert PlanSide(refusals=("x",)).refused and not PlanSide().refused


# -- the MediaWiki plan as records ------------------------------------------------------------

@pytest.mark.parametrize("stage,expected", [
    ("testservers", 0), ("canaries", 1), ("production", 2), ("nope", 3), (None, 3), (2, 3)])
def test_rank(stage: object, expected: int) -> None:
    assert rank(stage) == expected


def prec(ns: str, release: str, cluster: str, stage: object = "production",
         deploy: bool = True, flavour: object = "publish") -> PlanRecord:
    return PlanRecord(ns, release, cluster, stage, deploy, "web", flavour, "webserver", None,
                      None, "mediawiki-" + ns, f"{ns}.{release}.yaml", 1, "k.yaml")


def plan(*records: PlanRecord) -> FilePlan:
    return FilePlan("k.yaml", ("deployments",), ("eqiad",), "default", records)


@pytest.mark.parametrize("records,expected", [
    ((), []),
    # one record per (namespace, release), the clusters a field, in document order
    ((prec("a", "main", "eqiad"), prec("b", "main", "eqiad"), prec("a", "main", "codfw")),
     [("a", "main", "production", 2, True, True, ("eqiad", "codfw")),
      ("b", "main", "production", 2, True, True, ("eqiad",))]),
    # deploy if any cluster deploys; production only when deployed
    ((prec("a", "main", "eqiad", deploy=False), prec("a", "main", "codfw")),
     [("a", "main", "production", 2, True, True, ("eqiad", "codfw"))]),
    ((prec("a", "main", "eqiad", deploy=False),),
     [("a", "main", "production", 2, False, False, ("eqiad",))]),
    ((prec("a", "c", "eqiad", stage="canaries"),),
     [("a", "c", "canaries", 1, True, False, ("eqiad",))]),
    # a stage that is no stage: labelled as such, ranked after the three
    ((prec("a", "x", "eqiad", stage="prod"),),
     [("a", "x", "stage prod, which is not a stage", 3, True, False, ("eqiad",))]),
    ((prec("a", "x", "eqiad", stage=True),),
     [("a", "x", "stage true, which is not a stage", 3, True, False, ("eqiad",))]),
    ((prec("a", "x", "eqiad", stage=None),),
     [("a", "x", "stage ~, which is not a stage", 3, True, False, ("eqiad",))]),
    ((prec("a", "x", "eqiad", stage=False),),
     [("a", "x", "stage false, which is not a stage", 3, True, False, ("eqiad",))]),
])
def test_records_of(records: Tuple[PlanRecord, ...], expected: object) -> None:
    out = records_of(plan(*records))
    assert [(r.name, r.release, r.stage, r.rank, r.deploy, r.production, r.get("clusters"))
            for r in out] == expected
    assert all(r.family == "mediawiki" and r.image_fields == ("kind", "mw_flavour",
                                                             "web_flavour") for r in out)
    assert records_of(None) == ()


def test_records_of_lists_the_compared_fields_in_order() -> None:
    [r] = records_of(plan(prec("a", "main", "eqiad")))
    assert r.fields == (("stage", "production"), ("deploy", True), ("kind", "web"),
                        ("mw_flavour", "publish"), ("web_flavour", "webserver"),
                        ("clusters", ("eqiad",)), ("dir", None), ("scope", None))


def test_diff_plans() -> None:
    old = plan(prec("a", "main", "eqiad"), prec("a", "main", "codfw"),
               prec("b", "main", "eqiad"))
    new = plan(prec("a", "main", "eqiad", flavour="publish-83"), prec("c", "main", "eqiad"))
    out = diff_plans(old, new)
    assert [(c.label, c.change, c.image, c.to_production) for c in out] == [
        ("a/main", "changed", True, False), ("c/main", "added", False, True),
        ("b/main", "removed", False, False)]
    assert [(f.field, f.old, f.new) for f in out[0].fields] == [
        ("mw_flavour", "publish", "publish-83"), ("clusters", ("eqiad", "codfw"), ("eqiad",))]
    assert [c.change for c in diff_plans(None, old)] == ["added", "added"]
    assert diff_plans(old, old) == [] and diff_plans(None, None) == []


@pytest.mark.parametrize("verdicts,path,expected", [
    ([finding()], None, ("k.yaml:3:5: MW601 bad",)),
    ([finding(), finding()], None, ("k.yaml:3:5: MW601 bad",)),  # one line each, once
    ([finding(severity="warning")], None, ()),
    ([finding(code="MW201")], None, ()),  # an error that does not stop scap
    ([finding(path="o.yaml"), finding(line=4)], "k.yaml", ("k.yaml:4:5: MW601 bad",)),
    ([finding(path="o.yaml")], None, ("o.yaml:3:5: MW601 bad",)),
])
def test_refusals(verdicts: List[Finding], path: Optional[str], expected: object) -> None:
    assert refusals(verdicts, path) == expected


def test_plan_summary_and_stages() -> None:
    p = plan(prec("a", "t", "eqiad", stage="testservers"),
             prec("a", "c", "eqiad", stage="canaries"),
             prec("a", "p", "eqiad"), prec("a", "p", "codfw"),
             prec("a", "n", "eqiad", deploy=False),
             prec("a", "x", "eqiad", stage="prod"),
             prec("a", "y", "eqiad", stage="prod", deploy=False))
    assert p.summary() == {"records": 7, "testservers": 1, "canaries": 1, "production": 2,
                           "not_deployed": 2, "invalid_stage": 1}
    assert [r.release for r in p.stage("production")] == ["p", "p"]
    assert plan_text("other: 1\n", "k.yaml") is None


def test_check_items_are_the_declared_checks() -> None:
    declared = (Check("canaries", "logstash_check", 0, "train", threshold=10,
                      watches_scope="train", watches_stage="canaries"),
                Check("testservers", "commands", 1, "all", command="httpbb x"))
    p = plan()._replace(supervision=Supervision("rules", declared=declared))
    assert [(c.family, c.stage, c.rank, c.key, c.what, c.value) for c in check_items(p)] == [
        ("mediawiki", "canaries", 1, declared[0].key,
         "logstash_check threshold 10 (rule 0, scope train)", 10),
        ("mediawiki", "testservers", 0, declared[1].key,
         "commands: httpbb x (rule 1, scope all)", None)]
    assert check_items(plan()) == () and check_items(None) == ()


# -- what the plan leaves out, and says -------------------------------------------------------

WEB = """
    - namespace: mw-web
      {extra}
      releases:
        main: {{stage: production}}
      mw_flavour: publish
      web_flavour: webserver
    """


@pytest.mark.parametrize("source,skipped,notes,records", [
    ("c1a04edb", ("mw_releases: a 2022 hash value (MW205): nothing in it is planned",), (), 0),
    ("2125c65d", ("mw_releases: a list of one-key hashes value (MW205): nothing in it is "
                  "planned",), (), 0),
    ("[]", (), (), 0),
    (WEB.format(extra="scope: train"), (), (), 2),
    (WEB.format(extra="clusters: []"),
     ("mw_releases[0] (mw-web): clusters: [] yields no record",), (), 0),
    (WEB.format(extra="debug: true"), (),
     ("mw_releases[0] (mw-web): debug: true is ignored by scap since 1140ee83 (April 2025): "
      "its releases are planned with their own mw_kind and stage (MW201; mwlint --fix "
      "migrates it)",), 2),
])
def test_what_the_plan_skips_and_notes(source: str, skipped: Tuple[str, ...],
                                       notes: Tuple[str, ...], records: int) -> None:
    if source.isalnum():
        [path] = glob.glob(os.path.join(FIXTURES, "real", f"*-{source}-*.yaml"))
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = releases_doc(source)
    p = plan_text(text, "k.yaml")
    assert p is not None
    assert (p.skipped, p.notes, len(p.records)) == (skipped, notes, records)


def test_plan_record_as_dict_shows_images_only_when_asked() -> None:
    r = prec("a", "main", "eqiad")._replace(mw_image="mw:1", web_image="web:1",
                                            php_version="8.1")
    base = {"namespace": "a", "release": "main", "cluster": "eqiad", "stage": "production",
            "deploy": True, "kind": "web", "mw_flavour": "publish",
            "web_flavour": "webserver", "dir": None, "scope": None,
            "helmfile_dir": "mediawiki-a", "values_file": "a.main.yaml", "line": 1,
            "yaml_path": "k.yaml"}
    assert r.as_dict() == base
    assert r.as_dict(with_images=True) == {**base, "mw_image": "mw:1", "web_image": "web:1",
                                           "php_version": "8.1"}


def test_load_hiera() -> None:
    hiera = load_hiera(releases_doc(WEB.format(extra="scope: train")), "k.yaml")
    assert hiera is not None and [d.short_name for d in hiera.deployments] == ["mw_releases"]
    assert load_hiera("other: 1\n", "k.yaml") is None
    with pytest.raises(PlanError) as e:
        load_hiera("a: [\n", "k.yaml")
    assert str(e.value).startswith("k.yaml:") and ": cannot plan: " in str(e.value)
