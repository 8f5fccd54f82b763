"""The ``advisor`` command line: a thin shell over the ``pricing`` and ``advisor`` libraries."""

import os

# Before numpy is first imported, as the app does (app_pages/__init__.py says why): the analyses fork
# workers, which copied a whole 2 MiB huge page on their first write to one. The microservices
# example's 100-point sweep took 21.9-22.0 s without huge pages, 24.6-28.7 s with them.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

# Before the libraries are imported too: fewer collections of the objects that pricing makes and
# frees at once (advisor/collector.py says why and what it saves).
from advisor.collector import space_out_collections

space_out_collections()
