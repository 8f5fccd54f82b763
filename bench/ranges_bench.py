"""What the TCO ranges add to a comparison: the draws and the Sobol ranking against one priced estimate.

The Compare page (and ``advisor compare``) show each platform's range and chance of being
cheapest by default.  Those draws reuse the priced bill and placements, so they should cost
a small fraction of the estimate itself.  Prints, for each example, the median wall time of
the TCO as the Compare page computes it after an edit (estimate + operations, no memo), of the
default ranges (2,000 draws of the operations ranges), of the recommendation without the
replica search (ranges included) and of the Sobol ranking (1,024 base samples), each as a
ratio to that TCO measured in the same process.
Usage: ``python bench/ranges_bench.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from advisor.analysis.global_sensitivity import sobol_ranking
from advisor.decision.recommend import recommend
from advisor.decision.tco import tco
from advisor.decision.uncertainty import tco_ranges
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    book = load_pricebook(None)
    sobol_ranking(tco(parse_scenario((EXAMPLES / "small-api.yaml").read_text(), "warm-up"), book))  # imports
    print(f"{'example':24} {'TCO s':>10} {'ranges':>14} {'recommend':>14} {'Sobol':>14}")
    for path in sorted(EXAMPLES.iterdir()):
        scenario = parse_scenario(path.read_text(), path.name)
        result = tco(scenario, book)
        priced = median_seconds(lambda s=scenario: tco(s, book), args.repeats)
        ranges = median_seconds(lambda r=result: tco_ranges(r), args.repeats)
        rec = median_seconds(lambda r=result: recommend(r, solve_replicas=False), args.repeats)
        if len(result.platforms) > 1:
            sobol = median_seconds(lambda r=result: sobol_ranking(r), args.repeats)
            sobol_text = f"{sobol:7.3f} {sobol / priced:5.2f}x"
        else:
            sobol_text = f"{'(one platform)':>14}"
        print(f"{path.name:24} {priced:10.3f} {ranges:7.3f} {ranges / priced:5.2f}x {rec:7.3f} {rec / priced:5.2f}x "
              f"{sobol_text}")


if __name__ == "__main__":
    main()
