"""Every CSV the command line prints is safe to open in a spreadsheet: formula-like names are neutralized.

One test per writer (``advisor estimate``, ``compare``, ``analyze``, ``prices show``), each with names
a spreadsheet would run (OWASP "CSV Injection"), plus the shared writer on its own.
"""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from advisor_cli.main import main
from presentation.csv_text import FORMULA_TRIGGERS, frame_csv

CALC = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def hostile(tmp_path) -> str:
    """A scenario named, and with an environment named, like a formula."""
    path = tmp_path / "hostile.yaml"
    path.write_text(f"""name: '{LINK.replace("'", "''")}'
environments: [{{name: "{CALC}"}}]
platforms: [ecs-fargate, ecs-ec2]
services: [{{name: "+SUM(1+1)", vcpu: 0.25, memory_gib: 0.5, replicas: 1}}]
""")
    return str(path)


def _cells(capsys) -> list[str]:
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) > 1
    return [cell for row in rows for cell in row]


def _inert(cells: list[str]) -> None:
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]


def test_estimate_csv(capsys, hostile):
    assert main(["estimate", hostile, "--format", "csv"]) == 0
    cells = _cells(capsys)
    _inert(cells)
    assert "'" + CALC in cells  # the environment column, shown as text


def test_compare_csv(capsys, hostile):
    assert main(["compare", hostile, "--format", "csv"]) == 0
    cells = _cells(capsys)
    _inert(cells)
    assert "'" + LINK in cells  # the scenario column


def test_analyze_csv(capsys, hostile):
    assert main(["analyze", "parameters", hostile, "--format", "csv"]) == 0
    cells = _cells(capsys)
    _inert(cells)
    assert f"environments.{CALC}.scale" in cells


def test_prices_show_csv(capsys):
    assert main(["prices", "show", "--region", "us-east-1", "--service", "fargate", "--format", "csv"]) == 0
    _inert(_cells(capsys))


def test_the_shared_writer_neutralizes_text_and_headers_but_not_numbers():
    frame = pd.DataFrame({"name": [CALC, LINK, "-2+3", "@SUM(A1)", "plain"], "usd": [-1.5, 2.0, 3.0, 4.0, 5.0],
                          "=x": [1, 2, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(frame_csv(frame))))
    assert rows[0] == ["name", "usd", "'=x"]
    assert [r[0] for r in rows[1:]] == ["'" + CALC, "'" + LINK, "'-2+3", "'@SUM(A1)", "plain"]
    assert [float(r[1]) for r in rows[1:]] == [-1.5, 2.0, 3.0, 4.0, 5.0]  # a negative number stays a number


def test_every_csv_writer_uses_the_shared_function():
    """No module writes CSV by itself: ``to_csv(`` and ``csv.writer`` appear only in presentation/csv_text.py."""
    root = Path(__file__).parents[1]
    allowed = {"presentation/csv_text.py", "pricing/store.py"}  # the price store is data for the program
    offenders = []
    for package in ("advisor", "advisor_cli", "app_pages", "importers", "presentation", "pricing", "reports"):
        for path in (root / package).rglob("*.py"):
            rel = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            if rel not in allowed and (".to_csv(" in text or "csv.writer" in text or "csv.DictWriter" in text):
                offenders.append(rel)
    assert not offenders, offenders
