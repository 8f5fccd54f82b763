"""``advisor estimate``: read a scenario file, price it, print table/JSON/CSV."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from advisor.workload.scenario import Platform


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``estimate`` on the top-level subparsers."""
    est = sub.add_parser("estimate", help="price a scenario file on every platform")
    est.add_argument("scenario", help="scenario file (YAML or JSON)")
    est.add_argument("--platform", action="append", choices=[p.value for p in Platform], metavar="PLATFORM",
                     help="limit to these platforms (repeatable): " + ", ".join(p.value for p in Platform))
    est.add_argument("--format", choices=("table", "json", "csv"), default="table")
    est.set_defaults(func=run_estimate)


def run_estimate(args: argparse.Namespace) -> int:
    """Price the scenario file; the model is imported here, while the prices are read, so other commands start fast."""
    from advisor_cli.notices import pricebook_in_background, print_age_notice

    pending_book = pricebook_in_background(args.cache_dir)
    from advisor.costs.commitment_plan import optimal_commitments
    from advisor.costs.estimate import estimate
    from advisor.pool import available_cores
    from advisor.workload.spec_io import parse_scenario
    from presentation.csv_text import frame_csv
    from presentation.estimate_tables import estimate_document, line_items_frame, to_text

    path = Path(args.scenario)
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    book = pending_book()
    platforms = tuple(Platform(p) for p in args.platform) if args.platform else None
    # Every core (advisor_cli/__init__.py keeps the workers' first writes cheap): the microservices
    # example's whole process took 2.59-3.53 s with two workers (median 2.64 s), 2.57-3.47 s without
    # (median 3.31 s), four runs each; with numpy's huge pages, two workers gained nothing.
    result = estimate(scenario, book, platforms, workers=available_cores())
    commitments = optimal_commitments(result, book)
    if args.format == "json":
        print(json.dumps(estimate_document(result, commitments), indent=2))
    elif args.format == "csv":
        print(frame_csv(line_items_frame(result)), end="")
    else:
        print(to_text(result, commitments), end="")
        print(f"\nprices: {book.origin}")
        print("amounts: the AWS bill only, without engineer time; 'advisor compare' adds it for the TCO")
    print_age_notice([result], args.format)
    return 0
