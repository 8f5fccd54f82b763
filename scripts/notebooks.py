"""``make notebook-outputs``: run every notebook in notebooks/ top to bottom and save it with its outputs.

The committed notebooks carry their outputs, so they read on a code host without running
them; charts are saved as PNG images too (plotly's image export through the system
Chromium, as the PDF reports draw them).  ``tests/test_notebooks.py`` runs them again and
fails when a committed output is no longer what the code prints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
#: Seconds one cell may run before the run fails: generous, the slowest cell takes a few seconds.
CELL_TIMEOUT_S = 300
#: plotly's renderers when the outputs are saved: the interactive figure and a PNG of it.
SAVED_RENDERER = "plotly_mimetype+png"
#: ...and when the suite checks them (no browser needed: the PNG is not compared).
CHECK_RENDERER = "plotly_mimetype"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def execute(path: Path, renderer: str) -> nbformat.NotebookNode:
    """The notebook at ``path`` run in a fresh kernel from notebooks/ (as Jupyter opens it); raises on an error."""
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get("PLOTLY_RENDERER")
    os.environ["PLOTLY_RENDERER"] = renderer  # the kernel inherits it; plotly reads it at import
    try:
        NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("PLOTLY_RENDERER", None)
        else:
            os.environ["PLOTLY_RENDERER"] = previous
    return nb


def _without_export_noise(nb: nbformat.NotebookNode) -> None:
    """Drop what the PNG export writes to stderr (the browser driver's log lines): not the notebook's output."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]


def main() -> int:
    for path in notebooks():
        nb = execute(path, SAVED_RENDERER)
        _without_export_noise(nb)
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"{path.relative_to(ROOT)}: {sum(len(c.outputs) for c in nb.cells if c.cell_type == 'code')} outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
