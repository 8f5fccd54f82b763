"""Build price tables from a folder of downloaded Price List offer files.

This is the path the embedded snapshot is built with (``advisor prices import``), and
the one an air-gapped user takes with offer files fetched elsewhere.  The folder has
the Bulk API layout without the version segment: ``index.json`` (offers index),
``<Offer>/region_index.json`` and ``<Offer>/<region>/index.json`` (or ``index.csv``).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pricing.coverage import DOCUMENTED_ABSENCES
from pricing.ecs_fee_entries import FEED_SOURCE_PREFIX, fee_match_rows, from_feed, parse_unnamed_entries
from pricing.errors import OfferFormatError
from pricing.instance_info import LIMIT_COLUMNS, parse_instance_limits
from pricing.normalize import normalize_offer_records
from pricing.offer_csv import iter_offer_csv
from pricing.offer_index import local_relative_path, parse_offers_index, parse_region_index
from pricing.offer_json import iter_offer_file
from pricing.reference_prices import parse_reference_prices
from pricing.schema import PriceRow, rows_to_frame, validate_price_table
from pricing.selectors import SELECTORS
from pricing.spot_advisor import SPOT_COLUMNS, parse_spot_advisor
from pricing.store import PriceTables, StoreMetadata
from pricing.transfer_table import parse_transfer_table

log = logging.getLogger(__name__)

#: The offers the selectors read; any other offer in a folder is ignored.
WANTED_OFFERS: tuple[str, ...] = tuple(dict.fromkeys(s.offer_code for s in SELECTORS))
#: Offers an index may lack without error: the model has a stand-in (internet egress: the dated
#: pricing-page table of the store), and mirrors of the offer files often leave them out.
OPTIONAL_OFFERS: frozenset[str] = frozenset({"AWSDataTransfer"})

NETWORK_LIMITS_FILE = "instance_network_limits.csv"
ECS_TRUNKING_FILE = "ecs_eni_trunking_limits.csv"
#: The 2026 copy of the ECS Developer Guide's ENI-trunking table (aws-price-data PROVENANCE §8.2:
#: 1,202 rows, c7a/m7i/r7i and generations 8 and 9 included); used instead of the 2023 file when present.
ECS_TRUNKING_FILE_2026 = "ecs_eni_trunking_limits_2026.csv"


def iter_offer_path(path: Path, label: str) -> Iterator[PriceRow]:
    """Rows of one region offer file, JSON or CSV by extension, streamed.

    ``label`` becomes the rows' ``source``: a path relative to the offers folder, so
    that no machine's absolute path is baked into a store.
    """
    with path.open("rb") as stream:
        if path.suffix == ".csv":
            yield from iter_offer_csv(stream, label)
        else:
            yield from normalize_offer_records(iter_offer_file(stream, label), label)


def _region_file(root: Path, url: str) -> Path:
    path = root / local_relative_path(url)
    if path.exists():
        return path
    csv_twin = path.with_suffix(".csv")
    if csv_twin.exists():
        return csv_twin
    raise OfferFormatError(str(path), "region offer file", "the file the region index points to")


def _region_indexes(root: Path) -> dict[str, dict[str, str]]:
    """Offer -> (Region -> offer file URL) for every wanted offer the folder holds."""
    index_path = root / "index.json"
    offers = parse_offers_index(index_path.read_bytes(), str(index_path))
    indexes = {}
    for offer in WANTED_OFFERS:
        if offer not in offers:
            log.info("offer %s not in %s; skipped", offer, index_path)
            continue
        region_index = root / local_relative_path(offers[offer])
        indexes[offer] = parse_region_index(region_index.read_bytes(), str(region_index))[1]
    return indexes


def import_offer_folder(root: Path, regions: Sequence[str] | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Normalized prices of ``regions`` (default: all the folder has) from every wanted offer in it.

    Returns the price table and, per Region, the offers read with their publication
    dates.  Offers absent from the folder are skipped (validation then says whether a
    required price is missing); an offer lacking a requested Region is noted.
    """
    indexes = _region_indexes(root)
    if regions is None:
        regions = tuple(sorted({region for urls in indexes.values() for region in urls}))
    rows: list[PriceRow] = []
    per_region: dict[str, dict[str, Any]] = {r: {"source": f"bulk offer files ({root.name})",
                                                 "offers": {}} for r in regions}
    for offer, urls in indexes.items():
        for region in regions:
            if region not in urls:
                log.warning("%s has no %s file", offer, region)
                continue
            path = _region_file(root, urls[region])
            new = list(iter_offer_path(path, f"bulk:{path.relative_to(root).as_posix()}"))
            rows.extend(new)
            if new:
                per_region[region]["offers"][offer] = max(r.publication_date for r in new)
    return rows_to_frame(rows), per_region


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def date_in_name(path: Path) -> str:
    """The ``YYYY-MM-DD`` a data file's name carries: the date of files without one inside.

    The shared data names its SKU-less tables by date (``..._2025-06-05_allregions.csv``);
    that date is what their rows are dated by, so a file without one is refused.
    """
    match = _DATE_IN_NAME.search(path.name)
    if not match:
        raise OfferFormatError(str(path), "file name", "a YYYY-MM-DD date (the day the table was published)")
    return match.group(1)


def import_snapshot_inputs(
    offers_dir: Path,
    regions: Sequence[str] | None = None,
    *,
    spot_advisor_file: Path | None = None,
    instance_info_dir: Path | None = None,
    ecs_fee_feed_file: Path | None = None,
    transfer_file: Path | None = None,
    ec2_reference_file: Path | None = None,
    now: datetime | None = None,
) -> tuple[PriceTables, StoreMetadata]:
    """Everything a store holds, built from local files and validated.

    ``regions`` defaults to every Region of the offers folder.  Raises
    :class:`pricing.errors.ValidationFailed` when the result looks wrong; the caller then
    keeps its previous data.
    """
    prices, per_region = import_offer_folder(offers_dir, regions)
    regions = tuple(per_region)
    validate_price_table(prices, regions=regions, absent_ok=DOCUMENTED_ABSENCES)
    sources: dict[str, Any] = {"offers": str(offers_dir.name)}
    if ecs_fee_feed_file is not None:
        entries = parse_unnamed_entries(ecs_fee_feed_file.read_text(), source=str(ecs_fee_feed_file))
        matches = fee_match_rows(prices, entries, regions, f"{FEED_SOURCE_PREFIX}{ecs_fee_feed_file.name}")
        prices = pd.concat([prices, rows_to_frame(matches)], ignore_index=True)
        sources["ecs_fee_feed"] = ecs_fee_feed_file.name
    spot = pd.DataFrame(columns=list(SPOT_COLUMNS))
    if spot_advisor_file is not None:
        spot = parse_spot_advisor(spot_advisor_file.read_bytes(), source=str(spot_advisor_file), regions=regions)
        sources["spot_advisor"] = spot_advisor_file.name
    limits = pd.DataFrame(columns=list(LIMIT_COLUMNS))
    if instance_info_dir is not None:
        trunking = ECS_TRUNKING_FILE_2026 if (instance_info_dir / ECS_TRUNKING_FILE_2026).exists() \
            else ECS_TRUNKING_FILE
        limits = parse_instance_limits(
            (instance_info_dir / NETWORK_LIMITS_FILE).read_text(),
            (instance_info_dir / trunking).read_text(),
            source=str(instance_info_dir / NETWORK_LIMITS_FILE))
        sources["instance_info"] = [NETWORK_LIMITS_FILE, trunking]
    tables = PriceTables(prices=prices, spot=spot, instance_limits=limits)
    if transfer_file is not None:
        transfer = parse_transfer_table(transfer_file.read_text(), source=transfer_file.name,
                                        as_of=date_in_name(transfer_file), regions=regions)
        tables = dataclasses.replace(tables, transfer=transfer)
        sources["data_transfer"] = transfer_file.name
    if ec2_reference_file is not None:
        reference = parse_reference_prices(ec2_reference_file.read_text(), source=ec2_reference_file.name,
                                           as_of=date_in_name(ec2_reference_file), regions=regions)
        tables = dataclasses.replace(tables, ec2_reference=reference)
        sources["ec2_reference"] = ec2_reference_file.name
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return tables, StoreMetadata(created_at=stamp, regions=per_region, sources=sources)


def merge_regions(base: PriceTables, base_meta: StoreMetadata, fresh: pd.DataFrame,
                  fresh_regions: dict[str, dict[str, Any]], offers: Iterable[str],
                  created_at: str) -> tuple[PriceTables, StoreMetadata]:
    """Replace the rows of the refreshed (Region, offer) pairs and keep everything else.

    Karpenter's rule: a refresh that covers only some Regions or offers must not drop
    the last good prices of the others.  Rows built from a pricing-page feed are kept too:
    the Price List does not carry them, so a refresh cannot replace them.
    """
    offers = set(offers)
    regions = set(fresh_regions)
    refreshed = base.prices["region"].isin(regions) & base.prices["offer_code"].isin(offers)
    keep = base.prices[~refreshed | from_feed(base.prices)]
    prices = pd.concat([keep, fresh], ignore_index=True)
    merged_regions = {k: dict(v) for k, v in base_meta.regions.items()}
    for region, info in fresh_regions.items():
        old = merged_regions.get(region, {"offers": {}})
        merged = dict(old.get("offers", {}))
        merged.update(info.get("offers", {}))
        merged_regions[region] = {"source": info["source"], "offers": merged}
    meta = StoreMetadata(created_at=created_at, regions=merged_regions, sources=base_meta.sources)
    return dataclasses.replace(base, prices=prices), meta
