"""Editable workload tables: a scenario document <-> flat tables a spreadsheet-like editor can show.

One row per service, job, environment, daemon, load balancer and operations override,
and back; and where in those tables a validation problem belongs, so the app can show
the error next to the field. Pure: documents in, data frames out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, get_args

import pandas as pd

from advisor.workload.operations_inputs import Activity
from advisor.workload.scenario import Daemon, LoadBalancer, NetworkMode, Platform, Service

#: Editable sections: table name -> (document path, columns).  Flat sections map each
#: column to the key of the same name; ``services`` is special (see :func:`_service_row`).
SERVICE_COLUMNS: tuple[str, ...] = (
    "name", "vcpu", "memory_gib", "replicas", "min_replicas", "peak_hours_per_day", "peak_days_per_week",
    "architecture", "os", "ephemeral_storage_gib", "network_mode", "sidecars",
)
JOB_COLUMNS: tuple[str, ...] = (
    "name", "vcpu", "memory_gib", "runs_per_month", "duration_minutes", "parallelism", "architecture", "os",
    "ephemeral_storage_gib",
)
ENVIRONMENT_COLUMNS: tuple[str, ...] = ("name", "scale", "shared_cluster")
DAEMON_COLUMNS: tuple[str, ...] = ("name", "vcpu", "memory_gib", "on_fargate")
LOAD_BALANCER_COLUMNS: tuple[str, ...] = (
    "type", "count", "new_connections_per_second", "active_connections_per_minute", "processed_gb_per_month",
    "requests_per_second", "rules",
)
OVERRIDE_COLUMNS: tuple[str, ...] = (
    "activity", "platform", "frequency_per_year", "hours_per_occurrence", "extra_cluster_hours", "per_node_hours",
)
TABLE_SECTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "services": ("services", SERVICE_COLUMNS),
    "jobs": ("jobs", JOB_COLUMNS),
    "environments": ("environments", ENVIRONMENT_COLUMNS),
    "daemons": ("daemons", DAEMON_COLUMNS),
    "load_balancers": ("traffic.load_balancers", LOAD_BALANCER_COLUMNS),
    "overrides": ("operations.overrides", OVERRIDE_COLUMNS),
}
#: The allowed values of the choice columns, read from the model so they never drift.
CHOICES: Mapping[str, tuple[str, ...]] = {
    "architecture": get_args(Service.model_fields["architecture"].annotation),
    "os": get_args(Service.model_fields["os"].annotation),
    "type": get_args(LoadBalancer.model_fields["type"].annotation),
    "network_mode": get_args(NetworkMode),
    "on_fargate": get_args(Daemon.model_fields["on_fargate"].annotation),
    "activity": tuple(a.value for a in Activity),
    "platform": tuple(p.value for p in Platform),
}
_INTEGER_COLUMNS = frozenset({"replicas", "min_replicas", "parallelism", "count", "rules"})
_TEXT_COLUMNS = frozenset({"name", "architecture", "os", "type", "sidecars", "activity", "platform", "network_mode",
                           "on_fargate"})
_BOOL_COLUMNS = frozenset({"shared_cluster"})
_LOCATION_INDEX = re.compile(r"\[(\d+)\]")


def _section(doc: Mapping[str, Any], path: str) -> list[Mapping[str, Any]]:
    """The items at a dotted path (``traffic.load_balancers``); [] when absent."""
    head, _, rest = path.partition(".")
    value = doc.get(head)
    if rest:
        return _section(value or {}, rest)
    return list(value or ())


def _with_section(doc: Mapping[str, Any], path: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``doc`` with the items at a dotted path replaced (parents copied, not shared)."""
    head, _, rest = path.partition(".")
    return {**doc, head: _with_section(doc.get(head) or {}, rest, items) if rest else items}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column dtypes the editor needs even for an empty table (numbers stay numbers)."""
    types = {c: ("Int64" if c in _INTEGER_COLUMNS else "object" if c in _TEXT_COLUMNS
                 else "boolean" if c in _BOOL_COLUMNS else "float64") for c in frame.columns}
    return frame.astype(types)


def _sidecar_summary(sidecars: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(f"{s['name']} ({s['vcpu']:g} vCPU, {s['memory_gib']:g} GiB)" for s in sidecars)


def _service_row(service: Mapping[str, Any]) -> dict[str, Any]:
    """A service as one row; ``min_replicas`` is blank for a fixed count (min == max).

    Tolerates a partial service (a rejected draft may lack fields): blanks stay blank.
    """
    replicas = service.get("replicas") or {}
    schedule = replicas.get("schedule") or {}
    peak, low = replicas.get("max"), replicas.get("min")
    return {
        "name": service.get("name"), "vcpu": service.get("vcpu"), "memory_gib": service.get("memory_gib"),
        "replicas": peak, "min_replicas": None if low == peak else low,
        "peak_hours_per_day": schedule.get("hours_per_day"), "peak_days_per_week": schedule.get("days_per_week"),
        "architecture": service.get("architecture"), "os": service.get("os"),
        "ephemeral_storage_gib": service.get("ephemeral_storage_gib"), "network_mode": service.get("network_mode"),
        "sidecars": _sidecar_summary(service.get("sidecars") or ()),
    }


def editor_tables(doc: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The editable tables of a scenario document (``scenario.model_dump(mode="json")``).

    Returns
    -------
    dict of str to DataFrame
        One table per key of :data:`TABLE_SECTIONS`, with the columns listed there.
    """
    tables = {}
    for table, (path, columns) in TABLE_SECTIONS.items():
        items = _section(doc, path)
        rows = [_service_row(i) for i in items] if table == "services" else [
            {c: i.get(c) for c in columns} for i in items]
        tables[table] = _typed(pd.DataFrame(rows, columns=list(columns)))
    return tables


def _cell(value: Any) -> Any:
    """A table cell as a plain Python value; None for a blank cell (NaN, NA, '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars: pydantic and JSON want Python numbers
        value = value.item()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _present(pairs: Mapping[str, Any]) -> dict[str, Any]:
    """Keys with a value: a blank cell is left out, so the model's default (or its
    'field required' error) applies instead of a NaN."""
    return {k: v for k, v in pairs.items() if v is not None}


def _service_item(row: Mapping[str, Any], sidecars_by_name: Mapping[str, Any]) -> dict[str, Any]:
    peak = row["replicas"]
    replicas = None if peak is None else _present({
        "min": peak if row["min_replicas"] is None else row["min_replicas"], "max": peak,
        "schedule": _present({"hours_per_day": row["peak_hours_per_day"],
                              "days_per_week": row["peak_days_per_week"]}),
    })
    return _present({
        "name": row["name"], "vcpu": row["vcpu"], "memory_gib": row["memory_gib"], "replicas": replicas,
        "architecture": row["architecture"], "os": row["os"], "ephemeral_storage_gib": row["ephemeral_storage_gib"],
        "network_mode": row["network_mode"], "sidecars": sidecars_by_name.get(row["name"]),
    })


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Non-blank rows as plain records (the editor's extra empty rows are dropped)."""
    records = [{c: _cell(r.get(c)) for c in columns} for r in frame.to_dict("records")]
    return [r for r in records if any(v is not None for v in r.values())]


def apply_editor_tables(doc: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """A new scenario document: ``doc`` with the sections of ``tables`` replaced.

    Not validated here: pass the result to :func:`advisor.workload.spec_io.parse_scenario`, whose
    errors name the section and row (``services[2].vcpu``, see :func:`locate_problem`).
    Sidecars are not editable in a table and follow their service's name.

    Parameters
    ----------
    doc : mapping
        The scenario document the tables were made from.
    tables : mapping of str to DataFrame
        Edited tables, keyed as :func:`editor_tables` returns them; absent keys keep
        their section.
    """
    out = dict(doc)
    sidecars = {s.get("name"): s.get("sidecars") or [] for s in doc.get("services") or ()}
    for table, frame in tables.items():
        path, columns = TABLE_SECTIONS[table]
        rows = frame_rows(frame, [c for c in columns if c != "sidecars"])
        items = [_service_item(r, sidecars) for r in rows] if table == "services" else [_present(r) for r in rows]
        out = _with_section(out, path, items)
    return out


def locate_problem(problem: str, doc: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The section a validation problem belongs to, and the problem with rows numbered from 1.

    ``"services[2].vcpu: Input should be greater than 0 (got -1.0)"`` becomes
    ``("services", "services row 3 (api), vcpu: Input should ...")`` so the app can show
    it under the services table in words a user can act on.

    Parameters
    ----------
    problem : str
        One of :attr:`advisor.workload.spec_io.ScenarioError.problems` (``location: message``).
    doc : mapping, optional
        The document that was validated; when given, a row's name is added.

    Returns
    -------
    tuple of str
        The table or top-level field (``services``, ``load_balancers``, ``overrides``,
        ``purchase``...; ``""`` for problems of the whole document) and the reworded problem.
    """
    where, sep, what = problem.partition(": ")
    if not sep:
        return "", problem
    section = where.split(".")[0].split("[")[0]
    nested = next((t for t, (path, _) in TABLE_SECTIONS.items() if "." in path and where.startswith(path)), None)
    section = nested or section
    match = _LOCATION_INDEX.search(where)
    readable = _LOCATION_INDEX.sub(lambda m: f" row {int(m[1]) + 1}", where, count=1).replace(".", ", ")
    if match and doc is not None:
        items = _section(doc, TABLE_SECTIONS.get(section, (section, ()))[0])
        index = int(match[1])
        name = items[index].get("name") if index < len(items) and isinstance(items[index], Mapping) else None
        if name:
            readable = readable.replace(f" row {index + 1}", f" row {index + 1} ({name})", 1)
    return (section if section != "(document)" else ""), f"{readable}: {what}"


