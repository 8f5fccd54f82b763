"""Whole-process timings of the command line, as ratios against baselines run in the same session.

Each command runs as its own process (what a user waits for), several times, interleaved
with its baseline so that load from other work on the machine hits both alike; the
median wall time of each is printed with the ratio:

- ``start-up``: ``advisor estimate`` of a one-service scenario (examples/small-api.yaml)
  against a Python process that only imports numpy, pandas and scipy.optimize (what any
  such tool must load); target at most 1.5x;
- ``sweep``: ``advisor analyze sweep`` of the microservices example, 100 points of
  ``replicas_scale`` from 0.2 to 5, against one ``advisor estimate`` process of the same
  example; target at most 3x;
- ``simulate``: ``advisor analyze simulate`` of the microservices example, 1,000 draws of
  ``replicas_scale`` U(0.5, 2), against the same estimate; target at most 3x.

``advisor`` runs as the checkout's installed program does (its pyproject's console script,
``advisor_cli.main:run``, which also leaves out the interpreter's final sweep of every
object).  ``--root DIR`` runs another checkout of the project (e.g. an export of ``main``)
with this interpreter, for before/after figures.

Usage: ``python bench/cli_bench.py [--repeats 5] [--only start-up,sweep,simulate] [--root DIR] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Stands for the ``advisor`` program in the commands below (see :func:`program`).
ADVISOR = "ADVISOR"
IMPORTS_ONLY = "import numpy, pandas, scipy.optimize"
MICRO = "examples/microservices.yaml"
CASES: dict[str, tuple[list[str], list[str], float]] = {
    # name: (command, baseline command, target ratio)
    "start-up": (["-c", ADVISOR, "estimate", "examples/small-api.yaml"], ["-c", IMPORTS_ONLY], 1.5),
    "sweep": (["-c", ADVISOR, "analyze", "sweep", MICRO, "--param", "replicas_scale", "--from", "0.2", "--to", "5",
               "--points", "100"], ["-c", ADVISOR, "estimate", MICRO], 3.0),
    "simulate": (["-c", ADVISOR, "analyze", "simulate", MICRO, "--samples", "1000", "--seed", "1",
                  "--range", "replicas_scale=0.5:2"], ["-c", ADVISOR, "estimate", MICRO], 3.0),
}


def program(root: Path) -> str:
    """What the checkout's installed ``advisor`` program runs: its pyproject's console script, as code for ``-c``."""
    with (root / "pyproject.toml").open("rb") as file:
        module, function = tomllib.load(file)["project"]["scripts"]["advisor"].split(":")
    return f"import sys; from {module} import {function}; sys.exit({function}())"


def wall_s(args: list[str], root: Path, env: dict[str, str]) -> float:
    args = [program(root) if a == ADVISOR else a for a in args]
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(name: str, root: Path, repeats: int, env: dict[str, str], *,
            warm_command: bool = True) -> tuple[float, float, float]:
    """(median s, baseline median s, target): command and baseline alternate, after one warm-up each
    (of the baseline only without ``warm_command``: it reads the same files, the command's warm-up is the slow one)."""
    command, baseline, target = CASES[name]
    if warm_command:
        wall_s(command, root, env)
    wall_s(baseline, root, env)   # warm the file cache
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(wall_s(command, root, env))
        theirs.append(wall_s(baseline, root, env))
    return statistics.median(ours), statistics.median(theirs), target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default=",".join(CASES), help="comma-separated cases: " + ", ".join(CASES))
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to run (default: this one)")
    parser.add_argument("--quick", action="store_true", help="one run of each, only the baselines warmed up")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    root = args.root.resolve()
    env = {**os.environ, "PYTHONPATH": str(root), "ADVISOR_CACHE_DIR": str(root / ".bench-no-cache")}
    print(f"{'case':<10}{'command s':>11}{'baseline s':>12}{'ratio':>8}{'target':>8}   ({root}, median of "
          f"{args.repeats})")
    for name in args.only.split(","):
        ours, theirs, target = measure(name, root, args.repeats, env, warm_command=not args.quick)
        print(f"{name:<10}{ours:>11.2f}{theirs:>12.2f}{ours / theirs:>7.2f}x{target:>7.1f}x")


if __name__ == "__main__":
    main()
