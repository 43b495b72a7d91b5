"""The ``scap deploy-service`` family: ``...::deploy_service::cluster_groups`` and
``service_catalog`` (and their rendered ``/etc/scap`` files). Its model is a
:class:`mwlint.model.services.ServiceConfig` (``hiera.services``); a catalog whose cluster
groups are in another file of the run is bound to them by :class:`ServiceBinder`."""

from __future__ import annotations

import os

from mwlint.family import Binder, Family
from mwlint.locate.locator import Located, Location
from mwlint.model.build import walk_charged
from mwlint.parse.resolve import Resolver
from mwlint.settings import Settings
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from mwlint.model.services import ServiceConfig

NAME = "deploy-service"


class ServiceBinder(Binder):
    """deploy-service.md §0: the two keys may sit in different files; a catalog's
    references are resolved against the first cluster groups of the run."""

    def __init__(self) -> None:
        self.groups: Optional[Tuple[str, Dict[str, Any]]] = None  # (path, {name: group})
        self.waiting: List[Tuple[str, ServiceConfig]] = []  # (path, catalog) w/o groups

    def offer(self, path: str, model: ServiceConfig) -> bool:
        if model.groups is not None and model.groups_from is None and self.groups is None:
            self.groups = (path, model.groups)
        if not model.groups_missing:
            return True
        if self.groups is not None:  # an earlier file defines them
            _bind(model, self.groups)
            return True
        self.waiting.append((path, model))
        return False

    def context_files(self) -> Tuple[str, ...]:
        if self.groups is not None:
            return ()
        out: List[str] = []
        for path, _model in self.waiting:
            for candidate in groups_candidates(path):
                if candidate not in out:
                    out.append(candidate)
        return tuple(out)

    def offer_context(self, path: str, model: ServiceConfig) -> None:
        if model.groups is not None and model.groups_from is None and self.groups is None:
            self.groups = (path, model.groups)

    def finish(self) -> None:
        if self.groups is not None:
            for _path, model in self.waiting:
                _bind(model, self.groups)
        self.waiting = []


# Where the cluster groups of a catalog linted alone may be (pre-commit and gerrit-ci pass
# only the changed files): the rendered sibling of scap's catalog, and, in a hieradata tree,
# the file production keeps them in and the common layer's file for the key (expand_path).
RENDERED_GROUPS = ("service-catalog.yaml", "cluster-groups.yaml")
HIERA_GROUPS = (("role", "common", "deployment_server", "kubernetes.yaml"),
                ("common", "profile", "kubernetes", "deployment_server", "deploy_service.yaml"))


def groups_candidates(path: str) -> List[str]:
    """The files outside a run that may hold the cluster groups of the catalog at
    ``path``, nearest first (path arithmetic only: the engine reads them)."""
    out: List[str] = []
    here, name = os.path.split(path)
    if name == RENDERED_GROUPS[0]:
        out.append(os.path.join(here, RENDERED_GROUPS[1]))
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    if "hieradata" in parts:
        k = len(parts) - 1 - parts[::-1].index("hieradata")
        root = os.sep.join(parts[:k + 1]) or os.sep
        mine = os.path.normpath(os.path.abspath(path))
        for rel in HIERA_GROUPS:
            candidate = os.path.join(root, *rel)
            if candidate != mine:
                out.append(candidate)
    return out


def _bind(model: ServiceConfig, groups: Tuple[str, Dict[str, Any]]) -> None:
    from mwlint.model.services import bind_groups

    bind_groups(model, groups[1], Resolver(), groups[0])


class DeployService(Family):
    name = NAME
    markers = ("::deployment_server::deploy_service::",)
    codes = ("MW6",)

    def keys(self, location: Location) -> Tuple[Located, ...]:
        return location.services

    def build(self, path: str, text: str, keys: Sequence[Located], location: Location,
              settings: Settings) -> ServiceConfig:
        # only a file with deploy-service keys pays for that model's module (start-up time)
        from mwlint.model.services import build_service_config

        budget = settings.alias_budget
        walk_charged(keys, budget)  # every alias visit charged: MW001 for an alias bomb
        return build_service_config(path, keys, Resolver(budget))

    def binder(self) -> ServiceBinder:
        return ServiceBinder()

    def helmfiles(self, model: ServiceConfig) -> Iterator[Tuple[str, str]]:
        for s in model.services or ():
            g = s.group
            if g is None:
                continue
            for ns in s.namespaces:
                if isinstance(g.dir, str) and "\0" not in g.dir and "\0" not in ns.name:
                    yield g.dir, ns.name
