"""Benchmark: refreshing all 34 Regions through the Bulk API from a loopback mirror, one or several at a time.

A loopback HTTP server (``tests/pricing/offer_mirror.py``) serves ``../shared/aws-price-data/offers``
in AWS's URL layout; ``advisor prices refresh --source bulk --all-regions`` runs against it in
a subprocess, into a temporary cache, once per worker count.  While it runs, the resident
memory of its whole process tree (the refreshing process and its workers) is sampled every
50 ms.  Printed per run: wall time, peak memory of the tree, of the refreshing process and of
the largest worker, bytes downloaded; then the ratios against one Region at a time.  The
memory constants of ``pricing/fetch_pool.py`` come from these peaks.

Usage::

    .venv/bin/python bench/refresh_bench.py                  # workers 1 and 2
    .venv/bin/python bench/refresh_bench.py --workers 1 2 3
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.pricing.offer_mirror import serve_folder  # noqa: E402 - after the path is set

OFFERS = REPO.parent / "shared" / "aws-price-data" / "offers"
MIB = 1 << 20


@dataclass(frozen=True)
class Run:
    workers: int
    seconds: float
    cpu_seconds: float
    tree_peak_mib: float
    parent_peak_mib: float
    worker_peak_mib: float
    downloaded_mb: float
    last_line: str


def _children_cpu() -> float:
    """CPU seconds of every finished descendant (the refresh and the workers it waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def run(url: str, workers: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="refresh-bench-") as cache:
        args = [sys.executable, "-m", "advisor_cli.main", "--cache-dir", cache, "prices", "refresh", "--source",
                "bulk", "--all-regions", "--endpoint-url", url, "--workers", str(workers)]
        start, cpu = time.perf_counter(), _children_cpu()
        child = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        parent = psutil.Process(child.pid)
        tree = parent_peak = worker_peak = 0
        while child.poll() is None:
            kids = parent.children(recursive=True) if child.poll() is None else []
            own = _rss(parent)
            sizes = [_rss(k) for k in kids]
            tree = max(tree, own + sum(sizes))
            parent_peak = max(parent_peak, own)
            worker_peak = max(worker_peak, *sizes, 0)
            time.sleep(0.05)
        out, err = child.communicate()
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if child.returncode != 0:
        raise SystemExit(f"refresh failed ({child.returncode}):\n{err[-3000:]}")
    progress = [line for line in err.splitlines() if line.startswith("[")]
    downloaded = float(progress[-1].split(" · ")[1].split(" MB")[0].replace(",", "")) if progress else 0.0
    return Run(workers, seconds, cpu, tree / MIB, parent_peak / MIB, worker_peak / MIB, downloaded, out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not OFFERS.is_dir():
        raise SystemExit(f"no offer files at {OFFERS}")
    with serve_folder(OFFERS) as mirror:
        runs = [run(mirror.url, w) for w in args.workers]
    base = runs[0]
    print(f"refresh of 34 regions from a loopback mirror of {OFFERS} ({runs[0].downloaded_mb:,.1f} MB downloaded):")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'workers':>7} {'wall s':>8} {'CPU s':>6} {'tree peak MiB':>14} {'refresher MiB':>14} {'worker MiB':>11} "
          f"{'time ratio':>11} {'memory ratio':>13}")
    for r in runs:
        print(f"{r.workers:>7} {r.seconds:>8.1f} {r.cpu_seconds:>6.1f} {r.tree_peak_mib:>14.0f} "
              f"{r.parent_peak_mib:>14.0f} "
              f"{r.worker_peak_mib:>11.0f} {r.seconds / base.seconds:>10.2f}× "
              f"{r.tree_peak_mib / base.tree_peak_mib:>12.2f}×")
    print(f"last line: {runs[-1].last_line}")


if __name__ == "__main__":
    main()
