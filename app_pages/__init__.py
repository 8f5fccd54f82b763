"""The Streamlit pages and components of the app (``app.py`` wires them into a navigation).

Each module reads widgets, calls the library (``advisor``, ``pricing``) and renders what
it returns: no model logic and no money arithmetic here (that is in
:mod:`presentation.result_views`).  Page modules (compare, workload, analyse, exchange, prices) run
as Streamlit page scripts; the others are components they share.
"""
