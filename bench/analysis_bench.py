"""Analysis speed: a 1,000-point sweep and 10,000 Monte Carlo samples of a 50-service workload, all platforms.

Each analysis runs in full on the memoized evaluator (:class:`advisor.analysis.evaluator.CostEvaluator`,
which keeps node shapes and placements across calls) and is compared with the plain loop
of single ``tco`` calls (``memoize=False``, what the model did before) in the same process.
The plain loop takes over a second a point, so it is timed on an evenly spread subset of
the same points (``--baseline-points``) and extrapolated per point; the output says so.
On that subset the two evaluators' results are compared exactly (``==`` on every
platform's float).  Times are CPU seconds of this process (robust to other load on the
machine) and wall seconds.

The memoized evaluator runs on ``--workers`` processes (default: every core, as ``advisor
analyze`` does); CPU seconds then include the workers'. Each run's wall time is also
compared with the README figure of the same run before issue 15 (same workload and points,
one process): the target for the 10,000 draws is at least 5x faster.

Three runs:

- ``sweep replicas_scale``: 1,000 points from 0.5 to 2.  The placement changes with the
  integer replica vector: about 70 distinct peak and 19 off-peak vectors per EC2
  platform in that range, each placed once, so this is the memo's hardest case;
- ``sweep egress``: 1,000 points of ``traffic.internet_egress_gb_per_month`` (reprices only);
- ``simulate``: 10,000 draws of replicas_scale U(0.5, 2), hours_per_day triangular(6, 10, 16),
  internet egress U(0, 20,000 GB), engineer rate triangular(65, 90, 150) [USD/h].

Inputs that change node prices or capacity (``purchase.spot_share``, ``ec2.target_utilization``,
the purchase option) give new node shapes and placements at every distinct value: their
sweeps are about as slow as the plain loop.

Usage: ``python bench/analysis_bench.py [--points 1000] [--samples 10000] [--baseline-points 20] [--workers N]
[--quick]`` (``--quick``: only the draws, the run with a target, 8 baseline points; give ``--samples 2000``
for a shorter run, compared per draw with the README figure).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from estimate_bench import workload

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.montecarlo import Triangular, Uniform, draw_inputs, simulate
from advisor.analysis.parameters import ParameterSpace
from advisor.analysis.sweep import sweep, sweep_values
from advisor.collector import space_out_collections
from advisor.costs.estimate import estimate
from advisor.pool import available_cores
from advisor.workload.scenario import Scenario
from pricing.active import load_pricebook

SERVICES = 50
#: Wall seconds of these runs in the README before issue 15 (1,000 points, 1,000 points, 10,000 draws).
BEFORE_S = {"replicas_scale": (101.0, 1000), "traffic.internet_egress_gb_per_month": (15.4, 1000),
            "simulate": (229.0, 10_000)}
WORKERS = available_cores()


@dataclass(frozen=True)
class Timing:
    """CPU seconds of this process (robust to other load on the machine) and wall seconds."""

    cpu_s: float
    wall_s: float

    def per(self, count: int) -> Timing:
        return Timing(self.cpu_s / count, self.wall_s / count)

    def times(self, count: int) -> Timing:
        return Timing(self.cpu_s * count, self.wall_s * count)


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished workers."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(run: Callable[[], object]) -> tuple[Timing, object]:
    cpu, wall = _cpu_s(), time.perf_counter()
    result = run()
    return Timing(_cpu_s() - cpu, time.perf_counter() - wall), result


def _baseline(book: object, scenario: Scenario, variants: list[dict[str, float]]) -> tuple[Timing, list[dict]]:
    """Time per point of the plain loop, and its results, on ``variants``."""
    plain = CostEvaluator(book, memoize=False)
    space = ParameterSpace(scenario)
    spent, results = _timed(lambda: [plain(space.apply(v)) for v in variants])
    return spent.per(len(variants)), results


def _report(label: str, count: int, fast: Timing, plain_per_point: Timing, baseline_points: int,
            identical: bool) -> None:
    plain = plain_per_point.times(count)
    print(f"{label}: {count} points")
    print(f"  memoized    {fast.cpu_s:8.1f} s CPU {fast.wall_s:8.1f} s wall  ({fast.cpu_s / count * 1000:7.1f} ms "
          f"CPU/point; {WORKERS} workers)")
    print(f"  plain loop  {plain.cpu_s:8.1f} s CPU {plain.wall_s:8.1f} s wall  ({plain_per_point.cpu_s * 1000:7.1f} ms "
          f"CPU/point, timed on {baseline_points} of the points and extrapolated)")
    print(f"  speed-up    {plain.cpu_s / fast.cpu_s:8.1f} x CPU {plain.wall_s / fast.wall_s:6.1f} x wall   "
          f"results identical on the {baseline_points} timed points: {'yes' if identical else 'NO'}")
    key = next(k for k in BEFORE_S if k in label)
    before_s, before_points = BEFORE_S[key]
    print(f"  vs README before issue 15 ({before_s:g} s for {before_points:,}): "
          f"{before_s / before_points * count / fast.wall_s:.1f}x faster (wall, {WORKERS} workers)")


def _sweep_run(book: object, scenario: Scenario, parameter: str, start: float, stop: float, points: int,
               baseline_points: int) -> None:
    space = ParameterSpace(scenario)
    values = sweep_values(space.parameter(parameter), start, stop, points)
    fast = CostEvaluator(book, workers=WORKERS)
    fast_s, result = _timed(lambda: sweep(scenario, fast, parameter, values))
    subset = np.linspace(0, len(values) - 1, baseline_points).round().astype(int)
    per_point, plain = _baseline(book, scenario, [{parameter: values[i]} for i in subset])
    identical = all({p: c[i] for p, c in result.monthly_usd.items()} == row
                    for i, row in zip(subset, plain, strict=True))
    _report(f"sweep {parameter} {start:g}..{stop:g}", len(values), fast_s, per_point, baseline_points, identical)


def _simulate_run(book: object, scenario: Scenario, samples: int, baseline_points: int) -> None:
    inputs = {"replicas_scale": Uniform(0.5, 2.0), "hours_per_day": Triangular(6.0, 10.0, 16.0),
              "traffic.internet_egress_gb_per_month": Uniform(0.0, 20_000.0),
              "operations.engineer_rate_usd_per_hour": Triangular(65.0, 90.0, 150.0)}
    fast = CostEvaluator(book, workers=WORKERS)
    fast_s, result = _timed(lambda: simulate(scenario, fast, inputs, samples=samples, seed=1))
    draws = draw_inputs(ParameterSpace(scenario), inputs, samples, seed=1)
    variants = [{name: float(values[i]) for name, values in draws.items()} for i in range(baseline_points)]
    per_point, plain = _baseline(book, scenario, variants)
    identical = all({p: float(c[i]) for p, c in result.monthly_usd.items()} == row for i, row in enumerate(plain))
    _report("simulate (4 inputs)", samples, fast_s, per_point, baseline_points, identical)
    for r in result.ranges:
        print(f"    {r.platform.value:12} P10 {r.p10_usd:10,.0f}  P50 {r.p50_usd:10,.0f}  P90 {r.p90_usd:10,.0f} "
              f"USD/month  cheapest in {r.probability_cheapest:6.1%}")


def main() -> None:
    global WORKERS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--baseline-points", type=int, default=20)
    parser.add_argument("--workers", type=int, default=WORKERS, help="processes (default: every core)")
    parser.add_argument("--quick", action="store_true", help="the 10,000 draws only (8 baseline points)")
    args = parser.parse_args()
    WORKERS = args.workers
    space_out_collections()   # as `advisor analyze` and the app do (advisor_cli/__init__.py)
    if args.quick:
        args.baseline_points = 8
    book = load_pricebook(None)
    estimate(workload(2), book)  # warm the price indexes, as a running app would be
    scenario = workload(SERVICES)
    replicas = sum(s.replicas.max for s in scenario.services)
    print(f"{SERVICES}-service workload ({replicas} peak replicas), every platform, metric tco\n")
    if not args.quick:
        _sweep_run(book, scenario, "replicas_scale", 0.5, 2.0, args.points, args.baseline_points)
        _sweep_run(book, scenario, "traffic.internet_egress_gb_per_month", 0.0, 20_000.0, args.points,
                   args.baseline_points)
    _simulate_run(book, scenario, args.samples, args.baseline_points)


if __name__ == "__main__":
    main()
