"""The Streamlit pages and components of the app (``app.py`` wires them into a navigation).

Each module reads widgets, calls the library (``advisor``, ``pricing``) and renders what
it returns: no model logic and no money arithmetic here (that is in
:mod:`presentation.result_views`).  Page modules (compare, workload, analyse, exchange, prices) run
as Streamlit page scripts; the others are components they share.
"""

import os

# Set before numpy is first imported (by the pages' library calls): numpy backs large arrays with
# 2 MiB transparent huge pages, and a worker the app forks (an estimate's platforms, an analysis)
# then copies a whole 2 MiB page on its first write to one. Measured on the microservices example
# on a 2-core VM, the first estimate of a process with forked workers took 1.9-2.2 s with huge pages
# and 1.1-1.4 s without; later ones 0.8-1.0 s either way (README, Measurements).
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

# Before the libraries are imported too: fewer collections of the objects that pricing makes and
# frees at once (advisor/collector.py says why and what it saves).
from advisor.collector import space_out_collections

space_out_collections()
