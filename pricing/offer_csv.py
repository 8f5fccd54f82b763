"""Stream a Price List bulk offer file in CSV form.

The CSV form has five or so metadata rows (``"FormatVersion","v1.0"``,
``"Publication Date",...``, ``"OfferCode",...``), then a header row starting with
``SKU``, then one row per price dimension with the product's attributes spelled as
column titles (``Instance Type``, ``usageType``, ``Pre Installed S/W``).  Rows are read
one at a time with :mod:`csv`, so memory does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from pricing.errors import OfferFormatError
from pricing.normalize import rows_for_terms
from pricing.schema import PriceRow

# Column titles whose attribute name is not the lower-camel-case of the title.
_ATTRIBUTE_NAMES = {
    "usageType": "usagetype",
    "Pre Installed S/W": "preInstalledSw",
    "CapacityStatus": "capacitystatus",
    "MarketOption": "marketoption",
    "vCPU": "vcpu",
    "Product Family": "productFamily",
    "Region Code": "regionCode",
    "serviceCode": "servicecode",
    "CPU Architecture": "cpuArchitecture",
}
# Columns describing the term and the price, not the product.
_TERM_COLUMNS = frozenset({
    "SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate",
    "StartingRange", "EndingRange", "Unit", "PricePerUnit", "Currency", "RelatedTo",
    "LeaseContractLength", "PurchaseOption", "OfferingClass",
})


def attribute_name(title: str) -> str:
    """``Instance Type`` -> ``instanceType``: the JSON attribute a CSV column stands for."""
    if title in _ATTRIBUTE_NAMES:
        return _ATTRIBUTE_NAMES[title]
    words = re.split(r"[\s/]+", title.strip())
    first, rest = words[0], words[1:]
    return first[:1].lower() + first[1:] + "".join(w[:1].upper() + w[1:] for w in rest)


def read_metadata_rows(reader: Iterator[list[str]], source: str) -> tuple[dict[str, str], list[str]]:
    """Consume the metadata rows and the header; return (metadata, header)."""
    meta: dict[str, str] = {}
    for row in reader:
        if row and row[0] == "SKU":
            return meta, row
        if len(row) >= 2:
            meta[row[0]] = row[1]
        if len(meta) > 20:
            break
    raise OfferFormatError(source, "header", "metadata rows followed by a column row starting with 'SKU'")


def iter_offer_csv(stream: IO[bytes], source: str) -> Iterator[PriceRow]:
    """Normalized rows of a CSV offer file, in file order."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    reader = csv.reader(text)
    meta, header = read_metadata_rows(reader, source)
    offer_code = meta.get("OfferCode", "")
    published = meta.get("Publication Date", "")
    if not offer_code or not published:
        raise OfferFormatError(source, "metadata rows", "'OfferCode' and 'Publication Date'")
    index = {title: i for i, title in enumerate(header)}
    for needed in ("SKU", "TermType", "Unit", "PricePerUnit", "Currency"):
        if needed not in index:
            raise OfferFormatError(source, "column row", f"a {needed!r} column")
    for line_no, row in enumerate(reader, start=len(meta) + 2):
        if len(row) != len(header):
            raise OfferFormatError(source, f"line {line_no}",
                                   f"{len(header)} fields, found {len(row)} (truncated?)")
        yield from _row_prices(row, index, offer_code, published, f"{source} line {line_no}")


def _row_prices(row: list[str], index: dict[str, int], offer_code: str, published: str,
                where: str) -> Iterator[PriceRow]:
    get = {title: row[i] for title, i in index.items()}
    if get["Currency"] != "USD":
        return
    attributes = {attribute_name(t): v for t, v in get.items() if t not in _TERM_COLUMNS and v != ""}
    family = attributes.pop("productFamily", "")
    term_attributes = {k: get.get(k, "") for k in ("LeaseContractLength", "OfferingClass", "PurchaseOption")
                       if get.get(k)}
    offer = {"effectiveDate": get.get("EffectiveDate", ""), "termAttributes": term_attributes,
             "priceDimensions": {get.get("RateCode", ""): {
                 "rateCode": get.get("RateCode", ""), "description": get.get("PriceDescription", ""),
                 "beginRange": get.get("StartingRange", ""), "endRange": get.get("EndingRange", ""),
                 "unit": get["Unit"], "pricePerUnit": {"USD": get["PricePerUnit"]}}}}
    yield from rows_for_terms(offer_code=offer_code, sku=get["SKU"],
                              product={"productFamily": family, "attributes": attributes},
                              term_type=get["TermType"], offers={get.get("OfferTermCode", ""): offer},
                              publication_date=published, source=where)
