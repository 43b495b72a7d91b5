"""The plan side of the registered configuration families (:func:`mwlint.families.families`).

A family's planner (:class:`mwlint.plan.model.PlanFamily`) is what :meth:`mwlint.family.Family.planner`
returns; the built-in families' planners need the engine (a plan is made of a run's
findings), which sits above :mod:`mwlint.families`, so they are found here by the family's
name. A family without a planner has no plan.
"""

from __future__ import annotations

from mwlint.families import families
from mwlint.family import Family
from mwlint.plan.mediawiki import MediaWikiFamily
from mwlint.plan.model import PlanFamily
from mwlint.plan.services import DeployServiceFamily
from mwlint.typehints import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from typing import Dict, Optional, Tuple

BUILTIN: Dict[str, PlanFamily] = {p.name: p for p in (MediaWikiFamily(), DeployServiceFamily())}


def planner_of(family: Family) -> Optional[PlanFamily]:
    """The planner of ``family``: its own (:meth:`Family.planner`), or the built-in one of
    its name; ``None``: the family has no plan."""
    own = family.planner()
    if own is not None:
        return cast(PlanFamily, own)
    return BUILTIN.get(family.name)


def planners() -> Tuple[PlanFamily, ...]:
    """The planners of every registered family, in the order of the families."""
    return tuple(p for p in (planner_of(f) for f in families()) if p is not None)


__all__ = ["planner_of", "planners", "BUILTIN"]
