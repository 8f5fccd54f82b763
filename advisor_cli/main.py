"""Entry point of the ``advisor`` command.

``ADVISOR_CACHE_DIR`` overrides the per-user cache directory
(:func:`pricing.locations.default_cache_dir`, shared with the app).  Every error the
libraries raise on purpose is printed as one line naming what was wrong, with exit
status 2; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from advisor.errors import AdvisorError
from advisor_cli.allocator import reuse_freed_memory
from advisor_cli.analyze_cmd import add_parser as add_analyze_parser
from advisor_cli.compare_cmd import add_parser as add_compare_parser
from advisor_cli.estimate_cmd import add_parser as add_estimate_parser
from advisor_cli.import_cmd import add_parser as add_import_parser
from advisor_cli.prices_cmd import add_parser as add_prices_parser
from advisor_cli.report_cmd import add_parser as add_report_parser
from pricing.errors import PricingError
from pricing.locations import default_cache_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="advisor", description="ECS vs EKS cost and complexity advisor.")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="price cache directory (default: $ADVISOR_CACHE_DIR or the user cache dir)")
    sub = parser.add_subparsers(dest="command", required=True)
    add_prices_parser(sub)
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


def run() -> NoReturn:
    """The ``advisor`` program: :func:`main`, then exit without sweeping every object first.

    At exit CPython runs full garbage collections over everything still alive (the imported
    libraries, the price table), about 0.2 s here: a sixth of an ``advisor estimate``, the
    same again as a process that only imports numpy, pandas and scipy spends on its own exit.
    ``gc.freeze()`` puts those objects out of the collector's reach, so the process ends at
    once.  Nothing is lost: the standard streams are still flushed at exit, and every file a
    command writes is closed before it returns.  Only for the program: in-process callers
    (tests, notebooks) go on to collect their garbage.  Likewise the allocator keeps freed
    memory for reuse (:mod:`advisor_cli.allocator`) in the program alone.
    """
    reuse_freed_memory()
    status = main()
    gc.freeze()
    sys.exit(status)


def error_text(exc: Exception) -> str:
    """``error: <message>``, control characters shown as escapes; several problems one per line."""
    from presentation.text import printable, printable_lines

    lines = getattr(exc, "lines", None)   # importers.WorkloadImportErrors: every problem of an import
    if callable(lines):
        first, *rest = lines()
        return printable_lines([f"error: {first}", *rest])
    return f"error: {printable(exc)}"


if __name__ == "__main__":
    run()
