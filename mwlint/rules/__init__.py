"""Step 5: the rule registry. One module per rule, found by listing this package (there is
no hand-kept list of rules or codes to keep in step); the catalogue's order is code order."""

from __future__ import annotations

import importlib

from mwlint.families import families, generation
from mwlint.rules.base import Rule
from mwlint.typehints import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Collection, Dict, List, Optional, Tuple


def _module_names() -> List[str]:
    """Every ``mwNNN_*`` module of this package: adding a rule is adding a module. (A
    listing of this package's own directory: ``pkgutil.iter_modules`` would import
    ``inspect``, 5 ms of every start-up.)"""
    import os

    here = os.path.dirname(__file__)
    return sorted(n[:-3] for n in os.listdir(here)
                  if n.startswith("mw") and n[2:5].isdigit() and n.endswith(".py"))


class Entry(NamedTuple):
    """A rule of the catalogue, known without importing it: a module ``mwNNN_the_name``
    holds the rule ``MWNNN`` named ``the-name`` (a test checks every module)."""

    code: str
    name: str
    module: str  # "" for a rule of a family registered from outside the package


# The build-report rules (:class:`mwlint.rules.report_base.ReportRule`): only a cross-check
# runs them (a test checks that these are exactly the report rules).
REPORT_PREFIX = "MW4"

_package: Optional[Tuple[Entry, ...]] = None
_catalogue: List[object] = [None, None]  # [families generation, entries]
_loaded: Dict[str, Tuple[Rule, ...]] = {}  # module -> its rules, each made once
_all: List[object] = [None, None]  # [families generation, rules]


def _package_entries() -> Tuple[Entry, ...]:
    global _package
    if _package is None:
        _package = tuple(Entry(n[:5].upper(), n[6:].replace("_", "-"), n)
                         for n in _module_names())
    return _package


def catalogue() -> Tuple[Entry, ...]:
    """Every rule's code and name, in code order, without importing a rule module: what
    the rule selection, the suppressions and the config options name rules by."""
    gen = generation()
    if _catalogue[0] == gen and _catalogue[1] is not None:
        return _catalogue[1]  # type: ignore[return-value]
    entries = list(_package_entries())
    for fam in families():
        entries.extend(Entry(r.code, r.name, "") for r in fam.rules() if isinstance(r, Rule))
    entries.sort(key=lambda e: e.code)
    out = tuple(entries)
    _catalogue[:] = [gen, out]
    return out


def _module_rules(module: str) -> Tuple[Rule, ...]:
    """The rules of one module of this package, imported on first use."""
    rules = _loaded.get(module)
    if rules is None:
        mod = importlib.import_module(f"mwlint.rules.{module}")
        rules = _loaded[module] = tuple(
            obj() for obj in vars(mod).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule
            and obj.__module__ == mod.__name__)
    return rules


def rules_of(codes: Collection[str]) -> List[Rule]:
    """The rules of ``codes``, in code order: only their modules are imported (a plain
    check loads the rules of the families its files hold, and no report rule)."""
    out: List[Rule] = []
    for e in catalogue():
        if e.code in codes:
            if e.module:
                out.extend(r for r in _module_rules(e.module) if r.code == e.code)
            else:
                out.extend(r for fam in families() for r in fam.rules()
                           if isinstance(r, Rule) and r.code == e.code)
    return out


def all_rules() -> List[Rule]:
    """Every rule, in code order: the modules of this package and the rules of the
    families registered from outside it (:func:`mwlint.families.register`)."""
    gen = generation()
    if _all[0] == gen and _all[1] is not None:
        return _all[1]  # type: ignore[return-value]
    rules = [r for e in _package_entries() for r in _module_rules(e.module)]
    for fam in families():
        rules.extend(r for r in fam.rules() if isinstance(r, Rule))
    rules.sort(key=lambda r: r.code)
    _all[:] = [gen, rules]
    return rules


def by_code() -> Dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def find_rule(code_or_name: str) -> Optional[Rule]:
    key = code_or_name.strip()
    for r in all_rules():
        if r.code == key.upper() or r.name == key.lower():
            return r
    return None
