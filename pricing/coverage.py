"""Which prices each Region's data holds, and the holes the bundled public data is known to have.

The public feeds behind the snapshot do not cover every service in every Region
(aws-price-data PROVENANCE §6.2, "Which Region has what"): no EC2 instances in ap-east-2
and ap-southeast-6, no EBS in five newer Regions, no load balancers in ap-southeast-6.  An
import of that data must not be refused for them (:data:`DOCUMENTED_ABSENCES` relaxes the
required keys there, and only there), and the model must say precisely what it cannot price
instead of pricing it as zero: :func:`missing_keys` is what ``advisor prices status`` shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from pricing.selectors import SELECTORS

_NO_EC2 = frozenset({"ec2.instance_hour", "ebs.gp3_gb_month"})
_NO_EBS = frozenset({"ebs.gp3_gb_month"})

#: Required price keys the bundled public data lacks per Region (PROVENANCE §6.2): an import
#: accepts their absence there.  AWS's own offer files have them; a refresh that brings them
#: simply fills the hole.
DOCUMENTED_ABSENCES: Mapping[str, frozenset[str]] = MappingProxyType({
    "ap-east-2": _NO_EC2,
    "ap-southeast-6": _NO_EC2 | {"elb.alb_hour", "elb.alb_lcu_hour"},
    "ap-southeast-5": _NO_EBS,
    "ap-southeast-7": _NO_EBS,
    "mx-central-1": _NO_EBS,
})

_REASON = {s.price_key: s.reason for s in SELECTORS}


def missing_keys(prices: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Per Region, the price keys some other Region of the same data has and this one lacks."""
    present = prices.groupby("region")["price_key"].agg(frozenset).to_dict()
    everywhere = frozenset().union(*present.values()) if present else frozenset()
    return {region: tuple(sorted(everywhere - keys)) for region, keys in sorted(present.items())}


def describe_key(price_key: str) -> str:
    """``ebs.gp3_gb_month [gp3 root volume of every EC2 node ...]``: a key with what it prices."""
    reason = _REASON.get(price_key)
    return f"{price_key} [{reason}]" if reason else price_key
