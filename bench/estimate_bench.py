"""Estimate latency: a 1,000-service workload on every platform, against a 10-service baseline.

Prints the CPU and wall time per full estimate (median of repeats, warm: the price book
loaded and its indexes built, as in a running app) and the ratio to the small workload
measured in the same process (target: at most 2x), plus each platform's placement gap
(cost / lower bound).  CPU time is the fairer figure on a shared machine (the estimate is
one process, one thread); wall time is what a user waits for.

Usage: ``python bench/estimate_bench.py [--services 1000] [--repeats 3] [--arm64]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from advisor.collector import space_out_collections
from advisor.costs.estimate import estimate
from advisor.workload.scenario import Replicas, Scenario, Schedule, Service
from pricing.active import load_pricebook

SIZES = [(0.25, 0.5), (0.5, 1), (0.5, 2), (1, 2), (1, 4), (2, 4), (2, 8), (4, 8)]


def workload(n: int, seed: int = 7, *, arm64: bool = False, surge: tuple[int, ...] = (0, 0, 2, 6)) -> Scenario:
    """``n`` seeded services; with ``arm64`` a third of them arm64 (then EKS on Fargate cannot run it).

    The architectures are drawn from a stream of their own, so both workloads have the same
    sizes and replicas. ``surge`` is what autoscaling adds at peak, one drawn per service.
    """
    rng, arch_rng = random.Random(seed), random.Random(seed + 1)
    services = []
    for i in range(n):
        vcpu, mem = rng.choice(SIZES)
        low = rng.randint(1, 6)
        high = low + rng.choice(surge)
        services.append(Service(name=f"svc-{i:03d}", vcpu=vcpu, memory_gib=mem,
                                replicas=Replicas(min=low, max=high, schedule=Schedule(hours_per_day=10,
                                                                                       days_per_week=5)),
                                architecture=arch_rng.choice(["x86_64", "x86_64", "arm64"]) if arm64 else "x86_64"))
    # x86_64 only, and Auto Mode on a custom node pool: every platform can run it (EKS on
    # Fargate runs no arm64 pods, the built-in Auto Mode pool no arm64 nodes).
    return Scenario(name=f"bench-{n}", services=tuple(services), ec2={"auto_mode_node_pool": "custom"})


TARGET_RATIO = 2.0
#: Peak surges of this bench's workloads: 1,000 services then place 4,844 peak replicas, within the
#: scenario limit of 5,000,000 service-replicas (``advisor.workload.limits.MAX_SERVICE_REPLICAS``);
#: the default surges (5,324 peak replicas) are over it. The analysis bench keeps the defaults.
SURGE = (0, 0, 2, 4)


def timed(scenario: Scenario, book: object, repeats: int) -> tuple[float, float, object]:
    """Median CPU and wall seconds of ``repeats`` estimates, and the last result."""
    cpu, wall, result = [], [], None
    for _ in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = estimate(scenario, book)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--arm64", action="store_true", help="a third of the services arm64 (two placements each)")
    args = parser.parse_args()
    space_out_collections()   # as `advisor estimate` and the app do (advisor_cli/__init__.py)
    book = load_pricebook(None)
    estimate(workload(2), book)  # warm the price indexes, as a running app would be
    estimate(workload(10), book)   # and the node shapes of the default EC2 settings
    base_cpu, base_wall, _ = timed(workload(10, arm64=args.arm64, surge=SURGE), book, args.repeats)
    big_cpu, big_wall, result = timed(workload(args.services, arm64=args.arm64, surge=SURGE), book, args.repeats)
    replicas = sum(s.replicas.max for s in result.scenario.services)
    print(f"{'workload':>36} {'CPU s':>8} {'wall s':>8}")
    print(f"{'10 services':>36} {base_cpu:8.3f} {base_wall:8.3f}")
    print(f"{f'{args.services} services ({replicas} peak replicas)':>36} {big_cpu:8.3f} {big_wall:8.3f}")
    print(f"ratio {args.services} / 10 services: {big_cpu / base_cpu:.2f}x CPU, {big_wall / base_wall:.2f}x wall "
          f"(target at most {TARGET_RATIO:g}x)")
    for est in result.estimates:
        gaps = [p.usd_per_hour / p.lower_bound_usd_per_hour for p in est.placements]
        gap = f"gap {max(gaps):.3f}x bound" if gaps else "no nodes (Fargate)"
        print(f"  {est.platform.value:12} {est.monthly_usd:>12,.2f} USD/month  {gap}")


if __name__ == "__main__":
    main()
