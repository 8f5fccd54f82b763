"""What the operator of a deployment allows its visitors: refreshing the prices is off unless switched on.

A refresh downloads hundreds of MB from AWS and rewrites the prices every visitor of the
server sees, so on a shared deployment it is the operator's action (``advisor prices
refresh`` on the server), not a visitor's button.  ``ADVISOR_PRICE_REFRESH=on`` switches
the app's refresh on; ``make run`` (one user on their own machine) sets it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

REFRESH_VARIABLE = "ADVISOR_PRICE_REFRESH"
_ON = frozenset({"on", "1", "true", "yes"})


def refresh_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether visitors may refresh the prices from the app (off unless the operator says on)."""
    return (os.environ if environ is None else environ).get(REFRESH_VARIABLE, "").strip().lower() in _ON
