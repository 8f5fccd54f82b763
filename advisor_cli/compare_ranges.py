"""The uncertainty half of ``advisor compare``: cost ranges, chance of being cheapest, what decides it.

Text and JSON for an :class:`advisor.analysis.assessment.Assessment`'s ranges (P10/P50/P90
per platform and the probability that each is cheapest) and its Sobol ranking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.decision.tco import METRIC_WORDS, Metric

if TYPE_CHECKING:
    from advisor.analysis.assessment import Assessment

#: The text lists this many inputs of the sensitivity ranking; JSON lists all.
MAX_INDICES_SHOWN = 8


def basis_line(a: Assessment) -> str:
    """Which number is compared: TCO (AWS bill + engineer time at the rate) or the AWS bill alone."""
    rate = a.result.operations.engineer_rate_usd_per_hour
    if a.metric is Metric.AWS:
        return ("Compared on the AWS bill alone (--bill-only): engineer time is shown but not counted; without "
                "--bill-only, TCO = AWS bill + engineer time is compared.")
    return (f"Compared on TCO = AWS bill + engineer time at ${rate:g}/h (the operations rows below); "
            "--bill-only compares the AWS bills alone.")


def ranges_record(a: Assessment) -> dict[str, Any]:
    r = a.ranges
    return {"metric": r.metric.value, "draws": r.draws, "seed": r.seed, "drawn": list(r.drawn),
            "description": r.description,
            "inputs": {name: repr(dist) for name, dist in a.inputs},
            "platforms": [{"platform": x.platform.value, "p10_usd": x.p10_usd, "p50_usd": x.p50_usd,
                           "p90_usd": x.p90_usd, "mean_usd": x.mean_usd, "probability_cheapest": x.probability_cheapest,
                           "available_share": x.available_share} for x in r.ranges]}


def sensitivity_record(a: Assessment) -> dict[str, Any]:
    s = a.sensitivity
    if s is None:
        return {"note": a.sensitivity_note, "indices": []}
    return {"method": "Sobol (SALib: Saltelli design, first-order S1 and total ST indices, 95% bootstrap intervals)",
            "output": f"monthly {s.metric.value} of {s.runner_up.value} minus {s.best.value}",
            "best": s.best.value, "runner_up": s.runner_up.value, "base_gap_usd": s.base_gap_usd,
            "gap_sd_usd": s.gap_sd_usd, "runs": s.runs, "base_samples": s.base_samples, "seed": s.seed,
            "indices": [{"input": i.name, "label": i.label, "first_order": i.first_order,
                         "first_order_conf": i.first_order_conf, "total": i.total, "total_conf": i.total_conf}
                        for i in s.indices]}


def ranges_lines(a: Assessment) -> list[str]:
    r = a.ranges
    if not r.ranges:
        return []
    if not r.drawn:
        return ["Ranges: nothing uncertain is drawn for the AWS bill alone (it is exact for the inputs as given); "
                "--range/--dist draw scenario inputs."]
    ranked = [p.platform for p in a.result.ranked(a.metric)]
    out = [f"{METRIC_WORDS[r.metric]} ranges, USD/month, over {r.description} (seed {r.seed}):",
           f"  {'platform':12} {'P10':>12} {'P50':>12} {'P90':>12}  cheapest in"]
    for platform in ranked:
        x = r.of(platform)
        if x is not None:
            out.append(f"  {platform.value:12} {x.p10_usd:>12,.2f} {x.p50_usd:>12,.2f} {x.p90_usd:>12,.2f}  "
                       f"{x.probability_cheapest:>6.1%} of draws")
    return out


def sensitivity_lines(a: Assessment) -> list[str]:
    s = a.sensitivity
    if s is None:
        return [f"What decides it: {a.sensitivity_note}."] if a.sensitivity_note else []
    out = [f"What decides it: {s.description}; gap now {s.base_gap_usd:,.2f}, sd {s.gap_sd_usd:,.2f} USD/month.",
           "  Ranked by total index ST (its share of the gap's variance with its interactions; S1 alone):",
           f"  {'input':52} {'ST':>13} {'S1':>13}"]
    for i in s.indices[:MAX_INDICES_SHOWN]:
        out.append(f"  {i.label[:52]:52} {i.total:>6.2f} ± {i.total_conf:<4.2f} {i.first_order:>6.2f} ± "
                   f"{i.first_order_conf:<4.2f}")
    if len(s.indices) > MAX_INDICES_SHOWN:
        out.append(f"  ... and {len(s.indices) - MAX_INDICES_SHOWN} more inputs (--format json lists them all)")
    return out
