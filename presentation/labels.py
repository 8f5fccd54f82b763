"""One name per platform, everywhere a platform is shown (app, CLI, reports, notebooks)."""

from __future__ import annotations

from collections.abc import Mapping

from advisor.workload.platforms import Platform

#: The name users read; AWS's own terms.
PLATFORM_LABELS: Mapping[Platform, str] = {
    Platform.ECS_EC2: "ECS on EC2",
    Platform.ECS_FARGATE: "ECS on Fargate",
    Platform.EKS_EC2: "EKS on EC2",
    Platform.EKS_FARGATE: "EKS on Fargate",
    Platform.EKS_AUTO: "EKS Auto Mode",
    Platform.ECS_MANAGED: "ECS Managed Instances",
}


def platform_label(platform: Platform | str) -> str:
    """The reader's name of a platform (``"ecs-ec2"`` -> ``"ECS on EC2"``)."""
    return PLATFORM_LABELS[Platform(platform)]
