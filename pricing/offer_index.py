"""Parse the Price List bulk indexes: the offers index and an offer's region index.

``/offers/v1.0/aws/index.json`` lists every offer (service) with the URL of its
``region_index.json``; that file maps each Region code to the URL of the Region's
current offer file.  Both are small, so they are parsed whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pricing.errors import OfferFormatError

#: Where the bulk API serves files; every URL inside the indexes is relative to it.
BULK_API_ROOT = "https://pricing.us-east-1.amazonaws.com"


def _load(text: str | bytes, source: str, required: tuple[str, ...]) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OfferFormatError(source, f"line {exc.lineno} column {exc.colno}", f"JSON ({exc.msg})") from None
    if not isinstance(doc, dict):
        raise OfferFormatError(source, "top level", "a JSON object")
    missing = [k for k in required if k not in doc]
    if missing:
        raise OfferFormatError(source, "top level", f"keys {missing} (is this a Price List index?)")
    return doc


def parse_offers_index(text: str | bytes, source: str) -> dict[str, str]:
    """Offer code -> ``currentRegionIndexUrl``."""
    doc = _load(text, source, ("formatVersion", "offers"))
    out = {}
    for code, entry in doc["offers"].items():
        url = entry.get("currentRegionIndexUrl") if isinstance(entry, dict) else None
        if not url:
            raise OfferFormatError(source, f"offer {code}", "a currentRegionIndexUrl")
        out[code] = url
    return out


def parse_region_index(text: str | bytes, source: str) -> tuple[str, dict[str, str]]:
    """(publicationDate, Region code -> ``currentVersionUrl``) of one offer."""
    doc = _load(text, source, ("formatVersion", "regions"))
    out = {}
    for code, entry in doc["regions"].items():
        url = entry.get("currentVersionUrl") if isinstance(entry, dict) else None
        if not url:
            raise OfferFormatError(source, f"region {code}", "a currentVersionUrl")
        out[code] = url
    return str(doc.get("publicationDate", "")), out


_OFFER_PATH = re.compile(r"^/offers/v1\.0/aws/(?P<offer>[^/]+)/(?P<version>[^/]+)/(?:(?P<region>[^/]+)/)?"
                         r"(?P<file>[^/]+)$")


def local_relative_path(url: str) -> str:
    """Map an index URL to the layout of a downloaded offer folder.

    ``/offers/v1.0/aws/AmazonECS/20251027205828/us-east-1/index.json`` ->
    ``AmazonECS/us-east-1/index.json``: the ``/offers/v1.0/aws/`` prefix and the
    version (or ``current``) segment are dropped, which is the layout ``advisor prices
    import`` reads and the one the AWS CLI mirror scripts produce.
    """
    match = _OFFER_PATH.match(url)
    if not match:
        raise OfferFormatError(url, "URL", "/offers/v1.0/aws/<offer>/<version>/[<region>/]<file>")
    parts = [match["offer"], match["region"], match["file"]]
    return "/".join(p for p in parts if p)
