"""Build price tables from a folder of downloaded Price List offer files.

This is the path the embedded snapshot is built with (``advisor prices import``), and
the one an air-gapped user takes with offer files fetched elsewhere.  The folder has
the Bulk API layout without the version segment: ``index.json`` (offers index),
``<Offer>/region_index.json`` and ``<Offer>/<region>/index.json`` (or ``index.csv``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pricing.ecs_fee_entries import fee_match_rows, parse_unnamed_entries
from pricing.errors import OfferFormatError
from pricing.instance_info import LIMIT_COLUMNS, parse_instance_limits
from pricing.normalize import normalize_offer_records
from pricing.offer_csv import iter_offer_csv
from pricing.offer_index import local_relative_path, parse_offers_index, parse_region_index
from pricing.offer_json import iter_offer_file
from pricing.schema import PriceRow, rows_to_frame, validate_price_table
from pricing.selectors import SELECTORS
from pricing.spot_advisor import SPOT_COLUMNS, parse_spot_advisor
from pricing.store import PriceTables, StoreMetadata

log = logging.getLogger(__name__)

#: The offers the selectors read; any other offer in a folder is ignored.
WANTED_OFFERS: tuple[str, ...] = tuple(dict.fromkeys(s.offer_code for s in SELECTORS))

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


def import_offer_folder(root: Path, regions: Sequence[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Normalized prices of ``regions`` from every wanted offer in the folder.

    Returns the price table and, per Region, the offers read with their publication
    dates.  Offers absent from the folder are skipped (validation then says whether a
    required price is missing); an offer lacking a requested Region is noted.
    """
    index_path = root / "index.json"
    offers = parse_offers_index(index_path.read_bytes(), str(index_path))
    rows: list[PriceRow] = []
    per_region: dict[str, dict[str, Any]] = {r: {"source": f"bulk offer files ({root.name})",
                                                 "offers": {}} for r in regions}
    for offer in WANTED_OFFERS:
        if offer not in offers:
            log.info("offer %s not in %s; skipped", offer, index_path)
            continue
        region_index = root / local_relative_path(offers[offer])
        _, urls = parse_region_index(region_index.read_bytes(), str(region_index))
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


def import_snapshot_inputs(
    offers_dir: Path,
    regions: Sequence[str],
    *,
    spot_advisor_file: Path | None = None,
    instance_info_dir: Path | None = None,
    ecs_fee_feed_file: Path | None = None,
    now: datetime | None = None,
) -> tuple[PriceTables, StoreMetadata]:
    """Everything a store holds, built from local files and validated.

    Raises :class:`pricing.errors.ValidationFailed` when the result looks wrong; the
    caller then keeps its previous data.
    """
    prices, per_region = import_offer_folder(offers_dir, regions)
    validate_price_table(prices, regions=regions)
    sources: dict[str, Any] = {"offers": str(offers_dir.name)}
    if ecs_fee_feed_file is not None:
        entries = parse_unnamed_entries(ecs_fee_feed_file.read_text(), source=str(ecs_fee_feed_file))
        matches = fee_match_rows(prices, entries, regions, f"pricing-page feed:{ecs_fee_feed_file.name}")
        prices = pd.concat([prices, rows_to_frame(matches)], ignore_index=True)
        sources["ecs_fee_feed"] = ecs_fee_feed_file.name
    spot = pd.DataFrame(columns=list(SPOT_COLUMNS))
    if spot_advisor_file is not None:
        spot = parse_spot_advisor(spot_advisor_file.read_bytes(), source=str(spot_advisor_file),
                                  regions=tuple(regions))
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
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = StoreMetadata(created_at=stamp, regions=per_region, sources=sources)
    return PriceTables(prices=prices, spot=spot, instance_limits=limits), meta


def merge_regions(base: PriceTables, base_meta: StoreMetadata, fresh: pd.DataFrame,
                  fresh_regions: dict[str, dict[str, Any]], offers: Iterable[str],
                  created_at: str) -> tuple[PriceTables, StoreMetadata]:
    """Replace the rows of the refreshed (Region, offer) pairs and keep everything else.

    Karpenter's rule: a refresh that covers only some Regions or offers must not drop
    the last good prices of the others.
    """
    offers = set(offers)
    regions = set(fresh_regions)
    keep = base.prices[~(base.prices["region"].isin(regions) & base.prices["offer_code"].isin(offers))]
    prices = pd.concat([keep, fresh], ignore_index=True)
    merged_regions = {k: dict(v) for k, v in base_meta.regions.items()}
    for region, info in fresh_regions.items():
        old = merged_regions.get(region, {"offers": {}})
        merged = dict(old.get("offers", {}))
        merged.update(info.get("offers", {}))
        merged_regions[region] = {"source": info["source"], "offers": merged}
    meta = StoreMetadata(created_at=created_at, regions=merged_regions, sources=base_meta.sources)
    return PriceTables(prices=prices, spot=base.spot, instance_limits=base.instance_limits), meta
