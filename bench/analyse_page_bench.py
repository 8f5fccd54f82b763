"""The Analyse page's four default analyses of an example, timed as the app runs them.

Issue 15's target: the break-even sweep, the sensitivity tornado, the cost ranges and the
"what decides it" ranking of the microservices example, with the page's default inputs,
within 5 s together on a 2-core machine. The app prices them with one evaluator per
analysis on every core, sharing one placement memo per price book with the Compare page,
whose TCO result is already there when a user opens the Analyse page; this script does the
same in one process: it prices the example's TCO (the baseline, also printed), then each
analysis with the page's defaults (``app_pages/analyse.py``), and prints each one's wall
seconds, their sum, and the sum as a ratio of the baseline.

Usage: ``python bench/analyse_page_bench.py [--example microservices] [--workers N]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.global_sensitivity import DEFAULT_BASE_SAMPLES, sobol_ranking
from advisor.analysis.montecarlo import Triangular, Uniform, simulate
from advisor.analysis.parameters import REPLICAS_SCALE, ParameterSpace
from advisor.analysis.sensitivity import DEFAULT_RELATIVE_CHANGE, sensitivity
from advisor.analysis.sweep import sweep, sweep_values
from advisor.collector import space_out_collections
from advisor.decision.tco import DEFAULT_METRIC, tco
from advisor.memo import Memo
from advisor.pool import available_cores
from advisor.workload.operations_inputs import ENGINEER_RATE_RANGE_USD_PER_HOUR
from advisor.workload.spec_io import parse_scenario
from presentation.analysis_views import default_sweep_range
from pricing.active import load_pricebook

ROOT = Path(__file__).resolve().parents[1]
#: The page's defaults (app_pages/analyse.py): 12 sweep points of the first parameter, 200 draws
#: of the two default ranges with the operations ranges, Sobol at its default N over the operations ranges.
SWEEP_POINTS = 12
RANGE_SAMPLES = 200
TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--example", default="microservices")
    parser.add_argument("--workers", type=int, default=available_cores())
    args = parser.parse_args()
    space_out_collections()   # as the app does (app_pages/__init__.py)
    path = ROOT / "examples" / f"{args.example}.yaml"
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    book = load_pricebook(None)
    tco(parse_scenario((ROOT / "examples" / "small-api.yaml").read_text(encoding="utf-8"), "warm-up"), book)
    memo = Memo()

    def evaluator() -> CostEvaluator:
        return CostEvaluator(book, DEFAULT_METRIC, memo=memo, workers=args.workers)

    started = time.perf_counter()
    with memo.active():
        result = tco(scenario, book)
    baseline = time.perf_counter() - started
    space = ParameterSpace(scenario)
    first = space.parameters[0]
    start, stop = default_sweep_range(first)
    ranges = {REPLICAS_SCALE: Triangular(0.8, 1.0, 1.5),
              "operations.engineer_rate_usd_per_hour": Uniform(*ENGINEER_RATE_RANGE_USD_PER_HOUR)}
    runs = {
        f"break-even ({SWEEP_POINTS} points of {first.name})":
            lambda: sweep(scenario, evaluator(), first.name, sweep_values(first, start, stop, SWEEP_POINTS),
                          refine=True),
        f"sensitivity (±{DEFAULT_RELATIVE_CHANGE:g})":
            lambda: sensitivity(scenario, evaluator(), relative_change=DEFAULT_RELATIVE_CHANGE),
        f"cost ranges ({RANGE_SAMPLES} draws + operations)":
            lambda: simulate(scenario, evaluator(), ranges, samples=RANGE_SAMPLES, seed=1, operations=True),
        f"what decides it (Sobol, N={DEFAULT_BASE_SAMPLES})":
            lambda: sobol_ranking(result, DEFAULT_METRIC, inputs={}, evaluator=evaluator(),
                                  base_samples=DEFAULT_BASE_SAMPLES, seed=0),
    }
    print(f"{args.example}: TCO of every platform (baseline) {baseline:.2f} s; {args.workers} workers")
    total = 0.0
    for label, run in runs.items():
        started = time.perf_counter()
        run()
        spent = time.perf_counter() - started
        total += spent
        print(f"  {label:<45} {spent:6.2f} s")
    print(f"  {'the four together':<45} {total:6.2f} s  = {total / baseline:.1f}x the baseline; "
          f"target {TARGET_S:g} s: {'met' if total <= TARGET_S else 'not met'}")


if __name__ == "__main__":
    main()
