"""The notebooks in notebooks/ run top to bottom on a fresh checkout and are committed without outputs.

Each is executed in a fresh Python kernel (nbclient, as ``pytest --nbmake`` would) with
notebooks/ as its working directory, the way Jupyter opens it.  Nothing is written back.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
#: Seconds one cell may run before the run fails: generous, the slowest cell takes a few seconds.
CELL_TIMEOUT_S = 300


def test_the_three_notebooks_are_there():
    assert {p.stem for p in NOTEBOOKS} >= {"ecs_vs_eks_microservices", "fargate_vs_ec2_breakeven",
                                           "regions_price_data"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    client.execute()  # raises CellExecutionError with the failing cell's traceback
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
