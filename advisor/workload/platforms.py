"""The platforms: the ways AWS runs containers that the advisor prices.

The vocabulary every stage shares (the scenario names them, capacity and costs branch on
them, operations and the decision rank them), so it sits at the bottom of the pipeline.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """The ways AWS runs containers that the advisor prices."""

    ECS_EC2 = "ecs-ec2"
    ECS_FARGATE = "ecs-fargate"
    EKS_EC2 = "eks-ec2"
    EKS_FARGATE = "eks-fargate"
    EKS_AUTO = "eks-auto"
    #: Amazon ECS Managed Instances (GA 2025-09-30): ECS tasks on EC2 instances AWS provisions,
    #: patches and scales, for the EC2 price plus a management fee per instance-hour.
    ECS_MANAGED = "ecs-managed"


#: Platforms that run each task or pod on AWS Fargate.
FARGATE_PLATFORMS: tuple[Platform, ...] = (Platform.ECS_FARGATE, Platform.EKS_FARGATE)
#: Platforms that run on EC2 instances the placement packs.
EC2_PLATFORMS: tuple[Platform, ...] = (Platform.ECS_EC2, Platform.EKS_EC2, Platform.EKS_AUTO, Platform.ECS_MANAGED)
#: Platforms with an EKS (Kubernetes) control plane.
EKS_PLATFORMS: tuple[Platform, ...] = (Platform.EKS_EC2, Platform.EKS_FARGATE, Platform.EKS_AUTO)
