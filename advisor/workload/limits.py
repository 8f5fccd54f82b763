"""How large a scenario may be: limits on every quantity that drives the work of an estimate.

Why this exists
---------------
An estimate places every replica on EC2 nodes, once per environment, phase (peak and
off-peak) and EC2-backed platform, and every job's parallel tasks likewise; its time and
memory grow with the replicas, the services beside them, the environments and the jobs.
Without limits a 76-byte scenario (``replicas: 1000000000``) asks for tens of GB.  With
them, the largest scenario these limits accept is priced within the time and memory that
``bench/limits_bench.py`` measures and the README states.

Each limit is far above a real workload; the comment beside it names what it is measured
against.  Beyond a limit the scenario is refused with one line naming the field, the value
and the limit (:func:`size_problems`); nothing is truncated or priced partly.

Two limits are sums over the whole scenario, because work adds up over environments:

- *replicas placed*: every service's peak replicas and every job's parallel tasks, in every
  environment (scaled as the environment scales them);
- *service-replicas*: services × replicas placed, the size of the placement's node × group
  table (each node records how many replicas of each service it runs).

The counts are exact and never depend on the machine, so whether a scenario is accepted
is the same everywhere.
"""

from __future__ import annotations

#: Services in one scenario.  ECS allows 5,000 services per cluster by default; an
#: estate of more than a thousand services is rare, and each one adds a column to every
#: placement's table.
MAX_SERVICES: int = 1_000
#: Jobs in one scenario (each is placed on its own nodes once per platform).
MAX_JOBS: int = 500
#: Per-node agents (DaemonSets, ECS daemon services); clusters run a handful.
MAX_DAEMONS: int = 50
#: Environments (prod, staging, dev, ...): each is priced as its own set of clusters.
MAX_ENVIRONMENTS: int = 20
#: Sidecars of one service.  ECS allows 10 containers per task definition (a hard quota:
#: the main container and 9 sidecars); pods rarely carry more.
MAX_SIDECARS: int = 20
#: Load balancer entries in ``traffic.load_balancers`` (each with its own ``count``).
MAX_LOAD_BALANCERS: int = 100
#: Instance families named in ``ec2.instance_families`` (EC2 has about 150).
MAX_INSTANCE_FAMILIES: int = 200
#: Operations overrides (one per activity and platform at most: 11 × 6).
MAX_OVERRIDES: int = 100

#: Replicas of one service, at peak.  Twice ECS's default quota of 5,000 tasks per service.
MAX_REPLICAS: int = 10_000
#: Parallel tasks of one job.  AWS Batch's largest array job has 10,000 children.
MAX_PARALLELISM: int = 10_000
#: Replicas placed over the whole scenario (see the module docstring).  Kubernetes is
#: tested up to 150,000 pods per cluster ("Considerations for large clusters",
#: https://kubernetes.io/docs/setup/best-practices/cluster-large/); the largest real
#: estates priced with this tool run a few thousand.
MAX_REPLICAS_PLACED: int = 20_000
#: Services × replicas placed: bounds the placement's node × service table.
MAX_SERVICE_REPLICAS: int = 5_000_000
#: The recommendation searches the replica break-even (a dozen variant estimates) only up to
#: this many service-replicas; larger scenarios point to the replicas_scale sweep instead.
MAX_SEARCHED_SERVICE_REPLICAS: int = 1_000_000

#: One run a second, all month: no schedule runs a job more often.
MAX_RUNS_PER_MONTH: float = 2_628_000.0
#: A container's request.  The largest EC2 instance (u7in-32tb.224xlarge) has 896 vCPU and
#: 32 TiB; nothing larger can be placed anywhere.
MAX_VCPU: float = 1_000.0
MAX_MEMORY_GIB: float = 32_768.0

#: Traffic figures: far above any account's traffic, and finite (an infinite or absurd
#: figure would make an amount that is no price at all).
MAX_PER_SECOND: float = 100_000_000.0          # requests or new connections per second
MAX_PER_MINUTE: float = 10_000_000_000.0       # active connections per minute
MAX_GB_PER_MONTH: float = 1_000_000_000.0      # 1 EB a month processed, logged or sent
MAX_RESOURCE_COUNT: int = 10_000               # load balancers of one entry, NAT gateways, listener rules
MAX_DISCOVERY_INSTANCES: int = 10_000_000      # Cloud Map instances
MAX_RETENTION_MONTHS: float = 1_200.0          # 100 years of log retention

#: Names and free text.
MAX_NAME_CHARS: int = 120
MAX_DESCRIPTION_CHARS: int = 10_000

#: Lists of a scenario document and their limits, checked before the items are validated,
#: so a document with a million entries is refused in one line without reading them.
#: ``*`` stands for every item of the list before it.
LIST_LIMITS: dict[str, int] = {
    "services": MAX_SERVICES,
    "services.*.sidecars": MAX_SIDECARS,
    "jobs": MAX_JOBS,
    "daemons": MAX_DAEMONS,
    "environments": MAX_ENVIRONMENTS,
    "traffic.load_balancers": MAX_LOAD_BALANCERS,
    "ec2.instance_families": MAX_INSTANCE_FAMILIES,
    "operations.overrides": MAX_OVERRIDES,
}


def over_limit(field: str, value: int, limit: int, what: str) -> str:
    """The one-line problem for a count over its limit: field, value, limit and what is counted."""
    return f"{field}: {value:,} {what} is over the limit of {limit:,}"


def list_problems(document: object) -> list[str]:
    """Lists of a scenario document (plain data) longer than :data:`LIST_LIMITS` allow.

    Looks only at the lists named there and only at their lengths, so it is quick on any
    document; everything else is left to the model's validation.
    """
    problems: list[str] = []
    for path, limit in LIST_LIMITS.items():
        for where, items in _lists(document, path.split("."), ""):
            if len(items) > limit:
                problems.append(over_limit(where, len(items), limit, "entries"))
    return problems


def _lists(node: object, parts: list[str], where: str) -> list[tuple[str, list]]:
    """(location, list) pairs at a dotted path of ``parts`` (``*``: each item of a list)."""
    if not parts:
        return [(where, node)] if isinstance(node, list) else []
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(node, list) or len(node) > LIST_LIMITS.get(where, 0):
            return []
        return [pair for i, item in enumerate(node) for pair in _lists(item, rest, f"{where}[{i}]")]
    if not isinstance(node, dict) or head not in node:
        return []
    return _lists(node[head], rest, f"{where}.{head}" if where else head)
