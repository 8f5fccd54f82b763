"""AWS rules of issue 13, each stated with its source; every test here failed on the code before it.

Sources are cited per test (page title and URL); the dates are when the documentation was read.
"""

from pathlib import Path

import pytest

from advisor.capacity.fargate_sizes import FargateSize, round_up_to_fargate_size
from advisor.capacity.node_rules import AUTO_MODE_MAX_PODS, allocatable
from advisor.costs.ec2_items import node_shapes
from advisor.costs.estimate import estimate
from advisor.workload.scenario import (
    Daemon,
    Environment,
    Job,
    Platform,
    PurchaseOption,
    Replicas,
    Scenario,
    Service,
    Traffic,
)
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def _scenario(*services: Service, **kw) -> Scenario:
    return Scenario(name="rules", services=services, **kw)


def _svc(name: str = "api", replicas: int = 3, **kw) -> Service:
    return Service(name=name, vcpu=kw.pop("vcpu", 0.5), memory_gib=kw.pop("mem", 1),
                   replicas=Replicas(min=replicas, max=replicas), **kw)


def _lines(result, platform, prefix):
    return [i for i in result.by_platform(platform).line_items if i.name.startswith(prefix)]


def test_fargate_32_vcpu_tier_on_ecs_only():
    """ECS on Fargate offers 32 vCPU with 60, 120 or 244 GB (Linux, platform 1.4.0+): ECS Developer Guide,
    "Creating an Amazon ECS task definition using the console", task-size table,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/create-task-definition.html (read 2026-12-03).
    The EKS guide's pod table still ends at 16 vCPU / 120 GB, so EKS pods do not get the tier."""
    assert round_up_to_fargate_size(20, 100, ecs=True) == FargateSize(32.0, 120.0)
    assert round_up_to_fargate_size(32, 130, ecs=True) == FargateSize(32.0, 244.0)
    with pytest.raises(Exception, match="vcpu"):
        round_up_to_fargate_size(20, 100)


def test_64_vcpu_service_prices_every_ec2_platform_and_names_it_on_fargate(book):
    """One platform's limit never stops the others: a 64 vCPU task exceeds every Fargate size."""
    result = estimate(_scenario(_svc("bigbatch", 2, vcpu=64, mem=128)), book)
    assert {e.platform for e in result.estimates} == {Platform.ECS_EC2, Platform.EKS_EC2, Platform.EKS_AUTO,
                                                       Platform.ECS_MANAGED}
    for gone in result.unavailable:
        assert gone.platform in (Platform.ECS_FARGATE, Platform.EKS_FARGATE)
        assert "bigbatch" in gone.reason and "64 vCPU" in gone.reason and "EC2-backed platform" in gone.reason


def test_eks_fargate_ephemeral_storage_limit_is_175_gib(book):
    """"You can increase the total amount of ephemeral storage up to a maximum of 175 GiB" (EKS User Guide,
    "Understand Fargate Pod configuration details", https://docs.aws.amazon.com/eks/latest/userguide/
    fargate-pod-configuration.html); ECS tasks may have 200 GiB (ECS Developer Guide, "Fargate task
    ephemeral storage for Amazon ECS")."""
    result = estimate(_scenario(_svc(ephemeral_storage_gib=190)), book,
                      (Platform.ECS_FARGATE, Platform.EKS_FARGATE))
    assert [e.platform for e in result.estimates] == [Platform.ECS_FARGATE]
    assert "175 GiB" in result.unavailable[0].reason and "api" in result.unavailable[0].reason


def test_jobs_bill_ephemeral_storage_above_20_gib(book):
    """Fargate bills ephemeral storage above the 20 GB included, for every task (AWS Fargate Pricing,
    https://aws.amazon.com/fargate/pricing/); jobs could not ask for it before."""
    job = Job(name="etl", vcpu=1, memory_gib=2, runs_per_month=10, duration_minutes=60, ephemeral_storage_gib=50)
    result = estimate(Scenario(name="j", jobs=(job,)), book, (Platform.ECS_FARGATE,))
    (storage,) = _lines(result, Platform.ECS_FARGATE, "Fargate ephemeral storage")
    assert storage.quantity == pytest.approx(10 * 1 * 30)   # 10 runs × 1 h × (50 − 20) GB


def test_fargate_spot_runs_arm64_tasks_on_ecs(book):
    """"FARGATE_SPOT supports Linux tasks with the ARM64 architecture on platform version 1.4.0 or later"
    (Amazon ECS API Reference, "CapacityProviderStrategyItem", https://docs.aws.amazon.com/AmazonECS/latest/
    APIReference/API_CapacityProviderStrategyItem.html, read 2026-12-03)."""
    scenario = _scenario(_svc(architecture="arm64"), purchase={"spot_share": 0.5})
    result = estimate(scenario, book, (Platform.ECS_FARGATE,))
    assert _lines(result, Platform.ECS_FARGATE, "Fargate vCPU (api, arm64, fargate spot)")
    assert not result.by_platform(Platform.ECS_FARGATE).warnings


def test_auto_mode_caps_pods_per_node_at_110(book):
    """"EKS limits the maximum number of Pods on a node to 110. This limit is applied after the existing max
    Pods calculation" (EKS User Guide, "Create a Node Class for Amazon EKS", https://docs.aws.amazon.com/eks/
    latest/userguide/create-node-class.html; aws-price-data PROVENANCE §8.5)."""
    scenario = _scenario(_svc())
    limits = book.instance_limits("m5.24xlarge")
    assert limits["eks_max_pods"] > AUTO_MODE_MAX_PODS
    auto = allocatable(Platform.EKS_AUTO, scenario, 96, 393216, limits)
    eks = allocatable(Platform.EKS_EC2, scenario, 96, 393216, limits)
    assert auto[2] == 110 and eks[2] == limits["eks_max_pods"] - 2
    shapes = node_shapes(scenario, Platform.EKS_AUTO, book, {"x86_64"}).shapes
    assert max(s.max_pods for s in shapes) == 110


def test_auto_mode_built_in_pool_is_on_demand_c_m_r_gen5_amd64(book):
    """Built-in NodePools "Use only on-demand EC2 capacity", "Use the C, M, and R EC2 instance families",
    "Require generation 5 or newer EC2 instances"; general-purpose "Uses only amd64 architecture" (EKS User
    Guide, "Enable or Disable Built-in NodePools", https://docs.aws.amazon.com/eks/latest/userguide/
    set-builtin-node-pools.html, read 2026-12-03).  A custom NodePool lifts all three."""
    scenario = _scenario(_svc())
    shapes = node_shapes(scenario, Platform.EKS_AUTO, book, {"x86_64"}).shapes
    assert {s.instance_type.split(".")[0][0] for s in shapes} <= {"c", "m", "r"}
    assert not any(s.instance_type.startswith(("m4.", "c4.", "t3.", "i3.")) for s in shapes)
    spot = _scenario(_svc(), purchase={"spot_share": 0.5})
    built_in = estimate(spot, book, (Platform.EKS_AUTO,)).by_platform(Platform.EKS_AUTO)
    assert not [i for i in built_in.line_items if "spot" in i.name] and "On-Demand" in built_in.warnings[0]
    arm = _scenario(_svc(architecture="arm64"))
    assert "auto_mode_node_pool: custom" in estimate(arm, book, (Platform.EKS_AUTO,)).unavailable[0].reason
    custom = arm.model_copy(update={"ec2": arm.ec2.model_copy(update={"auto_mode_node_pool": "custom"})})
    assert estimate(custom, book, (Platform.EKS_AUTO,)).estimates


def test_per_node_agents_on_fargate_are_a_choice(book):
    """A DaemonSet has no node on Fargate: it is a sidecar in every task, or not needed there (logs through
    the awslogs driver: ECS Developer Guide, "Send Amazon ECS logs to CloudWatch").  Default: sidecar."""
    agent = {"name": "fluent-bit", "vcpu": 0.25, "memory_gib": 0.5}
    kept = estimate(_scenario(_svc(), daemons=(Daemon(**agent),)), book, (Platform.ECS_FARGATE,))
    dropped = estimate(_scenario(_svc(), daemons=(Daemon(**agent, on_fargate="not-needed"),)), book,
                       (Platform.ECS_FARGATE,))
    (vcpu,) = _lines(kept, Platform.ECS_FARGATE, "Fargate vCPU")
    assert vcpu.quantity == pytest.approx(3 * 730 * 0.75)
    (vcpu,) = _lines(dropped, Platform.ECS_FARGATE, "Fargate vCPU")
    assert vcpu.quantity == pytest.approx(3 * 730 * 0.5)


def test_ecs_trunking_table_of_2026_knows_newer_families(book):
    """ECS Developer Guide, "Supported instances for increased Amazon ECS container network interfaces",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html
    (2026 copy, aws-price-data PROVENANCE §8.2): m7i.large 2/10, c7a.large 2/10, r7i.xlarge 3/20."""
    for itype, trunked in (("m7i.large", 10), ("c7a.large", 10), ("r7i.xlarge", 20), ("c8g.48xlarge", 120)):
        assert book.instance_limits(itype)["ecs_tasks_with_trunking"] == trunked


def test_ecs_network_modes_decide_task_density(book):
    """ECS Developer Guide, "Amazon ECS task networking options for the EC2 launch type",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html: awsvpc gives each task
    an ENI; bridge shares the instance's; host maps a fixed port, "you can't run multiple tasks of the same
    task definition on a single Amazon EC2 instance"."""
    tiny = {"vcpu": 0.125, "mem": 0.25, "replicas": 40}
    counts = {}
    for mode in ("awsvpc", "bridge", "host"):
        scenario = _scenario(_svc(network_mode=mode, **tiny), ec2={"instance_families": ["m5"]})
        placement = estimate(scenario, book, (Platform.ECS_EC2,)).by_platform(Platform.ECS_EC2).placements[0]
        counts[mode] = sum(n for _, n in placement.node_counts)
    assert counts["host"] == 40 and counts["bridge"] <= counts["awsvpc"] < counts["host"]


def test_shared_cluster_does_not_pay_coredns_twice(book):
    """CoreDNS is a cluster add-on (2 replicas per cluster, EKS User Guide, "Manage CoreDNS"): an environment
    on a shared cluster runs none of its own."""
    envs = (Environment(name="prod"), Environment(name="dev", shared_cluster=True))
    result = estimate(_scenario(_svc(), environments=envs), book, (Platform.EKS_FARGATE,))
    coredns = [i for i in result.by_platform(Platform.EKS_FARGATE).line_items if "coredns" in i.name]
    assert coredns and {i.environment for i in coredns} == {"prod"}


def test_inter_az_traffic_is_billed_in_each_direction(book):
    """Data transfer across Availability Zones costs $0.01/GB in each direction (Amazon EC2 On-Demand pricing,
    "Data transfer within the same AWS Region"; a dated assumption: pricing.gaps transfer.inter_az_gb)."""
    scenario = _scenario(_svc(), traffic=Traffic(inter_az_gb_per_month=1000))
    result = estimate(scenario, book, (Platform.ECS_FARGATE,))
    (line,) = _lines(result, Platform.ECS_FARGATE, "Data transfer between Availability Zones")
    assert line.quantity == 2000 and line.usd_per_unit == 0.01 and line.is_assumption


def test_commitments_cover_only_the_steady_baseline(book):
    """A Reserved Instance or Savings Plan is paid every hour of its term, so only nodes that run every hour
    benefit; peak-only nodes and job nodes are On-Demand (AWS Savings Plans User Guide, "What are Savings
    Plans?": the commitment is a consistent amount of usage per hour)."""
    path = ROOT / "examples" / "microservices.yaml"
    shop = parse_scenario(path.read_text(), str(path))
    purchase = shop.purchase.model_copy(update={"option": PurchaseOption.RESERVED_1YR})
    reserved = shop.model_copy(update={"purchase": purchase})
    result = estimate(reserved, book, (Platform.ECS_EC2, Platform.ECS_FARGATE))
    ec2 = result.by_platform(Platform.ECS_EC2).line_items
    assert [i for i in ec2 if "job nightly-etl" in i.name and i.name.startswith("Instance usage (on demand")]
    assert not [i for i in ec2 if "job" in i.name and "reserved" in i.name]
    peak_only = [i for i in ec2 if ", peak)" in i.name and i.name.startswith("Instance usage (on demand")]
    assert peak_only
    fargate = result.by_platform(Platform.ECS_FARGATE).line_items
    web = [i for i in fargate if i.name.startswith("Fargate vCPU (web,")]
    assert {i.name.split(", ")[-1] for i in web} == {"reserved 1yr)", "on demand)"}


def test_recommendation_names_the_fargate_sidecar_agents_cost(book):
    """On the microservices example the fluent-bit DaemonSet, as a sidecar in every Fargate task, pushes
    each task up a Fargate size; the recommendation's 'what would change it' says so and what dropping it does."""
    from advisor.decision.recommend import recommend
    from advisor.decision.tco import tco

    path = ROOT / "examples" / "microservices.yaml"
    rec = recommend(tco(parse_scenario(path.read_text(), str(path)), book))
    (agents,) = [b for b in rec.break_evens if b.parameter == "daemons.on_fargate"]
    assert "fluent-bit" in agents.explanation and "ecs-fargate" in agents.explanation and agents.current > 0
