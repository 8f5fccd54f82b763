"""Exceptions of the pricing package; each message names the file, record and expectation."""

from __future__ import annotations


class PricingError(Exception):
    """Base class for every error the pricing package raises on purpose."""


class OfferFormatError(PricingError):
    """A Price List document does not have the shape AWS publishes.

    The message names the source (file or URL), the record (SKU, row number, JSON
    path) and what was expected, so a user can find the bad byte without a debugger.
    """

    def __init__(self, source: str, record: str, expected: str) -> None:
        self.source = source
        self.record = record
        self.expected = expected
        super().__init__(f"{source}: {record}: expected {expected}")


class ValidationFailed(PricingError):
    """A normalized price table failed its sanity floors; the import is rejected."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("price table rejected: " + "; ".join(problems))


class FetchError(PricingError):
    """Fetching prices from AWS failed (network, credentials, throttling, bad download)."""


class StoreCorrupted(PricingError):
    """A stored price table (cache or snapshot) is unreadable or fails its checksum."""


class PriceNotFound(PricingError, LookupError):
    """No price matches a lookup; never silently treated as zero.

    Also a :class:`LookupError`, so the model can catch it without importing ``pricing``.
    """
