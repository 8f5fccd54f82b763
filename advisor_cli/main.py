"""Entry point of the ``advisor`` command.

``ADVISOR_CACHE_DIR`` overrides the per-user cache directory
(:func:`pricing.locations.default_cache_dir`, shared with the app).  Every error the
libraries raise on purpose is printed as one line naming what was wrong, with exit
status 2; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from advisor.errors import AdvisorError
from advisor_cli.analyze_cmd import add_parser as add_analyze_parser
from advisor_cli.compare_cmd import add_parser as add_compare_parser
from advisor_cli.estimate_cmd import add_parser as add_estimate_parser
from advisor_cli.import_cmd import add_parser as add_import_parser
from advisor_cli.output import FORMATS, render_frame
from advisor_cli.report_cmd import add_parser as add_report_parser
from pricing.active import cache_store_dir, load_pricebook, price_status
from pricing.errors import PricingError
from pricing.importer import import_snapshot_inputs
from pricing.locations import default_cache_dir
from pricing.price_views import SHOW_TABLE_COLUMNS, price_rows
from pricing.regions import SNAPSHOT_REGIONS, known_region_codes
from pricing.selectors import SERVICES
from pricing.store import write_store


def _cmd_prices_import(args: argparse.Namespace) -> int:
    target = Path(args.output) if args.output else cache_store_dir(args.cache_dir)
    tables, meta = import_snapshot_inputs(
        Path(args.directory), args.region or SNAPSHOT_REGIONS,
        spot_advisor_file=Path(args.spot_advisor) if args.spot_advisor else None,
        instance_info_dir=Path(args.instance_info) if args.instance_info else None)
    final = write_store(target, tables, meta)
    print(f"imported {final.files['prices']['rows']} prices for {', '.join(sorted(meta.regions))} "
          f"into {target}")
    for region in sorted(meta.regions):
        print(f"  {region}: prices as of {meta.prices_as_of(region)}")
    return 0


def _cmd_prices_show(args: argparse.Namespace) -> int:
    book = load_pricebook(args.cache_dir)
    _warn(book.warnings)
    frame = price_rows(book, args.region, args.service, args.instance_type)
    print(render_frame(frame, args.format, table_columns=SHOW_TABLE_COLUMNS))
    if args.format == "table":
        print(f"\n{len(frame)} prices · source: {book.origin} · prices as of {book.prices_as_of(args.region)}")
    return 0


def _cmd_prices_status(args: argparse.Namespace) -> int:
    book = load_pricebook(args.cache_dir)
    status = price_status(book, datetime.now(UTC))
    if args.format == "json":
        print(json.dumps(status, indent=2))
        return 0
    _warn(book.warnings)
    print(f"Active prices: {status['active_source']} (built {status['created_at']}, version {status['version']})")
    for region, info in status["regions"].items():
        print(f"  {region:15} as of {info['prices_as_of'][:10]} ({info['age_days']} days old) · {info['source']}")
        for offer, date in sorted(info["offers"].items()):
            print(f"      {offer:18} published {date}")
    print("\nKnown gaps (priced by dated, sourced, overridable assumptions, never as zero):")
    for gap in status["known_gaps"]:
        print(f"  - {gap['what']}\n      treatment: {gap['treatment']}\n      source: {gap['source']} "
              f"(as of {gap['as_of']})")
    return 0


def _cmd_prices_refresh(args: argparse.Namespace) -> int:
    from advisor_cli.refresh_cmd import run_refresh  # boto3 is only imported when refreshing

    return run_refresh(args)


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="advisor", description="ECS vs EKS cost and complexity advisor.")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="price cache directory (default: $ADVISOR_CACHE_DIR or the user cache dir)")
    sub = parser.add_subparsers(dest="command", required=True)
    prices = sub.add_parser("prices", help="inspect, import and refresh AWS prices")
    psub = prices.add_subparsers(dest="prices_command", required=True)

    imp = psub.add_parser("import", help="build a price store from downloaded Price List offer files")
    imp.add_argument("directory", help="folder with index.json, <Offer>/region_index.json, <Offer>/<region>/")
    imp.add_argument("--region", action="append", choices=known_region_codes(), metavar="REGION")
    imp.add_argument("--spot-advisor", help="spot-advisor-data.json file")
    imp.add_argument("--instance-info", help="folder with instance_network_limits.csv and "
                                             "ecs_eni_trunking_limits.csv")
    imp.add_argument("--output", help="write the store here instead of the price cache")
    imp.set_defaults(func=_cmd_prices_import)

    show = psub.add_parser("show", help="list prices of one region")
    show.add_argument("--region", required=True)
    show.add_argument("--service", choices=SERVICES)
    show.add_argument("--instance-type")
    show.add_argument("--format", choices=FORMATS, default="table")
    show.set_defaults(func=_cmd_prices_show)

    status = psub.add_parser("status", help="active price source, dates and known gaps")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(func=_cmd_prices_status)

    refresh = psub.add_parser("refresh", help="fetch current prices from AWS into the cache")
    refresh.add_argument("--source", choices=("query", "bulk"), required=True)
    refresh.add_argument("--region", action="append", required=True, choices=known_region_codes(),
                         metavar="REGION")
    refresh.add_argument("--endpoint-url", help="bulk API root or Query API endpoint (testing, mirrors)")
    refresh.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    refresh.set_defaults(func=_cmd_prices_refresh)
    add_estimate_parser(sub)
    add_import_parser(sub)
    add_analyze_parser(sub)
    add_report_parser(sub)
    add_compare_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.cache_dir is None:
        args.cache_dir = default_cache_dir()
    try:
        return int(args.func(args))
    except (PricingError, AdvisorError, ValueError, OSError) as exc:
        print(error_text(exc), file=sys.stderr)
        return 2


def error_text(exc: Exception) -> str:
    """``error: <message>``, control characters shown as escapes; several problems one per line."""
    from presentation.text import printable, printable_lines

    lines = getattr(exc, "lines", None)   # importers.WorkloadImportErrors: every problem of an import
    if callable(lines):
        first, *rest = lines()
        return printable_lines([f"error: {first}", *rest])
    return f"error: {printable(exc)}"


if __name__ == "__main__":
    sys.exit(main())
