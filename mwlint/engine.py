"""The pipeline, file by file. The command line only wires arguments to this module.

Library use (no command line, no file I/O)::

    from mwlint.engine import lint_text
    findings = lint_text(yaml_text, "hieradata/role/common/deployment_server/kubernetes.yaml")
"""

from __future__ import annotations

import os
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from mwlint.findings import FileResult, Finding, Span, settle_repairs
from mwlint.locate import locate
from mwlint.model import build_hiera_file
from mwlint.parse import BudgetExceeded, ParseError, Resolver, compose, without_gc
from mwlint.rules import all_rules, by_code
from mwlint.rules.base import drop_superseded
from mwlint.selection import apply_severity, selected_codes
from mwlint.settings import Settings
from mwlint.source import InputProblem, SourceText, read_bytes, read_file
from mwlint.source.reader import is_rendered
from mwlint.findings import span_of

YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """Exit 2: a missing path, a bad option or a bad config."""


class RunResult(NamedTuple):
    results: Tuple[FileResult, ...]

    @property
    def findings(self) -> List[Finding]:
        out = [f for r in self.results for f in r.findings]
        out.sort(key=Finding.sort_key)
        return out

    @property
    def files(self) -> int:
        return len(self.results)

    @property
    def linted(self) -> int:
        return sum(1 for r in self.results if r.linted)


def discover(paths: Sequence[str], listings: Optional[Dict[str, frozenset]] = None) -> List[str]:
    """Files to examine, in order. Raises :class:`UsageError` for a missing path before
    anything is linted. ``listings``, when given, receives the names in every directory
    walked (absolute directory -> names): config discovery then needs no ``stat`` calls
    there."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"path does not exist: {missing[0]}")
    out: List[str] = []
    for p in paths:
        if p != "-" and os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                if listings is not None:
                    listings[os.path.abspath(dirpath)] = frozenset(dirnames + filenames)
                dirnames[:] = sorted(d for d in dirnames if d != ".git")
                for name in sorted(filenames):
                    if name.endswith(YAML_SUFFIXES):
                        out.append(os.path.join(dirpath, name))
        else:
            out.append(p)
    return out


def rules_for(settings: Settings, scope: str = "check"):
    rules = all_rules()
    codes = selected_codes(rules, settings.select, settings.ignore)
    return [r for r in rules if r.code in codes and scope in r.scope], codes


# The identity of a file-level finding (baselines, SARIF fingerprints): one per file, so it
# does not depend on the message, whose wording may change.
FILE_CONTEXT = {"MW001": (None, None, "yaml-syntax", None),
                "MW003": (None, None, "unreadable-file", None)}


def _problem(path: str, problem: InputProblem) -> Finding:
    rule = by_code()[problem.code]
    return rule.finding_at(path, Span(problem.line, problem.column, problem.line,
                                      problem.column + 1), problem.message,
                           context=FILE_CONTEXT[problem.code], help=problem.help)


@without_gc  # one file's nodes and model live until it is done: see without_gc
def lint_source(outcome, display: str, settings: Settings, rules=None, codes=None,
                model_hook=None) -> FileResult:
    """Run the pipeline on the outcome of the source stage."""
    if rules is None:
        rules, codes = rules_for(settings)
    if outcome is None:
        return FileResult(display, False, ())
    if isinstance(outcome, InputProblem):
        f = _problem(display, outcome)
        return FileResult(display, False, (f,) if f.code in codes else ())
    text = outcome.text
    try:
        root = compose(text)
    except ParseError as e:
        f = by_code()["MW001"].finding_at(display, Span(e.line, e.column, e.line, e.column + 1),
                                         e.message, context=FILE_CONTEXT["MW001"],
                                         help=e.help)
        return FileResult(display, True, (f,) if "MW001" in codes else (), text)
    try:
        location = locate(root, display, Resolver(settings.alias_budget))
        if not location.values:
            return FileResult(display, False, (), text)
        hiera = build_hiera_file(display, text, location, settings, settings.alias_budget)
    except BudgetExceeded as e:
        span = span_of(e.node) if e.node is not None else Span(1, 1, 1, 1)
        f = by_code()["MW001"].finding_at(display, Span(span.line, span.column, span.line,
                                                        span.column + 1), e.message,
                                         context=FILE_CONTEXT["MW001"])
        return FileResult(display, True, (f,) if "MW001" in codes else (), text)
    if model_hook is not None:
        model_hook(hiera)
    findings: List[Finding] = []
    for rule in rules:
        findings.extend(rule.check(hiera, settings))
    findings = drop_superseded(findings, rules)  # one problem, one finding
    if settings.suppressions and "mwlint:" in text:  # inline `# mwlint: disable=...`
        from mwlint.suppress import apply_suppressions

        findings = apply_suppressions(display, text, findings,
                                      {r.code for r in rules} & set(codes))
    # a fix "repaired by" a finding that is not reported (not selected, suppressed) goes
    findings = settle_repairs(findings)
    findings = apply_severity(findings, settings.severity)
    findings.sort(key=Finding.sort_key)
    return FileResult(display, True, tuple(findings), text)


def lint_text(text: str, path: str = "<string>", settings: Optional[Settings] = None,
              force: bool = True) -> List[Finding]:
    """Lint YAML text as if it were the file ``path``; returns the findings."""
    settings = settings or Settings()
    data = text.encode("utf-8", "surrogatepass")
    outcome = read_bytes(data, path, settings.max_file_size, force=force)
    return list(lint_source(outcome, path, settings).findings)


def lint_paths(paths: Sequence[str], settings: Settings, stdin_data: Optional[bytes] = None,
               stdin_filename: Optional[str] = None, model_hook=None,
               settings_for=None,
               on_listings: Optional[Callable[[Dict[str, frozenset]], None]] = None
               ) -> RunResult:
    """``settings_for(path)``, when given, returns the settings of each file (its nearest
    config, see :mod:`mwlint.config`); otherwise ``settings`` applies to every file.
    ``on_listings``, when given, receives the directory listings of the walk before any
    file is resolved (``ConfigResolver.add_listings``)."""
    listings: Optional[Dict[str, frozenset]] = {} if on_listings is not None else None
    files = discover(paths, listings)
    if listings:
        on_listings(listings)
    # (select, ignore) -> (rules, codes); the run's own selection is checked up front
    selections = {(settings.select, settings.ignore): rules_for(settings)}
    results = []
    for path in files:
        display = (stdin_filename or "<stdin>") if path == "-" else path
        s = settings_for(display) if settings_for is not None else settings
        sel = (s.select, s.ignore)
        if sel not in selections:
            selections[sel] = rules_for(s)
        rules, codes = selections[sel]
        if path == "-":
            # a rendered mediawiki-deployments.yaml needs no key: never pre-filtered
            outcome = read_bytes(stdin_data or b"", display, s.max_file_size,
                                 force=is_rendered(display))
        else:
            outcome = read_file(path, display, s.max_file_size)
        results.append(lint_source(outcome, display, s, rules, codes, model_hook))
    return RunResult(tuple(results))


def iter_findings(results: Iterable[FileResult]):
    for r in results:
        yield from r.findings


__all__ = ["lint_text", "lint_paths", "lint_source", "discover", "UsageError", "RunResult",
           "SourceText"]
