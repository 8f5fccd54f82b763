"""pricing.instance_info: per-instance network limits and ECS ENI trunking (trimmed real tables)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pricing.errors import OfferFormatError
from pricing.instance_info import LIMIT_COLUMNS, parse_instance_limits

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "instance-info"
NETWORK = (FIXTURES / "instance_network_limits.csv").read_text()
TRUNKING = (FIXTURES / "ecs_eni_trunking_limits.csv").read_text()


def parse(network: str = NETWORK, trunking: str = TRUNKING):
    return parse_instance_limits(network, trunking, source="instance_network_limits.csv")


def test_columns_and_order():
    frame = parse()
    assert tuple(frame.columns) == LIMIT_COLUMNS
    assert frame["instance_type"].tolist() == sorted(frame["instance_type"])
    assert len(frame) == 6


def test_real_values():
    rows = {r.instance_type: r for r in parse().itertuples(index=False)}
    m5 = rows["m5.large"]
    assert (m5.max_enis, m5.ipv4_per_eni, m5.eks_max_pods, m5.vcpu, m5.memory_mib) == (3, 10, 29, 2, 8192)
    assert (m5.cpu_arch, m5.bare_metal) == ("amd64", False)
    assert (m5.ecs_trunking_supported, m5.ecs_tasks_without_trunking, m5.ecs_tasks_with_trunking) == (True, 2, 10)
    assert rows["t4g.small"].eks_max_pods == 11
    assert rows["m6g.large"].cpu_arch == "arm64"


def test_types_missing_from_trunking_table():
    rows = {r.instance_type: r for r in parse().itertuples(index=False)}
    # g4dn is listed as not supported; c7i.large and t4g.small are not in the 2023 table at all
    for itype in ("g4dn.xlarge", "c7i.large", "t4g.small"):
        assert not rows[itype].ecs_trunking_supported
        assert math.isnan(rows[itype].ecs_tasks_with_trunking)


def test_integer_columns_are_integers():
    frame = parse()
    for col in ("max_enis", "default_card_max_enis", "ipv4_per_eni", "eks_max_pods"):
        assert frame[col].dtype.kind == "i", col
    assert frame["bare_metal"].dtype == bool
    assert frame["ecs_trunking_supported"].dtype == bool


def test_bare_metal_flag():
    network = NETWORK.replace("m5.large,3,3,1,10,10,29,eks-ami-table,nitro,false",
                              "m5.large,3,3,1,10,10,29,eks-ami-table,nitro,true")
    rows = {r.instance_type: r for r in parse(network).itertuples(index=False)}
    assert rows["m5.large"].bare_metal
    assert not rows["m6g.large"].bare_metal


@pytest.mark.parametrize("column", ["max_enis", "ipv4_per_eni", "eks_max_pods", "default_card_max_enis"])
def test_missing_required_column(column):
    lines = NETWORK.splitlines()
    lines[0] = lines[0].replace(column, "renamed", 1)
    with pytest.raises(OfferFormatError, match=rf"^instance_network_limits\.csv: header: expected columns "
                                               rf"\['{column}'\]"):
        parse("\n".join(lines))


def test_non_integer_value_names_the_instance():
    network = NETWORK.replace("t4g.small,3,3,1,4,4,11,", "t4g.small,3,3,1,4,4,unknown,")
    with pytest.raises(OfferFormatError, match=r"instance t4g\.small: expected an integer eks_max_pods"):
        parse(network)
