"""``advisor prices import|show|status|refresh``: the price data itself.

``show`` and ``status`` read the active prices (the cache when it verifies, else the
bundled snapshot, said on stderr); ``import`` builds a store from downloaded offer files;
``refresh`` (in :mod:`advisor_cli.refresh_cmd`) fetches from AWS.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from advisor.workload.catalog import PriceCatalog, instance_type_problem, region_problem
from advisor_cli.notices import active_pricebook, note
from advisor_cli.output import FORMATS, render_frame
from pricing.regions import known_region_codes
from pricing.selectors import SERVICES

#: Differences from the newer EC2 reference table the status table lists (JSON lists all).
REFERENCE_ROWS_SHOWN = 15


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``prices`` and its subcommands on the top-level subparsers."""
    from advisor_cli.refresh_cmd import add_refresh_parser

    prices = sub.add_parser("prices", help="inspect, import and refresh AWS prices")
    psub = prices.add_subparsers(dest="prices_command", required=True)

    imp = psub.add_parser("import", help="build a price store from downloaded Price List offer files")
    imp.add_argument("directory", help="folder with index.json, <Offer>/region_index.json, <Offer>/<region>/")
    imp.add_argument("--region", action="append", choices=known_region_codes(), metavar="REGION",
                     help="import only these regions (repeatable; default: every region of the folder)")
    imp.add_argument("--spot-advisor", help="spot-advisor-data.json file")
    imp.add_argument("--ecs-fee-feed", help="AmazonECS pricing-page feed CSV whose unnamed entries confirm "
                                            "ECS Managed Instances fees per instance type")
    imp.add_argument("--instance-info", help="folder with instance_network_limits.csv and "
                                             "ecs_eni_trunking_limits.csv")
    imp.add_argument("--data-transfer", help="the pricing page's data-transfer table (CSV, dated in its name): "
                                             "internet egress tiers per region")
    imp.add_argument("--ec2-reference", help="newer SKU-less EC2 On-Demand prices (CSV, dated in its name), "
                                             "compared in 'prices status', never priced with")
    imp.add_argument("--output", help="write the store here instead of the price cache")
    imp.set_defaults(func=run_import)

    show = psub.add_parser("show", help="list prices of one region")
    show.add_argument("--region", required=True)
    show.add_argument("--service", choices=SERVICES)
    show.add_argument("--instance-type")
    show.add_argument("--format", choices=FORMATS, default="table")
    show.set_defaults(func=run_show)

    status = psub.add_parser("status", help="active price source, dates and age per offer and region, gaps")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(func=run_status)
    add_refresh_parser(psub)


def run_import(args: argparse.Namespace) -> int:
    """Build a store from offer files; the importer is imported here, not by every command."""
    from pricing.active import cache_store_dir
    from pricing.cache_store import commit_store
    from pricing.importer import import_snapshot_inputs
    from pricing.lock import store_lock
    from pricing.store import write_store

    def optional(value: str | None) -> Path | None:
        return Path(value) if value else None

    target = Path(args.output) if args.output else cache_store_dir(args.cache_dir)
    tables, meta = import_snapshot_inputs(
        Path(args.directory), args.region, spot_advisor_file=optional(args.spot_advisor),
        instance_info_dir=optional(args.instance_info), transfer_file=optional(args.data_transfer),
        ec2_reference_file=optional(args.ec2_reference), ecs_fee_feed_file=optional(args.ecs_fee_feed))
    if args.output:
        final = write_store(target, tables, meta)
    else:  # the cache: one writer at a time, switched atomically
        with store_lock(target):
            final = commit_store(target, tables, meta)
    print(f"imported {final.files['prices']['rows']} prices for {len(meta.regions)} regions into {target}")
    dates = tables.prices.groupby("region")["publication_date"].agg(["min", "max"])
    for region in sorted(meta.regions):
        span = (f"prices published {dates.loc[region, 'min'][:10]} to {dates.loc[region, 'max'][:10]}"
                if region in dates.index else "no prices")
        print(f"  {region}: {span}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from pricing.price_views import SHOW_TABLE_COLUMNS, price_rows

    book = active_pricebook(args.cache_dir)
    catalog = PriceCatalog(book.regions, book.instance_types())
    problem = region_problem(args.region, catalog) or (
        instance_type_problem("--instance-type", args.instance_type, catalog) if args.instance_type else None)
    if problem is not None:
        raise problem
    frame = price_rows(book, args.region, args.service, args.instance_type)
    print(render_frame(frame, args.format, table_columns=SHOW_TABLE_COLUMNS))
    if args.format == "table":
        print(f"\n{len(frame)} prices · source: {book.origin} · prices as of {book.prices_as_of(args.region)}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from presentation.price_age import status_region_rows, status_with_ages
    from pricing.status import price_status

    book = active_pricebook(args.cache_dir)
    status = status_with_ages(price_status(book), datetime.now(UTC))
    if args.format == "json":
        print(json.dumps(status, indent=2, default=str))
        return 0
    print(f"Active prices: {status['active_source']} (built {status['created_at']}, version {status['version']})")
    note(status["stale_notice"], "table")
    print(f"\n{len(status['regions'])} regions; age in days of each offer's oldest price "
          f"(over {status['max_price_age_days']} days: refresh):")
    table = pd.DataFrame(status_region_rows(status)).drop(columns=["source", "missing"])
    print(table.astype({c: "Int64" for c in table.columns if c.endswith("(days)")}).to_string(index=False))
    print("\nSources: " + "; ".join(sorted({info["source"] for info in status["regions"].values()})))
    lacking = {region: info["missing"] for region, info in status["regions"].items() if info["missing"]}
    if lacking:
        print("\nPrices other regions have and these lack (estimates say which platforms they make unavailable):")
        print(*(f"  {region}: {', '.join(keys)}" for region, keys in lacking.items()), sep="\n")
    print(*_reference_lines(status["ec2_reference"]), sep="\n")
    print("\nKnown gaps (priced by dated, sourced, overridable assumptions, never as zero):")
    for gap in status["known_gaps"]:
        print(f"  - {gap['what']}\n      treatment: {gap['treatment']}\n      source: {gap['source']} "
              f"(as of {gap['as_of']})")
    return 0


def _reference_lines(reference: dict[str, Any]) -> list[str]:
    if not reference["source"]:
        return []
    out = [f"\nNewer EC2 On-Demand prices ({reference['source']}, {reference['as_of']}; no SKUs, so never used "
           f"in estimates): {reference['differ']:,} of {reference['compared']:,} region/instance prices differ "
           f"from the active ones; {reference['only_in_reference']:,} region/instance pairs are listed only there."]
    rows = reference["differences"][:REFERENCE_ROWS_SHOWN]
    if rows:
        frame = pd.DataFrame(rows)
        frame["change"] = frame["change"].map("{:+.1%}".format)
        out.append(frame.rename(columns={"usd_per_hour": "active USD/h", "reference_usd_per_hour": "newer USD/h",
                                         "publication_date": "active date", "reference_as_of": "newer date"})
                   .to_string(index=False))
        if reference["differ"] > len(rows):
            out.append(f"... {reference['differ'] - len(rows):,} more ('--format json' lists them all)")
    return out
