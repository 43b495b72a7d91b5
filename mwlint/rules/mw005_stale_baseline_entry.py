from __future__ import annotations

from mwlint.rules.base import Rule


class StaleBaselineEntry(Rule):
    """Reported by the baseline stage (:mod:`mwlint.suppress.baseline`) when ``--baseline``
    is given; :meth:`check` yields nothing."""

    code = "MW005"
    name = "stale-baseline-entry"
    severity = "info"
    summary = (
        "An entry of the `--baseline` file matches no finding of a file linted in this run: "
        "the recorded problem was fixed (or its namespace, release, field or value changed). "
        "Reported at line 1 of the linted file the entry names; entries for files not linted "
        "in this run are left alone."
    )
    rationale = (
        "A baseline hides known findings by what they are about (file, code, namespace, "
        "release, field, value), not by line. An entry whose problem is gone would hide the "
        "same problem if it came back; removing it keeps the baseline an honest list of "
        "accepted debt."
    )
    bad = "(a baseline entry for MW203 on mw-debug/pinkunicorn after the stage was fixed)"
    good = "(the baseline rewritten with --write-baseline, without that entry)"
