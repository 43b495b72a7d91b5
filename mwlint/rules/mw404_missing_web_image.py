from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.values import quote
from mwlint.report.names import LEGACY_FLAT
from mwlint.rules.report_base import ReportRule, also_set, quoted_list, worded
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class MissingWebImage(ReportRule):
    code = "MW404"
    name = "missing-web-image"
    severity = "error"
    on_hiera = True  # reported at the hiera node that sets the missing value
    summary = (
        "The effective web_flavour of a release is in the build report but has no "
        "`kinds.image`: the web kind is always `image`. One finding per web flavour, at the "
        "first node that sets it, naming the releases affected (or how many namespaces); the "
        "help line lists the other nodes."
    )
    rationale = (
        "There is no per-release web kind: scap always looks up kind `image` of the web "
        "flavour. A web flavour built without it aborts the whole sync after the build, "
        "before any values file is written."
    )
    bad = """
# report.json: webserver.flavours.webserver-bookworm.kinds has only debug-image
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
# report.json: webserver.flavours.webserver-bookworm.kinds.image.image_name is set
- namespace: mw-web
  releases: {main: {}}
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        report = ctx.report
        for m, affected, others in self.grouped_misses(ctx):
            what = f"web_flavour {quote(m.value)} of "
            if report.shape == LEGACY_FLAT:
                rest = " has no web image: the build report's older flat shape has none"
                help = f"regenerate {report.path} with the current build-images.py"
            else:
                fl = report.flavour("webserver", m.value)
                have = list(fl.kinds) if fl is not None and fl.kinds else []
                rest = " has no kind 'image': scap aborts the sync"
                help = (f"build kinds.image for {m.value!r} ({report.path} has "
                        f"{quoted_list(have)}), or set web_flavour to a web flavour that has it")
            msg, help = worded(what, rest, affected, help)
            yield self.at_miss(m, msg, "web_flavour", help=help + also_set(m, others))
