"""Supervision in a plan: the checks scap runs after each stage, and the deployed targets no
check watches (deployments-config.md §1.5, §4).

In the ``mw_deployments`` mapping form, ``supervision_rules`` decide the checks: a rule
applies when a target of its scope is deployed; at each stage the checks run are the union of
the applying rules' checks for that stage (``commands`` before ``logstash_check``). A
``logstash_check`` watches its rule's scope at the current stage unless it names another
``scope`` or ``stage``. Without ``supervision_rules`` (absent or null, or the list form) scap
uses scap.cfg's checks; an empty list disables them, so no check runs at all.
"""

from __future__ import annotations

from mwlint.model.types import STAGES, Deployments, SupervisionRule
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple

# what scap.cfg provides when there are no supervision_rules
FALLBACK = {
    "testservers": "testservers_check_cmd_k8s (scap.cfg)",
    "canaries": "canary_threshold (scap.cfg)",
    "production": "production_error_threshold (scap.cfg)",
}


class Check(NamedTuple):
    stage: str  # the stage after which it runs
    kind: str  # "commands" or "logstash_check"
    rule: int  # the rule's index in supervision_rules
    rule_scope: str
    command: Optional[str] = None  # commands: one command
    threshold: object = None  # logstash_check
    watches_scope: Optional[str] = None  # logstash_check: the targets it watches
    watches_stage: Optional[str] = None

    @property
    def key(self) -> Tuple[object, ...]:
        """What identifies the check across two plans (a threshold can change)."""
        return (self.stage, self.kind, self.rule_scope, self.command, self.watches_scope,
                self.watches_stage)

    def describe(self) -> str:
        if self.kind == "commands":
            return f"commands: {self.command}"
        what = f"logstash_check threshold {_s(self.threshold)}"
        if self.watches_scope != self.rule_scope or self.watches_stage != self.stage:
            what += f" (watches scope {self.watches_scope} at {self.watches_stage})"
        return what

    def origin(self) -> str:
        return f"rule {self.rule}, scope {self.rule_scope}"

    def as_dict(self) -> Dict[str, object]:
        return {"stage": self.stage, "type": self.kind, "rule": self.rule,
                "rule_scope": self.rule_scope, "command": self.command,
                "threshold": self.threshold, "watches_scope": self.watches_scope,
                "watches_stage": self.watches_stage}


class Unchecked(NamedTuple):
    """A deployed target (namespace/release) at a stage no check watches."""
    namespace: str
    release: str
    stage: str
    scope: object

    def describe(self) -> str:
        return (f"{self.namespace}/{self.release} (scope {_s(self.scope)}) runs with no "
                "check")

    def as_dict(self) -> Dict[str, object]:
        return {"namespace": self.namespace, "release": self.release, "stage": self.stage,
                "scope": self.scope}


class Supervision(NamedTuple):
    # "rules": supervision_rules decide; "fallback": scap.cfg's checks
    source: str
    checks: Tuple[Check, ...] = ()  # of the rules that apply, de-duplicated, run order
    idle: Tuple[Tuple[int, str], ...] = ()  # (rule, scope) of rules no deployed scope matches
    unchecked: Tuple[Unchecked, ...] = ()
    declared: Tuple[Check, ...] = ()  # every well-formed check, applying or not

    def at(self, stage: str) -> List[Check]:
        return [c for c in self.checks if c.stage == stage]

    def unchecked_at(self, stage: str) -> List[Unchecked]:
        return [u for u in self.unchecked if u.stage == stage]

    def as_dict(self) -> Dict[str, object]:
        return {"source": self.source,
                "stages": [{"stage": s, "checks": [c.as_dict() for c in self.at(s)],
                            "fallback": FALLBACK[s] if self.source == "fallback" else None,
                            "unchecked": [u.as_dict() for u in self.unchecked_at(s)]}
                           for s in STAGES],
                "idle_rules": [{"rule": i, "scope": s} for i, s in self.idle]}


def _s(v: object) -> str:
    return "~" if v is None else str(v)


def _rule_checks(rule: SupervisionRule) -> Iterator[Check]:
    """The well-formed checks of one rule (MW501 reports the others)."""
    scope = rule.get("scope")
    stages = rule.get("stages")
    if scope is None or not (scope.kind == "str" and scope.text) or stages is None:
        return
    name = scope.text
    for k, v in stages.pairs():
        stage = k.text if k.kind == "str" else None
        if stage not in STAGES:
            continue
        for check in v.items():
            pairs = check.pairs()
            if len(pairs) != 1:
                continue
            ck, cv = pairs[0]
            if ck.text == "commands":
                for item in cv.items():
                    if item.kind == "str":
                        yield Check(stage, "commands", rule.index, name, command=item.text)
            elif ck.text == "logstash_check" and stage != "testservers":
                fields = {fk.text: fv for fk, fv in cv.pairs() if fk.is_scalar}
                t = fields.get("threshold")
                if t is None or t.kind != "int":
                    continue
                ws, wg = fields.get("scope"), fields.get("stage")
                yield Check(stage, "logstash_check", rule.index, name, threshold=t.value,
                            watches_scope=ws.text if ws is not None and ws.kind == "str"
                            and ws.text else name,
                            watches_stage=wg.text if wg is not None and wg.text in STAGES
                            else stage)


def supervision_of(deployments: Sequence[Deployments], records: Sequence[Any]
                   ) -> Optional[Supervision]:
    """The supervision of a file's plan (its deployments values and plan records)."""
    if not deployments:
        return None
    d = deployments[-1]  # the value scap reads (MW304 reports a second one)
    sr = d.top_fields.get("supervision_rules") if d.form == "mapping" else None
    if sr is None or sr.is_null:
        return Supervision("fallback")
    if not sr.is_seq:
        return Supervision("rules")  # MW501: scap refuses it
    deployed: Dict[Tuple[str, str, str], object] = {}
    for r in records:
        if r.deploy and r.stage in STAGES:
            deployed.setdefault((r.namespace, r.release, r.stage), r.scope)
    scopes = set(deployed.values())
    declared: List[Check] = []
    for rule in d.supervision_rules:
        declared.extend(_rule_checks(rule))
    applying = [c for c in declared if c.rule_scope in scopes]
    seen: Set[Tuple[object, ...]] = set()
    checks: List[Check] = []
    for stage in STAGES:
        for kind in ("commands", "logstash_check"):
            for c in applying:
                if c.stage != stage or c.kind != kind:
                    continue
                dedup = (stage, kind, c.command, c.threshold, c.watches_scope,
                         c.watches_stage)
                if dedup not in seen:
                    seen.add(dedup)
                    checks.append(c)
    watched: Set[Tuple[Optional[str], Optional[str]]] = set()
    for c in checks:
        if c.kind == "commands":
            watched.add((c.rule_scope, c.stage))
        else:
            watched.add((c.watches_scope, c.watches_stage))
    unchecked = tuple(Unchecked(ns, rel, stage, scope)
                      for (ns, rel, stage), scope in deployed.items()
                      if (scope, stage) not in watched)
    idle = []
    for rule in d.supervision_rules:
        s = rule.get("scope")
        if s is not None and s.kind == "str" and s.text and s.text not in scopes:
            idle.append((rule.index, s.text))
    return Supervision("rules", tuple(checks), tuple(dict.fromkeys(idle)), unchecked,
                       tuple(declared))


class CheckChange(NamedTuple):
    change: str  # "added", "removed", "threshold" (changed), "unchecked"
    stage: str
    what: str  # one short line

    def as_dict(self) -> Dict[str, object]:
        return {"change": self.change, "stage": self.stage, "what": self.what}


def diff_supervision(old: Optional[Supervision], new: Optional[Supervision]
                     ) -> List[CheckChange]:
    """Checks added or removed, thresholds changed, targets that start or stop running
    with no check, from ``old`` to ``new``."""
    out: List[CheckChange] = []
    if old is None and new is None:
        return out
    o_src = old.source if old else None
    n_src = new.source if new else None
    if o_src != n_src and old is not None and new is not None:
        if n_src == "fallback":
            out.append(CheckChange("removed", "all", "supervision_rules removed: scap.cfg's "
                                   "checks run instead"))
        elif o_src == "fallback":
            out.append(CheckChange("added", "all", "supervision_rules added: they replace "
                                   "scap.cfg's checks"))
    a = {c.key: c for c in (old.declared if old else ())}
    b = {c.key: c for c in (new.declared if new else ())}
    for stage in STAGES:
        for key, c in b.items():
            if c.stage != stage:
                continue
            before = a.get(key)
            if before is None:
                out.append(CheckChange("added", stage, f"check added: {c.describe()} "
                                       f"({c.origin()})"))
            elif before.threshold != c.threshold:
                out.append(CheckChange("threshold", stage, f"{c.kind} threshold "
                                       f"{_s(before.threshold)} → {_s(c.threshold)} "
                                       f"({c.origin()})"))
        for key, c in a.items():
            if c.stage == stage and key not in b:
                out.append(CheckChange("removed", stage, f"check removed: {c.describe()} "
                                       f"({c.origin()})"))
        was = {(u.namespace, u.release) for u in (old.unchecked_at(stage) if old else ())}
        for u in (new.unchecked_at(stage) if new else ()):
            if (u.namespace, u.release) not in was:
                out.append(CheckChange("unchecked", stage, f"{u.namespace}/{u.release} now "
                                       "runs with no check"))
    return out


__all__ = ["Check", "Unchecked", "Supervision", "CheckChange", "supervision_of",
           "diff_supervision", "FALLBACK"]
