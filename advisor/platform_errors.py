"""Why a platform cannot run a workload (a reported outcome, not a crash)."""

from __future__ import annotations

from advisor.errors import AdvisorError


class PlatformUnavailable(AdvisorError):
    """The platform cannot run this workload as described (e.g. Windows pods on EKS Fargate).

    The estimate of that platform is replaced by this reason; the other platforms are
    still priced.
    """
