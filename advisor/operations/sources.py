"""The numbered sources the operations model cites.

Numbered as in section 5 of ``shared/docs/overhead-model-sources.md`` (2026 survey of
public sources), so every range end of :mod:`advisor.operations.activities` and every input
default of :mod:`advisor.workload.operations_inputs` can name its citation as ``[n]``; the
published figures of ``shared/docs/overhead-anchors-2026.md`` that the first list lacks keep
that document's numbers (``[A1]``, ``[A6]``, ``[A7]``).
"""

from __future__ import annotations

#: The sources the operations model cites, numbered as in section 5 of
#: ``shared/docs/overhead-model-sources.md`` (2026 survey of public sources).
CITATIONS: dict[str, str] = {
    "1": "Understand the Kubernetes version lifecycle on EKS, EKS User Guide "
         "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    "2": "Amazon EKS extended support for Kubernetes versions pricing, AWS Containers Blog (April 2024) "
         "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing",
    "3": "KEP-2572: Defining the Kubernetes Release Cadence, SIG Release (2021) "
         "https://github.com/kubernetes/enhancements/blob/master/keps/sig-release/2572-release-cadence/README.md",
    "4b": "Kubernetes Patch Releases (monthly) "
          "https://github.com/kubernetes/website/blob/main/content/en/releases/patch-releases.md",
    "5": "Best Practices for Cluster Upgrades, EKS Best Practices Guide https://aws.github.io/aws-eks-best-practices/upgrades/",
    "6": "Update an Amazon EKS add-on https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html",
    "7": "Update a managed node group for your cluster "
         "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html",
    "8": "Automate cluster infrastructure with EKS Auto Mode https://docs.aws.amazon.com/eks/latest/userguide/automode.html",
    "9": "Update the Kubernetes Version of an EKS Auto Mode cluster "
         "https://docs.aws.amazon.com/eks/latest/userguide/auto-upgrade.html",
    "10": "EKS Auto Mode and maintenance window for drifted nodes, AWS re:Post "
          "https://repost.aws/articles/ARbff3_8A_R7uiPMpCfjHznw/eks-auto-mode-and-maintenance-window-for-drifted-nodes",
    "11": "Simplify compute management with AWS Fargate, EKS User Guide "
          "https://docs.aws.amazon.com/eks/latest/userguide/fargate.html",
    "12": "Amazon ECS-optimized AMI changelog (51 releases in 2024, 57 in 2025) "
          "https://github.com/aws/amazon-ecs-ami/blob/main/CHANGELOG.md",
    "13": "Amazon EKS AMI changelog (39 releases in 2024, 38 in 2025) "
          "https://github.com/awslabs/amazon-eks-ami/blob/main/CHANGELOG.md",
    "15": "Amazon ECS Linux container instance management "
          "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/manage-linux.html",
    "16": "Amazon shared responsibility model for Amazon ECS "
          "https://docs.amazonaws.cn/en_us/AmazonECS/latest/developerguide/security-shared-model.html",
    "17": "Task retirement and maintenance for AWS Fargate on Amazon ECS "
          "https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-maintenance.html",
    "19": "Interconnect Amazon ECS services "
          "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/interconnecting-services.html",
    "20": "AutoScalingGroupProvider, ECS API Reference "
          "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProvider.html",
    "21": "AWS Load Balancer Controller installation "
          "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/",
    "22": "Metrics Server AddOn, EKS Blueprints https://awslabs.github.io/cdk-eks-blueprints/addons/metrics-server",
    "23": "Scale cluster compute with Karpenter and Cluster Autoscaler "
          "https://docs.aws.amazon.com/eks/latest/userguide/autoscaling",
    "24": "Amazon EKS add-ons https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html",
    "25": "Release tags of aws-load-balancer-controller, amazon-vpc-cni-k8s, karpenter-provider-aws (2025: 11, 12, 57)",
    "26": "AL2 EKS-optimized AMIs end of support (Nov 26, 2025) https://github.com/awslabs/amazon-eks-ami/issues/2545",
    "27": "Certificate Management with kubeadm "
          "https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/",
    "28": "Deprecated API Migration Guide https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
    "29": "BLS Occupational Outlook Handbook, Software Developers (May 2023 wages) "
          "https://www.bls.gov/ooh/Computer-and-Information-Technology/Software-developers.htm",
    "31": "BLS Employer Costs for Employee Compensation, June 2025 https://www.bls.gov/news.release/ecec.nr0.htm",
    "38": "Spectro Cloud, State of Kubernetes in the enterprise 2024 "
          "https://spectrocloud.com/blog/ten-essential-insights-into-the-state-of-kubernetes-in-the-enterprise-in-2024",
    "39": "Komodor 2025 Enterprise Kubernetes Report, secondary coverage "
          "https://cloudcurated.com/cloud-management/kubernetes-management-struggles-cost-it-teams-millions",
    "40": "Humanitec Kubernetes Benchmarking Study 2022 "
          "https://pdfcoffee.com/kubernetes-benchmarking-study-2022-2022-02-16-pdf-free.html",
    "41": "EKS 1.27→1.31 upgrade playbook: 2–3 engineer-days per minor "
          "https://www.devopsness.com/blog/best-practices-kubernetes-cluster-upgrade-strategy",
    "42": "Reclaiming Engineering Time: Streamlining Kubernetes Upgrades (4–6 weeks across 3 regions) "
          "https://opscanary.com/articles/reclaiming-engineering-time-streamlining-kubernetes-upgrades-95bfbc4f",
    "43": "Boring Kubernetes Upgrades: A Quarterly Cadence That Actually Works (one engineer, two afternoons) "
          "https://bro-sre.slerm.pro/posts/kubernetes-upgrades.html",
    "46": "EKS: Startup-Specific Guidance, aws/agent-toolkit-for-aws (EKS 20–40% of one engineer) "
          "https://github.com/aws/agent-toolkit-for-aws",
    "55": "ecs-ami-deploy README (ASG instance refresh is not ECS-aware) https://github.com/silinternational/ecs-ami-deploy",
    "60": "Architect for Amazon ECS Managed Instances, ECS Developer Guide (AWS provisions, scales, patches and "
          "maintains the instances; cost-optimized general-purpose types by default) "
          "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ManagedInstances.html",
    "61": "Deep Dive: Amazon ECS Managed Instances provisioning and optimization, AWS Containers Blog (2025) "
          "https://aws.amazon.com/blogs/containers/deep-dive-amazon-ecs-managed-instances-provisioning-and-optimization",
    "62": "Amazon ECS Managed Instances instance types, ECS Developer Guide (allowed/excluded types, attribute-based "
          "selection) https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-types.html",
    "57": "EKS Clusters Incurring Extended Support Charges (one minor version per upgrade) "
          "https://docs.cloudzero.com/docs/eks-clusters-incurring-extended-support-charges",
    # Published figures of ``shared/docs/overhead-anchors-2026.md`` (A-numbers there) not in the list above.
    "A1": "AWS sample 'ECS Managed Instances pricing calculator' defaults (src/data/assumptions.js, README 'Staffing "
          "Costs'; MIT-0, 2026): self-managed EC2 fleet 12 h/month fixed + 2 h per instance per month, ECS Managed "
          "Instances 2 h/month + 0.5 h per instance; an AWS vendor default, no study cited "
          "https://github.com/aws-samples/sample-ecs-managed-instances-pricing-calculator",
    "A6": "Managed EKS on AWS (2026): Auto Mode vs Self-Managed Karpenter: 3 clusters, ~12 production nodes, ~80 ops "
          "h/month self-managed, ~35 h/month after Auto Mode on two clusters; a vendor 'benchmark pattern', weak "
          "https://www.factualminds.com/blog/aws-managed-eks-auto-mode-vs-karpenter-decision-2026/",
    "A7": "ECS Fargate vs ECS EC2: operations staff ~0.05 FTE on Fargate vs ~0.2–0.5 FTE on EC2; a vendor 'industry "
          "estimate' https://fortem.dev/fargate-vs-ec2/",
}
