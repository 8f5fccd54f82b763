r"""Benchmark: small workloads that place() does not prove optimal, against a proven optimum.

For seeded small workloads (2-5 services of typical sizes, 1-15 replicas each, three
Availability Zones) it places every architecture's pods on the real EKS node shapes of the
bundled prices (allocatable as the EKS platform computes it, through
:func:`advisor.costs.ec2_items.node_shapes`) and counts how many :func:`place` solves
exactly. For the rest it computes the optimum independently: every maximal pattern of
every shape is enumerated here (depth-first, no code of the placement package) and the
cheapest covering set of patterns is an integer programme solved by HiGHS
(:func:`scipy.optimize.milp`, proven optimal or left out after ``--seconds``). It prints
how many heuristic placements are above that optimum and by how much (the target: none).

Usage::

    .venv/bin/python bench/optimality_bench.py                    # 60 workloads, seed 5
    .venv/bin/python bench/optimality_bench.py --workloads 200 --seed 1
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from advisor.capacity.placement import NodeShape, PodGroup, place
from advisor.costs.ec2_items import node_shapes
from advisor.workload.scenario import Platform, Scenario
from pricing.active import load_pricebook

VCPU_CHOICES = (0.25, 0.5, 1.0, 2.0)
GIB_PER_VCPU = (1.0, 2.0, 4.0)
AZS = 3
#: Oracle problems with more columns than this are left out (reported as unproven).
MAX_COLUMNS = 200_000


def workloads(count: int, seed: int) -> list[list[PodGroup]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        services = rng.randint(2, 5)
        out.append([PodGroup(name=f"s{i}", vcpu=(v := rng.choice(VCPU_CHOICES)),
                             memory_mib=v * rng.choice(GIB_PER_VCPU) * 1024, count=rng.randint(1, 15))
                    for i in range(services)])
    return out


def _units(groups: list[PodGroup], shapes: list[NodeShape]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Requests and capacities in integer milli-vCPU, MiB and slots (the bench's own conversion)."""
    req = np.array([[round(g.vcpu * 1000), round(g.memory_mib), 1] for g in groups], dtype=np.int64)
    cap = np.array([[int(s.allocatable_vcpu * 1000), int(s.allocatable_memory_mib), s.max_pods] for s in shapes],
                   dtype=np.int64)
    return req, np.array([g.count for g in groups]), cap, np.array([s.usd_per_hour for s in shapes])


def _maximal_patterns(req: np.ndarray, count: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Patterns (rows) that fit ``cap`` and to which no further replica (within ``count``) can be added.

    Every vector of the box ``0..count`` is tested at once; growing one coordinate moves
    ``stride`` places in its row-major order.
    """
    radix = [int(n) + 1 for n in count]
    box = np.indices(radix).reshape(len(radix), -1).T
    fits = ((box @ req) <= cap).all(axis=1)
    stride = [int(np.prod(radix[g + 1:])) for g in range(len(radix))]
    maximal = fits.copy()
    index = np.arange(len(box))
    for g in range(len(radix)):
        room = box[:, g] < count[g]
        maximal &= ~(room & fits[np.where(room, index + stride[g], index)])
    maximal[0] = False
    return box[maximal]


def optimum(groups: list[PodGroup], shapes: list[NodeShape], seconds: float) -> float | None:
    """Cheapest nodes (at least AZS) holding every replica, proven by HiGHS, or None when not proven in time."""
    req, count, cap, price = _units(groups, shapes)
    columns, costs = [], []
    for t in range(len(shapes)):
        for pattern in _maximal_patterns(req, count, cap[t]):
            columns.append(pattern)
            costs.append(price[t])
    if len(columns) > MAX_COLUMNS:
        return None
    a = np.array(columns, dtype=float).T
    a = np.vstack([np.hstack([a, np.zeros((len(count), 1))]), np.ones((1, a.shape[1] + 1))])
    c = np.array([*costs, price.min()])
    res = milp(c, constraints=LinearConstraint(a, np.concatenate([count, [AZS]]), np.inf),
               integrality=np.ones(len(c)), bounds=Bounds(0, np.inf),
               options={"mip_rel_gap": 0, "time_limit": seconds})
    return float(res.fun) if res.status == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of each proof (default 60)")
    args = parser.parse_args()
    book = load_pricebook(None)
    scenario = Scenario.model_validate({"name": "bench",
                                        "services": [{"name": "x", "vcpu": 1, "memory_gib": 1, "replicas": 1}]})
    shapes = [s for s in node_shapes(scenario, Platform.EKS_EC2, book, {"x86_64"}).shapes
              if s.architecture == "x86_64"]
    exact = heuristic = unproven = above = 0
    worst = 0.0
    start = time.process_time()
    placed = [place(groups, shapes, min_nodes=AZS) for groups in workloads(args.workloads, args.seed)]
    spent = time.process_time() - start
    for groups, placement in zip(workloads(args.workloads, args.seed), placed, strict=True):
        if placement.exact:
            exact += 1
            continue
        heuristic += 1
        best = optimum(groups, shapes, args.seconds)
        if best is None:
            unproven += 1
            continue
        if placement.usd_per_hour > best * (1 + 1e-9):
            above += 1
            worst = max(worst, placement.usd_per_hour / best - 1)
    print(f"{args.workloads} small workloads (seed {args.seed}), EKS node shapes of us-east-1, {AZS} AZs: "
          f"{exact} solved exactly, {heuristic} by the heuristic ({spent / args.workloads * 1000:.0f} ms CPU each)")
    print(f"  of those, proven optimum found for {heuristic - unproven}: {above} above it"
          + (f", by at most {100 * worst:.2f} %" if above else ""))


if __name__ == "__main__":
    main()
