"""The rule contract: one module per rule, each a :class:`Rule` with its code, name,
severity, documentation (rationale, bad and good example) and, where it has one, a fix.

Rules see only the model (:mod:`mwlint.model`) and the settings; they never parse YAML.
The input rules (MW001, MW003) have no model to look at: the source and parse stages emit
their findings through :meth:`Rule.finding_at`.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from mwlint.findings import Finding, Fix, Span


class Rule:
    code: str = ""
    name: str = ""
    severity: str = "error"
    summary: str = ""  # one line, for tables
    rationale: str = ""  # why it matters for a deploy
    bad: str = ""  # YAML example that fires
    good: str = ""  # the same, fixed
    fix: Optional[str] = None  # what --fix does, when the rule has a fix
    options: tuple = ()  # names of the settings the rule reads
    # Where the rule runs: "check" (full lint) and/or "report" (check-report).
    scope: tuple = ("check",)

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def check(self, hiera, settings) -> Iterable[Finding]:  # pragma: no cover - interface
        """Yield findings for one :class:`mwlint.model.HieraFile`."""
        return ()

    # -- constructing findings -------------------------------------------------------
    def finding_at(
        self,
        path: str,
        span: Span,
        message: str,
        yaml_path: str = "",
        fixable: bool = False,
        context: tuple = (),
        severity: Optional[str] = None,
        help: Optional[str] = None,
        fix: Optional[Fix] = None,
    ) -> Finding:
        message = _one_line(message)
        if help is not None:
            help = _one_line(help) or None
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

    def at(self, hiera, located, message: str, *, key: bool = False, context: tuple = (),
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
            + (", fixable" if self.fixable else "")
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
        out += ["", "Fix", _indent(self.fix or "No automatic fix: a person decides.")]
        return "\n".join(out) + "\n"


def without_indexes(yaml_path: str) -> str:
    """``a[3].b`` -> ``a[].b``: a finding's identity must not move with the list position."""
    import re

    return re.sub(r"\[\d+\]", "[]", yaml_path)


def _one_line(text: str) -> str:
    """A value quoted into a message stays on one line."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text


def _indent(text: str) -> str:
    import textwrap  # docs only: not at every start-up

    text = textwrap.dedent(text).strip("\n")
    return "\n".join(("    " + line) if line.strip() else "" for line in text.splitlines())


def iter_codes(rules) -> Iterator[str]:
    for r in rules:
        yield r.code
