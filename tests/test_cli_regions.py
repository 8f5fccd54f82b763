"""Every commercial Region on the bundled prices, through ``advisor estimate`` and ``compare`` (issue 14).

The examples, switched to Ohio, Singapore, São Paulo and Stockholm, are priced on every
platform with each line item dated by its own price; Regions whose public data lacks a
service price what they can and name what is missing, per platform; a Region or instance
family the prices do not know is a one-line error with the nearest names; and every view of
prices older than 90 days says so, with the refresh command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor_cli.main import main
from presentation.price_age import MAX_PRICE_AGE_DAYS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DONE_WHEN_REGIONS = ("us-east-2", "ap-southeast-1", "sa-east-1", "eu-north-1")
EC2_PLATFORMS = {"ecs-ec2", "eks-ec2", "eks-auto", "ecs-managed"}


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def scenario_file(tmp_path: Path, example: str, **changes: object) -> Path:
    doc = yaml.safe_load((EXAMPLES / example).read_text())
    doc.update(changes)
    path = tmp_path / f"{doc['region']}-{example}".replace(".json", ".yaml")
    path.write_text(yaml.safe_dump(doc))
    return path


def estimate_json(capsys, path: Path) -> tuple[dict, str]:
    assert main(["estimate", str(path), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def example_unavailable(capsys, example: str) -> set[str]:
    """Platforms the example cannot use in its own Region (EKS on Fargate runs no arm64 or Windows pods)."""
    document, _ = estimate_json(capsys, EXAMPLES / example)
    return {u["platform"] for u in document["unavailable"]}


@pytest.mark.parametrize(("example", "region"), [
    *((e, r) for e, r in zip(("microservices.yaml", "small-api.yaml", "batch-arm-spot.json", "windows-legacy.yaml"),
                             DONE_WHEN_REGIONS, strict=True)),
    *(("small-api.yaml", r) for r in DONE_WHEN_REGIONS if r != "ap-southeast-1"),  # every Region, smallest example
])
def test_the_examples_are_priced_in_the_new_regions(tmp_path, capsys, example, region):
    document, _ = estimate_json(capsys, scenario_file(tmp_path, example, region=region))
    assert document["region"] == region
    assert {u["platform"] for u in document["unavailable"]} == example_unavailable(capsys, example)
    assert document["platforms"]
    for platform in document["platforms"]:
        assert platform["monthly_usd"] > 0
        for line in platform["line_items"]:
            # each price's own date: EC2 instances 2025-04-04, EBS 2024-07-18, never the offer's newest
            if line["price_key"] == "ec2.instance_hour":
                assert line["publication_date"] == "2025-04-04", line
            elif line["price_key"] == "ebs.gp3_gb_month":
                assert line["publication_date"] == "2024-07-18", line


def test_a_region_without_ec2_prices_prices_fargate_and_says_what_is_missing(tmp_path, capsys):
    document, _ = estimate_json(capsys, scenario_file(tmp_path, "microservices.yaml", region="ap-east-2"))
    assert {p["platform"] for p in document["platforms"]} == {"ecs-fargate", "eks-fargate"}
    reasons = {u["platform"]: u["reason"] for u in document["unavailable"]}
    assert set(reasons) == EC2_PLATFORMS
    assert all(r.startswith("the active price data has no EC2 instance prices in ap-east-2") for r in reasons.values())


def test_a_region_without_ebs_names_the_missing_price(tmp_path, capsys):
    document, _ = estimate_json(capsys, scenario_file(tmp_path, "microservices.yaml", region="ap-southeast-5"))
    reasons = {u["platform"]: u["reason"] for u in document["unavailable"]}
    assert set(reasons) == EC2_PLATFORMS
    assert all("has no ebs.gp3_gb_month [gp3 root volume" in r and "in ap-southeast-5" in r
               for r in reasons.values())


def test_a_region_without_load_balancers_names_them_for_every_platform(tmp_path, capsys):
    document, _ = estimate_json(capsys, scenario_file(tmp_path, "microservices.yaml", region="ap-southeast-6"))
    assert document["platforms"] == []
    reasons = {u["platform"]: u["reason"] for u in document["unavailable"]}
    assert "elb.alb_hour" in reasons["ecs-fargate"] and "elb.alb_hour" in reasons["eks-fargate"]
    # without a load balancer (nor internet egress: no data-transfer table there) Fargate is priced
    doc = yaml.safe_load((EXAMPLES / "microservices.yaml").read_text())
    traffic = {**doc["traffic"], "load_balancers": [], "internet_egress_gb_per_month": 0}
    document, _ = estimate_json(capsys, scenario_file(tmp_path, "microservices.yaml", region="ap-southeast-6",
                                                      traffic=traffic))
    assert {p["platform"] for p in document["platforms"]} == {"ecs-fargate", "eks-fargate"}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"region": "us-est-2"}, "error: region: 'us-est-2' is not allowed; allowed: a region of the active price data; "
                             "nearest: us-west-2, us-east-2"),
    ({"ec2": {"instance_families": ["m99.huge"]}}, "error: ec2.instance_families[0]: 'm99.huge' is not allowed; "
                                                   "allowed: an EC2 instance family of the active price data"),
    ({"ec2": {"instance_families": ["m5.large"]}}, "error: ec2.instance_families[0]: 'm5.large' is not allowed; "
                                                   "allowed: an instance family such as m5"),
])
def test_unknown_names_are_one_line_errors_with_the_nearest(tmp_path, capsys, changes, expected):
    path = scenario_file(tmp_path, "small-api.yaml", **changes)
    assert main(["estimate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(expected) and err.count("\n") == 1


def test_estimate_says_which_prices_are_over_90_days_old(tmp_path, capsys):
    path = scenario_file(tmp_path, "small-api.yaml", region="us-east-2")
    assert main(["estimate", str(path)]) == 0
    out, err = capsys.readouterr()
    note = out.rstrip().splitlines()[-1]
    assert note.startswith(f"note: prices older than {MAX_PRICE_AGE_DAYS} days: 2024-07-18 (")
    assert "ebs.gp3_gb_month" in note and "ec2.instance_hour" in note
    assert note.endswith("Refresh them with: advisor prices refresh --source bulk --region us-east-2")
    assert err == ""
    # machine-readable formats keep stdout clean: the note goes to stderr
    document, err = estimate_json(capsys, path)
    assert document["region"] == "us-east-2" and err.startswith("note: prices older than 90 days")


def test_compare_says_it_too(tmp_path, capsys):
    assert main(["compare", str(scenario_file(tmp_path, "small-api.yaml", region="sa-east-1"))]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1].endswith("--region sa-east-1")
    assert "note: prices older than 90 days" in out
