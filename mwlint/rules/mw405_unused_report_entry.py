from __future__ import annotations

from mwlint.findings import Finding
from mwlint.model.values import quote
from mwlint.report.names import SECTION_LABEL, SECTIONS, WEB_KIND
from mwlint.rules.report_base import ReportRule, likely_typo, looks_valid
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Iterator, List, Optional, Tuple

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
        # what the config asks for and the report lacks (MW402/MW403): a near name in
        # the report is a typo on one side
        misses = ctx.analysis.misses if has_config else []
        known = frozenset(getattr(settings, "known_kinds", None) or ())
        valid_kind = known.__contains__ if known else None
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
                    wanted = [m.value for m in misses
                              if m.code == "MW402" and m.section == section]
                    field = "mw_flavour" if section == "mediawiki" else "web_flavour"
                    msg, help = _unused(f"{label} flavour {quote(fname)}", fname, wanted,
                                        looks_valid(settings, field), "flavour")
                    yield self.in_report(ctx, fl.path, msg, "key",
                                         context=(None, None, section, fname), help=help)
                    continue
                if section == "mediawiki" and fl.kinds:
                    for kind, kpath in fl.kinds.items():
                        if (section, fname, kind) not in used_kinds:
                            wanted = [m.value for m in misses if m.code == "MW403"
                                      and m.flavour == fname and not m.is_default_kind]
                            msg, help = _unused(
                                f"kind {quote(kind)} of MediaWiki flavour {quote(fname)}",
                                kind, wanted, valid_kind,
                                "mw_kind")
                            yield self.in_report(
                                ctx, kpath, msg, "key",
                                context=(None, None, section, f"{fname}/{kind}"), help=help)


def _unused(what: str, name: str, wanted: List[str],
            valid: Optional[Callable[[str], bool]], field: str) -> Tuple[str, str]:
    """(message, help) for a report entry no release uses. When the config asks for a name
    the report lacks and this one is a likely typo of it, say which side looks misspelt:
    the report's (the config's name looks right: blame the build, suggest the config's
    name), or the config's; without a way to tell, name both."""
    guess = likely_typo(name, sorted(wanted))
    if guess is None:
        return (f"{what} is used by no release of the checked config",
                "fine while a migration prepares it; otherwise drop it from the build, or "
                f"check the config for a misspelt {field}")
    side = ""
    if valid is not None and valid(guess) != valid(name):
        side = "report" if valid(guess) else "config"
    if side == "report":
        return (f"{what} is used by no release: did you mean {quote(guess)}, the config's "
                f"name?",
                f"fix the name in the image build: the config asks for {quote(guess)}, "
                f"which the report lacks")
    if side == "config":
        return (f"{what} is used by no release; the config's {quote(guess)} looks misspelt",
                f"check the config's {field} {quote(guess)}: the report builds {quote(name)}")
    return (f"{what} is used by no release; the config asks for {quote(guess)}",
            f"one of the two names is misspelt: fix the config's {field} or the image build")
