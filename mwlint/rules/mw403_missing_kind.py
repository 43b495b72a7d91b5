from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.values import quote
from mwlint.report.names import LEGACY_FLAT
from mwlint.rules.report_base import (
    ReportRule,
    also_set,
    likely_typo,
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


class MissingKind(ReportRule):
    code = "MW403"
    name = "missing-kind"
    severity = "error"
    on_hiera = True  # reported at the hiera node that sets the missing value
    summary = (
        "The effective kind of a release (its mw_kind, else the namespace's, else `image`) is "
        "not under its flavour's kinds in the build report. One finding per missing kind, at "
        "the first node that sets it (the release name for the default `image`), naming the "
        "releases affected (or how many namespaces); the help line lists the kinds the "
        "flavour has and the other nodes that set it."
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
        for m, affected, others in self.grouped_misses(ctx):
            assert m.flavour is not None  # cross_check names the flavour of every MW403
            fl = report.flavour("mediawiki", m.flavour)
            have = list(fl.kinds) if fl is not None and fl.kinds else []
            built = "in the build report" if flat else f"built for flavour {quote(m.flavour)}"
            also = also_set(m, others)
            if m.is_default_kind:
                help = (f"set mw_kind to a kind of {report.path} ({quoted_list(have)}), or "
                        f"build 'image' for {m.flavour!r}")
                rest = f"no mw_kind, and kind 'image' is not {built}: scap aborts the sync"
                if len(affected) == 1:
                    msg = f"release {quote(m.first_release.label)} sets {rest}"
                else:
                    msg, help = worded("releases of ", f" set {rest}", affected, help,
                                       short_head="")
                yield self.at_miss(m, msg, "mw_kind", help=help + also)
                continue
            what = f"mw_kind {quote(m.value)} of "
            guess = likely_typo(m.value, have)
            if guess is None:
                rest = f" is not {built}: scap aborts the sync"
                help = (f"set mw_kind to a kind of {report.path} ({quoted_list(have)}), or "
                        f"add {m.value!r} to the image build of {m.flavour!r}")
            elif known and typo_side(m.value, guess, lambda k: k in known) == "report":
                rest = f" is not {built}, whose kind {guess!r} looks misspelt"
                help = (f"check the image build: {report.path} names the kind {guess!r}, not "
                        f"{m.value!r}")
            else:
                rest = f" is not {built}; did you mean {guess!r}?"
                help = f"the kinds of {m.flavour!r} in {report.path}: {quoted_list(have)}"
            msg, help = worded(what, rest, affected, help)
            yield self.at_miss(m, msg, "mw_kind", help=help + also)
