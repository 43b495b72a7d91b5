from mwlint.report.names import LEGACY_FLAT
from mwlint.report.rule import ReportRule
from mwlint.suggest import quoted_list


class MissingKind(ReportRule):
    code = "MW403"
    name = "missing-kind"
    severity = "error"
    summary = (
        "The effective kind of a release (its mw_kind, else the namespace's, else `image`) is "
        "not under its flavour's kinds in the build report. Reported once at the node that "
        "sets the kind (the release name for the default `image`), listing the releases "
        "affected and the kinds the flavour has."
    )
    rationale = (
        "Kinds are opaque keys chosen by the release repository's builder; scap checks them "
        "only after the build, and a kind the build did not produce aborts the whole sync "
        "('image kind ... not found among built images for flavour ...') before any values "
        "file is written, deploy: false releases included."
    )
    bad = """
# report.json: publish-83 has kinds image and debug-image only
- namespace: mw-script
  releases: {main: {deploy: false}}
  mw_kind: cli-image
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""
    good = """
# report.json: publish-83 has kinds image, debug-image and cli-image
- namespace: mw-script
  releases: {main: {deploy: false}}
  mw_kind: cli-image
  mw_flavour: publish-83
  web_flavour: webserver-bookworm
"""

    def check_report(self, ctx, settings):
        from mwlint.report.crosscheck import suggestion

        report = ctx.report
        flat = report.shape == LEGACY_FLAT
        for m in self.own_misses(ctx):
            fl = report.flavour("mediawiki", m.flavour)
            have = list(fl.kinds) if fl is not None and fl.kinds else []
            where = ("the build report" if flat else f"MediaWiki flavour {m.flavour!r} of "
                     "the build report")
            if m.is_default_kind:
                what = (f"release {m.first_release.label!r} sets no mw_kind (nor does its "
                        f"namespace), so it uses kind 'image', which {where} {report.path} "
                        f"does not have")
                fix = (f"set mw_kind to a kind the build produces, or build 'image' for "
                       f"{m.flavour!r}")
            else:
                what = f"mw_kind {m.value!r} is not among the kinds of {where} {report.path}"
                fix = (f"set mw_kind to a kind the build produces, or add {m.value!r} to the "
                       f"image build of {m.flavour!r}")
            msg = (
                f"{what} (it has {quoted_list(have)}){suggestion(m.value, have)}: scap "
                f"aborts the sync after the build, before writing any values file (\"image "
                f"kind '{m.value}' not found among built images for flavour "
                f"'{m.flavour}'\"); affects "
                f"{m.releases_text()}. Fix: {fix}"
            )
            yield self.at_miss(m, msg, "mw_kind")
