"""CPU and memory amounts as Kubernetes, Amazon ECS and Docker Compose write them.

Each parser returns an exact :class:`~decimal.Decimal` in the source's base unit
(cores, bytes, ECS CPU units, MiB) so that ``"1Gi"`` and ``"1073741824"`` compare equal
and no float rounding creeps in before the final conversion.  Bad text raises
:class:`QuantityError` saying what forms are allowed; the importers add the file,
document and field.

Formats
-------
Kubernetes (``k8s.io/apimachinery/pkg/api/resource``, type ``Quantity``)::

    <quantity> ::= <signedNumber><suffix>
    <suffix>   ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI> ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
    <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>

so ``"250m"`` is 0.25, ``"1e3"`` is 1000 and ``"1.5Ki"`` is 1536.  YAML may also give
a plain number (``cpu: 0.5``).

Amazon ECS (``RegisterTaskDefinition``): task ``cpu`` is "an integer using CPU units
(for example, 1024) or ... a string using vCPUs (for example, 1 vCPU or 1 vcpu)";
task ``memory`` is "an integer using MiB (for example, 1024)" or "a string using GB
(for example, 1GB or 1 GB)", and ECS converts a GB value to MiB by multiplying by 1024
(Amazon ECS API Reference, ``RegisterTaskDefinition``; ECS Developer Guide,
"Troubleshoot Amazon ECS task definition invalid CPU or memory errors").  Container
``cpu`` is in CPU units and ``memory``/``memoryReservation`` in MiB.

Docker Compose: ``cpus`` is a number of cores (``0.5`` or ``"0.50"``); byte values are
parsed as docker/go-units ``RAMInBytes`` does (the parser Compose uses): a decimal
number, an optional space, then ``b`` or one of ``k m g t p`` optionally followed by
``b`` or ``ib``, case-insensitive, all binary (``"1g"`` = ``"1GiB"`` = 1024³ bytes).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: Kubernetes binary suffixes (powers of 1024).
BINARY_SI: dict[str, int] = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
#: Kubernetes decimal suffixes, as apimachinery's suffixer accepts them.
DECIMAL_SI: dict[str, Decimal] = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
                                  "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"),
                                  "T": Decimal("1e12"), "P": Decimal("1e15"), "E": Decimal("1e18")}
#: "1024 CPU units" is one vCPU (ECS API Reference, ContainerDefinition ``cpu``).
ECS_CPU_UNITS_PER_VCPU = 1024
#: ECS's "GB" in task memory is 1024 MiB (see the module docstring).
ECS_MIB_PER_GB = 1024
BYTES_PER_MIB = 2**20
BYTES_PER_GIB = 2**30
#: More than any container asks for: the largest EC2 instances have a few hundred vCPUs.
#: A bigger number is a unit mix-up (millicores written as cores, CPU units as vCPUs).
MAX_CONTAINER_VCPU = 1000
#: 10 TiB for one container is likewise a unit mix-up (bytes vs. MiB, "Gi" vs. "Ti").
MAX_CONTAINER_MEMORY_GIB = 10 * 1024
#: CPU assumed for a container that states none: the kube-scheduler's stand-in for
#: request-less pods, 100m (``DefaultMilliCPURequest`` in kubernetes/kubernetes
#: ``pkg/scheduler/util/pod_resources.go``).  Every importer uses it, and reports it.
DEFAULT_CPU_CORES = Decimal("0.1")
#: Memory assumed likewise: 200 MiB (``DefaultMemoryRequest``, same file).
DEFAULT_MEMORY_BYTES = Decimal(200 * 2**20)
#: A non-zero memory request below 1 MiB is almost always bytes written for MiB ("512").
MIN_CONTAINER_MEMORY_BYTES = BYTES_PER_MIB

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_K8S_QUANTITY = re.compile(rf"^({_NUMBER})(.*)$")
_K8S_EXPONENT = re.compile(r"^[eE]([+-]?\d+)$")
_ECS_VCPU = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*vcpu$", re.IGNORECASE)
_ECS_GB = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*gb$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+$")
_GO_UNITS_SIZE = re.compile(r"^(\d+(?:\.\d*)?|\.\d+) ?([kmgtp](?:b|ib)?|b)?$", re.IGNORECASE)
_GO_UNITS_BINARY = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40, "p": 2**50}

K8S_MEMORY_HINT = "in Kubernetes a bare number is bytes and 'm' is milli: write '512Mi' for 512 MiB"
COMPOSE_MEMORY_HINT = "in Compose a bare number is bytes: write '512m' or '512MiB' for 512 MiB"
K8S_FORMS = "a Kubernetes quantity such as 250m, 0.5, 2, 512Mi, 1G, 2Gi, 1e3 or 1.5Ki"
ECS_CPU_FORMS = "CPU units (1024 = 1 vCPU, as an integer or a string of digits) or vCPUs ('1 vCPU', '0.5 vcpu')"
ECS_MEMORY_FORMS = "MiB (an integer or a string of digits, e.g. 2048) or GB ('2 GB', '0.5GB')"
COMPOSE_CPU_FORMS = "a number of cores such as 0.5 or '1.5'"
COMPOSE_BYTES_FORMS = "bytes as an integer, or a size such as '512m', '1gb', '2G', '300M', '1.5GiB'"


class QuantityError(ValueError):
    """A value that is not a valid amount in the expected notation, or an absurd one."""


def _number(value: object, forms: str) -> Decimal | None:
    """YAML/JSON numbers as Decimal; None for strings (parsed by the caller); else an error."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise QuantityError(f"{value!r} is not {forms}")
    if isinstance(value, str):
        return None
    number = Decimal(str(value))
    if not number.is_finite():
        raise QuantityError(f"{value!r} is not {forms}")
    return number


def _non_negative(number: Decimal, value: object) -> Decimal:
    if number < 0:
        raise QuantityError(f"{value!r} is negative; requests and sizes must be >= 0")
    return number


def parse_k8s_quantity(value: object) -> Decimal:
    """A Kubernetes quantity in its base unit (cores for CPU, bytes for memory).

    Parameters
    ----------
    value : str, int or float
        As found in ``resources.requests`` / ``limits`` (``"250m"``, ``"2Gi"``, ``0.5``).

    Returns
    -------
    Decimal
        Exact amount [cores or bytes], never negative.
    """
    number = _number(value, K8S_FORMS)
    if number is None:
        match = _K8S_QUANTITY.match(str(value).strip())
        if not match:
            raise QuantityError(f"{value!r} is not {K8S_FORMS}")
        number = Decimal(match.group(1))
        suffix = match.group(2)
        if suffix in BINARY_SI:
            number *= BINARY_SI[suffix]
        elif suffix in DECIMAL_SI:
            number *= DECIMAL_SI[suffix]
        elif exponent := _K8S_EXPONENT.match(suffix):
            try:
                number = number.scaleb(int(exponent.group(1)))
            except ArithmeticError:  # decimal.Overflow and kin
                raise QuantityError(f"{value!r} is out of range") from None
        else:
            raise QuantityError(f"{value!r} has an unknown suffix {suffix!r}; {K8S_FORMS}; suffixes: "
                                + ", ".join([*BINARY_SI, *(s for s in DECIMAL_SI if s)]) + ", e<exponent>")
    return _non_negative(number, value)


def parse_ecs_cpu_units(value: object) -> Decimal:
    """ECS CPU units from ``"1024"``, ``1024``, ``"1 vCPU"`` or ``"0.5 vcpu"``.

    Returns
    -------
    Decimal
        CPU units (1024 per vCPU).
    """
    number = _number(value, ECS_CPU_FORMS)
    if number is not None:
        return _non_negative(number, value)
    text = str(value).strip()
    if _DIGITS.match(text):
        return Decimal(text)
    if match := _ECS_VCPU.match(text):
        return Decimal(match.group(1)) * ECS_CPU_UNITS_PER_VCPU
    raise QuantityError(f"{value!r} is not {ECS_CPU_FORMS}")


def parse_ecs_memory_mib(value: object) -> Decimal:
    """ECS memory in MiB from ``"2048"``, ``2048``, ``"2 GB"`` or ``"0.5GB"``.

    Returns
    -------
    Decimal
        Memory [MiB].
    """
    number = _number(value, ECS_MEMORY_FORMS)
    if number is not None:
        return _non_negative(number, value)
    text = str(value).strip()
    if _DIGITS.match(text):
        return Decimal(text)
    if match := _ECS_GB.match(text):
        return Decimal(match.group(1)) * ECS_MIB_PER_GB
    raise QuantityError(f"{value!r} is not {ECS_MEMORY_FORMS}")


def parse_compose_cpus(value: object) -> Decimal:
    """Compose ``cpus``: a number of cores, as a YAML number or a numeric string."""
    number = _number(value, COMPOSE_CPU_FORMS)
    if number is None:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise QuantityError(f"{value!r} is not {COMPOSE_CPU_FORMS}" + _interpolation_hint(value)) from None
        if not number.is_finite():
            raise QuantityError(f"{value!r} is not {COMPOSE_CPU_FORMS}")
    return _non_negative(number, value)


def parse_compose_bytes(value: object) -> Decimal:
    """Compose byte values (``memory``, ``mem_limit``) in bytes, as docker/go-units reads them."""
    number = _number(value, COMPOSE_BYTES_FORMS)
    if number is not None:
        return _non_negative(number, value)
    match = _GO_UNITS_SIZE.match(str(value).strip())
    if not match:
        raise QuantityError(f"{value!r} is not {COMPOSE_BYTES_FORMS}" + _interpolation_hint(value))
    suffix = (match.group(2) or "b").lower()
    return Decimal(match.group(1)) * (1 if suffix == "b" else _GO_UNITS_BINARY[suffix[0]])


def _interpolation_hint(value: object) -> str:
    if "${" in str(value) or str(value).startswith("$"):
        return "; it is an unresolved variable: import the output of `docker compose config`, which fills them in"
    return ""


def checked_vcpu(vcpu: Decimal) -> float:
    """``vcpu`` as a float, refusing amounts no container asks for (a unit mix-up).

    Parameters
    ----------
    vcpu : Decimal
        CPU of one container or task [vCPU].
    """
    if vcpu > MAX_CONTAINER_VCPU:
        raise QuantityError(f"{vcpu.normalize():f} vCPU is more than {MAX_CONTAINER_VCPU} vCPU for one container "
                            "(a unit mix-up? Kubernetes CPU is in cores, '2000m' is 2; "
                            "ECS CPU is in units, 1024 = 1 vCPU)")
    return float(vcpu)


def checked_memory_gib(memory_bytes: Decimal, notation_hint: str) -> float:
    """Bytes as GiB, refusing amounts no container asks for (too large, or non-zero below 1 MiB).

    Parameters
    ----------
    memory_bytes : Decimal
        Memory of one container or task [bytes].
    notation_hint : str
        How to write memory in the source's notation, appended to the "below 1 MiB"
        error (e.g. :data:`K8S_MEMORY_HINT`).
    """
    gib = memory_bytes / BYTES_PER_GIB
    if gib > MAX_CONTAINER_MEMORY_GIB:
        raise QuantityError(f"{gib:.6g} GiB is more than {MAX_CONTAINER_MEMORY_GIB // 1024} TiB for one container "
                            "(a unit mix-up? '2Gi' is 2 GiB, '2000Gi' is 2 TiB; ECS memory is in MiB)")
    if 0 < memory_bytes < MIN_CONTAINER_MEMORY_BYTES:
        raise QuantityError(f"{memory_bytes.normalize():f} bytes is less than 1 MiB (a unit mix-up? {notation_hint})")
    return float(gib)
