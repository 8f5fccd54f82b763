"""``advisor compare``: TCO (AWS bill + engineer time), ranges, the recommendation and complexity of scenario files.

One scenario prints its TCO table (which number is the AWS bill, which is engineer time, and
its share of the TCO), each platform's range (P10/P50/P90) and chance of being cheapest over
draws of the operations ranges (and of any ``--range``/``--dist`` input), the recommendation
(reasons, confidence from that chance, break-even values, caveats), what decides it (Sobol
indices), the operations hours by activity (fixed and per-node parts), the EKS
extended-support trade and the complexity components.  ``--bill-only`` compares the AWS
bills alone.  Several scenarios (a workspace file brings all of its own) are shown side by
side, each against the first, with the figures of the app's Workspace page: the same
:mod:`presentation.comparison` code makes both.

``--format json`` prints ``{"scenarios": [...], "differences": [...]}`` (one document per
scenario, one difference entry per scenario after the first); ``--format csv`` one row per
scenario and platform.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from advisor.workload.scenario import Platform
from advisor_cli.analyze_cmd import parse_distribution, parse_range


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``compare`` on the top-level subparsers."""
    cmp = sub.add_parser("compare", help="TCO (AWS bill + engineer time) with ranges, recommendation, what decides "
                                         "it and complexity of one or more scenario files")
    cmp.add_argument("scenario", nargs="+", help="scenario or workspace files (YAML or JSON; a workspace file "
                                                 "brings all its scenarios); the first scenario is the baseline")
    cmp.add_argument("--platform", action="append", choices=[p.value for p in Platform], metavar="PLATFORM",
                     help="limit to these platforms (repeatable): " + ", ".join(p.value for p in Platform))
    cmp.add_argument("--bill-only", action="store_true",
                     help="compare the AWS bills alone (engineer time shown, not counted)")
    cmp.add_argument("--range", action="append", default=[], metavar="NAME=LOW:HIGH",
                     help="draw a scenario input uniformly too (repeatable; see 'advisor analyze parameters')")
    cmp.add_argument("--dist", action="append", default=[], metavar="NAME=KIND:ARGS",
                     help="draw a scenario input: triangular:LOW:MODE:HIGH, normal:MEAN:SD[:LOW:HIGH], "
                          "lognormal:MEDIAN:SIGMA")
    cmp.add_argument("--draws", type=int, default=None,
                     help="draws of the ranges (default 2000; 200 when inputs are drawn, each is an estimate)")
    cmp.add_argument("--seed", type=int, default=0, help="generator seed; the same seed repeats the run (default 0)")
    cmp.add_argument("--sensitivity-samples", type=int, default=None, metavar="N",
                     help="base samples of the Sobol design, a power of two (default 1024; 32 with drawn inputs)")
    cmp.add_argument("--format", choices=("table", "json", "csv"), default="table")
    cmp.set_defaults(func=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Price, draw and rank every scenario file; the model is imported here so other commands start fast."""
    from advisor.analysis.assessment import assess
    from advisor.analysis.montecarlo import Uniform
    from advisor.decision.tco import Metric
    from advisor.memo import Memo
    from advisor.workload.workspace import parse_workspace
    from advisor_cli.compare_output import compare_document, csv_frame, side_by_side_text, single_text
    from advisor_cli.notices import active_pricebook, print_age_notice
    from presentation.csv_text import frame_csv

    files = [(p, parse_workspace(Path(p).read_text(encoding="utf-8"), p).scenarios) for p in args.scenario]
    scenarios = [s for _, found in files for s in found]
    inputs = {name: Uniform(low, high) for name, (low, high) in map(parse_range, args.range)}
    inputs.update(parse_distribution(text) for text in args.dist)
    book = active_pricebook(args.cache_dir)
    platforms = tuple(Platform(p) for p in args.platform) if args.platform else None
    metric = Metric.AWS if args.bill_only else Metric.TCO
    with Memo().active():   # the draws and the recommendation's replica search reuse the estimates' placements
        assessments = [assess(s, book, platforms=platforms, metric=metric, inputs=inputs, draws=args.draws,
                              seed=args.seed, base_samples=args.sensitivity_samples) for s in scenarios]
    labels = _labels([p for p, found in files for _ in found], [s.name for s in scenarios])
    if args.format == "json":
        print(json.dumps(compare_document(assessments, labels), indent=2))
    elif args.format == "csv":
        print(frame_csv(csv_frame(assessments, labels)), end="")
    elif len(assessments) == 1:
        print(single_text(assessments[0]), end="")
        print(f"\nprices: {book.origin}")
    else:
        print(side_by_side_text(assessments, labels), end="")
        print(f"\nprices: {book.origin}")
    print_age_notice([a.result.estimate for a in assessments], args.format)
    return 0


def _labels(paths: list[str], names: list[str]) -> list[str]:
    """Scenario names, or ``file: name`` when two scenarios share a name."""
    return names if len(set(names)) == len(names) else [f"{p}: {n}" for p, n in zip(paths, names, strict=True)]
