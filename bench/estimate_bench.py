"""Estimate latency: a 200-service workload on every platform, against a 10-service baseline.

Prints wall time per full estimate (median of repeats) and the ratio to the small
workload measured in the same process, plus each platform's placement gap (cost /
LP lower bound).  Usage: ``python bench/estimate_bench.py [--services 200] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Replicas, Scenario, Schedule, Service
from pricing.active import load_pricebook

SIZES = [(0.25, 0.5), (0.5, 1), (0.5, 2), (1, 2), (1, 4), (2, 4), (2, 8), (4, 8)]


def workload(n: int, seed: int = 7) -> Scenario:
    rng = random.Random(seed)
    services = []
    for i in range(n):
        vcpu, mem = rng.choice(SIZES)
        low = rng.randint(1, 6)
        high = low + rng.choice([0, 0, 2, 6])
        services.append(Service(name=f"svc-{i:03d}", vcpu=vcpu, memory_gib=mem,
                                replicas=Replicas(min=low, max=high, schedule=Schedule(hours_per_day=10,
                                                                                       days_per_week=5)),
                                architecture=rng.choice(["x86_64", "x86_64", "arm64"])))
    return Scenario(name=f"bench-{n}", services=tuple(services))


def timed(scenario: Scenario, book: object, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = estimate(scenario, book)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    book = load_pricebook(None)
    estimate(workload(2), book)  # warm the price indexes, as a running app would be
    base_s, _ = timed(workload(10), book, args.repeats)
    big_s, result = timed(workload(args.services), book, args.repeats)
    replicas = sum(s.replicas.max for s in result.scenario.services)
    print(f"{'workload':>22} {'median s':>9}")
    print(f"{'10 services':>22} {base_s:9.3f}")
    print(f"{f'{args.services} services ({replicas} peak replicas)':>22} {big_s:9.3f}   ratio {big_s / base_s:.1f}x")
    for est in result.estimates:
        gaps = [p.usd_per_hour / p.lower_bound_usd_per_hour for p in est.placements]
        gap = f"gap {max(gaps):.3f}x bound" if gaps else "no nodes (Fargate)"
        print(f"  {est.platform.value:12} {est.monthly_usd:>12,.2f} USD/month  {gap}")


if __name__ == "__main__":
    main()
