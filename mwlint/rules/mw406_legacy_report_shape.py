from __future__ import annotations

from mwlint.findings import Finding
from mwlint.report.names import LEGACY_BY_FLAVOUR, LEGACY_FLAT
from mwlint.rules.report_base import ReportRule, short_releases
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class LegacyReportShape(ReportRule):
    code = "MW406"
    name = "legacy-report-shape"
    severity = "warning"
    summary = (
        "The build report has an older shape: `by-flavour` (scap 4fbe1432 to d433f559) or "
        "flat `multiversion-image` (ddeda7dd to 4fbe1432). It is checked as far as the shape "
        "allows: flavours and kinds for `by-flavour`; only kinds `image` and `debug-image` "
        "for the flat shape."
    )
    rationale = (
        "Current scap (d433f559 and later) reads mediawiki/webserver -> flavours -> kinds -> "
        "image_name and each flavour's metadata; an older report fails there after the "
        "build. A stale report is also what scap reads when no build ran in the invocation. "
        "The 'by-flavour' shape (scap 4fbe1432 to d433f559) has no metadata: its flavours "
        "and kinds are checked, the PHP version metadata cannot be. The flat shape "
        "(mediawiki.multiversion-image, scap ddeda7dd to 4fbe1432) names no flavours, and "
        "only kinds 'image' and 'debug-image' have a slot: the releases of other kinds are "
        "listed as not checked (deploy: false releases included, since scap resolves them "
        "too)."
    )
    bad = """
{"mediawiki": {"by-flavour": {"publish-83": {"image": "...:publish-83"}}},
 "webserver": {"by-flavour": {"webserver-bookworm": {"image": "...:webserver-bookworm"}}}}
"""
    good = """
{"mediawiki": {"flavours": {"publish-83": {"metadata": {"php_version": "8.3"},
   "kinds": {"image": {"image_name": "...:publish-83"}}}}},
 "webserver": {"flavours": {"webserver-bookworm": {"metadata": {},
   "kinds": {"image": {"image_name": "...:webserver-bookworm"}}}}}}
"""

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        report = ctx.report
        help = "regenerate it with the current build-images.py"
        if report.shape == LEGACY_BY_FLAVOUR:
            msg = ("the build report has the older 'by-flavour' shape, which current scap "
                   "fails on after the build")
        elif report.shape == LEGACY_FLAT:
            msg = ("the build report has the older flat shape, which current scap fails on; "
                   "its flavours cannot be checked")
            if ctx.has_config and ctx.analysis.unchecked:
                help += (" (the kinds of " + short_releases(ctx.analysis.unchecked)
                         + " have no slot in it and were not checked)")
        else:
            return
        path = report.legacy_path or ()
        yield self.in_report(ctx, path, msg, "key", context=(None, None, "shape", report.shape),
                             help=help)
