"""Stream a Price List bulk offer file (JSON) record by record, in bounded memory.

A region offer file is one JSON object: a few header strings, then ``products``
(SKU -> product) and ``terms`` (term type -> SKU -> offer term).  us-east-1 AmazonEC2
is about 450 MB; ``json.load`` on it needs several GB.  This reader walks the outer
structure by hand and hands each product or term to the C decoder (``raw_decode``)
one record at a time, so memory stays at one read chunk plus one record, and the
speed stays that of the standard library's C scanner.

Parsing is pure: it reads from any binary stream and never opens files itself.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from pricing.errors import OfferFormatError

#: Bytes read per chunk: large enough that the C decoder dominates, small enough to be
#: noise next to the parsed records.
CHUNK_BYTES = 1 << 20
#: No single product or term record is anywhere near this; a value that grows past it
#: is a syntax error or a file that is not a Price List offer.
MAX_RECORD_CHARS = 64 << 20

_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class OfferHeader:
    """A top-level scalar of the offer file (``publicationDate``, ``version``, ...)."""

    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class OfferProduct:
    """One ``products`` entry."""

    sku: str
    product: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OfferTerms:
    """The offer terms of one SKU under one term type (``OnDemand`` or ``Reserved``)."""

    term_type: str
    sku: str
    offers: dict[str, Any]


OfferRecord = OfferHeader | OfferProduct | OfferTerms


class _Scanner:
    """A growing text window over a byte stream, with JSON primitives on top."""

    def __init__(self, stream: IO[bytes], source: str) -> None:
        self._stream = stream
        self._source = source
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._json = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.records = 0
        #: The record being read, for errors raised while reading more input.
        self.context = "the start of the file"

    def fill(self) -> bool:
        """Append one chunk; drop the consumed prefix first so the window stays small."""
        if self.eof:
            return False
        if self.pos:
            self.buf = self.buf[self.pos :]
            self.pos = 0
        chunk = self._stream.read(CHUNK_BYTES)
        if not chunk:
            self.eof = True
            try:
                self.buf += self._decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise self.error(self.context, "complete UTF-8 text (truncated inside a character?)") from exc
            return False
        try:
            self.buf += self._decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise self.error(self.context, "UTF-8 text") from exc
        return True

    def error(self, record: str, expected: str) -> OfferFormatError:
        return OfferFormatError(self._source, record, expected)

    def peek(self) -> str:
        """The next non-whitespace character ('' at end of input)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "end of file (truncated download?)"
            raise self.error(where, f"{char!r}, found {shown}")
        self.pos += 1

    def value(self, where: str) -> Any:
        """Decode the JSON value at the cursor, reading more input until it is complete."""
        self.context = where
        self.peek()
        while True:
            try:
                value, end = self._json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                pending = len(self.buf) - self.pos
                if pending > MAX_RECORD_CHARS:
                    raise self.error(where, f"valid JSON within {MAX_RECORD_CHARS} characters "
                                            f"({exc.msg})") from exc
                if not self._grow(pending):
                    raise self.error(where, f"complete JSON ({exc.msg}; truncated download?)") from exc
                continue
            # A number or literal close to the window edge may continue past it ("3." + "5").
            if not self.eof and not isinstance(value, dict | list | str) and _may_continue(self.buf, end) \
                    and self.fill():
                continue
            self.pos = end
            return value

    def _grow(self, pending: int) -> bool:
        """Read until the window holds at least twice the undecoded text (amortized O(n))."""
        grew = False
        while len(self.buf) - self.pos < 2 * max(pending, 1) and self.fill():
            grew = True
        return grew

    def key(self, where: str) -> str:
        found = self.peek()
        if found != '"':
            shown = repr(found) if found else "end of file (truncated download?)"
            raise self.error(where, f"an object key (a JSON string), found {shown}")
        key = self.value(where)
        self.expect(":", f"{where} key {key!r}")
        return key

    def members(self, where: str) -> Iterator[str]:
        """Yield the keys of the object at the cursor; the caller consumes each value."""
        self.expect("{", where)
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            yield self.key(where)
            sep = self.peek()
            self.pos += 1
            if sep == "}":
                return
            if sep != ",":
                shown = repr(sep) if sep else "end of file (truncated download?)"
                raise self.error(where, f"',' or '}}', found {shown}")


def _may_continue(buf: str, end: int) -> bool:
    """True when only number characters lie between a decoded scalar and the window edge."""
    tail = buf[end:]
    return len(tail) < 32 and tail.strip("0123456789.eE+-") == ""


def iter_offer_file(stream: IO[bytes], source: str) -> Iterator[OfferRecord]:
    """Yield the header values, products and terms of a bulk offer file in file order.

    Parameters
    ----------
    stream : binary file-like
        The offer file, positioned at its start.  Read sequentially, never seeked.
    source : str
        Name used in error messages (path or URL).

    Raises
    ------
    OfferFormatError
        When the document is not an offer file, is truncated, or has bad JSON; the
        message names the source, the record (SKU / term type) and what was expected.
    """
    scan = _Scanner(stream, source)
    for top in scan.members("top-level object"):
        if top == "products":
            for sku in scan.members("products"):
                product = scan.value(f"product {sku}")
                if not isinstance(product, dict):
                    raise scan.error(f"product {sku}", "an object")
                scan.records += 1
                yield OfferProduct(sku, product)
        elif top == "terms":
            for term_type in scan.members("terms"):
                for sku in scan.members(f"terms.{term_type}"):
                    offers = scan.value(f"terms.{term_type} sku {sku}")
                    if not isinstance(offers, dict):
                        raise scan.error(f"terms.{term_type} sku {sku}", "an object")
                    scan.records += 1
                    yield OfferTerms(term_type, sku, offers)
        else:
            yield OfferHeader(top, scan.value(f"top-level key {top!r}"))
    if scan.peek() != "":
        raise scan.error("after the top-level object", "end of file")
