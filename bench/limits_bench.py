"""The largest scenarios the limits accept: time and peak memory of pricing each, one process per case.

Each case sits at the limits of :mod:`advisor.workload.limits` in the way that costs the
most work: distinct pod sizes (no two services pack alike), pods so large that a node holds one
or two (about as many nodes as replicas), autoscaled services (a peak and an off-peak
placement), both architectures, the most sidecars and per-node agents, and the replicas
spread over the most environments or jobs.  Every case runs in its own process (so peak
RSS is the case's own), after the price book is loaded, and is priced on all six
platforms; ``--compare`` adds what the app's Compare page adds (operations, TCO and the
recommendation with its break-even searches).  The small example is run the same way as
the baseline of the ratios.  ``--workers N`` packs each estimate's platforms on N processes,
as ``advisor estimate`` and the app do; CPU time is then the parent's and its workers', and
the peak memory of the tree is bounded by the parent's peak plus N times the largest worker's.

Usage::

    .venv/bin/python bench/limits_bench.py              # every case, estimate
    .venv/bin/python bench/limits_bench.py --compare    # every case, TCO + recommendation
    .venv/bin/python bench/limits_bench.py --case jobs
    .venv/bin/python bench/limits_bench.py --compare --workers 2   # as the app's Compare page runs it
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from advisor.workload import limits

ROOT = Path(__file__).resolve().parents[1]
AUTOSCALED = {"hours_per_day": 10, "days_per_week": 5}


def _service(i: int, replicas: int, *, large: bool, sidecars: int = 0) -> dict[str, Any]:
    """Service ``i``: a pod size no other service has; large ones (9-15 vCPU, 40-110 GiB, still within the
    largest Fargate size, so every platform prices them) leave most nodes room for one or two."""
    vcpu, memory = (9 + (i % 97) * 0.06 + (i % 7) * 0.001, 40 + (i % 89) * 0.8) if large else (
        0.25 + (i % 97) * 0.04, 0.5 + (i % 89) * 0.15)
    return {"name": f"svc-{i:04d}", "vcpu": round(vcpu, 3), "memory_gib": round(memory, 3),
            "replicas": {"min": max(replicas - 1, 0), "max": replicas, "schedule": AUTOSCALED},
            "architecture": "arm64" if i % 3 == 0 else "x86_64",
            "sidecars": [{"name": f"side-{k}", "vcpu": 0.01, "memory_gib": 0.01} for k in range(sidecars)]}


def _scenario(name: str, services: list[dict], *, environments: int = 1, jobs: list[dict] | None = None,
              daemons: int = 0) -> dict[str, Any]:
    # Each environment at its own scale, so no two place the same replica counts (nothing is shared).
    return {"name": name, "services": services, "jobs": jobs or [],
            "environments": [{"name": f"env-{e:02d}", "scale": round(1 - e * 0.03, 2)} for e in range(environments)],
            "daemons": [{"name": f"agent-{d}", "vcpu": 0.01, "memory_gib": 0.01} for d in range(daemons)]}


def _most_per_environment(services: int, environments: int) -> dict[str, Any]:
    """The most replicas per service that the scaled environments keep within the limits."""
    from pydantic import ValidationError

    from advisor.workload.scenario import Scenario

    for replicas in range(limits.MAX_REPLICAS_PLACED // services, 0, -1):
        doc = _scenario("most environments", [_service(i, replicas, large=True) for i in range(services)],
                        environments=environments)
        try:
            Scenario.model_validate(doc)
        except ValidationError:
            continue
        return doc
    raise AssertionError("no environment case fits the limits")


def cases() -> dict[str, dict[str, Any]]:
    """The scenario documents, by case name (``small`` is the baseline)."""
    most_services = limits.MAX_SERVICES
    per_service = max(limits.MAX_SERVICE_REPLICAS // (most_services * most_services), 1)
    wide = limits.MAX_SERVICE_REPLICAS // limits.MAX_REPLICAS_PLACED   # services that fill both sums
    deep = limits.MAX_REPLICAS_PLACED // wide
    environments = limits.MAX_ENVIRONMENTS
    job_tasks = max(limits.MAX_REPLICAS_PLACED // (environments * limits.MAX_JOBS) - 1, 1)
    jobs = [{"name": f"job-{j:03d}", "vcpu": round(0.5 + (j % 61) * 0.1, 2), "memory_gib": round(1 + (j % 59) * 0.5, 2),
             "runs_per_month": 30, "duration_minutes": 20, "parallelism": job_tasks} for j in range(limits.MAX_JOBS)]
    return {
        "small": _scenario("small", [_service(i, 2, large=False) for i in range(3)]),
        "services": _scenario("most services", [_service(i, per_service, large=True, sidecars=limits.MAX_SIDECARS)
                                                for i in range(most_services)], daemons=limits.MAX_DAEMONS),
        "replicas": _scenario("most replicas", [_service(i, deep, large=True) for i in range(wide)]),
        "small-pods": _scenario("most replicas, small pods", [_service(i, deep, large=False) for i in range(wide)]),
        "environments": _most_per_environment(wide, environments),
        "jobs": _scenario("most jobs", [_service(0, 1, large=False)], environments=environments, jobs=jobs),
    }


def _run_case(name: str, compare: bool, workers: int) -> None:
    """Child process: price one case and print its figures as JSON."""
    from advisor.costs.estimate import estimate
    from advisor.decision.recommend import recommend
    from advisor.decision.tco import tco
    from advisor.workload.scenario import Scenario, replicas_placed
    from pricing.active import load_pricebook

    book = load_pricebook(None)
    scenario = Scenario.model_validate(cases()[name])
    start, cpu_start = time.perf_counter(), _cpu_s()
    if compare:
        recommend(tco(scenario, book, workers=workers))
    else:
        estimate(scenario, book, workers=workers)
    seconds, cpu_seconds = time.perf_counter() - start, _cpu_s() - cpu_start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": peak_mib,
                      "tree_mib": peak_mib + workers * worker_mib if worker_mib else peak_mib,
                      "services": len(scenario.services),
                      "jobs": len(scenario.jobs), "environments": len(scenario.environments),
                      "replicas_placed": replicas_placed(scenario)}))


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished workers."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _measure(name: str, compare: bool, workers: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", name, "--workers", str(workers)] + (["--compare"] if compare else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=[c for c in cases() if c != "small"])
    parser.add_argument("--compare", action="store_true", help="TCO and recommendation, as the app's Compare page")
    parser.add_argument("--workers", type=int, default=1, help="processes each estimate may use (default 1)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_case(args.child, args.compare, args.workers)
        return
    what = "TCO + recommendation" if args.compare else "estimate, all six platforms"
    print(f"Largest accepted scenarios ({what}); one process each, after loading the prices; "
          f"{args.workers} worker(s)")
    print(f"{'case':>14} {'services':>8} {'jobs':>5} {'envs':>5} {'replicas placed':>15} {'wall s':>7} "
          f"{'CPU s':>7} {'ratio':>7} {'peak RSS MiB':>12} {'tree MiB at most':>16}")
    base = _measure("small", args.compare, args.workers)
    for name in ["small", *(args.case or [c for c in cases() if c != "small"])]:
        row = base if name == "small" else _measure(name, args.compare, args.workers)
        print(f"{name:>14} {row['services']:>8,} {row['jobs']:>5,} {row['environments']:>5,} "
              f"{row['replicas_placed']:>15,} {row['seconds']:>7.1f} {row['cpu_seconds']:>7.1f} "
              f"{row['cpu_seconds'] / base['cpu_seconds']:>6.0f}x {row['peak_mib']:>12,.0f} {row['tree_mib']:>16,.0f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; the ratio is CPU time against the "
          "small case (wall time grows with the machine's load, CPU time much less)")


if __name__ == "__main__":
    main()
