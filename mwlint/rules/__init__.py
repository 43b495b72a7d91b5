"""Step 5: the rule registry. One module per rule, found by listing this package (there is
no hand-kept list of rules or codes to keep in step); the catalogue's order is code order."""

from __future__ import annotations

import importlib
from typing import Dict, List, Optional

from mwlint.families import families, generation
from mwlint.rules.base import Rule


def _module_names() -> List[str]:
    """Every ``mwNNN_*`` module of this package: adding a rule is adding a module. (A
    listing of this package's own directory: ``pkgutil.iter_modules`` would import
    ``inspect``, 5 ms of every start-up.)"""
    import os

    here = os.path.dirname(__file__)
    return sorted(n[:-3] for n in os.listdir(here)
                  if n.startswith("mw") and n[2:5].isdigit() and n.endswith(".py"))


_registry: Optional[List[Rule]] = None
_with_families: List[object] = [None, None]  # [families generation, rules]


def all_rules() -> List[Rule]:
    """Every rule, in code order: the modules of this package and the rules of the
    families registered from outside it (:func:`mwlint.families.register`)."""
    gen = generation()
    if _with_families[0] == gen and _with_families[1] is not None:
        return _with_families[1]  # type: ignore[return-value]
    rules = list(_package_rules())
    for fam in families():
        rules.extend(r for r in fam.rules() if isinstance(r, Rule))
    rules.sort(key=lambda r: r.code)
    _with_families[:] = [gen, rules]
    return rules


def _package_rules() -> List[Rule]:
    global _registry
    if _registry is None:
        rules = []
        for mod_name in _module_names():
            mod = importlib.import_module(f"mwlint.rules.{mod_name}")
            for obj in vars(mod).values():
                if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule \
                        and obj.__module__ == mod.__name__:
                    rules.append(obj())
        rules.sort(key=lambda r: r.code)
        _registry = rules
    return _registry


def by_code() -> Dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def find_rule(code_or_name: str) -> Optional[Rule]:
    key = code_or_name.strip()
    for r in all_rules():
        if r.code == key.upper() or r.name == key.lower():
            return r
    return None
