"""The ``advisor`` program's allocator settings: a freed large array's pages are reused, not faulted in anew."""

from __future__ import annotations

import subprocess
import sys

import pytest

from advisor_cli.allocator import reuse_freed_memory

#: Allocates, fills and frees a 64 MiB array, then counts the page faults of doing it once more: in this
#: process as it starts (argument "default"), after the settings ("set"), or inside the ``advisor`` program's
#: run ("program").
FAULTS_OF_A_SECOND_ARRAY = """
import resource, sys
import numpy as np
import advisor_cli.main as program
from advisor_cli.allocator import reuse_freed_memory

def fill():
    a = np.empty(8 << 20)   # 64 MiB of float64
    a.fill(1.0)
    del a

def faults():
    fill()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    fill()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return 0

if sys.argv[1] == "set":
    assert reuse_freed_memory()
if sys.argv[1] == "program":
    program.main = faults
    program.run()
faults()
"""

PAGES = (64 << 20) // 4096


def _faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", FAULTS_OF_A_SECOND_ARRAY, mode], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_a_freed_large_array_is_reused_without_page_faults():
    if not reuse_freed_memory():
        pytest.skip("this C library has no mallopt (not glibc)")
    assert _faults("default") > PAGES // 2   # mapped anew: every page faulted in again
    assert _faults("set") < PAGES // 20      # the heap's freed pages, already mapped
    assert _faults("program") < PAGES // 20  # the advisor program sets it before its command runs
