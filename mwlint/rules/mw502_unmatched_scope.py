from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.types import DEFAULT_SCOPE, HieraFile
from mwlint.model.values import cap_list, quote
from mwlint.rules.base import Rule, fit
from mwlint.rules.predicates import has_deployable_records
from mwlint.settings import Settings
from mwlint.suggest import closest, few
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Set


class UnmatchedScope(Rule):
    code = "MW502"
    name = "unmatched-scope"
    severity = "warning"
    summary = (
        "In the mw_deployments mapping form: a supervision rule whose scope no deployment "
        "target has, or the scope of a deployable target that no rule covers (a target "
        "without scope has scope train). One finding per scope."
    )
    rationale = (
        "A rule applies only when a target of its scope is deployed, so a rule for a scope "
        "no target has never runs (typically a typo). A deployed scope without a rule gets "
        "no checks at all: no testservers commands, no logstash error-rate checks, and, "
        "because supervision_rules is set, no fallback to scap.cfg's thresholds; a bad "
        "deploy goes unnoticed. A near miss of another scope gets a did-you-mean (the "
        "default scope train is never taken for the typo)."
    )
    bad = """
deployment_targets:
  - namespace: mw-pretrain
    scope: pretrain
    releases: {main: {}}
supervision_rules:
  - scope: train
    stages:
      canaries:
        - logstash_check: {threshold: 10}
"""
    good = """
deployment_targets:
  - namespace: mw-pretrain
    scope: pretrain
    releases: {main: {}}
supervision_rules:
  - scope: pretrain
    stages:
      canaries:
        - logstash_check: {threshold: 10}
"""

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        for d in hiera.deployments:
            if d.form != "mapping":
                continue
            sr = d.top_fields.get("supervision_rules")
            if sr is None or not sr.is_seq:
                continue  # MW102 / MW501
            target_scopes: Dict[Any, List[Any]] = {}  # scope -> [entries], every target
            deployed: Dict[Any, List[Any]] = {}  # scope -> [entries], deployable targets
            # An invalid scope (MW104 on a target, MW501 on a rule) could be meant as any
            # scope: the other side is then not reported (one problem, one finding).
            bad_target_scope = False
            for e in d.entries:
                if e.legacy is not None:
                    continue
                f = e.get("scope")
                if f is not None and not f.nonempty_str:
                    bad_target_scope = True
                    continue
                scope = e.scope.value
                target_scopes.setdefault(scope, []).append(e)
                if has_deployable_records(e):
                    deployed.setdefault(scope, []).append(e)
            covered: Set[Any] = set()
            bad_rule_scope = False
            for rule in d.supervision_rules:
                f = rule.fields.get("scope")
                if f is None or not f.nonempty_str:
                    bad_rule_scope = True
                    continue
                covered.add(f.text)
                if f.text in target_scopes or bad_target_scope:
                    continue
                known = cap_list(sorted(target_scopes)) or "none"
                guess = None
                if f.text != DEFAULT_SCOPE:  # 'train' is no typo of 'trian'
                    guess = closest(f.text or "", sorted(target_scopes))
                hint = f"; did you mean {guess!r}?" if guess else ""
                yield self.at(
                    hiera, f,
                    f"supervision rule {rule.index} has scope {quote(f.text)}, which no "
                    f"deployment target has{hint}",
                    context=(f.text, None, "supervision_rules.scope", f.text),
                    help=f"fix the scope (targets' scopes: {known}), or set scope: "
                         f"{f.text} on the targets it should watch",
                )
            for scope, entries in deployed.items():
                if scope in covered or bad_rule_scope:
                    continue
                first = entries[0]
                f = first.get("scope")
                how = f"scope {quote(scope)}" if f is not None else f"the default scope {quote(scope)}"
                guess = None
                if scope != DEFAULT_SCOPE:
                    guess = closest(scope, sorted(covered))
                if guess:
                    tail = f"; did you mean {guess!r}?"
                elif not sr.size:
                    tail = " (supervision_rules is empty)"
                else:
                    tail = ""
                labels = [quote(e.label) for e in entries]
                more = f" and {len(labels) - 1} more" if len(labels) > 1 else ""
                msg, help = fit(
                    f"{how} of {few(labels)} has no supervision rule{tail}",
                    f"{how} of {labels[0]}{more} has no supervision rule{tail}",
                    (f"fix the scope, or add a rule with scope: {scope}" if guess
                     else f"add a rule with scope: {scope}"),
                    f"the targets with it: {few(labels)}")
                yield self.at(hiera, f if f is not None else first, msg, help=help,
                              context=(scope, None, "scope", scope))
