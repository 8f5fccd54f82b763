"""One name and one colour per platform, and per cost category, everywhere they are shown.

The app's charts, the reports (HTML, PDF, Excel) and the notebooks all read their names
and colours here, so ECS on Fargate is the same sky blue in every chart a reader sees.
Both maps are keyed by the :class:`~advisor.workload.platforms.Platform` enum; a test checks
that every platform has a name and a colour of its own.

The colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), chosen
to stay distinct for readers with the common forms of colour blindness; ECS platforms are
blues and green, EKS platforms orange, vermilion and purple.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.workload.platforms import Platform

#: The name users read, in AWS's own terms (the enum's order: legends list platforms in it).
PLATFORM_LABELS: Mapping[Platform, str] = {
    Platform.ECS_EC2: "ECS on EC2",
    Platform.ECS_FARGATE: "ECS on Fargate",
    Platform.EKS_EC2: "EKS on EC2",
    Platform.EKS_FARGATE: "EKS on Fargate",
    Platform.EKS_AUTO: "EKS Auto Mode",
    Platform.ECS_MANAGED: "ECS Managed Instances",
}
#: Each platform's colour (Okabe-Ito), in the enum's order.
PLATFORM_COLORS: Mapping[Platform, str] = {
    Platform.ECS_EC2: "#0072B2",       # blue
    Platform.ECS_FARGATE: "#56B4E9",   # sky blue
    Platform.EKS_EC2: "#D55E00",       # vermilion
    Platform.EKS_FARGATE: "#E69F00",   # orange
    Platform.EKS_AUTO: "#CC79A7",      # reddish purple
    Platform.ECS_MANAGED: "#009E73",   # bluish green
}

#: Cost categories (``advisor.costs.line_items.Category`` values) and the operations segment:
#: a sequential order from compute (dark) to observability (light), operations grey.
CATEGORY_COLORS: Mapping[str, str] = {
    "compute": "#1B4F72",
    "idle": "#C0392B",
    "control-plane": "#7D3C98",
    "management": "#AF7AC5",
    "networking": "#17A589",
    "storage": "#D4AC0D",
    "observability": "#5DADE2",
    "operations": "#9E9E9E",
}
#: Any other series (a category added later).
OTHER_COLOR = "#7F7F7F"


def platform_label(platform: Platform | str) -> str:
    """The reader's name of a platform (``"ecs-ec2"`` -> ``"ECS on EC2"``)."""
    return PLATFORM_LABELS[Platform(platform)]


def platform_color(platform: Platform | str) -> str:
    """The platform's colour in every chart (``"ecs-ec2"`` -> ``"#0072B2"``)."""
    return PLATFORM_COLORS[Platform(platform)]


def series_color(name: str) -> str:
    """The colour of a chart series: a platform (by id or name), a cost category, or operations."""
    by_name = {label: PLATFORM_COLORS[p] for p, label in PLATFORM_LABELS.items()}
    if name in by_name:
        return by_name[name]
    if name in {p.value for p in Platform}:
        return platform_color(name)
    key = "operations" if name.startswith("operations") else name
    return CATEGORY_COLORS.get(key, OTHER_COLOR)
