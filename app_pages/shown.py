"""Text the app puts into Markdown (messages, captions, labels, headers): shown as typed, without server paths.

A shared deployment shows one visitor's link and files to whoever opens them, so every
text that came from a scenario, a file, an import or an error goes through :func:`shown`:

- names, values and messages are made Markdown-inert
  (:func:`presentation.text.markdown_literal`): an image or a link in a service name is
  printed, and no visitor's browser fetches anything it names;
- absolute server paths (``/home/app/.cache/.../prices``, ``C:\\Users\\...``) in a message
  or a price source are cut to their last part (``…/prices``): the visitor learns what
  went wrong, not how the server's disk is laid out.

The app's own words are written as Markdown where they need bold or line breaks; only
what is put into them is escaped.
"""

from __future__ import annotations

import re

from presentation.text import markdown_literal

#: An absolute path of two or more parts: POSIX (not the ``//`` of a URL, not inside a
#: word such as ``vCPU/GiB``) or Windows (``C:\\dir\\file``).
_SERVER_PATH = re.compile(r"(?<![\w.~:/\\-])/(?:[^\s/'\"`()<>\[\]{},;:]+/)+([^\s/'\"`()<>\[\]{},;:]*)"
                          r"|\b[A-Za-z]:\\(?:[^\s\\'\"`()<>]+\\)+([^\s\\'\"`()<>]*)")


def without_server_paths(text: object) -> str:
    """``text`` with each absolute path cut to ``…/`` and its last part."""
    return _SERVER_PATH.sub(lambda m: "…/" + (m.group(1) or m.group(2) or ""), str(text))


def shown(value: object) -> str:
    """``value`` for a Markdown element: without server paths, shown exactly as typed."""
    return markdown_literal(without_server_paths(value))
