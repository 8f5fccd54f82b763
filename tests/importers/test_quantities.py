"""Resource amounts in Kubernetes, ECS and Compose notation: every valid form, and clear refusals."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.quantities import (
    BINARY_SI,
    DECIMAL_SI,
    K8S_MEMORY_HINT,
    QuantityError,
    checked_memory_gib,
    checked_vcpu,
    parse_compose_bytes,
    parse_compose_cpus,
    parse_ecs_cpu_units,
    parse_ecs_memory_mib,
    parse_k8s_quantity,
)

Ki, Mi, Gi = 2**10, 2**20, 2**30


@pytest.mark.parametrize(("text", "expected"), [
    ("250m", Decimal("0.25")), ("0.5", Decimal("0.5")), ("1", Decimal(1)), (".5", Decimal("0.5")),
    ("1.", Decimal(1)), ("+2", Decimal(2)), ("100n", Decimal("1e-7")), ("5u", Decimal("5e-6")),
    ("512Mi", Decimal(512 * Mi)), ("1G", Decimal(10**9)), ("2Gi", Decimal(2 * Gi)), ("1e3", Decimal(1000)),
    ("1E3", Decimal(1000)), ("1.5Ki", Decimal(1536)), ("12e-1", Decimal("1.2")), ("1k", Decimal(1000)),
    ("1Ti", Decimal(2**40)), ("1E", Decimal(10**18)), ("128974848", Decimal(128974848)),
    ("129e6", Decimal(129_000_000)), ("123Mi", Decimal(123 * Mi)), ("0", Decimal(0)),
    (1, Decimal(1)), (0.5, Decimal("0.5")), (2, Decimal(2)),
])
def test_kubernetes_quantity_forms(text, expected):
    assert parse_k8s_quantity(text) == expected


def test_kubernetes_documented_memory_spellings_are_about_the_same():
    """The Kubernetes docs' example: 128974848, 129e6, 129M, 128974848000m and 123Mi are roughly equal."""
    values = [parse_k8s_quantity(t) for t in ("128974848", "129e6", "129M", "128974848000m", "123Mi")]
    assert max(values) / min(values) < Decimal("1.01")


@pytest.mark.parametrize("text", ["", "m", "1.2.3", "12mi", "1 Gi", "1GB", "0x10", "1e", "1e3.5", "Gi", "- 1",
                                  "ten", "1Gib"])
def test_kubernetes_quantity_rejects_malformed(text):
    with pytest.raises(QuantityError, match="Kubernetes quantity"):
        parse_k8s_quantity(text)


@pytest.mark.parametrize("value", [True, None, [1], {"cpu": 1}, float("nan"), float("inf")])
def test_kubernetes_quantity_rejects_non_numbers(value):
    with pytest.raises(QuantityError):
        parse_k8s_quantity(value)


def test_negative_and_overflowing_quantities_are_errors():
    with pytest.raises(QuantityError, match="negative"):
        parse_k8s_quantity("-1")
    with pytest.raises(QuantityError, match="out of range"):
        parse_k8s_quantity("1e99999999999")


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from([*BINARY_SI, *DECIMAL_SI]))
def test_format_then_parse_round_trips(number, suffix):
    """Formatting a number with any suffix and parsing it back gives number × the suffix's factor."""
    factor = BINARY_SI.get(suffix) or DECIMAL_SI[suffix]
    assert parse_k8s_quantity(f"{number}{suffix}") == number * factor


@given(st.integers(0, 10**6), st.integers(-6, 6))
def test_exponent_form_round_trips(mantissa, exponent):
    assert parse_k8s_quantity(f"{mantissa}e{exponent}") == Decimal(mantissa).scaleb(exponent)


@given(st.integers(1, 4096))
def test_equivalent_spellings_agree(mebibytes):
    same = {parse_k8s_quantity(f"{mebibytes}Mi"), parse_k8s_quantity(str(mebibytes * Mi)),
            parse_k8s_quantity(f"{mebibytes * 1024}Ki"), parse_k8s_quantity(f"{mebibytes * Mi}e0")}
    assert same == {Decimal(mebibytes * Mi)}


@pytest.mark.parametrize(("value", "units"), [
    ("1024", 1024), (1024, 1024), ("1 vCPU", 1024), ("1 vcpu", 1024), ("0.5 vCPU", 512), ("2vCPU", 2048),
    (".25 vcpu", 256), ("256", 256),
])
def test_ecs_cpu_forms(value, units):
    """RegisterTaskDefinition: 'an integer using CPU units (for example, 1024) or ... 1 vCPU or 1 vcpu'."""
    assert parse_ecs_cpu_units(value) == units


@pytest.mark.parametrize(("value", "mib"), [
    ("2048", 2048), (2048, 2048), ("2 GB", 2048), ("2GB", 2048), ("0.5 GB", 512), ("1gb", 1024),
])
def test_ecs_memory_forms(value, mib):
    """ECS converts GB to MiB by multiplying by 1024 (ECS Developer Guide, task CPU/memory errors)."""
    assert parse_ecs_memory_mib(value) == mib


@pytest.mark.parametrize(("parse", "value"), [
    (parse_ecs_cpu_units, "1 core"), (parse_ecs_cpu_units, "1.5"), (parse_ecs_cpu_units, "-256"),
    (parse_ecs_memory_mib, "2 GiB"), (parse_ecs_memory_mib, "2Gi"), (parse_ecs_memory_mib, "lots"),
])
def test_ecs_forms_reject_other_units(parse, value):
    with pytest.raises(QuantityError):
        parse(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("512m", 512 * Mi), ("512M", 512 * Mi), ("1g", Gi), ("1gb", Gi), ("1GiB", Gi), ("2048k", 2 * Mi),
    ("1024kb", Mi), ("300m", 300 * Mi), ("2b", 2), ("1.5g", int(1.5 * Gi)), ("100 MB", 100 * Mi),
    (536870912, 512 * Mi), ("536870912", 512 * Mi),
])
def test_compose_byte_values_are_binary_like_docker(value, expected):
    """docker/go-units RAMInBytes: k/m/g/t/p (+b or ib), case-insensitive, powers of 1024."""
    assert parse_compose_bytes(value) == expected


@pytest.mark.parametrize("value", ["1x", "1 gigabyte", "${MEMORY}", "1mbb"])
def test_compose_byte_values_reject_malformed(value):
    with pytest.raises(QuantityError) as err:
        parse_compose_bytes(value)
    if "$" in value:
        assert "docker compose config" in str(err.value)


def test_compose_cpus():
    assert parse_compose_cpus("0.50") == Decimal("0.5")
    assert parse_compose_cpus(2) == 2
    with pytest.raises(QuantityError, match="docker compose config"):
        parse_compose_cpus("${CPUS:-1}")


def test_absurd_amounts_are_refused_with_the_unit_hint():
    assert checked_vcpu(Decimal(1000)) == 1000.0
    with pytest.raises(QuantityError, match="more than 1000 vCPU"):
        checked_vcpu(Decimal(1001))
    assert checked_memory_gib(Decimal(10 * 2**40), K8S_MEMORY_HINT) == 10 * 1024
    with pytest.raises(QuantityError, match="more than 10 TiB"):
        checked_memory_gib(Decimal(10 * 2**40 + 1), K8S_MEMORY_HINT)
    with pytest.raises(QuantityError, match="512Mi"):
        checked_memory_gib(Decimal(512), K8S_MEMORY_HINT)
    assert checked_memory_gib(Decimal(0), K8S_MEMORY_HINT) == 0.0
