"""A complexity score per platform, made of visible, countable components.

Score = what the team must **own and upgrade** plus what it must **know**, plus a
penalty for **forced change** (sources doc, section 2):

    score = 3 × (platform parts you upgrade + add-ons you own) + 1 × concepts
            + 2 × forced upgrades per year + 5 × (you run the control plane)

Every component lists the items it counts, so a reader can disagree with one item
instead of with a number.  The enumeration is our reading of the docs cited; a
different team could reasonably count ±2 [A].  Self-managed Kubernetes on EC2 (87)
is the reference point of the 0–100 scale; it is not a priced platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.workload.operations_inputs import KUBERNETES_MINOR_RELEASES_PER_YEAR
from advisor.workload.scenario import Platform

#: Each owned, versioned component brings its own release stream, compatibility matrix and
#: upgrade runbook [6][24][25], so it weighs three concepts [A].
WEIGHT_OWNED_COMPONENT = 3.0
#: One concept to learn (a resource kind, a role, a policy) [A].
WEIGHT_CONCEPT = 1.0
#: A forced upgrade bundles re-testing everything [1][5] [A].
WEIGHT_FORCED_UPGRADE = 2.0
#: Running the control plane yourself (etcd, HA, certificates) adds a flat 5 [27] [A].
WEIGHT_OWN_CONTROL_PLANE = 5.0
#: Score of self-managed Kubernetes on EC2 (17 owned parts, 25 concepts, 3 upgrades, own
#: control plane: 3×17 + 25 + 2×3 + 5 = 87), the top of the 0–100 scale.
SELF_MANAGED_KUBERNETES_SCORE = 87.0

_EKS = (Platform.EKS_EC2, Platform.EKS_FARGATE, Platform.EKS_AUTO)

#: Versioned platform parts the team upgrades (besides add-ons) [1][7][15][16]; ECS Managed
#: Instances has none: AWS patches and replaces its instances [60][61].
PLATFORM_PARTS: dict[Platform, tuple[str, ...]] = {
    Platform.ECS_FARGATE: (),
    Platform.ECS_EC2: ("ECS-optimized AMI (agent, runtime)",),
    Platform.ECS_MANAGED: (),
    Platform.EKS_AUTO: ("Kubernetes control-plane version",),
    Platform.EKS_FARGATE: ("Kubernetes control-plane version",),
    Platform.EKS_EC2: ("Kubernetes control-plane version", "node AMI"),
}

#: Add-ons and agents the team installs and keeps updated (EKS does not update add-ons [6];
#: Auto Mode runs VPC CNI, CoreDNS, kube-proxy, LBC, Karpenter, EBS CSI itself [8][9]; the
#: LBC, metrics-server and a node autoscaler are self-installed on EKS [21][22][23]; ECS has
#: the ALB integration, Service Connect and scaling built in [19][20]).
OWNED_ADD_ONS: dict[Platform, tuple[str, ...]] = {
    Platform.ECS_FARGATE: ("log router / agent sidecar",),
    Platform.ECS_EC2: ("CloudWatch agent",),
    Platform.ECS_MANAGED: ("log router / agent sidecar",),
    Platform.EKS_AUTO: ("metrics-server", "ExternalDNS", "observability agent"),
    Platform.EKS_FARGATE: ("CoreDNS", "kube-proxy", "VPC CNI", "AWS Load Balancer Controller", "metrics-server",
                           "ExternalDNS"),
    Platform.EKS_EC2: ("VPC CNI", "CoreDNS", "kube-proxy", "EBS CSI driver", "Pod Identity agent",
                       "AWS Load Balancer Controller", "Karpenter / Cluster Autoscaler", "metrics-server",
                       "ExternalDNS", "observability agent"),
}

_ECS_CONCEPTS = ("cluster", "task definition", "service", "task role", "execution role",
                 "target group / listener", "Service Connect namespace", "scaling policy")
_KUBERNETES_CONCEPTS = ("namespace", "pod", "deployment", "service", "ingress / IngressClass", "ConfigMap",
                        "Secret", "ServiceAccount + Pod Identity", "RBAC / access entries", "HPA",
                        "PodDisruptionBudget", "requests / limits", "Helm / manifests", "CRDs", "cluster DNS")

#: Concepts needed to run one autoscaled HTTP service with service-to-service calls.
CONCEPTS: dict[Platform, tuple[str, ...]] = {
    Platform.ECS_FARGATE: _ECS_CONCEPTS,
    Platform.ECS_EC2: (*_ECS_CONCEPTS, "capacity provider", "Auto Scaling group / launch template",
                       "container instance", "placement strategy"),
    Platform.ECS_MANAGED: (*_ECS_CONCEPTS, "Managed Instances capacity provider", "infrastructure role",
                           "instance requirements"),
    Platform.EKS_AUTO: (*_KUBERNETES_CONCEPTS, "NodePool", "NodeClass", "NodePool disruption budgets"),
    Platform.EKS_FARGATE: (*_KUBERNETES_CONCEPTS, "Fargate profile", "sidecar logging"),
    Platform.EKS_EC2: (*_KUBERNETES_CONCEPTS, "managed node group", "Karpenter NodePool or Cluster Autoscaler config",
                       "EC2NodeClass", "DaemonSet", "taints / tolerations"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplexityComponent:
    """One counted part of the score: ``points = value × weight``."""

    name: str
    value: float
    weight: float
    items: tuple[str, ...]
    reason: str

    @property
    def points(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplexityScore:
    """A platform's complexity: the sum of its weighted components."""

    platform: Platform
    components: tuple[ComplexityComponent, ...]

    @property
    def total(self) -> float:
        return sum(c.points for c in self.components)

    @property
    def scaled_0_100(self) -> float:
        """Total on a 0–100 scale where self-managed Kubernetes is 100."""
        return 100.0 * self.total / SELF_MANAGED_KUBERNETES_SCORE


def complexity(platform: Platform) -> ComplexityScore:
    """The complexity score of ``platform`` with its components.

    Parameters
    ----------
    platform : Platform
        One of the priced platforms.

    Returns
    -------
    ComplexityScore
        Components: platform parts you upgrade, add-ons you own (both ×3), concepts (×1),
        forced upgrades per year (×2) and running the control plane (×5, never on these
        platforms: AWS runs ECS's and EKS's).
    """
    upgrades = KUBERNETES_MINOR_RELEASES_PER_YEAR if platform in _EKS else 0
    return ComplexityScore(platform=platform, components=(
        ComplexityComponent(name="platform parts you upgrade", value=len(PLATFORM_PARTS[platform]),
                            weight=WEIGHT_OWNED_COMPONENT, items=PLATFORM_PARTS[platform],
                            reason="each has its own release stream and upgrade runbook [1][7][15]"),
        ComplexityComponent(name="add-ons you own", value=len(OWNED_ADD_ONS[platform]), weight=WEIGHT_OWNED_COMPONENT,
                            items=OWNED_ADD_ONS[platform],
                            reason="installed and kept updated by the team; EKS never updates add-ons itself "
                                   "[6][21][22][23][24]"),
        ComplexityComponent(name="concepts to learn", value=len(CONCEPTS[platform]), weight=WEIGHT_CONCEPT,
                            items=CONCEPTS[platform],
                            reason="resource kinds and roles needed to run one autoscaled HTTP service"),
        ComplexityComponent(name="forced upgrades per year", value=upgrades, weight=WEIGHT_FORCED_UPGRADE,
                            items=("Kubernetes minor version",) if upgrades else (),
                            reason="3 minors a year, one per upgrade, auto-upgrade at end of support [1][3]"
                            if upgrades else "ECS has no versioned control plane"),
        ComplexityComponent(name="control plane you run", value=0, weight=WEIGHT_OWN_CONTROL_PLANE, items=(),
                            reason="AWS runs the ECS and EKS control planes"),
    ))
