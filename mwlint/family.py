"""The configuration family: the one interface every kind of config mwlint lints plugs into.

A *family* is a set of hiera keys scap reads together (the MediaWiki deployments, the
``scap deploy-service`` keys, ...). The engine (:mod:`mwlint.engine`) names no family: for
each file of a run it asks every registered family (:mod:`mwlint.families`) the same
questions, in the order of the pipeline::

    markers        cheap text pre-filter: a file holding none of them is never parsed
    keys           which located keys of a parsed file are the family's
    build          its typed, fact-only model of those keys (with positions)
    binder         per run: binds models across the files of a run, once (and names the
                   context files outside the run where a missing part may be)
    helmfiles      which (dir, namespace) helmfiles its rules need from deployment-charts
    codes / rules  which rules it has (they run only on a file holding its model)
    planner        its plan side (:class:`mwlint.plan.model.PlanFamily`): its records,
                   checks and full plan view (the built-in families' are in mwlint.plan)

A file's model (:class:`mwlint.model.HieraFile`) holds each family's model under the
family's :attr:`Family.name` (``hiera.models[name]``); a rule of the family reads it there.
"""

from __future__ import annotations

from mwlint.typehints import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence, Tuple

if TYPE_CHECKING:
    from mwlint.locate.locator import Located, Location
    from mwlint.settings import Settings


class Binder:
    """The cross-file state of one family in one run (:meth:`Family.binder`).

    The engine offers it the model of every file in order, then calls :meth:`finish` once,
    after the last file's model: a model that waits for another file is bound there, with
    no second read or lint of its file. The default binds nothing."""

    def offer(self, path: str, model: Any) -> bool:
        """The model of the file ``path``: True when that file's rules may run now, False
        when the model waits for a later file (its rules then run after :meth:`finish`)."""
        return True

    def context_files(self) -> Sequence[str]:
        """Files outside the run that may hold what a waiting model needs (a catalog's
        cluster groups where production keeps them): after the last file of the run, the
        engine reads and models each (bounded, like any source), hands the family's model
        to :meth:`offer_context`, and reports nothing of them."""
        return ()

    def offer_context(self, path: str, model: Any) -> None:
        """The model of a context file (:meth:`context_files`)."""

    def finish(self) -> None:
        """Bind the models that waited with what the run found (called once)."""


class Family:
    """One configuration family. Subclass it and register the instance with
    :func:`mwlint.families.register`; every method has a default but :meth:`keys` and
    :meth:`build`."""

    #: the key of the family's model in :attr:`mwlint.model.HieraFile.models`
    name: str = ""
    #: text that every file of the family contains (the pre-filter); empty: always read
    markers: Tuple[str, ...] = ()
    #: code prefixes of the rules of the family found in :mod:`mwlint.rules`
    codes: Tuple[str, ...] = ()

    def keys(self, location: Location) -> Tuple[Located, ...]:
        """The family's keys among what the locator found in a parsed document."""
        raise NotImplementedError

    def build(self, path: str, text: str, keys: Sequence[Located], location: Location,
              settings: Settings) -> Any:
        """The fact-only model of the family's ``keys`` in the file ``path``: no messages,
        no judgements. Raises :class:`mwlint.parse.BudgetExceeded` over the alias budget."""
        raise NotImplementedError

    def binder(self) -> Binder:
        """A fresh :class:`Binder` for one run."""
        return Binder()

    def helmfiles(self, model: Any) -> Iterable[Tuple[str, str]]:
        """The ``(dir, namespace)`` pairs whose helmfiles the family's rules read from a
        deployment-charts checkout (loaded once per run, in the model stage)."""
        return ()

    def rules(self) -> Sequence[Any]:
        """Rule objects (:class:`mwlint.rules.base.Rule`) the family brings beyond the
        modules of :mod:`mwlint.rules` (a family defined outside the package)."""
        return ()

    def planner(self) -> Any:
        """The family's plan side: an object with the hooks of
        :class:`mwlint.plan.model.PlanFamily` (subclass :class:`mwlint.plan.model.Planner`),
        or ``None``. The planners of the built-in families sit above the engine (a plan is
        made of a run's findings): :mod:`mwlint.plan.planners` knows them by name."""
        return None


__all__ = ["Family", "Binder"]
