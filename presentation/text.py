"""Text from scenarios and imports, made safe to show: control characters visible, Markdown inert.

Names and descriptions come from files, links and other people's manifests, so they may
hold anything.  Two rules, one function each, used by every view:

- :func:`printable` for every table and report (console tables, the text report, CSV,
  Excel, HTML, PDF): a control character (CR, LF, tab, escape, the C1 controls, Unicode's
  line and paragraph separators and the bidirectional overrides that reorder what a
  reader sees) is shown as its escape (``\\n``, ``\\x1b``, ``\\u202e``), so a name can
  neither start a new row, move the cursor, recolour a terminal nor disguise itself;
- :func:`markdown_literal` for the app, whose messages, captions, labels and headers are
  Markdown: every ASCII punctuation character is backslash-escaped (CommonMark lets any
  of them be), so ``![x](http://...)``, ``[link](...)``, ``<b>``, ``**bold**``, ``$math$``
  and Streamlit's ``:red[...]`` or ``:material/icon:`` in a service name are shown as
  typed, and a visitor's browser never fetches an image a scenario names.

Numbers, dates and the project's own words need neither; applying them twice is harmless
for :func:`printable` (escapes are printable) but not for :func:`markdown_literal`, so the
app applies it once, where the text meets Markdown.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

import pandas as pd

#: C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional
#: marks, embeddings, overrides and isolates (Unicode TR9) that change how text reads.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: What :func:`json.dumps` leaves raw of those: everything but C0 (which it escapes in strings; the raw
#: newlines of its output are indentation, outside any string).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Every ASCII punctuation character, each escapable in CommonMark.
_MARKDOWN_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: object) -> str:
    """``text`` (any value, as ``str``) with every control character shown as its escape.

    >>> printable("web\\r\\nX")
    'web\\\\r\\\\nX'
    """
    return _CONTROL.sub(_escape, str(text))


def markdown_literal(text: object) -> str:
    """``text`` for a Markdown element, shown exactly as typed (see the module docstring).

    Control characters are made printable first, so a newline cannot end a Markdown
    block either.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text))


def json_escaped(text: str) -> str:
    """JSON text (from :func:`json.dumps`) with the control characters it left raw written as ``\\uXXXX``.

    ``json.dumps(..., ensure_ascii=False)`` keeps names readable (Hangul, €) but leaves DEL, C1
    controls, separators and bidirectional overrides raw; inside JSON strings, where alone
    they can occur, the escape reads back as the same character, so the document is unchanged.
    """
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_lines(lines: Iterable[object]) -> str:
    """``lines`` joined by newlines, each made printable: a name's own newline cannot start a line."""
    return "\n".join(printable(line) for line in lines)


def printable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name made printable (console tables)."""
    shown = frame.copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: printable(v) if isinstance(v, str) else v)
    shown.columns = [printable(c) for c in shown.columns]
    return shown
