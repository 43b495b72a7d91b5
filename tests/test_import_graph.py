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
import re
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mwlint"

LAYERS: Tuple[Tuple[str, ...], ...] = (
    # below everything: what the modules take from typing at run time, without typing
    ("typehints",),
    # L0: leaves: the finding type, text helpers, settings, the atomic writer
    ("__init__", "findings", "safe_text", "suggest", "settings", "atomic_write", "gcpause"),
    # L1: reading files (bounded, depth-checked)
    ("source",),
    # L2: YAML text -> nodes
    ("parse",),
    # L3: nodes -> where the deployments are; the helmfile/chart reader
    ("locate", "charts"),
    # L4: the typed model of the hiera
    ("model",),
    # L5: the configuration family interface (mwlint.family)
    ("family",),
    # L6: the families (MediaWiki, deploy-service) and their registry
    ("families",),
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

    L12 cli (cli.plan, cli.check_report)   __main__     the command line
          |
    L11 formats    fix    plan           what is done with a run
          |         |       |
    L10 ------------ engine -----------  one run: read, parse, locate, model per family,
          |                              bind, rules, cross-check, supersede, suppress,
          |                              baseline, severity, threshold
    L9  docs  selection  suppress  config
          |
    L8  rules                            read the models only (and rules.core: MW001/3/4/5)
          |
    L7  report                           the build report; scap's lookup in it
          |
    L6  families                         MediaWiki, deploy-service; the registry
          |
    L5  family                           the interface a configuration family implements
          |
    L4  model                            the typed hiera
          |
    L3  locate  charts
          |
    L2  parse
          |
    L1  source
          |
    L0  __init__ findings safe_text suggest settings atomic_write gcpause
          |
        typehints   (typing's run-time names: TYPE_CHECKING, NamedTuple, cast, ...)

Beyond the layers: a unit may not skip down to the reading stages (:data:`NO_SKIP`), rule
modules import no rule module (:func:`rule_to_rule`), third-party ``yaml`` is imported only
where YAML is parsed (:data:`YAML_UNITS`), and ``rules/`` reads facts, never the disk
(:func:`io_calls`, :data:`RULES_FORBIDDEN`).
"""

SAME_LAYER_ALLOWED: Dict[Tuple[str, str], str] = {
    ("config", "selection"): "config validates select/ignore patterns with selection's parser",
    ("suppress", "selection"): "a suppression comment's codes are parsed as selection patterns",
    ("__main__", "cli"): "python -m mwlint runs cli.main",
}

LOCAL_IMPORTS_ALLOWED: Dict[Tuple[str, str], str] = {
    ("mwlint.families.deploy_service", "mwlint.model.services"):
        "the deploy-service model: only a file with those keys builds it, a run binds it",
    ("mwlint.engine", "mwlint.charts.facts"):
        "the helmfile reader: only with deployment-charts (the model stage loads the facts)",
    ("mwlint.model.build", "mwlint.model.services"):
        "the deploy-service model (1-2 ms of imports): only a file with those keys builds it",
    ("mwlint.cli", "mwlint.cli"): "a sub-command's module is loaded only when it runs",
    ("mwlint.__main__", "mwlint.cli"):
        "the command sets the collector's thresholds before anything is imported",
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
    ("mwlint.engine", "mwlint.suppress"):
        "the inline-suppression scanner: only a file holding `mwlint:` needs it",
    ("mwlint.engine", "mwlint.rules.report_base"):
        "the report rules' base: only a cross-check (a plain check loads no report rule)",
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


# -- inside units, third-party imports, skips, purity ------------------------------------

# A unit may not skip down to the reading stages: what is done with a run (and the command
# line) gets text and models from the engine. Each known skip is a debt with its reason;
# an entry that no longer occurs fails (remove it).
NO_SKIP: Tuple[str, ...] = ("cli", "plan", "fix", "formats")
SKIPPED_TO: Tuple[str, ...] = ("source", "parse", "locate")
KNOWN_SKIPS: Dict[Tuple[str, str], str] = {
    ("mwlint.cli", "mwlint.source.bounded"): "reads stdin with the capped stream reader",
    ("mwlint.cli.plan", "mwlint.source"): "plan --against reads git's bytes as a source",
    ("mwlint.cli.plan", "mwlint.source.bounded"): "reads --review-message with the capped "
                                                  "regular-file reader",
    ("mwlint.plan.git", "mwlint.source.bounded"): "streams git show with the same size cap",
    ("mwlint.cli", "mwlint.source.path_list"): "reads --files-from/--gerrit-files lists with "
                                               "the capped regular-file reader",
}

# Third-party ``yaml`` only where YAML text is parsed (or written, for the library's
# plain-data entry point), and in the node types the model keeps.
YAML_UNITS: Dict[str, str] = {
    "parse": "composes YAML text",
    "locate": "walks the composed nodes",
    "model": "keeps the nodes (positions) it was built from",
    "charts": "reads helmfiles statically",
    "suppress": "scans comments with PyYAML's scanner",
    "engine": "check_report_data writes plain data back as YAML text",
}

# What a rule module may never import: rules read facts, never files or parser nodes.
RULES_FORBIDDEN: Tuple[str, ...] = ("yaml", "mwlint.parse", "mwlint.source",
                                    "mwlint.locate", "mwlint.charts")
_RULE_MODULE = re.compile(r"^mwlint\.rules\.mw\d{3}_\w+$")

# I/O a rule may not do: calls by their dotted name, and reads through any object
IO_CALLS: FrozenSet[str] = frozenset({
    "open", "io.open", "os.open", "os.stat", "os.lstat", "os.listdir", "os.scandir",
    "os.walk", "os.path.exists", "os.path.lexists", "os.path.isdir", "os.path.isfile",
    "os.path.islink", "os.path.getsize", "os.path.getmtime", "os.path.realpath",
    "subprocess.run", "subprocess.Popen", "subprocess.call", "subprocess.check_output",
    "subprocess.check_call", "os.system", "os.popen", "pathlib.Path", "Path"})
IO_METHODS: FrozenSet[str] = frozenset({
    "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
    "exists", "is_dir", "is_file", "stat", "lstat", "open"})


def third_party_imports(root: Path, package: str = PACKAGE) -> List[Tuple[str, str]]:
    """``(module, top-level third-party name)`` for every import of a non-stdlib,
    non-package module."""
    import sys

    std = getattr(sys, "stdlib_module_names", None)
    out = []
    for path in sorted((root / package).rglob("*.py")):
        module, _ = _module_name(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: List[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in (package, "__future__") or (std is not None and top in std):
                    continue
                if std is None and top in ("os", "sys", "re", "typing", "json"):
                    continue
                out.append((module, top))
    return out


def yaml_outside_parsing(root: Path, package: str = PACKAGE,
                         allowed: Iterable[str] = tuple(YAML_UNITS)) -> List[str]:
    allowed = set(allowed)
    return sorted(f"{m} imports yaml" for m, top in third_party_imports(root, package)
                  if top == "yaml" and unit_of(m, package) not in allowed)


def rule_to_rule(imports: Iterable[Tuple[str, str, bool]]) -> List[str]:
    """A rule module importing another rule module (what two rules share lives in a plain
    module such as ``rules.predicates``)."""
    return sorted({f"{m} -> {i}" for m, i, _ in imports
                   if _RULE_MODULE.match(m) and _RULE_MODULE.match(i) and m != i})


def rules_forbidden(root: Path, package: str = PACKAGE) -> List[str]:
    """Rule-package modules importing what rules may never import."""
    out = set()
    for path in sorted((root / package / "rules").rglob("*.py")):
        module, _ = _module_name(path, root)
        for _m, imported, _f in imports_of(path, root):
            if any(imported == x or imported.startswith(x + ".") for x in RULES_FORBIDDEN):
                out.add(f"{module} -> {imported}")
        for m, top in third_party_imports_of(path, root):
            if top in RULES_FORBIDDEN:
                out.add(f"{m} -> {top}")
    return sorted(out)


def third_party_imports_of(path: Path, root: Path) -> List[Tuple[str, str]]:
    module, _ = _module_name(path, root)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((module, a.name.split(".")[0]) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.append((module, node.module.split(".")[0]))
    return out


def skips(imports: Iterable[Tuple[str, str, bool]], package: str = PACKAGE,
          known: Iterable[Tuple[str, str]] = ()) -> List[str]:
    """Imports from a :data:`NO_SKIP` unit into a :data:`SKIPPED_TO` unit, beyond
    ``known``; and entries of ``known`` that no longer occur."""
    found = {(m, i) for m, i, _ in imports
             if unit_of(m, package) in NO_SKIP and unit_of(i, package) in SKIPPED_TO}
    known = set(known)
    return ([f"{m} -> {i} skips down to the reading stages" for m, i in sorted(found - known)]
            + [f"known skip {m} -> {i} no longer occurs: remove it"
               for m, i in sorted(known - found)])


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def io_calls(source: str, module: str = "<module>") -> List[str]:
    """The I/O a module's code does: calls of :data:`IO_CALLS` and I/O methods."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name in IO_CALLS:
            out.append(f"{module}:{node.lineno}: {name}()")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in IO_METHODS \
                and name not in ("str.open",):
            out.append(f"{module}:{node.lineno}: .{node.func.attr}()")
    return out


# The one listing allowed in rules/: the registry finds the rule modules of its own package
# directory (code, not data; pkgutil would import inspect at every start-up).
RULES_IO_ALLOWED: FrozenSet[str] = frozenset({"mwlint.rules: os.listdir()"})


def rules_io(root: Path, package: str = PACKAGE) -> List[str]:
    out = []
    for path in sorted((root / package / "rules").rglob("*.py")):
        module, _ = _module_name(path, root)
        out.extend(io_calls(path.read_text(encoding="utf-8"), module))
    return [x for x in out if f"{x.split(':')[0]}: {x.split(': ', 1)[1]}"
            not in RULES_IO_ALLOWED]


def test_no_rule_module_imports_another():
    assert rule_to_rule(all_imports(ROOT)) == []


def test_rules_import_no_parser_reader_locator_or_charts():
    assert rules_forbidden(ROOT) == []


def test_yaml_only_where_yaml_is_parsed():
    assert yaml_outside_parsing(ROOT) == []


def test_yaml_units_are_on_the_layers_and_used():
    used = {unit_of(m) for m, top in third_party_imports(ROOT) if top == "yaml"}
    assert set(YAML_UNITS) == used


def test_no_skips_down_to_the_reading_stages():
    assert skips(all_imports(ROOT), known=KNOWN_SKIPS) == []


def test_rules_do_no_io():
    assert rules_io(ROOT) == []


# -- the guard rails fail on the imports a review planted ---------------------------------

PLANTED = {
    "yaml": "import yaml\n",
    "parse": "from mwlint.parse import compose\n",
    "source": "from mwlint.source import read_file\n",
    "rule": "from mwlint.rules.mw105_invalid_stage import InvalidStage\n",
}


@pytest.mark.parametrize("what", sorted(PLANTED))
def test_the_checks_fail_on_a_planted_import(tmp_path, what):
    """A copy of the real rules package with one rule importing what the review planted:
    the matching check fails (it passed 13/13 on 0.2.0)."""
    import shutil

    shutil.copytree(ROOT / PACKAGE, tmp_path / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    victim = tmp_path / PACKAGE / "rules" / "mw303_empty_clusters.py"
    victim.write_text(PLANTED[what] + victim.read_text(encoding="utf-8"), encoding="utf-8")
    assert rule_to_rule(all_imports(ROOT)) == [] and rules_forbidden(ROOT) == []
    found = (rule_to_rule(all_imports(tmp_path)) + rules_forbidden(tmp_path)
             + yaml_outside_parsing(tmp_path))
    assert found and all("mw303_empty_clusters" in f for f in found), found


@pytest.mark.parametrize("code, expected", [
    ("open('x')\n", ["m:1: open()"]),
    ("import os\nos.listdir('.')\n", ["m:2: os.listdir()"]),
    ("import os\nos.stat('.')\nos.path.isdir('.')\n", ["m:2: os.stat()", "m:3: os.path.isdir()"]),
    ("from pathlib import Path\nPath('x').read_text()\n", ["m:2: .read_text()", "m:2: Path()"]),
    ("import subprocess\nsubprocess.run(['ls'])\n", ["m:2: subprocess.run()"]),
    ("x = {}.get('a')\n", []),
])
def test_the_purity_check_sees_io(code, expected):
    assert sorted(io_calls(code, "m")) == sorted(expected)


def test_the_skip_check_fails_on_a_new_skip_and_a_stale_entry():
    imports = [("mwlint.formats.x", "mwlint.parse", False)]
    assert skips(imports) == ["mwlint.formats.x -> mwlint.parse skips down to the reading "
                              "stages"]
    assert skips([], known=[("mwlint.cli", "mwlint.source")]) == [
        "known skip mwlint.cli -> mwlint.source no longer occurs: remove it"]


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
