"""Where the per-user price cache lives: one answer for the command line and the app.

``$ADVISOR_CACHE_DIR`` overrides the platform's per-user cache directory. The
environment is read when asked (never at import time), and can be passed in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from pricing.active import APP_NAME

CACHE_DIR_VARIABLE = "ADVISOR_CACHE_DIR"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$ADVISOR_CACHE_DIR``, else the platform's per-user cache directory."""
    override = (os.environ if environ is None else environ).get(CACHE_DIR_VARIABLE)
    return Path(override) if override else platformdirs.user_cache_path(APP_NAME)
