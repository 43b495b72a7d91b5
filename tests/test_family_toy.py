"""A third configuration family plugged in from this one module, with no other change:
its keys are found, modelled, judged by its rule, and its findings reach every output
format of the command line; its plan and plan difference (``mwlint plan``, ``plan --against``) come from the
family's planner.

The toy family: ``toy::answer`` must be an integer (rule MW901)."""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import shutil
import subprocess
from contextlib import redirect_stdout
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

import pytest

from mwlint.cli import main
from mwlint.engine import lint_buffer, lint_text
from mwlint.families import family_of, register, unregister
from mwlint.family import Family
from mwlint.findings import Finding, span_of
from mwlint.formats import FORMATS
from mwlint.locate.locator import Located, Location
from mwlint.model import HieraFile
from mwlint.parse.resolve import is_map, is_scalar
from mwlint.plan.model import (
    FamilyPlan,
    PlanInputs,
    Planner,
    PlanOptions,
    PlanUsageError,
    Record,
)
from mwlint.rules import all_rules, find_rule
from mwlint.rules.base import Rule
from mwlint.settings import Settings

TOY_KEY = "toy::answer"


class ToyFact:
    """One toy key: its name, its value as written and where."""

    def __init__(self, name: str, value: str, tag: str, node: Any) -> None:
        self.name = name
        self.value = value
        self.tag = tag
        self.node = node


class Toy(Family):
    name = "toy"
    markers = ("toy::",)
    codes = ("MW9",)

    def keys(self, location: Location) -> Tuple[Located, ...]:
        root = location.root
        if not is_map(root):
            return ()
        return tuple(Located(k.value, "answer", k, v, "answer") for k, v in root.value
                     if is_scalar(k) and k.value == TOY_KEY)

    def build(self, path: str, text: str, keys: Sequence[Located], location: Location,
              settings: Settings) -> List[ToyFact]:
        return [ToyFact(loc.full_name, getattr(loc.value_node, "value", ""),
                        getattr(loc.value_node, "tag", ""), loc.value_node) for loc in keys]

    def rules(self) -> Sequence[Rule]:
        return (AnswerIsInt(),)

    def planner(self) -> ToyPlanner:
        return ToyPlanner()


class ToyPlanner(Planner):
    """The toy's plan: each answer is one record, applied at stage "answer", or at the
    stage its own plan option ``--toy-stage`` names."""

    name = "toy"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--toy-stage", metavar="STAGE", default="answer",
                            help="toy: the stage the answers are applied at")

    def check_arguments(self, args: argparse.Namespace, inputs: PlanInputs
                        ) -> Mapping[str, Any]:
        if not args.toy_stage.isidentifier():
            raise PlanUsageError(f"--toy-stage {args.toy_stage!r}: not a stage name "
                                 f"({len(inputs.models)} models)")
        return {"stage": args.toy_stage}

    def plan(self, model: Any, verdicts: Sequence[Finding], options: PlanOptions
             ) -> Optional[FamilyPlan]:
        facts = model.models.get("toy")
        if not facts:
            return None
        stage = options.of("toy").get("stage", "answer")
        return FamilyPlan("toy", model.path, tuple(
            Record("toy", f.name, "answer", stage, 0, True, True, (("value", f.value),),
                   ("value",)) for f in facts),
            tuple(f"{x.path}:{x.line}:{x.column}: {x.code} {x.message}" for x in verdicts
                  if x.code == "MW901"))


class AnswerIsInt(Rule):
    code = "MW901"
    name = "toy-answer-not-int"
    summary = "toy::answer is not an integer."
    rationale = "The toy consumer reads an integer."
    bad = "toy::answer: forty-two\n"
    good = "toy::answer: 42\n"

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for fact in hiera.models.get("toy", ()):
            if not fact.tag.endswith(":int"):
                yield self.finding_at(hiera.path, span_of(fact.node),
                                      f"toy::answer {fact.value!r} is not an integer",
                                      yaml_path="answer", help="write a number, like 42")


BAD = "toy::answer: forty-two\n"


@pytest.fixture
def toy():
    family = Toy()
    register(family)
    try:
        yield family
    finally:
        unregister(family)


def test_the_toy_rule_is_registered_with_its_family(toy):
    assert find_rule("MW901") is not None and family_of("MW901") == "toy"
    assert "MW901" in {r.code for r in all_rules()}


def test_without_the_family_nothing_happens():
    assert find_rule("MW901") is None
    assert lint_text(BAD, "common.yaml") == []


def test_library_and_buffer_runs(toy):
    (f,) = lint_text(BAD, "common.yaml")
    assert (f.code, f.line, f.column, f.end_column) == ("MW901", 1, 14, 23)
    assert [x.code for x in lint_buffer(BAD, "common.yaml").findings] == ["MW901"]
    assert lint_text("toy::answer: 42\n", "common.yaml") == []


def _run(argv: List[str]) -> Tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_findings_reach_every_output_format(toy, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common.yaml").write_text(BAD)
    (tmp_path / "other.yaml").write_text("unrelated: 1\n")  # pre-filtered out
    code, out = _run(["--format", fmt, "."])
    assert code == 1, out
    assert "MW901" in out
    if fmt == "json":
        doc = json.loads(out)
        found = doc["findings"] if isinstance(doc, dict) else doc
        assert [(f["code"], f["line"], f["column"]) for f in found] == [("MW901", 1, 14)]


def test_the_family_plan(toy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common.yaml").write_text("toy::answer: 42\n")
    code, out = _run(["plan", "--format", "json", "common.yaml"])
    assert code == 0, out
    doc = json.loads(out)
    assert doc["verdict"] == {"refused": False, "text": "scap would load the config"}
    [plan] = doc["toy"]
    assert [(r["name"], r["fields"]) for r in plan["records"]] == [
        ("toy::answer", {"value": "42"})]
    code, out = _run(["plan", "common.yaml"])
    assert code == 0 and "toy::answer/answer (answer): value 42" in out
    code, out = _run(["plan", "--format", "markdown", "common.yaml"])
    assert code == 0 and "- `toy::answer/answer` (`answer`): value `42`" in out
    if importlib.util.find_spec("jinja2") is not None:
        code, out = _run(["plan", "--format", "html", "common.yaml"])
        assert code == 0 and "<code>toy::answer/answer</code> (answer): value 42" in out
    (tmp_path / "common.yaml").write_text(BAD)
    code, out = _run(["plan", "common.yaml"])  # the rule's finding is the verdict
    assert code == 1 and "scap would not get through the config: 1 problem" in out
    assert "MW901 toy::answer 'forty-two' is not an integer" in out


@pytest.mark.parametrize("argv,code,out,err", [
    ([], 0, "toy::answer/answer (answer): value 42", ""),
    (["--toy-stage", "canary"], 0, "toy::answer/answer (canary): value 42", ""),
    (["--format", "json", "--toy-stage", "canary"], 0, '"stage": "canary"', ""),
    (["--toy-stage", "not a stage"], 2, "",
     "mwlint: error: --toy-stage 'not a stage': not a stage name (1 models)\n"),
])
def test_the_family_plan_option_reaches_its_plan(toy, tmp_path, monkeypatch, capsys, argv,
                                                 code, out, err):
    """The toy planner adds its own option to ``mwlint plan`` and checks it; the value
    reaches its plan (the command line names no family)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common.yaml").write_text("toy::answer: 42\n")
    got_code, got_out = _run(["plan", *argv, "common.yaml"])
    got_err = capsys.readouterr().err
    assert (got_code, got_err) == (code, err)
    assert out in got_out


def test_without_the_family_its_plan_option_is_unknown(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common.yaml").write_text("toy::answer: 42\n")
    assert _run(["plan", "--toy-stage", "canary", "common.yaml"])[0] == 2
    assert "--toy-stage" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_the_family_plan_difference(toy, tmp_path, monkeypatch, fmt):
    if fmt == "html":
        pytest.importorskip("jinja2")
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path))
    (tmp_path / "common.yaml").write_text("toy::answer: 41\n")
    for argv in (["init", "-q"], ["add", "."], ["commit", "-qm", "old"]):
        subprocess.run(["git", *argv], cwd=str(tmp_path), env=env, check=True,
                       capture_output=True)
    (tmp_path / "common.yaml").write_text("toy::answer: 42\n")
    code, out = _run(["plan", "--against", "HEAD", "--format", fmt, "common.yaml"])
    assert code == 0, out
    if fmt == "json":
        [d] = json.loads(out)["diffs"]
        assert [(c["family"], c["name"], c["change"], c["fields"]) for c in d["changes"]] == [
            ("toy", "toy::answer", "changed", [{"field": "value", "old": "41", "new": "42"}])]
        assert [(e["tier"], e["what"]) for e in d["effects"]] == [(0, "value 41 → 42")]
    else:
        assert "toy::answer/answer" in out and "41" in out and "42" in out
        assert "scap would load the new config" in out
