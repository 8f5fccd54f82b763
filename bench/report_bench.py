"""Report speed: how long each report takes once the estimate is finished, on examples/microservices.yaml.

Runs what ``advisor report`` runs: the estimate with operations, TCO and the recommendation
(the baseline, timed once), then renders every format from that one result.  The first
PDF of the process includes loading fpdf2 and matplotlib (what a command-line run pays);
later ones are what the app pays.  The price book is wrapped to count price look-ups
while rendering: there must be none (no second pricing run).  Prints seconds and the
ratio to the estimate measured in the same process.

Usage: ``python bench/report_bench.py [--scenario examples/microservices.yaml] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook
from reports import FORMATS
from reports.analysis import analyze
from reports.export import render
from reports.model import build_report

ROOT = Path(__file__).resolve().parents[1]
#: The issue's target: a PDF within 3 s of a finished estimate.
TARGET_S = 3.0


class CountingBook:
    """The price book, counting price look-ups (``price``, ``assumption``, ``instance_offers``...)."""

    LOOKUPS = ("price", "assumption", "instance_offers", "spot_savings", "instance_limits")

    def __init__(self, book: object) -> None:
        self._book = book
        self.lookups = 0

    def __getattr__(self, name: str) -> object:
        attr = getattr(self._book, name)
        if name in self.LOOKUPS:
            def counted(*args: object, **kwargs: object) -> object:
                self.lookups += 1
                return attr(*args, **kwargs)
            return counted
        return attr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "examples" / "microservices.yaml"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    book = CountingBook(load_pricebook(None))
    scenario = parse_scenario(Path(args.scenario).read_text(encoding="utf-8"), args.scenario)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times stretch with it)")
    start = time.perf_counter()
    result, analysis = analyze(scenario, book)
    model = build_report(result, book._book, analysis=analysis)
    estimate_s = time.perf_counter() - start
    lookups_before = book.lookups
    print(f"{scenario.name}: estimate + operations + TCO + recommendation {estimate_s:.2f} s "
          f"({lookups_before:,} price look-ups)")

    start, cpu = time.perf_counter(), time.process_time()
    pdf = render(model, "pdf")
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  pdf, first in the process (loads fpdf2, matplotlib): {cold:.2f} s wall, {cold_cpu:.2f} s CPU = "
          f"{cold / estimate_s:.2f}× the estimate; {len(pdf):,} bytes; target {TARGET_S:g} s: "
          f"{'met' if cold <= TARGET_S else 'missed'} on wall time, {'met' if cold_cpu <= TARGET_S else 'MISSED'} "
          "on CPU time (what an idle machine's wall time would be)")
    for fmt in ("pdf", *[f for f in FORMATS if f != "pdf"]):
        times, cpus = [], []
        for _ in range(args.repeats):
            start, cpu = time.perf_counter(), time.process_time()
            render(model, fmt)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        median = statistics.median(times)
        print(f"  {fmt:5} median of {args.repeats}: {median:.2f} s wall, {statistics.median(cpus):.2f} s CPU = "
              f"{median / estimate_s:.2f}× the estimate")
    print(f"  price look-ups while rendering: {book.lookups - lookups_before} (must be 0)")


if __name__ == "__main__":
    main()
