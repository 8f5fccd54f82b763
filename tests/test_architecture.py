"""Import and I/O rules of the packages, checked on the source (AST), not at run time.

- ``streamlit`` only in app.py (and app_pages/): never in advisor/, pricing/, advisor_cli/.
- advisor/ is the pure model: it does not import pricing, the network (requests,
  urllib, socket, ...), boto3/botocore or streamlit, and reads or writes no files
  (no ``open()``, no ``Path.read_text``/``write_text``/``read_bytes``/``write_bytes``).
- pricing/ imports boto3 only in pricing/query_api.py (the Query API client).
- Dependencies point one way. Between packages: advisor and pricing import no other project
  package; presentation and importers only advisor; reports no shell; advisor_cli and the app
  never each other. Inside advisor, down the pipeline: workload -> capacity -> costs ->
  operations -> decision -> analysis (a stage imports only earlier stages and the base
  modules errors, memo, pool and collector).
- No import cycles anywhere (function-level imports included).
- No module over MAX_MODULE_LINES lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("advisor", "pricing", "advisor_cli", "reports", "importers", "presentation", "app_pages")
BOTO3_ALLOWED_IN_PRICING = {"pricing/query_api.py"}
ADVISOR_BANNED = ("pricing", "requests", "urllib", "urllib3", "httpx", "http.client", "socket", "boto3",
                  "botocore", "streamlit")
FILE_IO_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes"}


@dataclass(frozen=True)
class Import:
    module: str
    path: str
    line: int

    def is_of(self, name: str) -> bool:
        return self.module == name or self.module.startswith(f"{name}.")


def _sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports_in(tree: ast.AST, path: str) -> Iterator[Import]:
    """Absolute imports, ``from`` imports (relative ones resolved) and string dynamic imports."""
    package = path.rsplit("/", 1)[0].replace("/", ".") if "/" in path else ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: max(len(package.split(".")) - node.level + 1, 0)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield Import(module, path, node.lineno)
            for alias in node.names:  # ``from urllib import request`` imports urllib.request
                yield Import(f"{module}.{alias.name}", path, node.lineno)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and _call_name(node.func) in {"import_module", "__import__"}):
            yield Import(node.args[0].value, path, node.lineno)


def file_io_in(tree: ast.AST, path: str) -> Iterator[str]:
    """Calls that touch files: ``open(...)``, ``io.open``/``os.open``, ``x.read_text(...)`` and kin."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        if name == "open" or name in FILE_IO_METHODS:
            yield f"{path}:{node.lineno}: {ast.unparse(node.func)}() reads or writes a file"


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _parsed(package: str) -> list[tuple[str, ast.AST]]:
    return [(_rel(p), ast.parse(p.read_text(encoding="utf-8"), filename=str(p))) for p in _sources(package)]


@pytest.mark.parametrize("package", PACKAGES)
def test_package_has_sources(package: str) -> None:
    assert _sources(package), f"{package}/ has no Python files: wrong ROOT?"


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "app_pages"])
def test_no_streamlit_outside_the_app(package: str) -> None:
    bad = [f"{i.path}:{i.line}: imports {i.module}" for path, tree in _parsed(package)
           for i in imports_in(tree, path) if i.is_of("streamlit")]
    assert not bad, "streamlit belongs in app.py (and app_pages/) only:\n" + "\n".join(bad)


def test_advisor_is_pure() -> None:
    bad = sorted({f"{i.path}:{i.line}: imports {i.module}" for path, tree in _parsed("advisor")
                  for i in imports_in(tree, path) if any(i.is_of(name) for name in ADVISOR_BANNED)})
    assert not bad, ("advisor/ must not import pricing, the network, the AWS SDK or streamlit "
                     "(prices come in through a PriceLookup):\n" + "\n".join(bad))


def test_advisor_does_no_file_io() -> None:
    bad = [problem for path, tree in _parsed("advisor") for problem in file_io_in(tree, path)]
    assert not bad, "advisor/ must not read or write files (I/O belongs in pricing/ or the CLI):\n" + "\n".join(bad)


def test_boto3_only_in_the_query_api_client() -> None:
    bad = [f"{i.path}:{i.line}: imports {i.module}" for path, tree in _parsed("pricing")
           for i in imports_in(tree, path) if i.is_of("boto3") and path not in BOTO3_ALLOWED_IN_PRICING]
    assert not bad, f"in pricing/, boto3 belongs in {sorted(BOTO3_ALLOWED_IN_PRICING)} only:\n" + "\n".join(bad)


# --- the checker itself: it must catch what the rules forbid ---------------------------
_SAMPLE = '''
import streamlit as st
from urllib import request
from ..pricing.pricebook import PriceBook
from . import scaling
import importlib
boto = importlib.import_module("boto3")
text = Path("x").read_text()
with open("y") as f:
    pass
'''


def test_checker_finds_forbidden_imports_and_io() -> None:
    tree = ast.parse(_SAMPLE)
    modules = {i.module for i in imports_in(tree, "advisor/sample.py")}
    assert {"streamlit", "urllib", "urllib.request", "pricing.pricebook", "advisor.scaling", "boto3"} <= modules
    problems = list(file_io_in(tree, "advisor/sample.py"))
    assert [p.split(": ")[1] for p in problems] == ["Path('x').read_text() reads or writes a file",
                                                    "open() reads or writes a file"]


# --- layers, cycles and module size ------------------------------------------------------
MAX_MODULE_LINES = 400
#: What each top-level package may import of the project's other packages.
ALLOWED_PACKAGE_IMPORTS: dict[str, frozenset[str]] = {
    "advisor": frozenset(),
    "pricing": frozenset(),
    "presentation": frozenset({"advisor"}),
    "importers": frozenset({"advisor"}),
    "reports": frozenset({"advisor", "pricing", "presentation"}),
    "advisor_cli": frozenset({"advisor", "pricing", "presentation", "importers", "reports"}),
    "app_pages": frozenset({"advisor", "pricing", "presentation", "importers", "reports"}),
    "app": frozenset({"advisor", "pricing", "presentation", "importers", "reports", "app_pages"}),
}
#: The model's pipeline, in order; the base modules (rank 0) serve every stage.
ADVISOR_STAGES: tuple[str, ...] = ("workload", "capacity", "costs", "operations", "decision", "analysis")
ADVISOR_BASE: frozenset[str] = frozenset({"advisor", "advisor.collector", "advisor.errors", "advisor.memo",
                                         "advisor.pool"})


def _module_name(path: str) -> str:
    name = path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def project_modules() -> dict[str, ast.AST]:
    """Every project module (packages, app.py) by dotted name, parsed."""
    parsed = {_module_name(path): tree for package in PACKAGES for path, tree in _parsed(package)}
    parsed["app"] = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return parsed


def _resolve(name: str, modules: set[str]) -> str | None:
    """The project module an import names (``a.b.C`` -> ``a.b``), or None for third-party code."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules: dict[str, ast.AST]) -> dict[str, set[str]]:
    """Module -> project modules it imports (at load time or inside functions)."""
    names = set(modules)
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        path = name.replace(".", "/") + ("/__init__.py" if (ROOT / name.replace(".", "/")).is_dir() else ".py")
        by_line: dict[int, set[str]] = {}
        for i in imports_in(tree, path):
            if (target := _resolve(i.module, names)) and target != name:
                by_line.setdefault(i.line, set()).add(target)
        # ``from pkg import sub`` depends on pkg.sub, not on everything pkg/__init__ imports.
        graph[name] = {t for line in by_line.values() for t in line
                       if not any(other.startswith(f"{t}.") for other in line)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def stage_rank(module: str) -> int | None:
    """0 for the base modules, 1.. for the pipeline stages, None outside advisor."""
    if module in ADVISOR_BASE:
        return 0
    parts = module.split(".")
    if parts[0] != "advisor" or len(parts) < 2 or parts[1] not in ADVISOR_STAGES:
        return None
    return ADVISOR_STAGES.index(parts[1]) + 1


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in sorted(graph.items()):
        package = module.split(".")[0]
        own = stage_rank(module)
        if package == "advisor" and own is None:
            bad.append(f"{module} is in no pipeline stage ({', '.join(ADVISOR_STAGES)})")
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != package and other not in ALLOWED_PACKAGE_IMPORTS[package]:
                bad.append(f"{module} imports {target}: {package} may import only "
                           f"{sorted(ALLOWED_PACKAGE_IMPORTS[package]) or 'nothing of the project'}")
            theirs = stage_rank(target)
            if own is not None and theirs is not None and theirs > own:
                bad.append(f"{module} imports {target}: an earlier pipeline stage may not import a later one "
                           f"({' -> '.join(ADVISOR_STAGES)})")
    return sorted(set(bad))


def test_every_advisor_module_is_in_a_stage() -> None:
    stray = [m for m in project_modules() if m.split(".")[0] == "advisor" and stage_rank(m) is None]
    assert not stray, f"advisor modules outside the pipeline stages {ADVISOR_STAGES}: {stray}"


def test_dependencies_point_down_the_pipeline() -> None:
    bad = layer_violations(import_graph(project_modules()))
    assert not bad, "imports against the layering:\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    found = cycles(import_graph(project_modules()))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_module_is_over_the_line_limit() -> None:
    files = [p for p in ROOT.rglob("*.py") if not ({".venv", "build", "notebooks"} & set(p.relative_to(ROOT).parts))]
    long = sorted(f"{_rel(p)}: {n} lines" for p in files
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES)
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by idea):\n" + "\n".join(long)


# --- the layer checks themselves: they must catch what they forbid ------------------------
def test_cycle_finder_finds_a_cycle_and_accepts_a_dag() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_layer_check_rejects_upward_and_cross_package_imports() -> None:
    graph = {"advisor.workload.scenario": {"advisor.costs.estimate"},   # upward in the pipeline
             "advisor.costs.estimate": {"advisor.workload.scenario"},   # downward: fine
             "advisor.views": set(),                                     # in no stage
             "pricing.store": {"advisor.errors"},                        # pricing may not import advisor
             "app_pages.prices": {"advisor_cli.main"}}                   # the app may not import the CLI
    bad = "\n".join(layer_violations(graph))
    assert "advisor.workload.scenario imports advisor.costs.estimate" in bad
    assert "advisor.costs.estimate imports" not in bad
    assert "advisor.views is in no pipeline stage" in bad
    assert "pricing.store imports advisor.errors" in bad
    assert "app_pages.prices imports advisor_cli.main" in bad
