"""The package structure is checked, not hoped for.

Every module of ``mwlint/`` is read with :mod:`ast` (imports inside functions included,
relative imports resolved, ``import_module("mwlint.x...")`` with a constant prefix counted)
and folded into a graph of *units*: a unit is a first-level subpackage or top-level module
(``mwlint.model.types`` -> ``model``, ``mwlint.cli`` -> ``cli``, ``mwlint`` -> ``__init__``).

The test fails on an import between units that

- closes a cycle,
- goes up the layers of :data:`LAYERS`, or
- stays on one layer without being listed in :data:`SAME_LAYER_ALLOWED`,

and on an import of an ``mwlint`` module inside a function that is not in
:data:`LOCAL_IMPORTS_ALLOWED` (kept for start-up time, each with its measured reason); an
allowlist entry that no longer occurs fails the test too, so it cannot go stale.
:func:`problems` still takes a set of known violations (empty today) for a change that
has to land in steps; an entry that no longer occurs fails it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mwlint"

LAYERS: Tuple[Tuple[str, ...], ...] = (
    # L0: leaves: the finding type, text helpers, settings, the atomic writer
    ("__init__", "findings", "safe_text", "suggest", "settings", "atomic_write"),
    # L1: reading files (bounded, depth-checked)
    ("source",),
    # L2: YAML text -> nodes
    ("parse",),
    # L3: nodes -> where the deployments are; the helmfile/chart reader
    ("locate", "charts"),
    # L4: the typed model of the hiera
    ("model",),
    # L5: the build report: its reader and model, and scap's image lookup of the hiera
    # model's releases in it (report.crosscheck reads model.Release, so report sits above
    # model; the model never needs the report)
    ("report",),
    # L6: the rules: read the models only
    ("rules",),
    # L7: what the engine is configured with
    ("docs", "selection", "suppress", "config"),
    # L8: one run, and the library functions over it (check_report_data/_text)
    ("engine",),
    # L9: what is done with a run (formats never import fix)
    ("formats", "fix", "plan"),
    # L9b: the language server (mwlint server): lints and fixes buffers as a run does
    ("server",),
    # L10: the command line: cli and its sub-command modules (cli.plan, cli.check_report)
    ("cli", "__main__"),
)
"""The layer diagram, lowest first; a unit may import only units on a lower layer::

    L10 cli (cli.plan, cli.check_report)   __main__     the command line
          |
    L9  formats    fix    plan           what is done with a run
          |         |       |
    L8  ------------ engine -----------  one run: read, parse, locate, model, rules,
          |                              cross-check, suppress, baseline, threshold
    L7  docs  selection  suppress  config
          |
    L6  rules                            read the models only
          |
    L5  report                           the build report; scap's lookup in it
          |
    L4  model                            the typed hiera
          |
    L3  locate  charts
          |
    L2  parse
          |
    L1  source
          |
    L0  __init__ findings safe_text suggest settings atomic_write
"""

SAME_LAYER_ALLOWED: Dict[Tuple[str, str], str] = {
    ("config", "selection"): "config validates select/ignore patterns with selection's parser",
    ("suppress", "selection"): "a suppression comment's codes are parsed as selection patterns",
    ("__main__", "cli"): "python -m mwlint runs cli.main",
}

LOCAL_IMPORTS_ALLOWED: Dict[Tuple[str, str], str] = {
    ("mwlint.engine", "mwlint.model.services"):
        "the deploy-service model: only a run with a service catalog binds its groups",
    ("mwlint.model.build", "mwlint.model.services"):
        "the deploy-service model (1-2 ms of imports): only a file with those keys builds it",
    ("mwlint.cli", "mwlint.cli"): "a sub-command's module is loaded only when it runs",
    # Measured with the minimum of 20 runs: importing the engine (rules, parser, PyYAML),
    # selection and the formats up front adds ~37 ms to `mwlint --version`, --help and
    # `mwlint rule`; a check loads them anyway, so nothing is saved by hoisting.
    ("mwlint.cli", "mwlint.engine"): "the engine: only a run loads it (--version: +37 ms)",
    ("mwlint.cli", "mwlint.selection"): "selection loads the rules: only a run needs it",
    ("mwlint.cli", "mwlint.formats"): "the formats: only a run renders",
    ("mwlint.cli", "mwlint.formats.terminal"): "the terminal probe: only a run renders",
    ("mwlint.cli", "mwlint.rules"): "the rule registry: only `mwlint rule` and a run",
    ("mwlint.cli", "mwlint.suggest"): "did-you-mean: only on a usage error (--version: +3.5 ms "
                                      "with safe_text)",
    ("mwlint.cli", "mwlint.safe_text"): "its patterns compile at import: only a line on stderr "
                                        "needs it (--version: +3.5 ms with suggest)",
    # Not loaded by a plain check at all (each measured on top of one, min of 20 runs):
    ("mwlint.cli", "mwlint.fix.command"): "the fixer: only with --fix/--diff (+24 ms)",
    ("mwlint.cli", "mwlint.suppress.baseline"):
        "the baseline reader/writer: only with --baseline/--write-baseline (+13 ms)",
    ("mwlint.cli", "mwlint.atomic_write"):
        "the atomic writer (tempfile): only with --output/--write-baseline (+5 ms)",
    ("mwlint.cli", "mwlint.formats.output"):
        "--output's parser and writer (tempfile, shutil): only with --output (+9 ms)",
    ("mwlint.cli", "mwlint.source.path_list"):
        "a list of paths in a file: only with --files-from/--gerrit-files",
    ("mwlint.cli", "mwlint.cli.extras"):
        "the --statistics and --show-fixes views: only with those options (+6.5 ms)",
    ("mwlint.cli", "mwlint.formats.text_format"):
        "the summary line under --statistics: only with it (+7.7 ms)",
    ("mwlint.cli", "mwlint.docs"):
        "the rule list's layout (docs loads the rule registry): only `mwlint rule` (+68 ms)",
    ("mwlint.engine", "mwlint.suppress.baseline"): "only with --baseline (+13 ms)",
    ("mwlint.engine", "mwlint.report.context"):
        "the report's JSON machinery and the cross-check: only with a build report (+17 ms)",
    ("mwlint.engine", "mwlint.report.reader"):
        "the report reader (json, positions): only with a build report (+13 ms)",
    ("mwlint.report", "mwlint.report.reader"):
        "the rule modules import report's names at start-up; the reader loads on use (+13 ms)",
    ("mwlint.rules.mw401_report_invalid", "mwlint.report.reader"):
        "rule modules load on every check; the report reader only with a report (+13 ms)",
    ("mwlint.rules.report_base", "mwlint.report.reader"):
        "rule modules load on every check; the report reader only with a report (+13 ms)",
    ("mwlint.model.types", "mwlint.model.migration"):
        "the debug-key migration planner: only a file with debug keys needs it (+11 ms)",
    ("mwlint.config", "mwlint.config.show"): "json and the settings table: --show-settings only",
    ("mwlint.config.files", "mwlint.config.options"):
        "the option table loads only when a config file exists (measured: a run without one "
        "pays nothing for it)",
    ("mwlint.config.resolve", "mwlint.config.puppet_types"):
        "glob and the Puppet type reader: only with a puppet types directory",
    ("mwlint.formats", "mwlint.formats"): "a format's module loads when that format is chosen",
    ("mwlint.formats", "mwlint.formats.repo_paths"):
        "repo_paths builds on this package's Report: a module-level import is circular",
    ("mwlint.rules.mw301_invalid_cluster_dir", "mwlint.charts"):
        "the helmfile reader: only with deployment-charts",
    ("mwlint.rules.predicates", "mwlint.charts"): "the helmfile reader: only with deployment-charts",
    ("mwlint.rules.service_charts", "mwlint.charts"):
        "the helmfile reader: only with deployment-charts",
    ("mwlint.rules", "mwlint.rules"): "rule modules are loaded when the registry is first used",
    ("mwlint.cli", "mwlint.server"): "the language server: only `mwlint server` loads it",
    ("mwlint.server", "mwlint.server.app"):
        "pygls and lsprotocol load when the server starts: without the lsp extra, `mwlint "
        "server` says which extra to install",
}

# -- the checker --------------------------------------------------------------------------


def unit_of(module: str, package: str = PACKAGE) -> Optional[str]:
    """The unit of a dotted module name, or ``None`` outside the package."""
    parts = module.split(".")
    if parts[0] != package:
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path, root: Path) -> Tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _import_module_target(call: ast.Call) -> Optional[str]:
    """``import_module("a.b")`` or ``import_module(f"a.b.{x}")``: the constant dotted prefix."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "import_module" or not call.args:
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values:
        head = arg.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str) and "." in head.value:
            return head.value.rsplit(".", 1)[0]
    return None


def _is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path, root: Path) -> List[Tuple[str, str, bool]]:
    """``(module, imported, in_function)`` for every import in one file."""
    module, is_pkg = _module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: List[Tuple[str, str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if isinstance(child, ast.Import):
                out.extend((module, a.name, inside) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if is_pkg else module.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    prefix = ".".join(base + ([child.module] if child.module else []))
                else:
                    prefix = child.module or ""
                for a in child.names:  # from p import x: x may be a submodule of p
                    sub = f"{prefix}.{a.name}"
                    out.append((module, sub if _is_module(root, sub) else prefix, inside))
            elif isinstance(child, ast.Call):
                target = _import_module_target(child)
                if target is not None:
                    out.append((module, target, inside))
            visit(child, inside)

    visit(tree, False)
    return out


def all_imports(root: Path, package: str = PACKAGE) -> List[Tuple[str, str, bool]]:
    out: List[Tuple[str, str, bool]] = []
    for path in sorted((root / package).rglob("*.py")):
        out.extend(imports_of(path, root))
    return [(m, i, f) for m, i, f in out if unit_of(i, package) is not None]


def unit_edges(imports: Iterable[Tuple[str, str, bool]],
               package: str = PACKAGE) -> Dict[Tuple[str, str], List[str]]:
    """``(importer unit, imported unit)`` -> the module-level imports that make it."""
    edges: Dict[Tuple[str, str], List[str]] = {}
    for module, imported, _ in imports:
        a, b = unit_of(module, package), unit_of(imported, package)
        assert a is not None and b is not None
        if a != b:
            edges.setdefault((a, b), []).append(f"{module} -> {imported}")
    return edges


def cycles(edges: Iterable[Tuple[str, str]]) -> List[FrozenSet[str]]:
    """The strongly connected components with more than one unit (Tarjan)."""
    graph: Dict[str, Set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[FrozenSet[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def layer_violations(edges: Iterable[Tuple[str, str]], layers: Tuple[Tuple[str, ...], ...],
                     same_layer_allowed: Iterable[Tuple[str, str]]) -> Set[Tuple[str, str]]:
    """Edges that go up, or sideways without being allowed; a unit on no layer is one too."""
    level = {u: n for n, units in enumerate(layers) for u in units}
    allowed = set(same_layer_allowed)
    bad = set()
    for a, b in edges:
        if a not in level or b not in level:
            bad.add((a, b))
        elif level[a] < level[b] or (level[a] == level[b] and (a, b) not in allowed):
            bad.add((a, b))
    return bad


def problems(root: Path, package: str, layers: Tuple[Tuple[str, ...], ...],
             same_layer_allowed: Iterable[Tuple[str, str]],
             known: Set[Tuple[str, str]]) -> List[str]:
    """Every violation not in ``known``, every cycle not made only of ``known`` edges, and
    every entry of ``known`` that no longer occurs."""
    edges = unit_edges(all_imports(root, package), package)
    bad = layer_violations(edges, layers, same_layer_allowed)
    out = [f"{a} -> {b} goes up or sideways the layers ({edges[a, b][0]})"
           for a, b in sorted(bad - known)]
    out += [f"known violation {a} -> {b} no longer occurs: remove it"
            for a, b in sorted(known - bad)]
    remaining = set(edges) - (bad & known)
    out += [f"cycle between {', '.join(sorted(c))}" for c in cycles(remaining)]
    return out


def test_units_follow_the_layers_without_cycles():
    assert problems(ROOT, PACKAGE, LAYERS, SAME_LAYER_ALLOWED, set()) == []


def test_formats_never_import_fix():
    edges = unit_edges(all_imports(ROOT))
    assert ("formats", "fix") not in edges, edges[("formats", "fix")]


def test_every_unit_is_on_a_layer():
    units = {unit_of(m) for m, _, _ in all_imports(ROOT)}
    units |= {p.stem if p.is_file() else p.name
              for p in (ROOT / PACKAGE).iterdir()
              if (p.suffix == ".py" or (p / "__init__.py").is_file())}
    on_layer = {u for layer in LAYERS for u in layer}
    assert units - on_layer == set()


def test_allowed_same_layer_pairs_are_same_layer_and_used():
    level = {u: n for n, units in enumerate(LAYERS) for u in units}
    edges = unit_edges(all_imports(ROOT))
    for a, b in SAME_LAYER_ALLOWED:
        assert level[a] == level[b], (a, b)
        assert (a, b) in edges, f"SAME_LAYER_ALLOWED {a} -> {b} is unused: remove it"


def test_no_function_local_imports_of_mwlint_modules_beyond_the_allowlist():
    local = {(m, i) for m, i, f in all_imports(ROOT) if f}
    allowed = set(LOCAL_IMPORTS_ALLOWED)
    assert sorted(local - allowed) == []
    assert sorted(allowed - local) == [], "allowlist entries no longer used: remove them"


# -- the checker on a synthetic package ----------------------------------------------------


def _package(tmp_path: Path, files: Dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


SYNTHETIC_LAYERS = (("low",), ("mid", "side"), ("high",))


@pytest.mark.parametrize("files, expected", [
    pytest.param({"__init__.py": "", "low.py": "", "mid/__init__.py": "from pkg import low\n",
                  "high.py": "from pkg.mid import x\n"}, [], id="clean"),
    pytest.param({"low.py": "def f():\n    from pkg.high import y\n", "high.py": ""},
                 ["low -> high goes up or sideways the layers (pkg.low -> pkg.high)",
                  ], id="upward-in-function"),
    pytest.param({"mid/__init__.py": "", "mid/a.py": "from .. import side\n", "side.py": ""},
                 ["mid -> side goes up or sideways the layers (pkg.mid.a -> pkg.side)"],
                 id="same-layer-relative"),
    pytest.param({"mid/__init__.py": "from . import b\n", "mid/b.py": "import pkg.low\n",
                  "low.py": "import importlib\nimportlib.import_module(f'pkg.mid.{1}')\n"},
                 ["low -> mid goes up or sideways the layers (pkg.low -> pkg.mid)",
                  "cycle between low, mid"], id="cycle-through-import-module"),
    pytest.param({"other.py": "import pkg.low\n", "low.py": ""},
                 ["other -> low goes up or sideways the layers (pkg.other -> pkg.low)"],
                 id="unit-on-no-layer"),
])
def test_checker_on_a_synthetic_package(tmp_path, files, expected):
    root = _package(tmp_path, files)
    got = problems(root, "pkg", SYNTHETIC_LAYERS, [], set())
    assert [p for p in got if "known violation" not in p] == expected


def test_checker_reports_a_cycle_and_a_stale_known_entry(tmp_path):
    root = _package(tmp_path, {"low.py": "from pkg import mid\n",
                               "mid.py": "from pkg import low\n"})
    assert problems(root, "pkg", SYNTHETIC_LAYERS, [], {("low", "mid"), ("high", "low")}) == [
        "known violation high -> low no longer occurs: remove it",
    ]
    assert problems(root, "pkg", SYNTHETIC_LAYERS, [], set()) == [
        "low -> mid goes up or sideways the layers (pkg.low -> pkg.mid)",
        "cycle between low, mid",
    ]


def test_checker_sees_function_local_imports(tmp_path):
    root = _package(tmp_path, {"a.py": "import pkg.b\n\ndef f():\n    from .b import c\n",
                               "b.py": ""})
    assert sorted(all_imports(root, "pkg")) == [("pkg.a", "pkg.b", False),
                                                ("pkg.a", "pkg.b", True)]


def test_package_data_advertised_in_pyproject_exists():
    import re

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"\[tool\.setuptools\.package-data\]\nmwlint = \[(.*?)\]", text)
    assert block is not None
    for pattern in re.findall(r'"([^"]+)"', block.group(1)):
        assert list((ROOT / PACKAGE).glob(pattern)), f"{pattern} is advertised but missing"
