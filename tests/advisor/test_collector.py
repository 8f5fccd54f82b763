"""The collector's first threshold: raised by the shells at start, never lowered, left alone by the library."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.collector import GEN0_THRESHOLD, space_out_collections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


@pytest.mark.usefixtures("thresholds")
@pytest.mark.parametrize("before", [(700, 10, 10), (100_000, 5, 7)])
def test_the_first_threshold_is_raised_to_the_constant_and_never_lowered(before):
    gc.set_threshold(*before)
    space_out_collections()
    assert gc.get_threshold() == (max(before[0], GEN0_THRESHOLD), before[1], before[2])


@pytest.mark.parametrize(("package", "expected"), [("advisor", 700), ("advisor_cli", GEN0_THRESHOLD),
                                                   ("app_pages", GEN0_THRESHOLD)])
def test_the_shells_raise_it_when_imported_and_the_library_does_not(package, expected):
    code = (f"import gc; gc.set_threshold(700, 10, 10); import {package}, advisor.costs.estimate; "
            "print(gc.get_threshold()[0])")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True,
                         timeout=120)
    assert int(out.stdout) == expected
