"""The notebooks in notebooks/ run top to bottom on a fresh checkout and are committed with current outputs.

Committed outputs let them read on a code host; ``make notebook-outputs`` regenerates them
(:mod:`scripts.notebooks`).  Each notebook is executed here in a fresh Python kernel with
notebooks/ as its working directory, the way Jupyter opens it, and every output it prints
must be what the committed notebook shows (nothing is written back).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from scripts.notebooks import CHECK_RENDERER, execute, notebooks

NOTEBOOKS = notebooks()
#: What differs between two runs of the same code: object addresses and pandas Styler table ids.
_VOLATILE = (re.compile(r" at 0x[0-9a-f]+"), re.compile(r"T_[0-9a-f]{5}"))


def _normal(text: str) -> str:
    for pattern in _VOLATILE:
        text = pattern.sub("…", text)
    return text


def _printed(nb: nbformat.NotebookNode) -> list[list[Any]]:
    """Per code cell, what a reader sees: stdout, results as text and HTML, figures' data (not their images)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown: list[Any] = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stdout":
                shown.append(("stdout", _normal(output.text)))
            elif output.output_type in ("execute_result", "display_data"):
                data = output.data
                shown += [(kind, _normal(data[kind])) for kind in ("text/plain", "text/html") if kind in data]
                if "application/vnd.plotly.v1+json" in data:
                    shown.append(("plotly", json.dumps(data["application/vnd.plotly.v1+json"], sort_keys=True)))
        cells.append(shown)
    return cells


def test_the_three_notebooks_are_there() -> None:
    assert {p.stem for p in NOTEBOOKS} >= {"ecs_vs_eks_microservices", "fargate_vs_ec2_breakeven",
                                           "regions_price_data"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_with_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{path.name}: run `make notebook-outputs` to save its outputs"
    outputs = [o for c in code for o in c.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert all("image/png" in o.data for o in figures), f"{path.name}: a chart without its image"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_current(path: Path) -> None:
    ran = execute(path, CHECK_RENDERER)  # raises CellExecutionError with the failing cell's traceback
    committed = nbformat.read(path, as_version=4)
    assert _printed(ran) == _printed(committed), f"{path.name}: outputs are stale; run `make notebook-outputs`"
