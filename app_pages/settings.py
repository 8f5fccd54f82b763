"""Component: the scenario's scalar settings (basics, purchase, EC2, traffic, assumptions).

Each function draws its widgets from a scenario document and returns the document
fragment they describe.  Defaults of the dated assumptions are shown with their
sources (``pricing.gaps``), so a reviewer sees what a blank field means.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from advisor.operations.ranges import HIGH_FACTOR, LOW_FACTOR
from advisor.operations.sources import CITATIONS
from advisor.workload.operations_inputs import (
    DEFAULT_ENGINEER_RATE_USD_PER_HOUR,
    DEFAULT_TEAM_SIZE,
    ENGINEER_RATE_RANGE_USD_PER_HOUR,
    OverheadLevel,
    UpgradeStrategy,
)
from advisor.workload.scenario import Platform, PurchaseOption
from presentation.labels import PLATFORM_LABELS
from pricing.gaps import GAPS_BY_KEY


def _key(name: str, revision: int) -> str:
    return f"{name}_{revision}"


def basics(doc: dict[str, Any], regions: tuple[str, ...], revision: int) -> dict[str, Any]:
    """Name, description, Region and platforms."""
    left, right = st.columns([1, 2])
    name = left.text_input("Scenario name", doc["name"], key=_key("name", revision))
    description = right.text_input("Description", doc.get("description", ""), key=_key("description", revision))
    left, right = st.columns([1, 3])
    options = list(regions) if doc["region"] in regions else [*regions, doc["region"]]
    region = left.selectbox("Region", options, index=options.index(doc["region"]), key=_key("region", revision),
                            help="Regions of the active price data (see the Prices page)")
    platforms = right.multiselect("Platforms", list(Platform), default=[Platform(p) for p in doc["platforms"]],
                                  format_func=PLATFORM_LABELS.__getitem__, key=_key("platforms", revision))
    return {"name": name, "description": description, "region": region, "platforms": [p.value for p in platforms]}


def purchase(doc: dict[str, Any], revision: int) -> dict[str, Any]:
    """Purchase option and Spot share."""
    current = doc["purchase"]
    left, right = st.columns(2)
    option = left.selectbox("Purchase option", [o.value for o in PurchaseOption],
                            index=[o.value for o in PurchaseOption].index(current["option"]),
                            key=_key("purchase_option", revision),
                            help="Reserved Instances / Savings Plans for the steady part of compute")
    spot = right.slider("Spot share", 0.0, 1.0, float(current["spot_share"]), 0.05, key=_key("spot", revision),
                        help="share of EC2 node-hours on Spot and of Fargate task-hours on Fargate Spot")
    return {"option": option, "spot_share": spot}


def ec2(doc: dict[str, Any], revision: int) -> dict[str, Any]:
    """How EC2-backed platforms choose and size nodes."""
    current = doc["ec2"]
    left, middle, right = st.columns(3)
    families = left.text_input("Instance families", ", ".join(current["instance_families"]),
                               key=_key("families", revision), placeholder="automatic (e.g. m7g, c7g)",
                               help="comma-separated; blank = the cheapest of all current general types")
    utilization = middle.number_input("Target utilization", value=float(current["target_utilization"]),
                                      step=0.05, key=_key("utilization", revision), format="%g",
                                      help="packing headroom: share of a node's allocatable capacity to fill")
    root = right.number_input("Root volume [GiB]", value=float(current["root_volume_gib"]), step=10.0,
                              key=_key("root_volume", revision), format="%g")
    left, middle, right = st.columns(3)
    trunking = left.checkbox("ECS ENI trunking", current["ecs_eni_trunking"], key=_key("trunking", revision))
    prefix = middle.checkbox("EKS prefix delegation", current["eks_prefix_delegation"], key=_key("prefix", revision))
    current_gen = right.checkbox("Current-generation types only", current["current_generation_only"],
                                 key=_key("current_gen", revision))
    pools = ("built-in", "custom")
    pool = left.selectbox("EKS Auto Mode node pool", pools, index=pools.index(current["auto_mode_node_pool"]),
                          key=_key("auto_pool", revision),
                          help="built-in: On-Demand C, M and R instances of generation 5+, amd64 (EKS User Guide, "
                               "'Enable or Disable Built-in NodePools'); custom: Spot, arm64 and other families")
    return {"instance_families": [f.strip() for f in families.split(",") if f.strip()],
            "target_utilization": utilization, "ecs_eni_trunking": trunking, "eks_prefix_delegation": prefix,
            "root_volume_gib": root, "current_generation_only": current_gen, "auto_mode_node_pool": pool}


_TRAFFIC_FIELDS = (
    ("availability_zones", "Availability Zones", 1.0, "%d"),
    ("nat_processed_gb_per_month", "NAT processed [GB/month]", 10.0, "%g"),
    ("logs_ingested_gb_per_month", "Logs ingested [GB/month]", 10.0, "%g"),
    ("logs_retention_months", "Log retention [months]", 1.0, "%g"),
    ("internet_egress_gb_per_month", "Internet egress [GB/month]", 10.0, "%g"),
    ("inter_az_gb_per_month", "Between AZs [GB/month]", 10.0, "%g"),
    ("image_storage_gb", "Image storage (ECR) [GB]", 10.0, "%g"),
    ("service_discovery_instances", "Cloud Map instances", 1.0, "%d"),
)


def traffic(doc: dict[str, Any], revision: int) -> dict[str, Any]:
    """Traffic around the containers (the load balancers are a table of their own)."""
    current = doc["traffic"]
    values: dict[str, Any] = {}
    columns = st.columns(4)
    for index, (field, label, step, fmt) in enumerate(_TRAFFIC_FIELDS):
        integer = fmt == "%d"
        value = current[field]
        values[field] = columns[index % 4].number_input(
            label, value=int(value) if integer else float(value), step=int(step) if integer else step,
            format=fmt, key=_key(field, revision))
    nat = columns[len(_TRAFFIC_FIELDS) % 4].number_input(
        "NAT gateways", value=current["nat_gateways"], step=1, key=_key("nat_gateways", revision),
        placeholder="one per AZ", help="blank = one per Availability Zone (the AWS high-availability advice)")
    return {**current, **values, "nat_gateways": nat}


#: Assumption fields: (field, known-gap key(s) whose default applies, label).
_ASSUMPTIONS = (
    ("auto_mode_fee_fraction", ("eks.auto_mode_fee_fraction",), "EKS Auto Mode fee (fraction of On-Demand)"),
    ("ecs_managed_fee_fraction", ("ecs.managed_instances_fee_fraction",),
     "ECS Managed Instances fee (fraction of On-Demand)"),
    ("fargate_spot_discount", ("fargate.spot_discount",), "Fargate Spot discount"),
    ("savings_plan_fargate_discount", ("savings_plans.compute_fargate_discount_1yr",
                                       "savings_plans.compute_fargate_discount_3yr"),
     "Savings Plans discount on Fargate"),
)


def _default_caption(gap_keys: tuple[str, ...], region: str) -> str:
    parts = []
    for key in gap_keys:
        gap = GAPS_BY_KEY[key]
        value = gap.value(region)
        shown = f"{value:.0%}" if value is not None else "none"
        parts.append(f"blank = {shown} ({gap.treatment}); source: {gap.source}, as of {gap.as_of}")
    return "  \n".join(parts)


def assumptions(doc: dict[str, Any], revision: int) -> dict[str, Any]:
    """Overrides of the dated stand-ins for prices the data lacks; blank keeps the sourced default."""
    current = doc["assumptions"]
    values: dict[str, Any] = {}
    for field, gap_keys, label in _ASSUMPTIONS:
        values[field] = st.number_input(label, value=current[field], step=0.01, format="%g",
                                        key=_key(field, revision), placeholder="the dated default")
        st.caption(_default_caption(gap_keys, doc["region"]))
    values["eks_extended_support"] = st.checkbox(
        "EKS extended support", current["eks_extended_support"], key=_key("extended_support", revision),
        help="the cluster runs a Kubernetes version past standard support (a higher cluster-hour fee)")
    return values


def operations(doc: dict[str, Any], revision: int) -> dict[str, Any]:
    """Who runs the platform and at what cost (the overrides are a table of their own)."""
    current = doc["operations"]
    left, middle = st.columns(2)
    rate = left.number_input("Engineer rate [USD/h, loaded]", value=float(current["engineer_rate_usd_per_hour"]),
                             step=5.0, format="%g", key=_key("engineer_rate", revision),
                             help="0 compares the AWS bills alone")
    team = middle.number_input("Team size (engineers who must know the platform)", value=int(current["team_size"]),
                               step=1, key=_key("team_size", revision))
    low, high = ENGINEER_RATE_RANGE_USD_PER_HOUR
    st.caption(f"Default ${DEFAULT_ENGINEER_RATE_USD_PER_HOUR:g}/h: BLS median software-developer wage ÷ 2,080 h ÷ "
               f"wages' share of employer cost [29][31]; plausible ${low:g}–${high:g}/h. "
               f"Default team: {DEFAULT_TEAM_SIZE}, so one can cover the other.  \n"
               f"[29] {CITATIONS['29']}  \n[31] {CITATIONS['31']}")
    left, middle = st.columns(2)
    levels = [v.value for v in OverheadLevel]
    level = left.selectbox("Overhead level", levels, index=levels.index(current["overhead_level"]),
                           key=_key("overhead_level", revision),
                           help=f"where the point estimate sits in every operations range: its low end (automated, "
                                f"mature team; assumed numbers ×{LOW_FACTOR:g}), the most likely value, or its high "
                                f"end (manual, first year; ×{HIGH_FACTOR:g}). The cost ranges draw the whole range.")
    strategies = [v.value for v in UpgradeStrategy]
    strategy = middle.selectbox("EKS upgrade strategy", strategies, index=strategies.index(
        current["eks_upgrade_strategy"]), key=_key("upgrade_strategy", revision),
        help="defer-to-extended-support runs each EKS cluster a version behind and pays the extended-support "
             "fee on every cluster-hour; it postpones upgrade work, it does not remove it")
    return {**current, "engineer_rate_usd_per_hour": rate, "team_size": team, "overhead_level": level,
            "eks_upgrade_strategy": strategy}
