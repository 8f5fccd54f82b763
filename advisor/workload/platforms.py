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
