"""The workload section of every report: what was priced, as tables a reviewer reads without the app.

Services (vCPU, memory, replicas or their range and schedule, architecture, OS, storage,
sidecars), jobs, per-node agents, environments, load balancers, and every setting of
traffic, purchase, EC2 packing, operations and the assumption overrides, each marked as
the default or the scenario's own value.  The columns and settings are read from the
scenario model itself, so a field added to the model appears here without a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from advisor.workload.operations_inputs import ActivityOverride
from advisor.workload.scenario import Daemon, Environment, Job, LoadBalancer, Replicas, Scenario, Schedule, Service
from reports.tables import Column, Kind, Table

#: Unit suffixes of field names, shown in headers as units.
_UNITS = (("_usd_per_hour", " (USD / hour)"), ("_gib", " (GiB)"), ("_gb_per_month", " (GB / month)"),
          ("_gb", " (GB)"), ("_per_second", " per second"), ("_per_minute", " per minute"),
          ("_per_month", " per month"), ("_per_year", " per year"), ("_minutes", " (minutes)"),
          ("_months", " (months)"), ("_hours", " (hours)"))
#: Words spelled as AWS spells them.
_WORDS = {"vcpu": "vCPU", "os": "OS", "nat": "NAT", "eks": "EKS", "ecs": "ECS", "eni": "ENI", "az": "AZ",
          "usd": "USD", "gib": "GiB"}
#: Setting groups shown as (setting, value, default?) rows: title, scenario attribute.
_SETTING_GROUPS: tuple[tuple[str, str], ...] = (
    ("Traffic", "traffic"), ("Purchase options", "purchase"), ("EC2 packing", "ec2"),
    ("Operations settings", "operations"), ("Assumption overrides", "assumptions"),
)


def field_header(name: str) -> str:
    """``memory_gib`` -> ``Memory (GiB)``, ``vcpu`` -> ``vCPU``: a field name as a column header."""
    unit = ""
    for suffix, shown in _UNITS:
        if name.endswith(suffix) and name != suffix.lstrip("_"):
            name, unit = name.removesuffix(suffix), shown
            break
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return (text[:1].upper() + text[1:] if words[0] not in _WORDS.values() else text) + unit


def schedule_text(schedule: Schedule) -> str:
    """``10 h × 5 d a week`` (``always`` for 24 × 7)."""
    if schedule.hours_per_day == 24 and schedule.days_per_week == 7:
        return "always"
    return f"{schedule.hours_per_day:g} h × {schedule.days_per_week:g} d a week"


def replicas_text(replicas: Replicas) -> str:
    """``3`` for a fixed count; ``3–8, peak 10 h × 5 d a week`` for an autoscaled range."""
    if replicas.min == replicas.max:
        return f"{replicas.max}"
    return f"{replicas.min}–{replicas.max}, peak {schedule_text(replicas.schedule)}"


def _cell(value: Any) -> Any:
    """A field value as a table cell: numbers, booleans and text stay; nested values become text."""
    if isinstance(value, Replicas):
        return replicas_text(value)
    if isinstance(value, BaseModel) and {"name", "vcpu", "memory_gib"} <= set(type(value).model_fields):
        return f"{value.name} ({value.vcpu:g} vCPU, {value.memory_gib:g} GiB)"
    if isinstance(value, tuple | list):
        return ", ".join(str(_cell(v)) for v in value) or "none"
    if isinstance(value, BaseModel):
        return ", ".join(f"{k} {_cell(v)}" for k, v in value)
    if hasattr(value, "value") and not isinstance(value, bool | int | float):  # enums
        return str(value.value)
    return value


def _kind(values: Sequence[Any]) -> Kind:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    return "text"


def items_table(title: str, items: Sequence[BaseModel], model_type: type[BaseModel],
                skip: frozenset[str] = frozenset()) -> Table:
    """One row per item, one column per field of ``model_type`` (in the model's order)."""
    fields = [f for f in model_type.model_fields if f not in skip]
    rows = tuple(tuple(_cell(getattr(item, f)) for f in fields) for item in items)
    columns = tuple(Column(f, field_header(f), _kind([r[i] for r in rows]))
                    for i, f in enumerate(fields))
    return Table(title=title, columns=columns, rows=rows)


def _value_text(value: Any) -> str:
    cell = _cell(value)
    if cell is None:
        return "not set"
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)


def settings_table(title: str, settings: BaseModel, skip: frozenset[str] = frozenset()) -> Table:
    """A model's scalar settings as (setting, value, default or set by the scenario) rows."""
    defaults: Mapping[str, Any] = {name: f.get_default(call_default_factory=True)
                                   for name, f in type(settings).model_fields.items()}
    rows = tuple((field_header(name), _value_text(value),
                  "default" if value == defaults.get(name) else "set by the scenario")
                 for name, value in settings if name not in skip)
    return Table(title=title, columns=(Column("setting", "Setting"), Column("value", "Value"),
                                       Column("source", "Where from")), rows=rows)


def workload_tables(scenario: Scenario) -> tuple[Table, ...]:
    """Every table of the workload section, in reading order; empty lists give empty tables."""
    platforms = Table(title="Platforms compared", columns=(Column("platform", "Platform"),),
                      rows=tuple((p.value,) for p in scenario.platforms))
    return (
        items_table("Services", scenario.services, Service),
        items_table("Jobs", scenario.jobs, Job),
        items_table("Per-node agents (DaemonSets, ECS daemon tasks)", scenario.daemons, Daemon),
        items_table("Environments", scenario.environments, Environment),
        items_table("Load balancers", scenario.traffic.load_balancers, LoadBalancer),
        *(settings_table(title, getattr(scenario, attribute),
                         skip=frozenset({"load_balancers", "overrides"})) for title, attribute in _SETTING_GROUPS),
        items_table("Operations overrides (the team's own numbers)", scenario.operations.overrides,
                    ActivityOverride),
        platforms,
    )
