"""Rules read the model only: no rule module imports the parser (yaml, mwlint.parse), the
locator, the reader, the deployment-charts reader (its facts reach rules through the
model: ``hiera.charts``) or another rule module, reads a parser node's attributes (``node``, ``tag``,
``start_mark``...) or groups by ``id()``. Shared predicates live in
``mwlint/rules/predicates.py``. The check reads each module's AST, function-local imports
included."""

import ast
import os

import pytest
from helpers import HERE

RULES = os.path.join(os.path.dirname(HERE), "mwlint", "rules")
MODULES = sorted(n for n in os.listdir(RULES)
                 if n.endswith(".py") and (n.startswith("mw")
                                           or n in ("predicates.py", "service_charts.py")))
FORBIDDEN_MODULES = ("yaml", "mwlint.parse", "mwlint.locate", "mwlint.source", "mwlint.charts")
# ``key`` is the key node of a Field or Release; ``_node`` is private to Value
FORBIDDEN_ATTRIBUTES = {"node", "key", "tag", "start_mark", "end_mark", "key_node", "_node",
                        "_resolver"}


def _is_rule_module(name: str) -> bool:
    """``mwlint.rules.mw201_deprecated_debug`` (not base, predicates or the registry)."""
    prefix = "mwlint.rules.mw"
    return name.startswith(prefix) and name[len(prefix):len(prefix) + 3].isdigit()


def problems(source: str, filename: str = "<rule>"):
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        for name in names:  # one problem per import statement
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                out.append(f"line {node.lineno}: imports {name}")
                break
            if _is_rule_module(name):
                out.append(f"line {node.lineno}: imports the rule module {name}")
                break
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            out.append(f"line {node.lineno}: reads .{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "id":
            out.append(f"line {node.lineno}: calls id()")
    return sorted(set(out))


@pytest.mark.parametrize("module", MODULES)
def test_rule_module_reads_the_model_only(module):
    path = os.path.join(RULES, module)
    with open(path, encoding="utf-8") as f:
        found = problems(f.read(), path)
    assert not found, f"{module}: " + "; ".join(found)


@pytest.mark.parametrize("source,expected", [
    ("import yaml", ["line 1: imports yaml"]),
    ("from yaml.nodes import ScalarNode", ["line 1: imports yaml.nodes"]),
    ("def f():\n    from mwlint.parse.resolve import is_scalar\n",
     ["line 2: imports mwlint.parse.resolve"]),
    ("from mwlint.locate.locator import yaml_key", ["line 1: imports mwlint.locate.locator"]),
    ("from mwlint.rules.mw201_deprecated_debug import once_per_key",
     ["line 1: imports the rule module mwlint.rules.mw201_deprecated_debug"]),
    ("from mwlint.rules import mw208_unknown_kind",
     ["line 1: imports the rule module mwlint.rules.mw208_unknown_kind"]),
    ("from mwlint.source import read_file", ["line 1: imports mwlint.source"]),
    ("def f():\n    from mwlint.charts import checkout_for\n",
     ["line 2: imports mwlint.charts"]),
    ("x = f.node.value", ["line 1: reads .node"]),
    ("ok = n.tag.endswith(':str')", ["line 1: reads .tag"]),
    ("line = k.start_mark.line", ["line 1: reads .start_mark"]),
    ("seen[id(f)] = 1", ["line 1: calls id()"]),
    ("from mwlint.rules.predicates import names\nfrom mwlint.model import Value\n"
     "x = f.text", []),
])
def test_the_isolation_check_catches(source, expected):
    assert problems(source) == expected
