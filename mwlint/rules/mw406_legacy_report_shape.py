from mwlint.report.names import LEGACY_BY_FLAVOUR, LEGACY_FLAT
from mwlint.report.rule import ReportRule


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
        "build. A stale report is also what scap reads when no build ran in the invocation."
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

    def check_report(self, ctx, settings):
        report = ctx.report
        if report.shape == LEGACY_BY_FLAVOUR:
            msg = (
                "the build report has the older 'by-flavour' shape (scap 4fbe1432 to "
                "d433f559, no metadata): current scap reads <section>.flavours.<flavour>."
                "kinds.<kind>.image_name and metadata and fails on it after the build; "
                "flavours and kinds were checked, the PHP version metadata cannot be. "
                "Regenerate it with the current build-images.py")
        elif report.shape == LEGACY_FLAT:
            msg = (
                "the build report has the older flat shape (mediawiki.multiversion-image, "
                "scap ddeda7dd to 4fbe1432): current scap fails on it after the build; "
                "flavours cannot be checked against it, and only kinds 'image' and "
                "'debug-image' have a slot")
            if ctx.has_config and ctx.analysis.unchecked:
                from mwlint.report.crosscheck import describe_releases

                msg += ("; not checked, their kind has no slot: "
                        + describe_releases(ctx.analysis.unchecked))
            msg += ". Regenerate it with the current build-images.py"
        else:
            return
        path = report.legacy_path or ()
        yield self.in_report(ctx, path, msg, "key", context=(None, None, "shape", report.shape))
