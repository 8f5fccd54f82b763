"""The limits a price refresh runs within unless told otherwise (each is an option of ``advisor prices refresh``).

Kept apart from the download and worker code that applies them (:mod:`pricing.bulk_http`,
:mod:`pricing.fetch_pool`), so that the command line can show them in its help without
importing that code (ssl, http, multiprocessing) in every command it runs.
"""

from __future__ import annotations

#: Seconds one file may take from request to last byte (us-east-1 AmazonEC2, ~450 MB, at 1 MB/s: 8 minutes).
DEFAULT_DEADLINE_SECONDS = 1800.0
#: Largest file accepted: 4 GiB, about nine times the largest Region file (us-east-1 AmazonEC2, ~450 MB).
DEFAULT_MAX_DOWNLOAD_BYTES = 4 << 30
#: Default memory budget of a refresh [MiB]: room for three workers beside the refreshing process
#: (:func:`pricing.fetch_pool.worker_count`).
DEFAULT_MEMORY_BUDGET_MIB = 1024
