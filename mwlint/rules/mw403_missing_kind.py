from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from mwlint.findings import Finding
from mwlint.report.names import LEGACY_FLAT
from mwlint.rules.report_base import ReportRule, likely_typo, short_releases, typo_side
from mwlint.settings import Settings
from mwlint.suggest import quoted_list

if TYPE_CHECKING:
    from mwlint.report.context import ReportContext


class MissingKind(ReportRule):
    code = "MW403"
    name = "missing-kind"
    severity = "error"
    on_hiera = True  # reported at the hiera node that sets the missing value
    summary = (
        "The effective kind of a release (its mw_kind, else the namespace's, else `image`) is "
        "not under its flavour's kinds in the build report. Reported once at the node that "
        "sets the kind (the release name for the default `image`), naming the releases "
        "affected; the help line lists the kinds the flavour has."
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

    def check_report(self, ctx: ReportContext, settings: Settings) -> Iterator[Finding]:
        report = ctx.report
        flat = report.shape == LEGACY_FLAT
        known = tuple(getattr(settings, "known_kinds", None) or ())
        for m in self.own_misses(ctx):
            fl = report.flavour("mediawiki", m.flavour) if m.flavour is not None else None
            have = list(fl.kinds) if fl is not None and fl.kinds else []
            built = "in the build report" if flat else f"built for flavour {m.flavour!r}"
            if m.is_default_kind:
                msg = (f"release {m.first_release.label!r} sets no mw_kind, and kind 'image' "
                       f"is not {built}")
                help = (f"set mw_kind to a kind of {report.path} ({quoted_list(have)}), or "
                        f"build 'image' for {m.flavour!r}")
                yield self.at_miss(m, msg, "mw_kind", help=help)
                continue
            where = f"mw_kind {m.value!r} of {short_releases(m.affected)}"
            guess = likely_typo(m.value, have)
            if guess is None:
                msg = f"{where} is not {built}"
                help = (f"set mw_kind to a kind of {report.path} ({quoted_list(have)}), or "
                        f"add {m.value!r} to the image build of {m.flavour!r}")
            elif known and typo_side(m.value, guess, lambda k: k in known) == "report":
                msg = f"{where} is not {built}, whose kind {guess!r} looks misspelt"
                help = (f"check the image build: {report.path} names the kind {guess!r}, not "
                        f"{m.value!r}")
            else:
                msg = f"{where} is not {built}; did you mean {guess!r}?"
                help = f"the kinds of {m.flavour!r} in {report.path}: {quoted_list(have)}"
            yield self.at_miss(m, msg, "mw_kind", help=help)
