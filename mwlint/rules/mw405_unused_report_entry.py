from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from mwlint.findings import Finding
from mwlint.report.names import SECTION_LABEL, SECTIONS, WEB_KIND
from mwlint.rules.report_base import ReportRule
from mwlint.settings import Settings

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class UnusedReportEntry(ReportRule):
    code = "MW405"
    name = "unused-report-entry"
    severity = "info"
    summary = (
        "A flavour or kind of the build report that no release of the checked config uses "
        "(a web kind other than `image` can never be used). Positioned at its key in the "
        "report file."
    )
    rationale = (
        "Every flavour and kind in the report is an image the train builds and pushes. One "
        "that no release uses costs build time on every sync; it is legitimate while a "
        "migration prepares it (a `-next` flavour), and a hint of a typo in the config "
        "otherwise. A web kind other than `image` is never looked up: scap has no "
        "per-release web kind."
    )
    bad = """
{"webserver": {"flavours": {"webserver-bookworm": {"metadata": {},
   "kinds": {"image": {"image_name": "...:webserver-bookworm"},
             "debug-image": {"image_name": "...:webserver-bookworm-debug"}}}}}}
"""
    good = """
{"webserver": {"flavours": {"webserver-bookworm": {"metadata": {},
   "kinds": {"image": {"image_name": "...:webserver-bookworm"}}}}}}
"""

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        report = ctx.report
        if not report.usable:
            return
        has_config = ctx.has_config
        used_flavours = ctx.analysis.used_flavours if has_config else set()
        used_kinds = ctx.analysis.used_kinds if has_config else set()
        for section in SECTIONS:
            sec = report.sections.get(section)
            if sec is None or sec.flavours is None:
                continue  # flat shape: flavours are not in the report
            label = SECTION_LABEL[section]
            for fname, fl in sec.flavours.items():
                if section == "webserver" and fl.kinds:
                    for kind, kpath in fl.kinds.items():
                        if kind != WEB_KIND:
                            yield self.in_report(
                                ctx, kpath,
                                f"web flavour {fname!r} has kind {kind!r}, which no release "
                                f"can use",
                                "key", context=(None, None, section, f"{fname}/{kind}"),
                                help="drop it from the web image build: scap always looks up "
                                     "the web image as kind 'image'")
                if not has_config:
                    continue
                if (section, fname) not in used_flavours:
                    yield self.in_report(
                        ctx, fl.path,
                        f"{label} flavour {fname!r} is used by no release of the checked "
                        f"config",
                        "key", context=(None, None, section, fname),
                        help="fine while a migration prepares it; otherwise drop it from the "
                             "build, or check the config for a misspelt flavour")
                    continue
                if section == "mediawiki" and fl.kinds:
                    for kind, kpath in fl.kinds.items():
                        if (section, fname, kind) not in used_kinds:
                            yield self.in_report(
                                ctx, kpath,
                                f"kind {kind!r} of MediaWiki flavour {fname!r} is used by no "
                                f"release of the checked config",
                                "key", context=(None, None, section, f"{fname}/{kind}"),
                                help="drop it from the build, or check the config for a "
                                     "misspelt mw_kind")
