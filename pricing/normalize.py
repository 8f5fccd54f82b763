"""Turn Price List products and terms into normalized :class:`PriceRow` values.

Pure: the three readers (bulk JSON, bulk CSV, Query API) all end here, so the rules
for what a price *is* (units, terms, tiers, attributes) live in one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pricing.errors import OfferFormatError
from pricing.offer_json import OfferHeader, OfferProduct, OfferRecord, OfferTerms
from pricing.regions import region_from_attributes
from pricing.schema import PriceRow
from pricing.selectors import PriceSelector, select

# Graviton families: a digit run followed by "g" (m6g, c7gn, r8gd, x2gd, is4gen, t4g)
# plus a1.  Used only when the record names no processor (the Query API and the real
# offer files do: ``physicalProcessor`` "AWS Graviton2 Processor").
_GRAVITON_FAMILY = re.compile(r"^(a1|[a-z]+\d+g[a-z]*)$")
_MEMORY = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(GiB|GB|MiB|MB|TiB)?\s*$", re.IGNORECASE)
_TO_GIB = {"gib": 1.0, "gb": 1.0, "mib": 1 / 1024, "mb": 1 / 1024, "tib": 1024.0}

#: Reconstructed offer files (aws-price-data PROVENANCE §6.2) bundle pricing-page feeds of
#: several dates into one offer, and their ``disclaimer`` says "... effectiveDate is the feed
#: publication time": there each term's ``effectiveDate`` is *that price's* publication date
#: (EC2 instances 2025-04-04, EBS 2024-07-18 in one AmazonEC2 file published 2025-10-28).  In
#: AWS's own files ``effectiveDate`` is when a rate took effect, and the offer's
#: ``publicationDate`` is the date every price in it was published.
TERM_DATED_MARK = "effectiveDate is the feed publication time"


def instance_architecture(instance_type: str, attributes: Mapping[str, str]) -> str:
    """``arm64`` or ``x86_64`` for an EC2 instance type (empty when not an instance)."""
    if not instance_type:
        return ""
    processor = attributes.get("physicalProcessor", "") + attributes.get("processorArchitecture", "")
    if "graviton" in processor.lower() or "arm" in processor.lower():
        return "arm64"
    family = instance_type.split(".", 1)[0]
    return "arm64" if _GRAVITON_FAMILY.match(family) else "x86_64"


def parse_memory_gib(text: str) -> float:
    """``"16 GiB"`` -> 16.0; ``"NA"`` or empty -> nan (not an instance)."""
    match = _MEMORY.match(text or "")
    if not match:
        return math.nan
    unit = (match.group(2) or "GiB").lower()
    return float(match.group(1).replace(",", "")) * _TO_GIB[unit]


def parse_number(text: str) -> float:
    """A Price List count such as ``vcpu`` (``"8"``); nan when absent or ``NA``."""
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return math.nan


def parse_price(text: object, *, source: str, record: str) -> float:
    """A ``pricePerUnit.USD`` string as float, full precision; anything else is an error."""
    try:
        value = float(str(text))
    except ValueError:
        raise OfferFormatError(source, record, f"a decimal USD price, found {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise OfferFormatError(source, record, f"a finite non-negative USD price, found {text!r}")
    return value


def parse_range(text: object) -> float:
    """``beginRange``/``endRange``: ``"Inf"`` (or empty) is an open end."""
    if text in (None, "", "Inf", "inf"):
        return math.inf
    return float(str(text))


def _instance_type(selector: PriceSelector, attributes: Mapping[str, str]) -> str:
    # Auto Mode products name the type in lower-case ``instancetype``.
    return attributes.get("instanceType") or attributes.get("instancetype") or ""


def rows_for_dimension(
    *,
    selector: PriceSelector,
    sku: str,
    product_family: str,
    attributes: Mapping[str, str],
    region: str,
    term_type: str,
    term_attributes: Mapping[str, str],
    effective_date: str,
    dimension: Mapping[str, Any],
    publication_date: str,
    source: str,
) -> PriceRow:
    """One normalized row for one price dimension of one term of one product."""
    rate_code = str(dimension.get("rateCode", ""))
    record = f"sku {sku} rate {rate_code or '?'}"
    per_unit = dimension.get("pricePerUnit")
    usd = per_unit.get("USD") if isinstance(per_unit, dict) else None
    if usd is None:
        raise OfferFormatError(source, record, "pricePerUnit.USD")
    unit = str(dimension.get("unit", ""))
    if unit not in selector.units and unit != "Quantity":
        raise OfferFormatError(source, record,
                               f"unit {' or '.join(selector.units)} for {selector.price_key}, "
                               f"found {unit!r} (schema change?)")
    instance_type = _instance_type(selector, attributes)
    return PriceRow(
        price_key=selector.price_key,
        offer_code=selector.offer_code,
        region=region,
        usage_type=attributes.get("usagetype", ""),
        operation=attributes.get("operation", ""),
        product_family=product_family,
        instance_type=instance_type,
        vcpu=parse_number(attributes.get("vcpu", "")),
        memory_gib=parse_memory_gib(attributes.get("memory", "")),
        architecture=instance_architecture(instance_type, attributes),
        operating_system=attributes.get("operatingSystem", ""),
        unit=unit,
        price_usd=parse_price(usd, source=source, record=record),
        term=term_type,
        lease_contract_length=term_attributes.get("LeaseContractLength", ""),
        offering_class=term_attributes.get("OfferingClass", ""),
        purchase_option=term_attributes.get("PurchaseOption", ""),
        begin_range=parse_range(dimension.get("beginRange", "0")) if dimension.get(
            "beginRange") not in (None, "") else 0.0,
        end_range=parse_range(dimension.get("endRange")),
        sku=sku,
        rate_code=rate_code,
        description=str(dimension.get("description", "")),
        effective_date=effective_date,
        publication_date=publication_date,
        source=source,
    )


def rows_for_terms(
    *,
    offer_code: str,
    sku: str,
    product: Mapping[str, Any],
    term_type: str,
    offers: Mapping[str, Any],
    publication_date: str,
    source: str,
    term_dated: bool = False,
) -> Iterator[PriceRow]:
    """All rows of one SKU's terms of one type, or nothing when no selector keeps it.

    ``term_dated`` dates each price by its term's ``effectiveDate`` instead of the offer's
    ``publicationDate`` (see :data:`TERM_DATED_MARK`).
    """
    attributes = product.get("attributes") or {}
    family = product.get("productFamily", "")
    region = region_from_attributes(attributes)
    if region is None:
        raise OfferFormatError(source, f"product {sku}", "a regionCode or known location attribute")
    try:
        selector = select(offer_code, family, attributes, region)
    except ValueError as exc:
        raise OfferFormatError(source, f"product {sku}", f"one selector match ({exc})") from None
    if selector is None:
        return
    for key, offer in offers.items():
        if not isinstance(offer, dict):
            raise OfferFormatError(source, f"term {key}", f"an offer term object, found {type(offer).__name__}")
        dims = offer.get("priceDimensions")
        if not isinstance(dims, dict) or not dims:
            raise OfferFormatError(source, f"term {key}", "priceDimensions with at least one entry")
        for rate, dim in dims.items():
            if not isinstance(dim, dict):
                raise OfferFormatError(source, f"term {key} rate {rate}", "a price dimension object")
            yield rows_for_dimension(
                selector=selector, sku=sku, product_family=family, attributes=attributes,
                region=region, term_type=term_type,
                term_attributes=offer.get("termAttributes") or {},
                effective_date=str(offer.get("effectiveDate", "")), dimension=dim,
                publication_date=_price_date(offer, publication_date, term_dated), source=source,
            )


def _price_date(offer: Mapping[str, Any], publication_date: str, term_dated: bool) -> str:
    effective = offer.get("effectiveDate")
    return str(effective) if term_dated and isinstance(effective, str) and effective else publication_date


def is_selected(offer_code: str, product: Mapping[str, Any], source: str = "offer") -> bool:
    """Whether some selector keeps this product (used to drop products early)."""
    attributes = product.get("attributes") or {}
    region = region_from_attributes(attributes)
    if region is None:
        return False
    try:
        return select(offer_code, product.get("productFamily", ""), attributes, region) is not None
    except ValueError as exc:
        raise OfferFormatError(source, f"product {product.get('sku', '?')}", f"one selector match ({exc})") from None


def normalize_offer_records(records: Iterable[OfferRecord], source: str,
                            offer_code: str | None = None) -> Iterator[PriceRow]:
    """Rows from a stream of bulk offer records (see :func:`pricing.offer_json.iter_offer_file`).

    Products are kept only when a selector matches, so memory holds the kept products
    (a few thousand) rather than the whole file.  AWS writes ``products`` before
    ``terms``; a file in another order is reported rather than silently mis-read.
    """
    header: dict[str, Any] = {}
    kept: dict[str, Mapping[str, Any]] = {}
    seen_products = False
    for record in records:
        if isinstance(record, OfferHeader):
            header[record.key] = record.value
        elif isinstance(record, OfferProduct):
            seen_products = True
            code = offer_code or _header(header, "offerCode", source)
            if is_selected(code, record.product, source):
                kept[record.sku] = record.product
        elif isinstance(record, OfferTerms):
            if not seen_products:
                raise OfferFormatError(source, f"terms of sku {record.sku}",
                                       "products before terms, as AWS writes offer files")
            product = kept.get(record.sku)
            if product is None:
                continue
            yield from rows_for_terms(
                offer_code=offer_code or _header(header, "offerCode", source), sku=record.sku,
                product=product, term_type=record.term_type, offers=record.offers,
                publication_date=_header(header, "publicationDate", source), source=source,
                term_dated=TERM_DATED_MARK in str(header.get("disclaimer", "")),
            )


def _header(header: Mapping[str, Any], key: str, source: str) -> str:
    value = header.get(key)
    if not isinstance(value, str) or not value:
        raise OfferFormatError(source, "offer header", f"a {key!r} string before the products")
    return value
