"""Parse the EC2 Spot Instance Advisor data (``spot-advisor-data.json``).

The Spot Advisor publishes, per Region and OS, each instance type's typical saving
over On-Demand (``s``, percent) and its interruption-frequency band (``r``, an index
into ``ranges``: <5%, 5-10%, ...).  It has no absolute prices and no SKUs, so the
model derives an *estimated* Spot price as ``on_demand × (1 − s/100)`` and shows it as
such.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from pricing.errors import OfferFormatError

#: A negative saving is a Spot price above On-Demand, which the Advisor does publish
#: (ca-central-1 p5.48xlarge: -62 in the 2025-06-28 data); anything below -1000% is not data.
_MAX_PREMIUM_PCT = 1000.0

SPOT_COLUMNS: tuple[str, ...] = (
    "region", "instance_type", "savings_pct", "interruption_band", "interruption_label",
)


def parse_spot_advisor(text: str | bytes, *, source: str, regions: tuple[str, ...] | None = None,
                       operating_system: str = "Linux") -> pd.DataFrame:
    """Rows of (region, instance type, savings %, interruption band and label).

    Raises :class:`OfferFormatError` naming the Region/type when a value is malformed.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OfferFormatError(source, f"line {exc.lineno}", f"JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or "spot_advisor" not in doc or "ranges" not in doc:
        raise OfferFormatError(source, "top level", "keys 'spot_advisor' and 'ranges'")
    labels = {int(r["index"]): str(r["label"]) for r in doc["ranges"]}
    rows: list[dict[str, Any]] = []
    for region, by_os in doc["spot_advisor"].items():
        if regions is not None and region not in regions:
            continue
        for itype, entry in (by_os.get(operating_system) or {}).items():
            try:
                savings, band = float(entry["s"]), int(entry["r"])
            except (KeyError, TypeError, ValueError):
                raise OfferFormatError(source, f"{region} {operating_system} {itype}",
                                       "numeric 's' (savings %) and 'r' (band index)") from None
            if not -_MAX_PREMIUM_PCT <= savings < 100 or band not in labels:
                raise OfferFormatError(source, f"{region} {operating_system} {itype}",
                                       f"{-_MAX_PREMIUM_PCT:g} <= s < 100 and r in {sorted(labels)}")
            rows.append({"region": region, "instance_type": itype, "savings_pct": savings,
                         "interruption_band": band, "interruption_label": labels[band]})
    return pd.DataFrame(rows, columns=list(SPOT_COLUMNS))
