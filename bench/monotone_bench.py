"""Benchmark: does adding replicas ever lower an EC2 estimate, and what does exact packing cost?

For seeded random scenarios (1-5 services of typical sizes, 1-30 replicas each, the default
three Availability Zones) it estimates every EC2-backed platform (ECS on EC2, EKS, EKS Auto
Mode) on the bundled prices, then again with one service given 1-10 more replicas, and
counts the pairs where the larger workload costs less. Pairs are split by how the smaller
workload's placements were solved: exactly (every placement proven optimal, so a drop is
impossible by construction) or by the heuristic (large workloads).

It then times the same estimates with the exact solver switched off, in the same process,
and prints the ratio, so the price of exactness is measured against a baseline and not
against a clock.

Usage::

    .venv/bin/python bench/monotone_bench.py                 # 100 scenario pairs, seed 11
    .venv/bin/python bench/monotone_bench.py --pairs 300 --seed 3
"""

from __future__ import annotations

import argparse
import random
import time
from unittest.mock import patch

from advisor.capacity.placement import exact_packing
from advisor.costs.estimate import estimate
from advisor.workload.scenario import Platform, Replicas, Scenario, Service
from pricing.active import load_pricebook

EC2 = (Platform.ECS_EC2, Platform.EKS_EC2, Platform.EKS_AUTO)
VCPU_CHOICES = (0.25, 0.5, 1, 2, 4)
GIB_CHOICES = (0.5, 1, 2, 4, 8)


def scenario(specs: list[tuple[float, float, int]]) -> Scenario:
    return Scenario(name="bench", services=tuple(
        Service(name=f"s{i}", vcpu=v, memory_gib=m, replicas=Replicas(min=n, max=n)) for i, (v, m, n) in
        enumerate(specs)))


def pairs(n: int, seed: int) -> list[tuple[Scenario, Scenario]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        specs = [(rng.choice(VCPU_CHOICES), rng.choice(GIB_CHOICES), rng.randint(1, 30))
                 for _ in range(rng.choice([1, 1, 2, 3, 5]))]
        grown = list(specs)
        which = rng.randrange(len(specs))
        v, m, count = grown[which]
        grown[which] = (v, m, count + rng.randint(1, 10))
        out.append((scenario(specs), scenario(grown)))
    return out


def run(n_pairs: int, seed: int) -> None:
    book = load_pricebook(None)
    cases = pairs(n_pairs, seed)
    tally = {"exact": [0, 0, 0.0], "heuristic": [0, 0, 0.0]}   # comparisons, drops, largest drop %
    estimate(cases[0][0], book, EC2)   # warm the price book's caches before timing
    start = time.process_time()
    for small, large in cases:
        a, b = estimate(small, book, EC2), estimate(large, book, EC2)
        for ea, eb in zip(a.estimates, b.estimates, strict=True):
            kind = "exact" if all(p.exact for p in ea.placements) else "heuristic"
            tally[kind][0] += 1
            if eb.monthly_usd < ea.monthly_usd - 1e-6:
                tally[kind][1] += 1
                tally[kind][2] = max(tally[kind][2], 100 * (ea.monthly_usd / eb.monthly_usd - 1))
    with_exact = time.process_time() - start
    start = time.process_time()
    with patch.object(exact_packing, "EXACT_MAX_STATES", 0):
        for small, large in cases:
            estimate(small, book, EC2), estimate(large, book, EC2)
    without = time.process_time() - start
    print(f"{n_pairs} scenario pairs (seed {seed}), {len(EC2)} EC2 platforms each")
    for kind, (count, drops, worst) in tally.items():
        print(f"  smaller workload solved {kind:<9}: {count:4d} comparisons, {drops:3d} where more replicas cost less"
              f" (largest drop {worst:.2f} %)")
    print(f"CPU time: {with_exact:.1f} s with exact packing, {without:.1f} s heuristic only "
          f"(ratio {with_exact / without:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    run(args.pairs, args.seed)


if __name__ == "__main__":
    main()
