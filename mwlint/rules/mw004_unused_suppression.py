from __future__ import annotations

from mwlint.rules.base import Rule


class UnusedSuppression(Rule):
    """Reported by the suppression stage (:mod:`mwlint.suppress`), which reads the comments
    after the rules ran; the model holds no comments, so :meth:`check` yields nothing."""

    code = "MW004"
    name = "unused-suppression"
    severity = "warning"
    summary = (
        "An inline `# mwlint: disable=...` or `# mwlint: disable-file=...` comment that hid "
        "no finding, names something that is no rule code, prefix or name, or is not "
        "understood. Reported at the item of the comment. Items for rules that did not run "
        "(not selected) are not judged; items for the build-report rules (MW402-MW404) are "
        "judged only by `check --report` and `check-report`, against the report's findings."
    )
    rationale = (
        "A suppression outlives the problem it was written for: once the line is fixed or "
        "moved, it silently hides the next, unrelated problem on that line. A misspelt code "
        "hides nothing while the reader believes the finding was looked at."
    )
    bad = """
  - namespace: mw-debug
    releases:
      pinkunicorn: {stage: testservers}  # mwlint: disable=MW203 -- nothing to hide here
"""
    good = """
  - namespace: mw-debug
    releases:
      pinkunicorn: {stage: testservers}
"""
