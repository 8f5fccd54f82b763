"""Presentation: tables, documents and figures made from the model's results.

Shared by the command line, the app and the report exports, so a number looks the same
wherever it is shown. Pure (no widgets, no files); may import ``advisor`` and plotting
libraries, never the other way round.
"""
