"""Exceptions raised by the ``advisor`` model.

Every error the model raises derives from :class:`AdvisorError`, so callers (the UI,
notebooks) can catch the whole family in one place. Messages name the offending field
and what would have been accepted, so the user can fix the input without reading code.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base class for every error raised by the ``advisor`` package."""


class InvalidWorkload(AdvisorError):
    """A workload or node description asks for something AWS does not offer.

    Parameters
    ----------
    field : str
        Name of the offending input, as spelled in the API (e.g. ``"vcpu"``,
        ``"memory_gib"``).
    value : object
        The value that was rejected.
    allowed : str
        Human-readable description of what is accepted (e.g. ``"<= 16"``).

    Notes
    -----
    The three parts are passed on to ``Exception.__init__`` so the exception pickles
    and copies cleanly; the message is built in ``__str__``.
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        super().__init__(field, value, allowed)
        self.field = field
        self.value = value
        self.allowed = allowed

    def __str__(self) -> str:
        return f"{self.field}: {self.value!r} is not allowed; allowed: {self.allowed}"


class PlacementError(AdvisorError):
    """Replicas cannot be placed on the candidate capacity (nodes, tasks, ENIs)."""


class PlatformUnavailable(AdvisorError):
    """The platform cannot run this workload as described (e.g. Windows pods on EKS Fargate).

    A reported outcome, not a crash: the estimate of that platform is replaced by this
    reason, and the other platforms are still priced.
    """
