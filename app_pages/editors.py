"""Component: the workload tables (services, jobs, environments, daemons, load balancers).

Each is an ``st.data_editor`` over a table from :func:`presentation.result_views.editor_tables`;
rows can be added and deleted.  The editors live inside the workload form, so edits
are applied together on submit, and their keys carry the session's revision so they
start again whenever the scenario is replaced.  Columns do not limit values: the
model checks them and its errors, in words, appear under the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from presentation.workload_tables import CHOICES

_NUMBER = st.column_config.NumberColumn
_HELP: Mapping[str, Mapping[str, Any]] = {
    "services": {
        "name": st.column_config.TextColumn("name", required=True, help="unique service name"),
        "vcpu": _NUMBER("vcpu", help="vCPU requested per replica (main container)", format="%g"),
        "memory_gib": _NUMBER("memory_gib", help="memory requested per replica [GiB]", format="%g"),
        "replicas": _NUMBER("replicas", help="replicas at peak (the fixed count when min_replicas is blank)",
                            step=1),
        "min_replicas": _NUMBER("min_replicas", help="replicas off-peak; blank = a fixed count", step=1),
        "peak_hours_per_day": _NUMBER("peak h/day", help="hours per day at the peak count (autoscaled only)",
                                      format="%g"),
        "peak_days_per_week": _NUMBER("peak days/wk", help="days per week with a peak (autoscaled only)",
                                      format="%g"),
        "architecture": st.column_config.SelectboxColumn("architecture", options=CHOICES["architecture"]),
        "os": st.column_config.SelectboxColumn("os", options=CHOICES["os"]),
        "ephemeral_storage_gib": _NUMBER("storage_gib", help="ephemeral storage per task [GiB]; Fargate "
                                         "bills above 20 GiB", format="%g"),
        "network_mode": st.column_config.SelectboxColumn(
            "network mode", options=CHOICES["network_mode"],
            help="ECS on EC2: awsvpc (an ENI or trunk slot per task), bridge (no per-task ENI), host (one "
                 "replica per instance); Fargate runs awsvpc"),
        "sidecars": st.column_config.TextColumn("sidecars", help="sidecar containers (edit in the scenario file)"),
    },
    "jobs": {
        "name": st.column_config.TextColumn("name", required=True),
        "vcpu": _NUMBER("vcpu", help="vCPU per task", format="%g"),
        "memory_gib": _NUMBER("memory_gib", help="memory per task [GiB]", format="%g"),
        "runs_per_month": _NUMBER("runs/month", format="%g"),
        "duration_minutes": _NUMBER("minutes/run", format="%g"),
        "parallelism": _NUMBER("parallel tasks", step=1),
        "architecture": st.column_config.SelectboxColumn("architecture", options=CHOICES["architecture"]),
        "os": st.column_config.SelectboxColumn("os", options=CHOICES["os"]),
        "ephemeral_storage_gib": _NUMBER("storage_gib", help="ephemeral storage per task [GiB]; Fargate "
                                         "bills above 20 GiB", format="%g"),
    },
    "environments": {
        "name": st.column_config.TextColumn("name", required=True),
        "scale": _NUMBER("scale", help="replicas and traffic × scale (prod = 1)", format="%g"),
        "shared_cluster": st.column_config.CheckboxColumn("shared cluster",
                                                          help="runs in the first environment's cluster"),
    },
    "daemons": {
        "name": st.column_config.TextColumn("name", required=True),
        "vcpu": _NUMBER("vcpu", help="vCPU per node (a sidecar per task on Fargate)", format="%g"),
        "memory_gib": _NUMBER("memory_gib", help="memory per node [GiB]", format="%g"),
        "on_fargate": st.column_config.SelectboxColumn(
            "on Fargate", options=CHOICES["on_fargate"],
            help="sidecar: a copy in every Fargate task (default); not-needed: left out on Fargate "
                 "(e.g. logs through the awslogs driver)"),
    },
    "load_balancers": {
        "type": st.column_config.SelectboxColumn("type", options=CHOICES["type"], required=True),
        "count": _NUMBER("count", step=1),
        "new_connections_per_second": _NUMBER("new conn/s", format="%g"),
        "active_connections_per_minute": _NUMBER("active conn/min", format="%g"),
        "processed_gb_per_month": _NUMBER("GB/month", format="%g"),
        "requests_per_second": _NUMBER("requests/s", format="%g"),
        "rules": _NUMBER("rules", step=1),
    },
    "overrides": {
        "activity": st.column_config.SelectboxColumn("activity", options=CHOICES["activity"], required=True),
        "platform": st.column_config.SelectboxColumn("platform", options=CHOICES["platform"],
                                                     help="blank = every platform that has the activity"),
        "frequency_per_year": _NUMBER("times/year", format="%g"),
        "hours_per_occurrence": _NUMBER("hours each", format="%g", help="for the first cluster"),
        "extra_cluster_hours": _NUMBER("hours per extra cluster", format="%g"),
        "per_node_hours": _NUMBER("hours per node", format="%g", help="each time, for every node kept running"),
    },
}


def editor_key(table: str, revision: int) -> str:
    """The widget key of a table's editor (tests seed edits through it)."""
    return f"editor_{table}_{revision}"


def table_editor(table: str, frame: pd.DataFrame, revision: int) -> pd.DataFrame:
    """An editable table; returns the edited frame (applied when the form is submitted)."""
    return st.data_editor(frame, key=editor_key(table, revision), num_rows="dynamic", hide_index=True, placeholder="—",
                          column_config=_HELP[table], disabled=["sidecars"] if "sidecars" in frame else False)
