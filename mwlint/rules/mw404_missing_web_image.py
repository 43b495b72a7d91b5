from mwlint.report.names import LEGACY_FLAT
from mwlint.report.rule import ReportRule
from mwlint.suggest import quoted_list


class MissingWebImage(ReportRule):
    code = "MW404"
    name = "missing-web-image"
    severity = "error"
    summary = (
        "The effective web_flavour of a release is in the build report but has no "
        "`kinds.image`: the web kind is always `image`. Reported once at the node that sets "
        "web_flavour, listing the releases affected."
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

    def check_report(self, ctx, settings):
        report = ctx.report
        for m in self.own_misses(ctx):
            if report.shape == LEGACY_FLAT:
                what = (f"build report {report.path} (older flat shape) has no "
                        f"webserver.image, so web_flavour {m.value!r} has no web image")
            else:
                fl = report.flavour("webserver", m.value)
                have = list(fl.kinds) if fl is not None and fl.kinds else []
                what = (f"web flavour {m.value!r} of build report {report.path} has no kind "
                        f"'image' (it has {quoted_list(have)})")
            msg = (
                f"{what}: the web image is always kind 'image', so scap aborts the sync after "
                f"the build, before writing any values file; affects {m.releases_text()}. "
                f"Build kinds.image for {m.value!r}, or set web_flavour to a web flavour that "
                f"has it"
            )
            yield self.at_miss(m, msg, "web_flavour")
