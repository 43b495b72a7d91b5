"""The MediaWiki deployments family: ``...::mediawiki::release::mw_releases`` /
``mw_deployments`` and scap's rendered ``mediawiki-deployments.yaml``. Its model is the
tuple of :class:`mwlint.model.Deployments` of a file (``hiera.deployments``)."""

from __future__ import annotations

from mwlint.family import Family
from mwlint.locate.locator import Located, Location
from mwlint.model.build import build_deployments
from mwlint.model.types import Deployments
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator, Sequence, Tuple

NAME = "mediawiki"


class MediaWiki(Family):
    name = NAME
    markers = ("::mediawiki::release::mw_",)
    codes = ("MW1", "MW2", "MW3", "MW5")

    def keys(self, location: Location) -> Tuple[Located, ...]:
        return location.values

    def build(self, path: str, text: str, keys: Sequence[Located], location: Location,
              settings: Settings) -> Tuple[Deployments, ...]:
        return tuple(build_deployments(loc, path, location, settings, settings.alias_budget)
                     for loc in keys)

    def helmfiles(self, model: Tuple[Deployments, ...]) -> Iterator[Tuple[str, str]]:
        for d in model:
            for e in d.entries:
                ns = e.namespace
                cluster_dir = e.dir.value
                if e.legacy is None and isinstance(ns, str) and ns \
                        and isinstance(cluster_dir, str) and cluster_dir \
                        and "\0" not in ns and "\0" not in cluster_dir:
                    yield cluster_dir, ns
