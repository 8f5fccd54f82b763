"""Import and I/O rules of the packages, checked on the source (AST), not at run time.

- ``streamlit`` only in app.py (and app_pages/): never in advisor/, pricing/, advisor_cli/.
- advisor/ is the pure model: it does not import pricing, the network (requests,
  urllib, socket, ...), boto3/botocore or streamlit, and reads or writes no files
  (no ``open()``, no ``Path.read_text``/``write_text``/``read_bytes``/``write_bytes``).
- pricing/ imports boto3 only in pricing/query_api.py (the Query API client).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("advisor", "pricing", "advisor_cli", "reports", "importers")
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


@pytest.mark.parametrize("package", PACKAGES)
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
from . import units
import importlib
boto = importlib.import_module("boto3")
text = Path("x").read_text()
with open("y") as f:
    pass
'''


def test_checker_finds_forbidden_imports_and_io() -> None:
    tree = ast.parse(_SAMPLE)
    modules = {i.module for i in imports_in(tree, "advisor/sample.py")}
    assert {"streamlit", "urllib", "urllib.request", "pricing.pricebook", "advisor.units", "boto3"} <= modules
    problems = list(file_io_in(tree, "advisor/sample.py"))
    assert [p.split(": ")[1] for p in problems] == ["Path('x').read_text() reads or writes a file",
                                                    "open() reads or writes a file"]
