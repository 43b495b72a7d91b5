"""Cross-check deployments against a build report: scap's lookup (``deployments-config.md``
§6.4) for every release of the model, without the image build.

* Every release of every modern entry is checked, ``deploy: false`` included (scap resolves
  those too); legacy (T299648 flat) entries are skipped. An entry whose ``clusters`` is the
  empty list has no record, so scap resolves nothing for it and neither does this check.
* A miss is grouped by the hiera node that sets the missing value: the release-level key,
  else the namespace-level key, else (default kind ``image``) the release's own key. One
  :class:`Miss` per node, listing the releases it affects.
* A flavour missing from the report is MW402 only (no MW403/MW404 on top); a flavour whose
  kinds cannot be read (MW401) is not checked for kinds.

The result (:class:`Analysis`) is a model: what the MW4xx rules say of it is in their
modules (``mwlint/rules/mw40*.py``).
"""

from __future__ import annotations

from mwlint.model.types import Effective, Field, HieraFile, Release
from mwlint.report.names import LEGACY_FLAT, WEB_KIND
from mwlint.report.reader import BuildReport, ReportSection
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Optional, Set, Tuple, Union

    from mwlint.report.reader import JsonPath

FLAT_CHECKABLE_KINDS = ("image", "debug-image")


class Affected(NamedTuple):
    release: Release
    clusters: Optional[Tuple[str, ...]]


class Miss:
    """One MW402/MW403/MW404: a hiera node and the releases whose lookup it breaks."""

    __slots__ = ("code", "hiera", "at", "field_name", "value", "section", "flavour",
                 "affected")

    def __init__(self, code: str, hiera: HieraFile, at: Union[Field, Release], field_name: str,
                 value: str, section: str, flavour: Optional[str]) -> None:
        self.code = code
        self.hiera = hiera  # mwlint.model.HieraFile
        # the Field that sets the value, or the Release (default kind)
        self.at = at
        self.field_name = field_name  # mw_flavour, web_flavour or mw_kind
        self.value = value  # the missing flavour or kind
        self.section = section  # mediawiki / webserver
        self.flavour = flavour  # the flavour looked in (MW403/MW404)
        self.affected: List[Affected] = []

    @property
    def is_default_kind(self) -> bool:
        return isinstance(self.at, Release)

    @property
    def release_level(self) -> bool:
        """The node is the release's own (its key, or a key inside it)."""
        r = self.first_release
        return isinstance(self.at, Release) or self.at is r.fields.get(self.field_name)

    @property
    def first_release(self) -> Release:
        return self.affected[0].release


class Analysis(NamedTuple):
    misses: List[Miss]
    used_flavours: Set[Tuple[str, str]]  # (section, flavour)
    used_kinds: Set[Tuple[str, str, str]]  # (section, flavour, kind)
    checked: int  # releases checked
    unchecked: List[Affected]  # flat shape: releases whose kind has no slot
    configs: int  # deployments values cross-checked


def _str_value(eff: Effective) -> Optional[str]:
    v = eff.value
    if isinstance(v, str) and v.strip():
        return v
    return None


def cross_check(report: BuildReport, hieras: Iterable[HieraFile]) -> Analysis:
    misses: Dict[Tuple[str, int, str, str, str, Optional[str]], Miss] = {}
    used_flavours: Set[Tuple[str, str]] = set()
    used_kinds: Set[Tuple[str, str, str]] = set()
    unchecked: List[Affected] = []
    checked = 0
    configs = 0

    def miss(code: str, hiera: HieraFile, at: Union[Field, Release, None], field_name: str,
             value: str, section: str, flavour: Optional[str], release: Release,
             clusters: Optional[Tuple[str, ...]]) -> None:
        assert at is not None  # a flavour or kind that is set has the key that sets it
        node = at.key if isinstance(at, Release) else at.node
        key = (hiera.path, id(node), code, section, value, flavour)
        m = misses.get(key)
        if m is None:
            m = misses[key] = Miss(code, hiera, at, field_name, value, section, flavour)
        m.affected.append(Affected(release, clusters))

    def lookup(hiera: HieraFile, section: Optional[ReportSection], name: str, field_name: str,
               release: Release, clusters: Optional[Tuple[str, ...]]
               ) -> Tuple[Effective, Optional[str], Optional[Dict[str, JsonPath]]]:
        """scap's flavour lookup in one report section (§6.4): the effective flavour, its
        value, and the kinds the report has for it (None when nothing can be checked)."""
        eff = release.effective(field_name)
        value = _str_value(eff)
        if section is None or value is None:
            return eff, None, None
        if section.flavours is None:
            any_flavour = section.any_flavour
            return eff, value, (any_flavour.kinds if any_flavour is not None else None)
        fl = section.flavours.get(value)
        if fl is None:
            miss("MW402", hiera, eff.field, field_name, value, name, None, release, clusters)
            return eff, value, None
        used_flavours.add((name, value))
        return eff, value, fl.kinds

    mw = report.sections.get("mediawiki")
    web = report.sections.get("webserver")
    flat = report.shape == LEGACY_FLAT
    for hiera in hieras:
        for d in hiera.deployments:
            if d.shape_error is not None or d.legacy_shape is not None:
                continue
            configs += 1
            for r in d.releases():
                clusters = r.entry.clusters()
                if clusters is not None and len(clusters) == 0:
                    continue  # no record: scap resolves nothing for this release
                checked += 1
                # MediaWiki image
                _eff, flavour, kinds = lookup(hiera, mw, "mediawiki", "mw_flavour", r,
                                              clusters)
                if flavour is not None:
                    k_eff = r.kind
                    kind = _str_value(k_eff)
                    if kinds is not None and kind is not None:
                        if flat and kind not in FLAT_CHECKABLE_KINDS:
                            unchecked.append(Affected(r, clusters))
                        elif kind in kinds:
                            used_kinds.add(("mediawiki", flavour, kind))
                        else:
                            at = k_eff.field if k_eff.field is not None else r
                            miss("MW403", hiera, at, "mw_kind", kind, "mediawiki",
                                 flavour, r, clusters)
                # web image: the kind is always "image"
                w_eff, wflavour, kinds = lookup(hiera, web, "webserver", "web_flavour", r,
                                                clusters)
                if wflavour is not None:
                    if kinds is not None:
                        if WEB_KIND in kinds:
                            used_kinds.add(("webserver", wflavour, WEB_KIND))
                        else:
                            miss("MW404", hiera, w_eff.field, "web_flavour", wflavour,
                                 "webserver", wflavour, r, clusters)
    return Analysis(list(misses.values()), used_flavours, used_kinds, checked, unchecked,
                    configs)
