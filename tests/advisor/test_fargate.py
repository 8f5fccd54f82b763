"""Tests for advisor.capacity.fargate_sizes, built on AWS's own published tables and examples."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.capacity.fargate_billing import (
    EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB,
    FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB,
    FARGATE_MAX_EPHEMERAL_STORAGE_GIB,
    FARGATE_MINIMUM_BILLED_SECONDS,
    FARGATE_WINDOWS_MINIMUM_BILLED_SECONDS,
    billable_ephemeral_storage_gib,
    billed_hours,
    billed_seconds,
    minimum_billed_seconds,
)
from advisor.capacity.fargate_sizes import (
    EKS_FARGATE_POD_OVERHEAD_MIB,
    FARGATE_TASK_SIZES,
    FargateSize,
    eks_fargate_pod_size,
    eks_pod_request,
    fargate_sizes,
    round_up_to_fargate_size,
)
from advisor.errors import AdvisorError, InvalidWorkload
from advisor.workload.units import HOURS_PER_MONTH

# us-east-1 on-demand rates as published on https://aws.amazon.com/fargate/pricing/
# (2025). They live in the tests on purpose: advisor/ never hard-codes prices.
LINUX_X86_USD_PER_VCPU_HOUR = 0.04048
LINUX_X86_USD_PER_GB_HOUR = 0.004445
LINUX_ARM_USD_PER_VCPU_HOUR = 0.03238
LINUX_ARM_USD_PER_GB_HOUR = 0.00356
# The same page's per-second rates, used to cross-check the per-hour arithmetic.
LINUX_X86_USD_PER_VCPU_SECOND = 0.000011244
LINUX_X86_USD_PER_GB_SECOND = 0.000001235
LINUX_ARM_USD_PER_VCPU_SECOND = 0.0000089944
LINUX_ARM_USD_PER_GB_SECOND = 0.0000009889


# --- the size table -------------------------------------------------------------------


def test_size_table_matches_ecs_developer_guide():
    """ECS Developer Guide, "Task CPU and memory": every row, every step."""
    assert FARGATE_TASK_SIZES[0.25] == (0.5, 1.0, 2.0)
    assert FARGATE_TASK_SIZES[0.5] == (1.0, 2.0, 3.0, 4.0)
    assert FARGATE_TASK_SIZES[1.0] == (2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
    assert FARGATE_TASK_SIZES[2.0] == tuple(float(g) for g in range(4, 17))
    assert FARGATE_TASK_SIZES[4.0] == tuple(float(g) for g in range(8, 31))
    assert FARGATE_TASK_SIZES[8.0] == tuple(float(g) for g in range(16, 61, 4))
    assert FARGATE_TASK_SIZES[16.0] == tuple(float(g) for g in range(32, 121, 8))
    assert sorted(FARGATE_TASK_SIZES) == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]


def test_size_table_in_mib_matches_task_definition_values():
    """The task definition JSON uses MiB: 512, 1024, ... 122880 (1 GB = 1024 MiB)."""
    sizes = fargate_sizes("linux")
    assert sizes[0] == FargateSize(0.25, 0.5)
    assert sizes[0].memory_mib == 512
    assert sizes[-1] == FargateSize(16.0, 120.0)
    assert sizes[-1].memory_mib == 122880
    assert len(sizes) == 3 + 4 + 7 + 13 + 23 + 12 + 12


def test_size_table_is_read_only():
    with pytest.raises(TypeError):
        FARGATE_TASK_SIZES[32.0] = (60.0,)  # type: ignore[index]


def test_windows_sizes_are_the_1_2_4_vcpu_rows():
    """ECS table: only the 1024, 2048 and 4096 CPU rows list "Linux, Windows"."""
    windows = fargate_sizes("windows")
    assert {s.vcpu for s in windows} == {1.0, 2.0, 4.0}
    assert windows[0] == FargateSize(1.0, 2.0)
    assert windows[-1] == FargateSize(4.0, 30.0)
    assert set(windows) <= set(fargate_sizes("linux"))


def test_unknown_os_is_rejected():
    with pytest.raises(InvalidWorkload, match="os"):
        fargate_sizes("macos")  # type: ignore[arg-type]


# --- rounding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vcpu", "memory_gib", "expected"),
    [
        (0, 0, FargateSize(0.25, 0.5)),
        (0.25, 0.5, FargateSize(0.25, 0.5)),
        (0.1, 0.6, FargateSize(0.25, 1.0)),
        (0.25, 3, FargateSize(0.5, 3.0)),  # 0.25 vCPU tops out at 2 GB
        (1, 8, FargateSize(1.0, 8.0)),
        (1, 8.25, FargateSize(2.0, 9.0)),  # 1 vCPU tops out at 8 GB
        (0.5, 0.5, FargateSize(0.5, 1.0)),  # 0.5 vCPU starts at 1 GB
        (3, 4, FargateSize(4.0, 8.0)),  # 4 vCPU starts at 8 GB
        (4, 30.5, FargateSize(8.0, 32.0)),  # 8 vCPU grid is 16, 20, ... 60
        (8, 61, FargateSize(16.0, 64.0)),  # 16 vCPU grid is 32, 40, ... 120
        (16, 120, FargateSize(16.0, 120.0)),
    ],
)
def test_round_up_linux(vcpu, memory_gib, expected):
    assert round_up_to_fargate_size(vcpu, memory_gib) == expected


def test_round_up_windows_starts_at_one_vcpu():
    assert round_up_to_fargate_size(0.25, 0.5, os="windows") == FargateSize(1.0, 2.0)
    assert round_up_to_fargate_size(2, 17, os="windows") == FargateSize(4.0, 17.0)


@pytest.mark.parametrize(
    ("vcpu", "memory_gib", "os", "field", "largest"),
    [
        (16.5, 1, "linux", "vcpu", "<= 16"),
        (32, 64, "linux", "vcpu", "<= 16"),
        (1, 121, "linux", "memory_gib", "<= 120"),
        (8, 1, "windows", "vcpu", "<= 4"),
        (1, 31, "windows", "memory_gib", "<= 30"),
    ],
)
def test_round_up_too_big_names_field_and_largest_size(vcpu, memory_gib, os, field, largest):
    with pytest.raises(InvalidWorkload) as excinfo:
        round_up_to_fargate_size(vcpu, memory_gib, os=os)
    err = excinfo.value
    assert err.field == field
    assert largest in err.allowed
    assert str(err).startswith(f"{field}: ")


@pytest.mark.parametrize(("vcpu", "memory_gib"), [(-1, 1), (1, -0.5), (math.nan, 1), (1, math.inf)])
def test_round_up_rejects_nonsense(vcpu, memory_gib):
    with pytest.raises(InvalidWorkload):
        round_up_to_fargate_size(vcpu, memory_gib)


def test_invalid_workload_is_an_advisor_error_and_pickles():
    err = InvalidWorkload("vcpu", 17, "<= 16")
    assert isinstance(err, AdvisorError)
    assert str(err) == "vcpu: 17 is not allowed; allowed: <= 16"
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.field, clone.value, clone.allowed) == ("vcpu", 17, "<= 16")


linux_requests = st.tuples(
    st.floats(min_value=0, max_value=16, allow_nan=False),
    st.floats(min_value=0, max_value=120, allow_nan=False),
)
windows_requests = st.tuples(
    st.floats(min_value=0, max_value=4, allow_nan=False),
    st.floats(min_value=0, max_value=30, allow_nan=False),
)


@given(linux_requests)
def test_rounding_is_valid_and_never_smaller(request):
    vcpu, memory_gib = request
    size = round_up_to_fargate_size(vcpu, memory_gib)
    assert size in fargate_sizes("linux")
    assert size.vcpu >= vcpu
    assert size.memory_gib >= memory_gib


@given(windows_requests)
def test_windows_rounding_is_valid_and_never_smaller(request):
    vcpu, memory_gib = request
    size = round_up_to_fargate_size(vcpu, memory_gib, os="windows")
    assert size in fargate_sizes("windows")
    assert size.vcpu >= vcpu
    assert size.memory_gib >= memory_gib


@given(linux_requests)
def test_rounding_is_cheapest_fitting_size_at_published_rates(request):
    """Smallest (vCPU, memory) is also the cheapest, on x86 and on ARM rates."""
    vcpu, memory_gib = request
    size = round_up_to_fargate_size(vcpu, memory_gib)
    fitting = [s for s in fargate_sizes() if s.vcpu >= vcpu and s.memory_gib >= memory_gib]
    for usd_vcpu, usd_gb in [
        (LINUX_X86_USD_PER_VCPU_HOUR, LINUX_X86_USD_PER_GB_HOUR),
        (LINUX_ARM_USD_PER_VCPU_HOUR, LINUX_ARM_USD_PER_GB_HOUR),
    ]:
        cheapest = min(s.vcpu * usd_vcpu + s.memory_gib * usd_gb for s in fitting)
        assert size.vcpu * usd_vcpu + size.memory_gib * usd_gb == pytest.approx(cheapest)


@given(linux_requests, linux_requests)
def test_rounding_is_monotone(a, b):
    """A request no larger on both axes never provisions a larger size."""
    small = (min(a[0], b[0]), min(a[1], b[1]))
    large = (max(a[0], b[0]), max(a[1], b[1]))
    assert round_up_to_fargate_size(*small) <= round_up_to_fargate_size(*large)


@given(st.sampled_from(fargate_sizes("linux")))
def test_valid_sizes_round_to_themselves(size):
    assert round_up_to_fargate_size(size.vcpu, size.memory_gib) == size


# --- EKS on Fargate ----------------------------------------------------------------------


def test_eks_guide_example_one_vcpu_eight_gb_becomes_two_vcpu_nine_gb():
    """EKS User Guide, "Understand Fargate Pod configuration details": "a request for
    1 vCPU and 8 GB memory will have 256 MB added to its memory request, and will
    provision a Fargate task with 2 vCPUs and 9 GB memory"."""
    assert EKS_FARGATE_POD_OVERHEAD_MIB == 256
    assert eks_fargate_pod_size(1, 8) == FargateSize(2.0, 9.0)


def test_eks_pod_without_requests_gets_smallest_combination():
    """Same guide: with no vCPU/memory combination, ".25 vCPU and 0.5 GB" is used."""
    assert eks_fargate_pod_size(0, 0) == FargateSize(0.25, 0.5)


def test_eks_overhead_pushes_into_next_memory_step():
    # ECS would provision exactly 0.25 vCPU / 2 GB; EKS needs 2.25 GB.
    assert round_up_to_fargate_size(0.25, 2) == FargateSize(0.25, 2.0)
    assert eks_fargate_pod_size(0.25, 2) == FargateSize(0.5, 3.0)


def test_eks_overhead_can_exceed_largest_size():
    with pytest.raises(InvalidWorkload) as excinfo:
        eks_fargate_pod_size(16, 120)
    assert excinfo.value.field == "memory_gib"
    assert excinfo.value.value == 120  # the user's request, not 120.25
    assert "119.75" in excinfo.value.allowed
    assert eks_fargate_pod_size(16, 119.75) == FargateSize(16.0, 120.0)
    with pytest.raises(InvalidWorkload, match="vcpu"):
        eks_fargate_pod_size(17, 1)


def test_eks_pod_request_takes_max_of_init_and_sum_of_app_containers():
    """Guide: the largest init container vs the sum of long-running containers."""
    assert eks_pod_request([0.5, 0.25], init=[1.0, 0.5]) == 1.0
    assert eks_pod_request([0.5, 0.75], init=[1.0]) == 1.25
    assert eks_pod_request([0.5]) == 0.5
    assert eks_pod_request([]) == 0.0


@given(linux_requests)
def test_eks_pod_size_always_covers_request_plus_overhead(request):
    vcpu, memory_gib = request
    if memory_gib + 0.25 > 120:
        return
    size = eks_fargate_pod_size(vcpu, memory_gib)
    assert size.vcpu >= vcpu
    assert size.memory_gib >= memory_gib + 0.25


# --- billing duration --------------------------------------------------------------------


def test_minimums():
    """AWS Fargate Pricing: per second, 1-minute minimum (Linux); Windows longer."""
    assert FARGATE_MINIMUM_BILLED_SECONDS == 60
    assert minimum_billed_seconds("linux") == 60
    assert minimum_billed_seconds("windows") == FARGATE_WINDOWS_MINIMUM_BILLED_SECONDS == 300


@pytest.mark.parametrize(
    ("duration_seconds", "os", "expected"),
    [
        (0, "linux", 0),
        (1, "linux", 60),
        (20, "linux", 60),
        (60, "linux", 60),
        (60.2, "linux", 61),  # "rounded up to the nearest second"
        (600, "linux", 600),
        (120, "windows", 300),
        (301, "windows", 301),
    ],
)
def test_billed_seconds(duration_seconds, os, expected):
    assert billed_seconds(duration_seconds, os) == expected


def test_billed_hours_rejects_negative_duration():
    with pytest.raises(InvalidWorkload, match="duration_seconds"):
        billed_hours(-1)


@given(st.floats(min_value=0.001, max_value=1e7), st.sampled_from(["linux", "windows"]))
def test_billed_hours_never_below_duration_or_minimum(duration_seconds, os):
    hours = billed_hours(duration_seconds, os)
    assert hours * 3600 >= duration_seconds
    assert hours * 3600 >= minimum_billed_seconds(os)


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_billed_seconds_monotone(a, b):
    assert billed_seconds(min(a, b)) <= billed_seconds(max(a, b))


# --- worked cost examples (pure arithmetic with rates given here) -------------------------


def test_pricing_page_example_five_tasks_ten_minutes_a_day():
    """AWS Fargate Pricing worked example: 5 ECS tasks, 1 vCPU / 2 GB each, running
    10 minutes (600 s) every day for 30 days: $1.01 vCPU + $0.22 memory = $1.23."""
    hours_per_run = billed_hours(600)
    runs = 5 * 30
    vcpu_usd = runs * 1 * hours_per_run * LINUX_X86_USD_PER_VCPU_HOUR
    memory_usd = runs * 2 * hours_per_run * LINUX_X86_USD_PER_GB_HOUR
    assert round(vcpu_usd, 2) == 1.01
    assert round(memory_usd, 2) == 0.22
    assert round(vcpu_usd + memory_usd, 2) == 1.23
    # The per-second rates on the same page give the same bill.
    seconds = runs * billed_seconds(600)
    assert round(seconds * 1 * LINUX_X86_USD_PER_VCPU_SECOND, 2) == 1.01
    assert round(seconds * 2 * LINUX_X86_USD_PER_GB_SECOND, 2) == 0.22


def test_same_example_on_arm_rates():
    """The example above priced at the Linux/ARM rates ($0.03238, $0.00356)."""
    hours_per_run = billed_hours(600)
    runs = 5 * 30
    vcpu_usd = runs * 1 * hours_per_run * LINUX_ARM_USD_PER_VCPU_HOUR
    memory_usd = runs * 2 * hours_per_run * LINUX_ARM_USD_PER_GB_HOUR
    assert vcpu_usd == pytest.approx(0.8095)
    assert memory_usd == pytest.approx(0.178)
    assert round(vcpu_usd + memory_usd, 2) == 0.99
    seconds = runs * billed_seconds(600)
    per_second = seconds * (LINUX_ARM_USD_PER_VCPU_SECOND + 2 * LINUX_ARM_USD_PER_GB_SECOND)
    assert per_second == pytest.approx(vcpu_usd + memory_usd, rel=1e-3)


def test_one_vcpu_for_a_month_matches_infracost_golden():
    """Design guide 2.7: 1 vCPU for 730 h at $0.04048 is $29.55 a month."""
    assert round(1 * HOURS_PER_MONTH * LINUX_X86_USD_PER_VCPU_HOUR, 2) == 29.55


def test_short_tasks_pay_the_minute_minimum():
    """A 20 s job (0.25 vCPU / 0.5 GB) run 1000 times bills 1000 minutes, not 20000 s."""
    hours = 1000 * billed_hours(20)
    assert hours == pytest.approx(1000 / 60)
    usd = hours * (0.25 * LINUX_X86_USD_PER_VCPU_HOUR + 0.5 * LINUX_X86_USD_PER_GB_HOUR)
    assert round(usd, 4) == round(1000 / 60 * 0.0123425, 4)


def test_rounding_waste_eks_example_costs_more_than_request():
    """The EKS guide example bills 2 vCPU / 9 GB for a 1 vCPU / 8 GB request."""
    requested = 1 * LINUX_X86_USD_PER_VCPU_HOUR + 8 * LINUX_X86_USD_PER_GB_HOUR
    size = eks_fargate_pod_size(1, 8)
    provisioned = size.vcpu * LINUX_X86_USD_PER_VCPU_HOUR + size.memory_gib * LINUX_X86_USD_PER_GB_HOUR
    assert provisioned - requested == pytest.approx(0.04048 + 0.004445)


# --- ephemeral storage ---------------------------------------------------------------------


def test_storage_constants():
    assert FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB == 20
    assert FARGATE_MAX_EPHEMERAL_STORAGE_GIB == 200
    assert EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB == 175


@pytest.mark.parametrize(("requested_gib", "billable"), [(0, 0), (20, 0), (21, 1), (100, 80), (200, 180)])
def test_billable_ephemeral_storage(requested_gib, billable):
    assert billable_ephemeral_storage_gib(requested_gib) == billable


@pytest.mark.parametrize("requested_gib", [-1, 200.5, 1000])
def test_ephemeral_storage_out_of_range(requested_gib):
    with pytest.raises(InvalidWorkload, match="requested_gib"):
        billable_ephemeral_storage_gib(requested_gib)


def test_eks_ephemeral_storage_ceiling():
    assert billable_ephemeral_storage_gib(175, maximum_gib=EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB) == 155
    with pytest.raises(InvalidWorkload, match="<= 175"):
        billable_ephemeral_storage_gib(176, maximum_gib=EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB)
