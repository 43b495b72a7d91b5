from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.values import quote
from mwlint.report.names import SECTION_LABEL
from mwlint.rules.report_base import (
    ReportRule,
    also_set,
    likely_typo,
    looks_valid,
    quoted_list,
    typo_side,
    worded,
)
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class MissingFlavour(ReportRule):
    code = "MW402"
    name = "missing-flavour"
    severity = "error"
    on_hiera = True  # reported at the hiera node that sets the missing value
    summary = (
        "An effective mw_flavour or web_flavour of a release (deploy: false included) is not "
        "in the build report. One finding per missing flavour, at the first hiera node that "
        "sets it (release-level key, else namespace key), naming the releases affected (or "
        "how many namespaces); the help line lists the report's flavours and the other "
        "nodes. When the report's own name looks misspelt (it fails the flavour "
        "pattern while the config's value matches it), the finding says so instead of "
        "suggesting the report's spelling; another version number (publish-84 for "
        "publish-83) is never suggested."
    )
    rationale = (
        "scap resolves the images of every release of every stage right after the build; a "
        "flavour the build did not produce aborts the whole sync ('image flavour ... not "
        "found among built images') before any values file is written. deploy: false "
        "releases are resolved too, so they count as affected."
    )
    bad = """
# report.json has mediawiki flavours publish-83 and publish-83-next
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish-81
  web_flavour: webserver-bookworm
"""
    good = """
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        report = ctx.report
        for m, affected, others in self.grouped_misses(ctx):
            have = report.flavour_names(m.section)
            label = SECTION_LABEL[m.section]
            what = f"{m.field_name} {quote(m.value)} of "
            guess = likely_typo(m.value, have)
            if guess is None:
                rest = " is not in the build report: scap aborts the sync"
                help = (f"set {m.field_name} to a flavour of {report.path} "
                        f"({quoted_list(have)}), or add {m.value!r} to the image build")
            elif typo_side(m.value, guess, looks_valid(settings, m.field_name)) == "report":
                rest = f" is not in the build report, whose {guess!r} looks misspelt"
                help = (f"check the image build: {report.path} names the flavour {guess!r}, "
                        f"not {m.value!r}")
            else:
                rest = f" is not in the build report; did you mean {guess!r}?"
                help = f"the {label} flavours of {report.path}: {quoted_list(have)}"
            msg, help = worded(what, rest, affected, help)
            yield self.at_miss(m, msg, m.field_name, help=help + also_set(m, others))
