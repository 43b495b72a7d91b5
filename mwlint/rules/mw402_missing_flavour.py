from mwlint.report.names import SECTION_LABEL
from mwlint.report.rule import ReportRule
from mwlint.suggest import quoted_list


class MissingFlavour(ReportRule):
    code = "MW402"
    name = "missing-flavour"
    severity = "error"
    summary = (
        "An effective mw_flavour or web_flavour of a release (deploy: false included) is not "
        "in the build report. Reported once at the hiera node that sets it (release-level "
        "key, else namespace key), listing the releases affected and the report's flavours."
    )
    rationale = (
        "scap resolves the images of every release of every stage right after the build; a "
        "flavour the build did not produce aborts the whole sync ('image flavour ... not "
        "found among built images') before any values file is written. deploy: false "
        "releases are resolved too."
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

    def check_report(self, ctx, settings):
        from mwlint.report.crosscheck import suggestion

        report = ctx.report
        for m in self.own_misses(ctx):
            have = report.flavour_names(m.section)
            label = SECTION_LABEL[m.section]
            msg = (
                f"{m.field_name} {m.value!r} is not among the {label} flavours of build report "
                f"{report.path} (it has {quoted_list(have)})"
                f"{suggestion(m.value, have)}: scap aborts the sync after the build, before "
                f"writing any values file (\"image flavour '{m.value}' not found among built "
                f"images\"); affects {m.releases_text()}. Set {m.field_name} to a flavour the "
                f"build produces, or add {m.value!r} to the image build"
            )
            yield self.at_miss(m, msg, m.field_name)
