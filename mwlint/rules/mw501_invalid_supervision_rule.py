from __future__ import annotations

from mwlint.findings import span_of
from mwlint.model.types import STAGES
from mwlint.parse.resolve import Resolver, is_map, is_scalar, is_seq
from mwlint.rules.base import Rule
from mwlint.rules.mw104_wrong_type import describe
from mwlint.suggest import closest

RULE_KEYS = ("scope", "stages")
CHECK_TYPES = ("logstash_check", "commands")
LOGSTASH_KEYS = ("threshold", "scope", "stage")
_STAGE_HINTS = {"canary": "canaries", "test": "testservers", "testserver": "testservers",
                "prod": "production"}


def _is_str(node) -> bool:
    return is_scalar(node) and node.tag.endswith(":str")


def _is_int(node) -> bool:
    return is_scalar(node) and node.tag.endswith(":int")  # a boolean is not an integer


def _stage_hint(text) -> str:
    if not isinstance(text, str):
        return ""
    guess = _STAGE_HINTS.get(text.strip().lower()) or closest(text, STAGES)
    return f"; did you mean {guess!r}?" if guess and guess != text else ""


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
        "sync can run, and Puppet's type rejects the value on the deployment server."
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

    def check(self, hiera, settings):
        for d in hiera.deployments:
            if d.form != "mapping":
                continue
            sr = d.top_fields.get("supervision_rules")
            if sr is None:
                continue  # MW102
            if not sr.is_seq:
                effect = ("scap falls back to its scap.cfg thresholds" if sr.is_null
                          else "scap cannot read it")
                yield self.at(
                    hiera, sr,
                    f"supervision_rules is {describe(sr)}, not a list of rules: Puppet's type "
                    f"rejects it and {effect}; write a list of rules (- scope: ..., stages: "
                    f"...), or [] for none",
                    context=(None, None, "supervision_rules", str(sr.value)),
                )
                continue
            resolver = Resolver(getattr(settings, "alias_budget", 10_000))
            for rule in d.supervision_rules:
                yield from self._rule(hiera, resolver, rule)

    # -- one rule ------------------------------------------------------------------------
    def _rule(self, hiera, resolver, rule):
        if not is_map(rule.node):
            yield self.finding_at(
                hiera.path, span_of(rule.node),
                f"supervision rule {rule.index} is {describe(rule.node)}, not a mapping: "
                f"scap refuses to load the config; write a mapping with scope and stages",
                rule.path, context=(None, None, f"rule[{rule.index}]", None),
            )
            return
        f = rule.fields
        scope = f.get("scope")
        scope_name = scope.node.value if scope is not None and scope.nonempty_str else None
        ctx = scope_name
        for name, field in f.items():
            if name in RULE_KEYS:
                continue
            guess = "stages" if name == "stage" else closest(str(name), RULE_KEYS)
            hint = f"; did you mean {guess!r}?" if guess else ""
            yield self.at(
                hiera, field,
                f"unknown key {name!r} in supervision rule {rule.index}: Puppet's type allows "
                f"only scope and stages, and scap ignores it, so what it says never "
                f"applies{hint}",
                key=True, context=(ctx, None, name, None),
            )
        if scope is None:
            yield self.finding_at(
                hiera.path, rule.span,
                f"supervision rule {rule.index} has no scope: scap refuses to load the config "
                f"(rule is missing a scope), so no sync can run; add scope: <name> (the "
                f"targets' scope, train by default)",
                rule.path, context=(None, None, "scope", None),
            )
        elif not scope.nonempty_str:
            yield self.at(
                hiera, scope,
                f"scope of supervision rule {rule.index} is {describe(scope)}: it must be a "
                f"non-empty string; scap refuses to load a rule without a scope and Puppet "
                f"requires a String; write the targets' scope (e.g. train)",
                context=(None, None, "scope", str(scope.value)),
            )
        stages = f.get("stages")
        if stages is None:
            yield self.finding_at(
                hiera.path, rule.span,
                f"supervision rule {rule.index} has no stages: Puppet's type requires them "
                f"and the rule checks nothing without them; add stages: {{<stage>: [checks]}}",
                rule.path, context=(ctx, None, "stages", None),
            )
            return
        if not stages.is_map:
            yield self.at(
                hiera, stages,
                f"stages of supervision rule {rule.index} is {describe(stages)}, not a "
                f"mapping of stage to checks: scap crashes loading it and Puppet rejects it",
                context=(ctx, None, "stages", str(stages.value)),
            )
            return
        for k, v, _m in resolver.pairs(stages.node):
            yield from self._stage(hiera, resolver, rule, ctx, stages.path, k, v)

    def _stage(self, hiera, resolver, rule, ctx, base, k, v):
        stage = k.value if is_scalar(k) else None
        spath = f"{base}.{stage}"
        if not (_is_str(k) and stage in STAGES):
            yield self.finding_at(
                hiera.path, span_of(k),
                f"stage {stage!r} in supervision rule {rule.index} is not one of testservers, "
                f"canaries, production: scap refuses to load the config (unsupported stage) "
                f"and Puppet rejects it{_stage_hint(stage)}",
                spath, context=(ctx, None, "stages", str(stage)),
            )
            if not is_seq(v):
                return  # the checks below are still checked: they are the next error
        if not is_seq(v):
            yield self.finding_at(
                hiera.path, span_of(v),
                f"checks of stage {stage} in supervision rule {rule.index} are "
                f"{describe(v)}, not a list: scap cannot iterate them and Puppet rejects "
                f"it; write a list (- logstash_check: {{threshold: N}} or - commands: [...])",
                spath, context=(ctx, None, f"stages.{stage}", None),
            )
            return
        for j, check in enumerate(v.value):
            yield from self._check(hiera, resolver, rule, ctx, stage, f"{spath}[{j}]", check)

    def _check(self, hiera, resolver, rule, ctx, stage, path, check):
        where = f"check {path.rsplit('.', 1)[-1]} of supervision rule {rule.index}"
        if not is_map(check) or len(resolver.pairs(check)) != 1:
            what = (describe(check) if not is_map(check)
                    else f"a mapping with {len(resolver.pairs(check))} keys")
            yield self.finding_at(
                hiera.path, span_of(check),
                f"{where} is {what}: each check must be a mapping with exactly one check "
                f"type (logstash_check or commands); scap refuses to load the config (must "
                f"name exactly one check type); split it into one list item per check",
                path, context=(ctx, None, f"stages.{stage}", None),
            )
            return
        k, v, _m = resolver.pairs(check)[0]
        kind = k.value if is_scalar(k) else None
        cpath = f"{path}.{kind}"
        if kind not in CHECK_TYPES or not _is_str(k):
            guess = closest(str(kind), CHECK_TYPES)
            hint = f"; did you mean {guess!r}?" if guess else ""
            yield self.finding_at(
                hiera.path, span_of(k),
                f"{where} has the unknown type {kind!r}: scap refuses to load the config "
                f"(unsupported supervision check type); use logstash_check or commands{hint}",
                cpath, context=(ctx, None, f"stages.{stage}", str(kind)),
            )
            return
        if kind == "commands":
            yield from self._commands(hiera, ctx, stage, where, cpath, v)
        else:
            yield from self._logstash(hiera, resolver, ctx, stage, where, cpath, k, v)

    def _commands(self, hiera, ctx, stage, where, cpath, v):
        if not is_seq(v):
            yield self.finding_at(
                hiera.path, span_of(v),
                f"commands of {where} is {describe(v)}: it must be a list of command "
                f"strings; scap refuses to load the config; write commands: [\"...\"]",
                cpath, context=(ctx, None, f"stages.{stage}.commands", None),
            )
            return
        for i, item in enumerate(v.value):
            if _is_str(item):
                continue
            yield self.finding_at(
                hiera.path, span_of(item),
                f"command {i} of {where} is {describe(item)}, not a string: scap refuses to "
                f"load the config (must be a list of command strings); quote the command",
                f"{cpath}[{i}]", context=(ctx, None, f"stages.{stage}.commands", None),
            )

    def _logstash(self, hiera, resolver, ctx, stage, where, cpath, k, v):
        sctx = f"stages.{stage}.logstash_check"
        if stage == "testservers":
            yield self.finding_at(
                hiera.path, span_of(k),
                f"logstash_check in {where} sits under testservers: scap refuses to load the "
                f"config (logstash checks are not supported at testservers: the debug "
                f"servers get no production traffic); use commands there, and logstash_check "
                f"under canaries or production",
                cpath, context=(ctx, None, sctx, None),
            )
        if not is_map(v):
            yield self.finding_at(
                hiera.path, span_of(v),
                f"logstash_check of {where} is {describe(v)}, not a mapping: scap refuses to "
                f"load the config (missing a threshold); write logstash_check: "
                f"{{threshold: N}}",
                cpath, context=(ctx, None, sctx, None),
            )
            return
        fields = {}
        for fk, fv, _m in resolver.pairs(v):
            if not is_scalar(fk):
                continue
            fields[fk.value] = (fk, fv)
            if fk.value not in LOGSTASH_KEYS:
                guess = closest(str(fk.value), LOGSTASH_KEYS)
                hint = f"; did you mean {guess!r}?" if guess else ""
                yield self.finding_at(
                    hiera.path, span_of(fk),
                    f"unknown key {fk.value!r} in the logstash_check of {where}: Puppet's "
                    f"type allows only threshold, scope and stage, and scap ignores it{hint}",
                    f"{cpath}.{fk.value}", context=(ctx, None, sctx, str(fk.value)),
                )
        if "threshold" not in fields:
            yield self.finding_at(
                hiera.path, span_of(k),
                f"logstash_check of {where} has no threshold: scap refuses to load the "
                f"config (missing a threshold); add threshold: <error count at which the "
                f"check fails>",
                cpath, context=(ctx, None, sctx, None),
            )
        else:
            tk, tv = fields["threshold"]
            if not _is_int(tv):
                yield self.finding_at(
                    hiera.path, span_of(tv),
                    f"threshold of the logstash_check of {where} is {describe(tv)}, not an "
                    f"integer: Puppet's type requires an Integer and scap compares error "
                    f"counts against it; write a whole number, unquoted (e.g. threshold: 10)",
                    f"{cpath}.threshold", context=(ctx, None, f"{sctx}.threshold",
                                                   str(tv.value) if is_scalar(tv) else None),
                )
        if "scope" in fields:
            _sk, sv = fields["scope"]
            if not (_is_str(sv) and sv.value):
                yield self.finding_at(
                    hiera.path, span_of(sv),
                    f"scope of the logstash_check of {where} is {describe(sv)}: it must name "
                    f"a scope (a non-empty string), or be left out to watch the rule's own "
                    f"scope",
                    f"{cpath}.scope", context=(ctx, None, f"{sctx}.scope", None),
                )
        if "stage" in fields:
            _gk, gv = fields["stage"]
            if not (_is_str(gv) and gv.value in STAGES):
                text = gv.value if is_scalar(gv) else None
                yield self.finding_at(
                    hiera.path, span_of(gv),
                    f"stage of the logstash_check of {where} is {describe(gv)}: it must be "
                    f"testservers, canaries or production (Puppet's Enum), or be left out to "
                    f"watch the current stage{_stage_hint(text)}",
                    f"{cpath}.stage", context=(ctx, None, f"{sctx}.stage", str(text)),
                )
