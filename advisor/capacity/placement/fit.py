"""Whether loads fit capacities on every resource: the test every packing step makes."""

from __future__ import annotations

import numpy as np


def fits_all(load: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """``(load <= cap).all(axis=-1)`` for arrays that broadcast and share their last axis (the resources).

    Compared one resource at a time and combined with ``&=``: numpy reduces a last axis of
    three or four resources slowly (one small strided reduction per row), and this runs 2-3x
    faster on the (states x shapes x resources) arrays of the exact solver, with the same result.
    """
    fits = load[..., 0] <= cap[..., 0]
    for d in range(1, load.shape[-1]):
        fits &= load[..., d] <= cap[..., d]
    return fits
