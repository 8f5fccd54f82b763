r"""Benchmark: :func:`advisor.capacity.placement.place` against its LP lower bound and a naive node group.

For a seeded set of synthetic microservice workloads (each needing at least ten
m5.xlarge nodes) it packs every workload onto the real EC2 instance types of the bundled
price book (On-Demand Linux, one Region) and reports, per method, the median and 90th
percentile of ``cost / lower bound`` and the time per placement:

``place``
    :func:`advisor.capacity.placement.place` with its defaults (up to three types per mix);
``place (1 type)``
    the same with ``max_types_in_mix=1`` (one node group per architecture);
``naive``
    every replica on one fixed type (m5.xlarge for x86_64, m6g.xlarge for arm64),
    replica-by-replica First-Fit-Decreasing, the way a hand-sized node group is filled.

It also counts the workloads on which ``place`` costs more than the cheaper of ``naive`` and
``place (1 type)`` (issue 15: never above the best of the cheap baselines).

The lower bound is the one ``place`` reports (the larger of the covering LP and the
tighter group LP, over every type); the ratio to the covering LP alone is printed too. A final
line times the largest case the module promises to handle: 200 services x up to 50
replicas over every type in the price book.

Node shapes use a deliberately simple allocatable model (the real rules live in
:mod:`advisor.capacity.nodes`; the bench only needs realistic proportions): 0.1 vCPU + 1 % of the
vCPUs and 600 MiB + 2 % of memory reserved, pod slots from the price book's EKS max-pods
capped at 110 (<= 30 vCPU) or 250, minus three DaemonSet pods. Burstable ``t*`` types
are left out: a node group sized by requests cannot live on CPU credits (``--exclude``
changes that; regions with HPC types, e.g. eu-west-1's hpc7a.96xlarge and hpc7g.16xlarge,
show a larger gap because those types are very cheap per vCPU but come only in one large
size, and the LP bound buys fractions of them: the gap is then the bound's, not the
packing's).

Usage::

    .venv/bin/python bench/packing_bench.py                  # 120 workloads, seed 7
    .venv/bin/python bench/packing_bench.py --workloads 100 --seed 1 --region eu-west-1
    .venv/bin/python bench/packing_bench.py --region eu-west-1 --exclude 't\d|hpc'   # no HPC types
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import linprog

from advisor.capacity.placement import NodeShape, Placement, PodGroup, place
from pricing.active import load_pricebook

DAEMONSET_PODS = 3
# Burstable types: a node group sized by requests cannot live on CPU credits.
DEFAULT_EXCLUDE = r"t\d"
NAIVE_TYPES = {"x86_64": "m5.xlarge", "arm64": "m6g.xlarge"}
# (vCPU request, GiB per vCPU) choices: typical microservice requests, sidecars included.
VCPU_CHOICES = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
GIB_PER_VCPU_CHOICES = (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)


def node_shapes(region: str, exclude: str = DEFAULT_EXCLUDE) -> list[NodeShape]:
    """Every instance type of the Region whose family ``exclude`` does not match, with the
    simple allocatable model."""
    book = load_pricebook()
    shapes = []
    for offer in book.instance_offers(region):
        if re.match(exclude, offer.instance_type):
            continue
        limits = book.instance_limits(offer.instance_type) or {}
        ceiling = 110 if offer.vcpu <= 30 else 250
        slots = min(int(limits.get("eks_max_pods") or ceiling), ceiling) - DAEMONSET_PODS
        memory_mib = offer.memory_gib * 1024
        alloc_vcpu = offer.vcpu - 0.1 - 0.01 * offer.vcpu
        alloc_mem = memory_mib - 600 - 0.02 * memory_mib
        if slots < 1 or alloc_vcpu <= 0 or alloc_mem <= 0:
            continue
        shapes.append(NodeShape(instance_type=offer.instance_type, architecture=offer.architecture,
                                capacity_vcpu=offer.vcpu, capacity_memory_mib=memory_mib,
                                allocatable_vcpu=alloc_vcpu, allocatable_memory_mib=alloc_mem,
                                max_pods=slots, usd_per_hour=offer.usd_per_hour))
    return shapes


def workload(rng: np.random.Generator, index: int, min_vcpu: float) -> list[PodGroup]:
    """One workload: 8-120 services; 70 % x86_64, 20 % arm64, 10 % both."""
    kind = rng.choice(["x86_64", "arm64", "mixed"], p=[0.7, 0.2, 0.1])
    groups: list[PodGroup] = []
    while sum(g.vcpu * g.count for g in groups) < min_vcpu or len(groups) < 8:
        vcpu = float(rng.choice(VCPU_CHOICES))
        gib = min(vcpu * float(rng.choice(GIB_PER_VCPU_CHOICES)), 12.0)
        arch = str(rng.choice(["x86_64", "arm64"])) if kind == "mixed" else str(kind)
        groups.append(PodGroup(name=f"w{index}-svc{len(groups):03d}", vcpu=vcpu, memory_mib=max(gib, 0.125) * 1024,
                               count=int(rng.integers(1, 21)), architecture=arch))
        if len(groups) >= 120:
            break
    return groups


def naive_usd_per_hour(groups: Sequence[PodGroup], shapes: Sequence[NodeShape]) -> float:
    """Replica-by-replica FFD onto the fixed type of each architecture."""
    by_name = {s.instance_type: s for s in shapes}
    total = 0.0
    for arch in sorted({g.architecture for g in groups}):
        shape = by_name[NAIVE_TYPES[arch]]
        size = (shape.allocatable_vcpu, shape.allocatable_memory_mib)
        replicas = sorted(((g.vcpu, g.memory_mib) for g in groups if g.architecture == arch for _ in range(g.count)),
                          key=lambda r: -max(r[0] / size[0], r[1] / size[1]))
        nodes: list[list[float]] = []
        for vcpu, mem in replicas:
            for node in nodes:
                if node[0] >= vcpu - 1e-9 and node[1] >= mem - 1e-9 and node[2] >= 1:
                    break
            else:
                node = [size[0], size[1], shape.max_pods]
                nodes.append(node)
            node[0] -= vcpu
            node[1] -= mem
            node[2] -= 1
        total += len(nodes) * shape.usd_per_hour
    return total


def covering_bound(groups: Sequence[PodGroup], shapes: Sequence[NodeShape]) -> float:
    """The bound as first specified: per architecture, the covering LP (fractional nodes whose
    summed vCPU, memory and slots cover the summed requests) or the cheapest node that holds
    the largest replica, whichever is higher. Computed here independently of the module."""
    total = 0.0
    for arch in sorted({g.architecture for g in groups}):
        own = [s for s in shapes if s.architecture == arch]
        mine = [g for g in groups if g.architecture == arch]
        demand = np.array([sum(g.vcpu * g.count for g in mine), sum(g.memory_mib * g.count for g in mine),
                           sum(g.count for g in mine)])
        cap = np.array([[s.allocatable_vcpu, s.allocatable_memory_mib, s.max_pods] for s in own])
        res = linprog([s.usd_per_hour for s in own], A_ub=-(cap / demand).T, b_ub=-np.ones(3), method="highs")
        largest = max(min(s.usd_per_hour for s in own
                          if s.allocatable_vcpu >= g.vcpu and s.allocatable_memory_mib >= g.memory_mib)
                      for g in mine)
        total += max(float(res.fun), largest)
    return total


def timed(fn: Callable[[], Placement]) -> tuple[Placement, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def run(n_workloads: int, seed: int, region: str, exclude: str) -> None:
    shapes = node_shapes(region, exclude)
    rng = np.random.default_rng(seed)
    naive_xl = next(s for s in shapes if s.instance_type == "m5.xlarge")
    rows: dict[str, tuple[list[float], list[float]]] = {"place": ([], []), "place (1 type)": ([], []),
                                                          "naive": ([], [])}
    nodes, versus_covering, bound_ratio, over_baseline = [], [], [], []
    for i in range(n_workloads):
        # >= 10 m5.xlarge nodes' worth of vCPU requests.
        groups = workload(rng, i, min_vcpu=10 * naive_xl.allocatable_vcpu * float(rng.uniform(1.0, 12.0)))
        best, seconds = timed(lambda groups=groups: place(groups, shapes))
        single, seconds_1 = timed(lambda groups=groups: place(groups, shapes, max_types_in_mix=1))
        bound = best.lower_bound_usd_per_hour
        start = time.perf_counter()
        naive = naive_usd_per_hour(groups, shapes)
        rows["naive"][0].append(naive / bound)
        rows["naive"][1].append(time.perf_counter() - start)
        rows["place"][0].append(best.gap_ratio)
        rows["place"][1].append(seconds)
        rows["place (1 type)"][0].append(single.gap_ratio)
        rows["place (1 type)"][1].append(seconds_1)
        nodes.append(best.node_count)
        # the cheap baselines: the hand-sized node group, and place() held to one instance type
        over_baseline.append(best.usd_per_hour / min(naive, single.usd_per_hour))
        covering = covering_bound(groups, shapes)
        versus_covering.append(best.usd_per_hour / covering)
        bound_ratio.append(bound / covering)
    print(f"{n_workloads} workloads, seed {seed}, {region}, {len(shapes)} instance types (excluded: {exclude}); "
          f"place() uses {min(nodes)}-{max(nodes)} nodes (median {statistics.median(nodes):g})")
    print(f"{'method':<16}{'median cost/LB':>16}{'p90 cost/LB':>13}{'max cost/LB':>13}"
          f"{'median ms':>11}{'p90 ms':>9}{'max ms':>9}")
    for name, (ratios, times) in rows.items():
        print(f"{name:<16}{statistics.median(ratios):>16.4f}{percentile(ratios, 90):>13.4f}{max(ratios):>13.4f}"
              f"{1e3 * statistics.median(times):>11.1f}{1e3 * percentile(times, 90):>9.1f}{1e3 * max(times):>9.1f}")
    print(f"place vs the covering-LP bound alone: median {statistics.median(versus_covering):.4f}, "
          f"p90 {percentile(versus_covering, 90):.4f} (the reported bound is a median "
          f"{100 * (statistics.median(bound_ratio) - 1):.1f} % higher: replicas cannot be split across nodes)")
    above = [r for r in over_baseline if r > 1 + 1e-9]
    print(f"place above the best cheap baseline (naive, place (1 type)) on {len(above)} of {n_workloads} workloads"
          + (f", by at most {100 * (max(above) - 1):.2f} %" if above else ""))
    largest(rng, shapes)


def largest(rng: np.random.Generator, shapes: Sequence[NodeShape]) -> None:
    """200 services x up to 50 replicas over every instance type (the stated size limit)."""
    groups = [PodGroup(name=f"svc{i:03d}", vcpu=float(rng.choice(VCPU_CHOICES)),
                       memory_mib=float(rng.choice(GIB_PER_VCPU_CHOICES)) * 1024, count=int(rng.integers(1, 51)))
              for i in range(200)]
    all_shapes = [*shapes]
    result, seconds = timed(lambda: place(groups, all_shapes))
    print(f"largest: 200 services, {sum(g.count for g in groups)} replicas, {len(all_shapes)} types -> "
          f"{result.node_count} nodes, cost/LB {result.gap_ratio:.4f}, {1e3 * seconds:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--exclude", default=DEFAULT_EXCLUDE,
                        help="regex of instance types to leave out (default: burstable t*)")
    args = parser.parse_args()
    run(args.workloads, args.seed, args.region, args.exclude)


if __name__ == "__main__":
    main()
