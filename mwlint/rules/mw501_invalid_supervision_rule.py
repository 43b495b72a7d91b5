from __future__ import annotations

from mwlint.findings import Finding, Fix, Span
from mwlint.model.types import STAGES, Field, HieraFile, SupervisionRule
from mwlint.model.values import Value, quote
from mwlint.rules.base import Rule, because
from mwlint.settings import Settings
from mwlint.suggest import closest
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, Optional, Tuple, Union

RULE_KEYS = ("scope", "stages")
CHECK_TYPES = ("logstash_check", "commands")
LOGSTASH_KEYS = ("threshold", "scope", "stage")
_STAGES_HELP = "the stages are testservers, canaries and production"
_STAGE_HINTS = {"canary": "canaries", "test": "testservers", "testserver": "testservers",
                "prod": "production"}


def _is_str(value: Value) -> bool:
    return value.kind == "str"


def _is_int(value: Value) -> bool:
    return value.kind == "int"  # a boolean is not an integer


# What a message says a wrong value is: its description (``the integer 10``), or only its
# kind when that description is long (a whole command written as a string), so that a
# message, which also names the check, stays one short line.
_BRIEF_LIMIT = 32
_KIND_WORDS = {"str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean"}


def _brief(value: Union[Value, Field]) -> str:
    text = value.describe()
    if len(text) <= _BRIEF_LIMIT:
        return text
    return _KIND_WORDS.get(value.kind, "a tagged value")


def _stage_hint(text: object) -> str:
    if not isinstance(text, str):
        return ""
    guess = _STAGE_HINTS.get(text.strip().lower()) or closest(text, STAGES)
    return f"; did you mean {guess!r}?" if guess and guess != text else ""


def _why(message: str) -> str:
    """The message with, in a few words, why it fails (issue 20 item 6)."""
    ignored = message.startswith("unknown key") or ": unknown logstash_check key " in message
    reason = (", which scap ignores" if ignored
              else "; scap refuses it" if ": " in message else ": scap refuses it")
    return because(message, reason, limit=120)


class InvalidSupervisionRule(Rule):
    code = "MW501"
    name = "invalid-supervision-rule"
    severity = "error"
    summary = (
        "In mw_deployments' supervision_rules: a rule without a non-empty scope or without "
        "a stages mapping; a stage key other than testservers, canaries, production; a "
        "check that is not a single-key mapping; an unknown check type; a logstash_check "
        "that is not a mapping, lacks an integer threshold (a boolean is not an integer) "
        "or sits under testservers; commands that are not a list of strings. Keys Puppet's "
        "type does not allow in a rule or a logstash_check are reported too."
    )
    rationale = (
        "scap refuses to load the whole config on the first invalid rule (E9-E15), so no "
        "sync can run, and Puppet's type rejects the value on the deployment server. A null "
        "supervision_rules makes scap fall back to its scap.cfg thresholds. Unknown keys in a "
        "rule or a logstash_check are ignored by scap, so what they say never applies. Each "
        "check is a mapping with exactly one check type (logstash_check or commands); "
        "logstash checks are refused at testservers, whose debug servers get no production "
        "traffic; a threshold is an integer error count (Puppet's Integer), unquoted."
    )
    bad = """
supervision_rules:
  - scope: train
    stages:
      testservers:
        - logstash_check: {threshold: 10}
      canary:
        - logstash_check: {threshold: "10"}
"""
    good = """
supervision_rules:
  - scope: train
    stages:
      testservers:
        - commands: ["httpbb /srv/deployment/httpbb-tests/appserver/* --hosts=mwdebug"]
      canaries:
        - logstash_check: {threshold: 10}
"""

    def finding_at(self, path: str, span: Span, message: str, yaml_path: str = "",
                   fixable: bool = False, context: Tuple[Any, ...] = (),
                   severity: Optional[str] = None,
                   help: Optional[str] = None, fix: Optional[Fix] = None) -> Finding:
        return super().finding_at(path, span, _why(message), yaml_path, fixable, context,
                                  severity, help, fix)

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.form != "mapping":
                continue
            sr = d.top_fields.get("supervision_rules")
            if sr is None:
                continue  # MW102
            if not sr.is_seq:
                yield self.at(
                    hiera, sr,
                    f"supervision_rules is {_brief(sr)}, not a list of rules",
                    context=(None, None, "supervision_rules", str(sr.value)),
                    help="write a list of rules (- scope: ..., stages: ...), or [] for none",
                )
                continue
            for rule in d.supervision_rules:
                yield from self._rule(hiera, rule)

    # -- one rule ------------------------------------------------------------------------
    def _rule(self, hiera: HieraFile, rule: SupervisionRule) -> Iterator[Finding]:
        if rule.value.kind != "map":
            yield self.finding_at(
                hiera.path, rule.value.span,
                f"supervision rule {rule.index} is {_brief(rule.value)}, not a mapping",
                rule.path, context=(None, None, f"rule[{rule.index}]", None),
                help="write a mapping with scope and stages",
            )
            return
        f = rule.fields
        scope = f.get("scope")
        scope_name = scope.text if scope is not None and scope.nonempty_str else None
        ctx = scope_name
        for name, field in f.items():
            if name in RULE_KEYS:
                continue
            guess = "stages" if name == "stage" else closest(str(name), RULE_KEYS)
            hint = f"; did you mean {guess!r}?" if guess else ""
            yield self.at(
                hiera, field,
                f"unknown key {quote(name)} in supervision rule {rule.index}, which scap "
                f"ignores{hint}",
                key=True, context=(ctx, None, name, None),
                help=None if hint else "a rule has only scope and stages",
            )
        if scope is None:
            yield self.finding_at(
                hiera.path, rule.span,
                f"supervision rule {rule.index} has no scope, so scap refuses the config",
                rule.path, context=(None, None, "scope", None),
                help="add scope: <name> (the targets' scope, train by default)",
            )
        elif not scope.nonempty_str:
            yield self.at(
                hiera, scope,
                f"scope of supervision rule {rule.index} is {_brief(scope)}, not a "
                f"non-empty string",
                context=(None, None, "scope", str(scope.value)),
                help="write the targets' scope (e.g. train)",
            )
        stages = f.get("stages")
        if stages is None:
            yield self.finding_at(
                hiera.path, rule.span,
                f"supervision rule {rule.index} has no stages, so it checks nothing",
                rule.path, context=(ctx, None, "stages", None),
                help="add stages: {<stage>: [checks]}",
            )
            return
        if not stages.is_map:
            yield self.at(
                hiera, stages,
                f"stages of supervision rule {rule.index} is {_brief(stages)}, not a "
                f"mapping of stage to checks",
                context=(ctx, None, "stages", str(stages.value)),
                help="write stages: {<stage>: [checks]}",
            )
            return
        stages_value = rule.get("stages")
        assert stages_value is not None  # the stages field is there
        for k, v in stages_value.pairs():
            yield from self._stage(hiera, rule, ctx, stages.path, k, v)

    def _stage(self, hiera: HieraFile, rule: SupervisionRule, ctx: Optional[str], base: str,
               k: Value, v: Value) -> Iterator[Finding]:
        stage = k.text if k.is_scalar else None
        spath = f"{base}.{stage}"
        if not (_is_str(k) and stage in STAGES):
            yield self.finding_at(
                hiera.path, k.span,
                f"unknown stage {quote(stage)} in supervision rule {rule.index}"
                f"{_stage_hint(stage)}",
                spath, context=(ctx, None, "stages", str(stage)),
                help=_STAGES_HELP,
            )
            if not v.kind == "seq":
                return  # the checks below are still checked: they are the next error
        if not v.kind == "seq":
            yield self.finding_at(
                hiera.path, v.span,
                f"checks of stage {stage} in supervision rule {rule.index} are "
                f"{_brief(v)}, not a list",
                spath, context=(ctx, None, f"stages.{stage}", None),
                help="write a list (- logstash_check: {threshold: N} or - commands: [...])",
            )
            return
        for j, check in enumerate(v.items()):
            yield from self._check(hiera, rule, ctx, stage, f"{spath}[{j}]", check)

    def _check(self, hiera: HieraFile, rule: SupervisionRule, ctx: Optional[str],
               stage: Optional[str], path: str, check: Value) -> Iterator[Finding]:
        # which check: every message about it starts with this, the problem follows
        where = f"check {path.rsplit('.', 1)[-1]} of supervision rule {rule.index}"
        if not check.kind == "map" or len(check.pairs()) != 1:
            what = (_brief(check) if not check.kind == "map"
                    else f"a mapping with {len(check.pairs())} keys")
            yield self.finding_at(
                hiera.path, check.span,
                f"{where} is {what}, not a single check",
                path, context=(ctx, None, f"stages.{stage}", None),
                help="write one list item per check, each with one key: logstash_check or "
                     "commands",
            )
            return
        k, v = check.pairs()[0]
        kind = k.text if k.is_scalar else None
        cpath = f"{path}.{kind}"
        if kind not in CHECK_TYPES or not _is_str(k):
            guess = closest(str(kind), CHECK_TYPES)
            hint = f"; did you mean {guess!r}?" if guess else ""
            yield self.finding_at(
                hiera.path, k.span,
                f"{where}: unknown check type {quote(kind)}{hint}",
                cpath, context=(ctx, None, f"stages.{stage}", str(kind)),
                help=None if hint else "use logstash_check or commands",
            )
            return
        if kind == "commands":
            yield from self._commands(hiera, ctx, stage, where, cpath, v)
        else:
            yield from self._logstash(hiera, ctx, stage, where, cpath, k, v)

    def _commands(self, hiera: HieraFile, ctx: Optional[str], stage: Optional[str], where: str,
                  cpath: str, v: Value) -> Iterator[Finding]:
        if not v.kind == "seq":
            yield self.finding_at(
                hiera.path, v.span,
                f"{where}: commands is {_brief(v)}, not a list of strings",
                cpath, context=(ctx, None, f"stages.{stage}.commands", None),
                help='write commands: ["..."], one string per command',
            )
            return
        for i, item in enumerate(v.items()):
            if _is_str(item):
                continue
            yield self.finding_at(
                hiera.path, item.span,
                f"{where}: command {i} is {_brief(item)}, not a string",
                f"{cpath}[{i}]", context=(ctx, None, f"stages.{stage}.commands", None),
                help="quote the command",
            )

    def _logstash(self, hiera: HieraFile, ctx: Optional[str], stage: Optional[str], where: str,
                  cpath: str, k: Value, v: Value) -> Iterator[Finding]:
        sctx = f"stages.{stage}.logstash_check"
        if stage == "testservers":
            yield self.finding_at(
                hiera.path, k.span,
                f"{where}: scap refuses a logstash_check under testservers",
                cpath, context=(ctx, None, sctx, None),
                help="use commands there, and logstash_check under canaries or production",
            )
        if not v.kind == "map":
            yield self.finding_at(
                hiera.path, v.span,
                f"{where}: logstash_check is {_brief(v)}, not a mapping",
                cpath, context=(ctx, None, sctx, None),
                help="write logstash_check: {threshold: N}",
            )
            return
        fields: Dict[Optional[str], Tuple[Value, Value]] = {}
        for fk, fv in v.pairs():
            if not fk.is_scalar:
                continue
            fields[fk.text] = (fk, fv)
            if fk.text not in LOGSTASH_KEYS:
                guess = closest(str(fk.text), LOGSTASH_KEYS)
                hint = f"; did you mean {guess!r}?" if guess else ""
                yield self.finding_at(
                    hiera.path, fk.span,
                    f"{where}: unknown logstash_check key {quote(fk.text)}{hint}",
                    f"{cpath}.{fk.text}", context=(ctx, None, sctx, str(fk.text)),
                    help=None if hint else "a logstash_check has only threshold, scope and "
                                           "stage",
                )
        if "threshold" not in fields:
            yield self.finding_at(
                hiera.path, k.span,
                f"{where}: logstash_check has no threshold, so scap refuses the config",
                cpath, context=(ctx, None, sctx, None),
                help="add threshold: <error count at which the check fails>",
            )
        else:
            tk, tv = fields["threshold"]
            if not _is_int(tv):
                yield self.finding_at(
                    hiera.path, tv.span,
                    f"{where}: threshold is {_brief(tv)}, not an integer",
                    f"{cpath}.threshold",
                    context=(ctx, None, f"{sctx}.threshold",
                             str(tv.text) if tv.is_scalar else None),
                    help="write a whole number, unquoted (e.g. threshold: 10)",
                )
        if "scope" in fields:
            _sk, sv = fields["scope"]
            if not (_is_str(sv) and sv.text):
                yield self.finding_at(
                    hiera.path, sv.span,
                    f"{where}: logstash_check scope is {_brief(sv)}, not a scope",
                    f"{cpath}.scope", context=(ctx, None, f"{sctx}.scope", None),
                    help="name a scope, or leave it out to watch the rule's own scope",
                )
        if "stage" in fields:
            _gk, gv = fields["stage"]
            if not (_is_str(gv) and gv.text in STAGES):
                text = gv.text if gv.is_scalar else None
                message = (f"{where}: unknown logstash_check stage {quote(text)}"
                           f"{_stage_hint(text)}" if _is_str(gv)
                           else f"{where}: logstash_check stage is {_brief(gv)}, not a stage")
                yield self.finding_at(
                    hiera.path, gv.span, message,
                    f"{cpath}.stage", context=(ctx, None, f"{sctx}.stage", str(text)),
                    help="use testservers, canaries or production, or leave it out to watch "
                         "the current stage",
                )
