"""``advisor import ecs|k8s|compose|aws``: write a scenario file from what a team already has.

The scenario is written only when the whole import succeeded, through a temporary
file in the target's directory and ``os.replace``, so a failed or interrupted import
never leaves a partial or half-overwritten file.  The import report (mapped, assumed,
skipped, hints) goes to stdout.  A live-account import uses the caller's own AWS
credentials through a boto3 session; boto3 is imported only for ``aws``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SOURCES = {
    "ecs": "ECS task definitions, services and scalable targets (aws ecs describe-*/register-* JSON)",
    "k8s": "Kubernetes manifests (kubectl get -o yaml, helm template output)",
    "compose": "Docker Compose files (ideally the output of `docker compose config`)",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``import`` and its four sources on the top-level subparsers."""
    imp = sub.add_parser("import", help="build a scenario file from ECS, Kubernetes, Compose or a live AWS account")
    isub = imp.add_subparsers(dest="import_source", required=True)
    for source, what in SOURCES.items():
        cmd = isub.add_parser(source, help=f"import {what}")
        cmd.add_argument("files", nargs="+", metavar="FILE", help="input files ('-' reads standard input)")
        _common_options(cmd)
    aws = isub.add_parser("aws", help="import ECS services (and report EKS clusters) from a live account, read-only")
    aws.add_argument("--profile", help="AWS profile (default: the standard credential chain)")
    _common_options(aws)


def _common_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--region", metavar="REGION",
                     help="AWS Region of the scenario, one of the active price data's (see 'advisor prices status'; "
                          "for aws: the Region to read)")
    cmd.add_argument("--name", help="scenario name (default: the output file's name)")
    cmd.add_argument("-o", "--output", required=True, help="scenario file to write (.yaml, .yml or .json)")
    cmd.add_argument("--report", choices=("text", "json"), default="text", help="format of the import report")
    cmd.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Import, then write the scenario atomically and print the report.

    The Regions and instance types are checked against the active prices, so a scenario
    that ``estimate`` would refuse is never written.
    """
    from advisor.workload.catalog import PriceCatalog, region_problem
    from advisor.workload.spec_io import dump_scenario
    from advisor_cli.notices import active_pricebook
    from importers import import_texts
    from presentation.text import printable_lines

    output = Path(args.output)
    name = args.name or output.name.split(".")[0]
    book = active_pricebook(args.cache_dir)
    catalog = PriceCatalog(book.regions, book.instance_types())
    if args.region is not None and (problem := region_problem(args.region, catalog)) is not None:
        raise problem
    if args.import_source == "aws":
        from importers.aws_account import import_aws_account, open_session

        result = import_aws_account(open_session(args.profile, args.region), scenario_name=name, catalog=catalog)
    else:
        result = import_texts(args.import_source, [(f, read_source(f)) for f in args.files], scenario_name=name,
                              region=args.region, catalog=catalog)
    write_atomically(output, dump_scenario(result.scenario, "json" if output.suffix == ".json" else "yaml"))
    scenario = result.scenario
    if args.report == "json":
        print(json.dumps({"output": str(output), "entries": [e.to_document() for e in result.report.entries]},
                         indent=2))
    else:
        print(printable_lines(result.report.lines()))
        print(f"\nwrote {output}: {len(scenario.services)} services, {len(scenario.jobs)} jobs, "
              f"{len(scenario.daemons)} daemons, region {scenario.region}")
    return 0


def read_source(name: str) -> str:
    """A file's text (``-`` is standard input), refusing files over the import size limit."""
    from importers import MAX_SOURCE_BYTES, Origin, WorkloadImportError

    if name == "-":
        data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
    else:
        path = Path(name)
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise WorkloadImportError(Origin(name), "", f"{path.stat().st_size:,} bytes is over the "
                                                        f"{MAX_SOURCE_BYTES:,}-byte limit for one input file")
        data = path.read_bytes()
    if len(data) > MAX_SOURCE_BYTES:
        raise WorkloadImportError(Origin(name), "", f"over the {MAX_SOURCE_BYTES:,}-byte limit for one input file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkloadImportError(Origin(name), "", f"not UTF-8 text (byte {exc.start})") from None


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and ``os.replace``."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).replace(path)  # os.replace: atomic on POSIX and Windows
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
