"""Step 5: the rule registry. One module per rule, found by listing this package (there is
no hand-kept list of rules or codes to keep in step); the catalogue's order is code order."""

from __future__ import annotations

import importlib
from typing import Dict, List, Optional

from mwlint.rules.base import Rule


def _module_names():
    """Every ``mwNNN_*.py`` module of this package: adding a rule is adding a module."""
    import os

    here = os.path.dirname(__file__)
    return sorted(n[:-3] for n in os.listdir(here)
                  if n.startswith("mw") and n[2:5].isdigit() and n.endswith(".py"))

_registry: Optional[List[Rule]] = None


def all_rules() -> List[Rule]:
    """Every rule, in code order."""
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
