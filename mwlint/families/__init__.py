"""The registered configuration families (:class:`mwlint.family.Family`): the MediaWiki
deployments and ``scap deploy-service`` built in, and any registered with :func:`register`
(a family defined outside the package, e.g. by a test or a site plugin)."""

from __future__ import annotations

from mwlint.families.deploy_service import DeployService
from mwlint.families.mediawiki import MediaWiki
from mwlint.family import Family
from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import List, Tuple

BUILTIN: Tuple[Family, ...] = (MediaWiki(), DeployService())
_registered: List[Family] = []
_generation = [0]  # bumped on every change: caches keyed by it (the rule registry) renew
_extra: List[Tuple[str, ...]] = [()]  # the markers of the registered families


def families() -> Tuple[Family, ...]:
    """Every family, the built-in ones first."""
    return BUILTIN + tuple(_registered)


def register(family: Family) -> None:
    """Add a family to every later run (its rules, markers and model included)."""
    if not family.name or any(f.name == family.name for f in families()):
        raise ValueError(f"a family needs a unique name: {family.name!r}")
    _registered.append(family)
    _changed()


def unregister(family: Family) -> None:
    """Remove a family added with :func:`register`."""
    _registered.remove(family)
    _changed()


def _changed() -> None:
    _generation[0] += 1
    _extra[0] = tuple(m for f in _registered for m in f.markers)


def generation() -> int:
    """Changes with every :func:`register`/:func:`unregister`."""
    return _generation[0]


def extra_markers() -> Tuple[str, ...]:
    """The pre-filter markers of the families registered beyond the built-in ones (the
    source stage's byte pre-filter knows only the built-in markers)."""
    return _extra[0]  # asked for every file of a run


def any_marker(text: str) -> bool:
    """The text pre-filter: the text holds a marker of some family (a family without
    markers reads every file)."""
    return any(not f.markers or any(m in text for m in f.markers) for f in families())


def family_of(code: str) -> str:
    """The name of the family whose rules the code belongs to; ``""`` for a core rule
    (MW0xx, the report rules), which runs on every modelled file."""
    for f in families():
        if code.startswith(f.codes) if f.codes else False:
            return f.name
    return ""


__all__ = ["Family", "families", "register", "unregister", "family_of", "extra_markers",
           "any_marker", "BUILTIN"]
