"""``advisor report``: price a scenario (or reopen a JSON report) and write a CSV/Excel/JSON/HTML/PDF report.

The report carries the AWS estimate, the operations overhead and TCO, and the
recommendation (``reports.analysis.analyze``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from advisor.workload.scenario import Platform

#: ``reports.FORMATS`` (a test keeps them equal): building the parser must not import the
#: reports package, so every other command works even where it is not installed.
FORMATS = ("csv", "xlsx", "json", "html", "pdf")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``report`` on the top-level subparsers."""
    rep = sub.add_parser("report", help="write a report file (csv, xlsx, json, html, pdf) for a scenario")
    rep.add_argument("scenario", help="scenario file (YAML or JSON), or a JSON report to reopen")
    rep.add_argument("--format", choices=FORMATS, required=True)
    rep.add_argument("-o", "--output", help="output file (default: <scenario name>-report.<format> here); "
                                            "its file name is sanitized")
    rep.add_argument("--platform", action="append", choices=[p.value for p in Platform], metavar="PLATFORM",
                     help="limit to these platforms (repeatable)")
    rep.add_argument("--currency", help="also show amounts in this currency (ISO code, e.g. EUR, KRW)")
    rep.add_argument("--usd-rate", type=float, help="units of --currency per US dollar (required with --currency)")
    rep.add_argument("--currency-symbol", help="symbol of --currency (default: €, ₩, £, ¥... or the code)")
    rep.add_argument("--no-replica-search", action="store_true",
                     help="skip the recommendation's replica break-even search (a dozen extra estimates)")
    rep.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Build the report model and write the file; heavy modules load only here."""
    from advisor.workload.spec_io import parse_scenario
    from advisor_cli.notices import active_pricebook
    from reports.analysis import analyze
    from reports.currency import make_currency
    from reports.errors import InvalidReportOption
    from reports.export import default_file_name, export_report
    from reports.json_export import is_report_json, load_report_json
    from reports.model import build_report

    if args.currency is not None and args.usd_rate is None:
        raise InvalidReportOption("--usd-rate", "missing", f"a rate ({args.currency} per USD) with --currency")
    if args.currency is None and (args.usd_rate is not None or args.currency_symbol is not None):
        raise InvalidReportOption("--currency", "missing", "an ISO code with --usd-rate/--currency-symbol")
    currency = make_currency(args.currency, args.usd_rate, args.currency_symbol) if args.currency else None
    path = Path(args.scenario)
    text = path.read_text(encoding="utf-8")
    scenario = load_report_json(text, str(path)) if is_report_json(text) else parse_scenario(text, str(path))
    book = active_pricebook(args.cache_dir)
    platforms = tuple(Platform(p) for p in args.platform) if args.platform else None
    result, analysis = analyze(scenario, book, platforms, solve_replicas=not args.no_replica_search)
    model = build_report(result, book, analysis=analysis, currency=currency, scenario=scenario,
                         generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    requested = Path(args.output) if args.output else Path(default_file_name(model, args.format))
    if args.format == "pdf":
        from reports.pdf_export import report_texts
        from reports.pdf_fonts import plan_fonts

        if note := plan_fonts(report_texts(model)).note:
            print(f"warning: {note}", file=sys.stderr)
    written = export_report(model, args.format, requested)
    if written[0].name != requested.name:
        print(f"note: file name sanitized to {written[0].name}", file=sys.stderr)
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes, {args.format})")
    return 0
