"""The rule contract: one module per rule, each a :class:`Rule` with its code, name,
severity, documentation (rationale, bad and good example) and, where it has one, a fix.

Rules see only the model (:mod:`mwlint.model`) and the settings; they never parse YAML.
The input rules (MW001, MW003) have no model to look at: the source and parse stages emit
their findings through :meth:`Rule.finding_at`.
"""

from __future__ import annotations

import re

from mwlint.findings import Finding, Fix, Span
from mwlint.model.types import HieraFile
from mwlint.model.values import FIELD_LIMIT, bound_text
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING, Protocol, overload

if TYPE_CHECKING:
    from typing import Any, Iterable, List, Optional, Sequence, Set, Tuple


class Located(Protocol):
    """What :meth:`Rule.at` points at: a model element with a value, a key and a YAML path
    (a Field, an Entry, a Release, a SupervisionRule, ...)."""

    @property
    def span(self) -> Span: ...

    @property
    def key_span(self) -> Span: ...

    @property
    def path(self) -> str: ...


class Named(Protocol):
    """What a rule is named by in a selection, a suppression or a config: a rule, or its
    entry in the catalogue (:func:`mwlint.rules.catalogue`)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


class Rule:
    code: str = ""
    name: str = ""
    severity: str = "error"
    summary: str = ""  # one line, for tables
    rationale: str = ""  # why it matters for a deploy
    bad: str = ""  # YAML example that fires
    good: str = ""  # the same, fixed
    fix: Optional[str] = None  # what --fix does, when the rule has a fix
    unsafe_fix: bool = False  # its fix is a guess: applied only with --unsafe-fixes
    options: Tuple[str, ...] = ()  # names of the settings the rule reads
    # Where the rule runs: "check" (full lint) and/or "report" (check-report).
    scope: Tuple[str, ...] = ("check",)
    # One problem, one finding: the codes whose findings this rule's findings replace.
    # Applied after every rule ran (:func:`drop_superseded`), and only when this rule ran
    # and found something about the same subject (see :func:`subject`).
    supersedes: Tuple[str, ...] = ()

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def check(self, hiera: HieraFile,
              settings: Settings) -> Iterable[Finding]:  # pragma: no cover - interface
        """Yield findings for one file's model (each family's model in ``hiera.models``)."""
        return ()

    # -- constructing findings -------------------------------------------------------
    def finding_at(
        self,
        path: str,
        span: Span,
        message: str,
        yaml_path: str = "",
        fixable: bool = False,
        context: Tuple[Any, ...] = (),
        severity: Optional[str] = None,
        help: Optional[str] = None,
        fix: Optional[Fix] = None,
    ) -> Finding:
        message = _one_line(bound_text(message))
        if help is not None:
            help = _one_line(bound_text(help)) or None
        if len(yaml_path) > FIELD_LIMIT:
            yaml_path = bound_text(yaml_path)
        if context:
            context = _bounded_context(context)
        return Finding(
            self.code,
            self.name,
            severity or self.severity,
            message,
            path,
            span.line,
            span.column,
            span.end_line,
            span.end_column,
            yaml_path,
            fixable or fix is not None,  # fixable: it has a fix (``fixable`` is legacy)
            context,
            help,
            fix,
        )

    def at(self, hiera: HieraFile, located: Located, message: str, *, key: bool = False,
           context: Tuple[Any, ...] = (),
           help: Optional[str] = None, fix: Optional[Fix] = None) -> Finding:
        """A finding at a model element: a :class:`~mwlint.model.Field` (its value, or its key
        with ``key=True``), an :class:`~mwlint.model.Entry` (its first key) or a
        :class:`~mwlint.model.Release` (its key)."""
        span = located.key_span if key else located.span
        return self.finding_at(hiera.path, span, message, located.path, False, context,
                               help=help, fix=fix)

    # -- documentation -----------------------------------------------------------------
    def doc(self) -> str:
        """The rule's documentation as plain text (what ``mwlint rule CODE`` prints)."""
        out = [
            f"{self.code} {self.name} ({self.severity}"
            + (", fixable with --unsafe-fixes" if self.fixable and self.unsafe_fix
               else ", fixable" if self.fixable else "")
            + ")",
            "",
            "What it does",
            _indent(self.summary),
            "",
            "Why it matters",
            _indent(self.rationale),
        ]
        if self.bad:
            out += ["", "Example", _indent(self.bad.strip("\n"))]
        if self.good:
            out += ["", "Use instead", _indent(self.good.strip("\n"))]
        if self.options:
            out += ["", "Options", _indent(", ".join(self.options))]
        if self.supersedes:
            out += ["", "Supersedes", _indent(
                f"{', '.join(self.supersedes)} on the same namespace (its entry), when both "
                f"run: one problem, one finding.")]
        out += ["", "Fix", _indent(self.fix or "No automatic fix: a person decides.")]
        return "\n".join(out) + "\n"


class LoaderProblemRule(Rule):
    """A rule for one kind of refusal of scap's deploy-service loader (MW601-MW606): its
    ``judge`` (a function of :mod:`mwlint.rules.service_loader`) reads the facts of the
    file's deploy-service model and says what scap refuses, with message, help and fix."""

    judge: Any = None

    def check(self, hiera: HieraFile, settings: Settings) -> Iterable[Finding]:
        config = getattr(hiera, "services", None)
        if config is None:
            return
        # a value reached through an anchor from several places: one finding
        seen: Set[Tuple[Span, str]] = set()
        for p in self.judge(config):
            if (p.at.span, p.message) in seen:
                continue
            seen.add((p.at.span, p.message))
            yield self.finding_at(hiera.path, p.at.span, p.message, clip_path(p.at.path),
                                  help=p.help, fix=p.fix,
                                  context=(None, None, without_indexes(clip_path(p.at.path)),
                                           p.message))


def clip_path(yaml_path: str, limit: int = 300) -> str:
    """A YAML path as a finding carries it: a 1 MB key in it would be 1 MB in every output
    format, so a long path keeps its head and tail around an ellipsis."""
    if len(yaml_path) <= limit:
        return yaml_path
    return yaml_path[:limit // 2] + "\u2026" + yaml_path[-(limit // 2):]


# Words that already say who refuses a value or what goes wrong (issue 20 item 6).
_REASON_WORDS = ("scap", "Puppet", "helmfile", "YAML silently", "sync")


def because(message: str, reason: str, always: bool = False,
            limit: Optional[int] = None) -> str:
    """``message``, then in a few words why it fails (``", which Puppet's type rejects"``,
    ``", so scap refuses the config"``), put before a trailing ``"; did you mean ...?"``
    hint. Unless ``always``, unchanged when the message already says who refuses it or
    what goes wrong (``", so ..."``); with ``limit``, unchanged when it would get longer
    than that (a message stays one short line)."""
    if not always and (", so " in message or any(w in message for w in _REASON_WORDS)):
        return message
    head, sep, hint = message.partition("; did you mean")
    out = f"{head}{reason}{sep}{hint}"
    return message if limit is not None and len(out) > limit else out


# The longest a finding's message may be: one short sentence of what is wrong (style.md);
# the details go in its help, the why and the history in ``mwlint rule CODE``.
MESSAGE_LIMIT = 120


@overload
def fit(full: str, short: str, help: str, moved: str) -> Tuple[str, str]: ...


@overload
def fit(full: str, short: str, help: None, moved: str) -> Tuple[str, Optional[str]]: ...


def fit(full: str, short: str, help: Optional[str], moved: str) -> Tuple[str, Optional[str]]:
    """``(message, help)``: ``full`` when it is at most :data:`MESSAGE_LIMIT` characters
    (long names in it can make it longer), else ``short``, with ``moved``, the detail that
    ``short`` leaves out, put in front of ``help``."""
    if len(full) <= MESSAGE_LIMIT:
        return full, help
    return short, f"{moved}; {help}" if help else moved


def without_indexes(yaml_path: str) -> str:
    """``a[3].b`` -> ``a[].b``: a finding's identity must not move with the list position."""
    return re.sub(r"\[\d+\]", "[]", yaml_path)


_ENTRY = re.compile(r"^.*?\[\d+\]")


def subject(finding: Finding) -> Tuple[str, str]:
    """What a finding is about, for :attr:`Rule.supersedes`: its file and its deployment
    entry (the YAML path up to the entry's index, ``...mw_releases[3]``), so a finding on a
    namespace or on any of its releases has the subject of that namespace's entry. A
    finding outside any entry has its own YAML path as subject."""
    m = _ENTRY.match(finding.yaml_path)
    return (finding.path, m.group(0) if m else finding.yaml_path)


def drop_superseded(findings: Sequence[Finding], rules: Iterable[Rule]) -> List[Finding]:
    """The findings without those a rule that ran supersedes: a finding of code X goes when
    a rule that declares ``supersedes = (X, ...)`` ran and reported a finding with the same
    :func:`subject`. A rule that did not run (not selected) supersedes nothing. Applied
    after every rule ran, before inline suppressions: a suppressed superseding finding
    still stands for the problem."""
    superseding = {r.code: set(r.supersedes) for r in rules if r.supersedes}
    if not superseding:
        return list(findings)
    covered: Set[Tuple[str, Tuple[str, str]]] = set()  # (superseded code, subject)
    for f in findings:
        for code in superseding.get(f.code, ()):
            covered.add((code, subject(f)))
    if not covered:
        return list(findings)
    return [f for f in findings if (f.code, subject(f)) not in covered]


def bounded(finding: Finding) -> Finding:
    """``finding`` with every field a user value can reach bounded (:func:`bound_text`):
    for a finding changed after :meth:`Rule.finding_at` built it (``_replace``)."""
    return finding._replace(
        message=_one_line(bound_text(finding.message)),
        help=(_one_line(bound_text(finding.help)) or None) if finding.help is not None
        else None,
        yaml_path=bound_text(finding.yaml_path),
        context=_bounded_context(finding.context) if finding.context else finding.context)


def _bounded_context(context: Tuple[Any, ...]) -> Tuple[Any, ...]:
    """The identity values of a finding (baselines hash them), each bounded: a 1 MB name
    is kept as its head, its length and a digest, which still tells two names apart."""
    if not any(isinstance(v, str) and len(v) > FIELD_LIMIT for v in context):
        return context
    return tuple(bound_text(v) if isinstance(v, str) else v for v in context)


def _one_line(text: str) -> str:
    """A value quoted into a message stays on one line."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text


def _indent(text: str) -> str:
    import textwrap  # docs only: not at every start-up

    text = textwrap.dedent(text).strip("\n")
    return "\n".join(("    " + line) if line.strip() else "" for line in text.splitlines())
