"""The ``advisor`` program's allocator settings: a freed large array's pages are reused, not faulted in anew."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

#: In a fresh process (transparent huge pages off, so that a fault is one 4 KiB page): allocates, fills
#: and frees a 64 MiB array, then counts the page faults of doing it once more, as the process starts
#: (argument "default"), after the settings ("set"), or inside the ``advisor`` program's run ("program").
#: Prints "refused" when the C library did not take the settings.
FAULTS_OF_A_SECOND_ARRAY = """
import ctypes, resource, sys
ctypes.CDLL(None).prctl(41, 1, 0, 0, 0)   # PR_SET_THP_DISABLE
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

if sys.argv[1] == "set" and not reuse_freed_memory():
    print("refused")
    sys.exit()
if sys.argv[1] == "program":
    program.main = faults
    program.run()
faults()
"""

PAGES = (64 << 20) // 4096


def _faults(mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", FAULTS_OF_A_SECOND_ARRAY, mode], capture_output=True, text=True,
                          check=True, env={**os.environ, "NUMPY_MADVISE_HUGEPAGE": "0"})
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="mallopt's thresholds are glibc's")
def test_a_freed_large_array_is_reused_without_page_faults():
    assert int(_faults("default")) > PAGES // 2   # mapped anew: every page faulted in again
    settings = _faults("set")
    assert settings != "refused"
    assert int(settings) < PAGES // 20            # the heap's freed pages, already mapped
    assert int(_faults("program")) < PAGES // 20  # the advisor program sets it before its command runs
