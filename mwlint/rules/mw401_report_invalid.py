from __future__ import annotations

from mwlint.findings import Finding
from mwlint.rules.base import because
from mwlint.rules.report_base import ReportRule
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class ReportInvalid(ReportRule):
    code = "MW401"
    name = "report-invalid"
    severity = "error"
    summary = (
        "The build report is not JSON, or lacks mediawiki/webserver -> flavours -> <flavour> "
        "-> kinds -> <kind> -> image_name (a non-empty string), or a flavour lacks metadata "
        "(an object); also an empty file, a byte order mark, `kinds: {}` and `flavours: {}`. "
        "Positioned in the report file."
    )
    rationale = (
        "scap reads report.json after building the images and looks up every release in it. "
        "A report it cannot read, or one missing a key it indexes (kinds, metadata, "
        "image_name), aborts the sync after the build with a raw KeyError, before any values "
        "file is written: the train stops at the deployment host."
    )
    bad = """
{"mediawiki": {"flavours": {"publish-83": {"kinds": {"image": {}}}}},
 "webserver": {"flavours": {"webserver-bookworm": {"kinds": {}, "metadata": {}}}}}
"""
    good = """
{"mediawiki": {"flavours": {"publish-83": {
     "kinds": {"image": {"image_name": "docker-registry.discovery.wmnet/restricted/mediawiki-multiversion:2025-10-24-101500-publish-83"}},
     "metadata": {"php_version": "8.3"}}}},
 "webserver": {"flavours": {"webserver-bookworm": {
     "kinds": {"image": {"image_name": "docker-registry.discovery.wmnet/restricted/mediawiki-webserver:2025-10-20-090000-webserver-bookworm"}},
     "metadata": {}}}}}
"""

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        from mwlint.report.reader import dotted

        report = ctx.report
        for p in report.problems:
            where = dotted(p.path)
            msg = because(p.message, ", so scap aborts the sync", limit=120)
            yield self.finding_at(report.path, report.problem_span(p), msg, where,
                                  context=(None, None, where or None, None), help=p.help)
