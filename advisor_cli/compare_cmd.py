"""``advisor compare``: TCO (AWS bill + operations), the recommendation and complexity of scenario files.

One scenario prints its TCO table, the recommendation (reasons, confidence, break-even
values, caveats), the operations hours by activity, the EKS extended-support trade and
the complexity components.  Several scenarios are shown side by side, each against the
first: TCO per platform, the choice, and which inputs differ.

``--format json`` prints ``{"scenarios": [...], "differences": [...]}`` (one document per
scenario, one difference entry per scenario after the first); ``--format csv`` one row per
scenario and platform.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from advisor.workload.operations_inputs import Activity
from advisor.workload.scenario import Platform
from presentation.comparison import difference_sentences, input_differences
from presentation.money import format_signed_usd

if TYPE_CHECKING:
    from advisor.decision.recommend import Recommendation
    from advisor.decision.tco import PlatformTco, TcoResult

CSV_COLUMNS = ("scenario", "platform", "rank", "aws_monthly_usd", "operations_hours_per_month",
               "operations_monthly_usd", "tco_monthly_usd", "tco_annual_usd", "fte_fraction", "complexity_score",
               "tco_monthly_usd_vs_first")
#: The table lists this many input differences per scenario; JSON lists all.
MAX_INPUT_DIFFERENCES_SHOWN = 12


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``compare`` on the top-level subparsers."""
    cmp = sub.add_parser("compare", help="TCO (AWS bill + operations), recommendation and complexity of "
                                         "one or more scenario files")
    cmp.add_argument("scenario", nargs="+", help="scenario or workspace files (YAML or JSON; a workspace file "
                                                 "brings all its scenarios); the first scenario is the baseline")
    cmp.add_argument("--platform", action="append", choices=[p.value for p in Platform], metavar="PLATFORM",
                     help="limit to these platforms (repeatable): " + ", ".join(p.value for p in Platform))
    cmp.add_argument("--format", choices=("table", "json", "csv"), default="table")
    cmp.set_defaults(func=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """Price and rank every scenario file; the model is imported here so other commands start fast."""
    from advisor.decision.recommend import recommend
    from advisor.decision.tco import tco
    from advisor.workload.workspace import parse_workspace
    from presentation.csv_text import frame_csv
    from pricing.active import load_pricebook

    files = [(p, parse_workspace(Path(p).read_text(encoding="utf-8"), p).scenarios) for p in args.scenario]
    scenarios = [s for _, found in files for s in found]
    book = load_pricebook(args.cache_dir)
    platforms = tuple(Platform(p) for p in args.platform) if args.platform else None
    results = [tco(s, book, platforms) for s in scenarios]
    pairs = [(r, recommend(r)) for r in results]
    labels = _labels([p for p, found in files for _ in found], [s.name for s in scenarios])
    if args.format == "json":
        print(json.dumps(compare_document(pairs, labels), indent=2))
    elif args.format == "csv":
        print(frame_csv(csv_frame(pairs, labels)), end="")
    elif len(pairs) == 1:
        print(single_text(*pairs[0]), end="")
        print(f"\nprices: {book.origin}")
    else:
        print(side_by_side_text(pairs, labels), end="")
        print(f"\nprices: {book.origin}")
    return 0


def _labels(paths: list[str], names: list[str]) -> list[str]:
    """Scenario names, or ``file: name`` when two scenarios share a name."""
    return names if len(set(names)) == len(names) else [f"{p}: {n}" for p, n in zip(paths, names, strict=True)]


# --- documents ------------------------------------------------------------------------

def _platform_record(p: PlatformTco, rank: int) -> dict[str, Any]:
    ops = p.operations
    return {
        "platform": p.platform.value, "rank": rank,
        "aws_monthly_usd": p.aws_monthly_usd, "aws_annual_usd": p.aws_annual_usd,
        "operations_hours_per_month": ops.monthly_hours, "operations_monthly_usd": p.operations_monthly_usd,
        "operations_annual_usd": p.operations_annual_usd, "fte_fraction": ops.fte_fraction,
        "tco_monthly_usd": p.tco_monthly_usd, "tco_annual_usd": p.tco_annual_usd,
        "operations_rows": [{
            "activity": r.activity.value, "frequency_per_year": r.frequency_per_year,
            "hours_per_occurrence": r.hours_per_occurrence, "extra_cluster_hours": r.extra_cluster_hours,
            "engineers": r.engineers, "clusters": r.clusters, "monthly_hours": r.monthly_hours,
            "usd_per_hour": r.usd_per_hour, "monthly_usd": r.monthly_usd, "tag": r.tag.value,
            "frequency_tag": r.frequency_tag.value, "hours_tag": r.hours_tag.value, "source": r.source,
            "reason": r.reason, "formula": r.formula} for r in ops.rows],
        "complexity": {
            "score": p.complexity.total, "scaled_0_100": p.complexity.scaled_0_100,
            "components": [{"name": c.name, "value": c.value, "weight": c.weight, "points": c.points,
                            "items": list(c.items), "reason": c.reason} for c in p.complexity.components]},
    }


def _recommendation_record(rec: Recommendation) -> dict[str, Any]:
    return {
        "choice": rec.choice.value if rec.choice else None,
        "ranking": [p.platform.value for p in rec.ranking],
        "confidence": rec.confidence.value, "confidence_reason": rec.confidence_reason,
        "reasons": list(rec.reasons), "caveats": list(rec.caveats),
        "level_checks": [{"level": c.level.value, "first_tco_monthly_usd": c.first_tco_monthly_usd,
                          "second_tco_monthly_usd": c.second_tco_monthly_usd} for c in rec.level_checks],
        "break_evens": [{"parameter": b.parameter, "unit": b.unit, "current": b.current, "value": b.value,
                         "direction": b.direction, "explanation": b.explanation} for b in rec.break_evens],
    }


def scenario_document(result: TcoResult, rec: Recommendation) -> dict[str, Any]:
    """One scenario's TCO, operations rows, complexity, extended-support trade and recommendation."""
    ranks = {p.platform: i for i, p in enumerate(result.ranked(), start=1)}
    return {
        "scenario": result.scenario.name, "region": result.estimate.region,
        "prices_as_of": result.estimate.prices_as_of, "clusters": result.clusters,
        "operations": result.operations.model_dump(mode="json"),
        "platforms": [_platform_record(p, ranks[p.platform]) for p in result.ranked()],
        "unavailable": [{"platform": u.platform.value, "reason": u.reason} for u in result.unavailable],
        "extended_support": [{
            "platform": t.platform.value, "clusters": t.clusters, "is_applied": t.is_applied,
            "surcharge_usd_per_cluster_hour": t.surcharge_usd_per_cluster_hour, "price_ref": t.price_ref,
            "publication_date": t.publication_date, "fee_usd_per_year": t.fee_usd_per_year,
            "upgrade_hours_per_year": t.upgrade_hours_per_year, "upgrade_usd_per_year": t.upgrade_usd_per_year,
            "net_usd_per_year": t.net_usd_per_year} for t in result.extended_support],
        "recommendation": _recommendation_record(rec),
    }


def _platform_differences(first: TcoResult, other: TcoResult) -> list[dict[str, Any]]:
    base = {p.platform: p for p in first.platforms}
    return [{"platform": p.platform.value, "tco_monthly_usd": p.tco_monthly_usd,
             "tco_monthly_usd_vs_first": p.tco_monthly_usd - base[p.platform].tco_monthly_usd,
             "aws_monthly_usd_vs_first": p.aws_monthly_usd - base[p.platform].aws_monthly_usd,
             "operations_monthly_usd_vs_first": p.operations_monthly_usd - base[p.platform].operations_monthly_usd}
            for p in other.ranked() if p.platform in base]


def compare_document(pairs: list[tuple[TcoResult, Recommendation]], labels: list[str]) -> dict[str, Any]:
    """The JSON form of ``advisor compare``."""
    first, first_rec = pairs[0]
    return {
        "scenarios": [scenario_document(r, rec) for r, rec in pairs],
        "differences": [{
            "scenario": label, "versus": labels[0],
            "choice": rec.choice.value if rec.choice else None,
            "first_choice": first_rec.choice.value if first_rec.choice else None,
            "inputs": input_differences(first.scenario, r.scenario), "platforms": _platform_differences(first, r)}
            for label, (r, rec) in zip(labels[1:], pairs[1:], strict=True)],
    }


def csv_frame(pairs: list[tuple[TcoResult, Recommendation]], labels: list[str]) -> pd.DataFrame:
    """One row per scenario and platform, ranked; the difference from the first scenario's TCO."""
    base = {p.platform: p.tco_monthly_usd for p in pairs[0][0].platforms}
    rows = [{"scenario": label, "platform": p.platform.value, "rank": rank, "aws_monthly_usd": p.aws_monthly_usd,
             "operations_hours_per_month": p.operations.monthly_hours,
             "operations_monthly_usd": p.operations_monthly_usd, "tco_monthly_usd": p.tco_monthly_usd,
             "tco_annual_usd": p.tco_annual_usd, "fte_fraction": p.operations.fte_fraction,
             "complexity_score": p.complexity.total,
             "tco_monthly_usd_vs_first": None if index == 0 or p.platform not in base
             else p.tco_monthly_usd - base[p.platform]}
            for index, (label, (result, _)) in enumerate(zip(labels, pairs, strict=True))
            for rank, p in enumerate(result.ranked(), start=1)]
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


# --- text -------------------------------------------------------------------------------

def _tco_table(result: TcoResult) -> list[str]:
    out = [f"  {'#':>2} {'platform':12} {'AWS USD/mo':>12} {'ops h/mo':>9} {'ops USD/mo':>11} {'TCO USD/mo':>12} "
           f"{'TCO USD/yr':>13} {'FTE':>5} {'complexity':>11}"]
    for rank, p in enumerate(result.ranked(), start=1):
        out.append(f"  {rank:>2} {p.platform.value:12} {p.aws_monthly_usd:>12,.2f} {p.operations.monthly_hours:>9.1f} "
                   f"{p.operations_monthly_usd:>11,.2f} {p.tco_monthly_usd:>12,.2f} {p.tco_annual_usd:>13,.2f} "
                   f"{p.operations.fte_fraction:>5.2f} {p.complexity.total:>5g} ({p.complexity.scaled_0_100:.0f})")
    out += [f"     {u.platform.value:12} unavailable: {u.reason}" for u in result.unavailable]
    return out


def _recommendation_lines(rec: Recommendation) -> list[str]:
    if rec.choice is None:
        return ["Recommendation: none (no platform could run this workload)"]
    out = [f"Recommendation: {rec.choice.value} · confidence {rec.confidence.value}: {rec.confidence_reason}"]
    out += [f"  - {r}" for r in rec.reasons]
    if rec.break_evens or rec.level_checks:
        out.append("What would flip it:")
        out += [f"  - {b.explanation}" for b in rec.break_evens]
        out += [f"  - at the {c.level.value} overhead setting: {c.first_tco_monthly_usd:,.0f} vs "
                f"{c.second_tco_monthly_usd:,.0f} USD/month ({rec.ranking[0].platform.value} vs "
                f"{rec.ranking[1].platform.value})" for c in rec.level_checks]
    out.append("Caveats:")
    out += [f"  - {c}" for c in rec.caveats]
    return out


def _activity_lines(result: TcoResult) -> list[str]:
    ranked = result.ranked()
    activities = [a for a in Activity if any(p.operations.row(a) for p in ranked)]
    out = ["Operations, engineer-hours a month by activity (tag, sources of shared/docs/overhead-model-sources.md):",
           f"  {'activity':22}" + "".join(f"{p.platform.value:>13}" for p in ranked) + "  tag / sources"]
    for activity in activities:
        rows = [p.operations.row(activity) for p in ranked]
        cells = "".join(f"{r.monthly_hours:>13.2f}" if r else f"{'-':>13}" for r in rows)
        present = [r for r in rows if r]
        tags = "/".join(dict.fromkeys(r.tag.value for r in present))
        out.append(f"  {activity.value:22}{cells}  {tags} {present[0].source}")
    out.append(f"  {'total':22}" + "".join(f"{p.operations.monthly_hours:>13.2f}" for p in ranked))
    return out


def _lifecycle_lines(result: TcoResult) -> list[str]:
    if not result.extended_support:
        return []
    out = ["EKS version lifecycle, per year of deferral (fee paid vs upgrade work postponed, not removed):"]
    for t in result.extended_support:
        state = "applied" if t.is_applied else "not applied"
        out.append(f"  {t.platform.value:12} fee {t.fee_usd_per_year:>10,.2f} USD ({t.clusters} × 8,760 h × "
                   f"${t.surcharge_usd_per_cluster_hour:g}, {t.price_ref} @ {t.publication_date}) vs "
                   f"{t.upgrade_hours_per_year:.0f} h = {t.upgrade_usd_per_year:,.2f} USD of upgrades ({state})")
    return out


def _complexity_lines(result: TcoResult) -> list[str]:
    out = ["Complexity = Σ value × weight:"]
    for p in sorted(result.platforms, key=lambda p: p.complexity.total):
        parts = "; ".join(f"{c.name} {c.value:g}×{c.weight:g}" + (f" ({', '.join(c.items)})" if c.items else "")
                          for c in p.complexity.components if c.value)
        out.append(f"  {p.platform.value:12} {p.complexity.total:>3g}: {parts}")
    return out


def single_text(result: TcoResult, rec: Recommendation) -> str:
    """The table report of one scenario."""
    ops = result.operations
    out = [f"Scenario {result.scenario.name} · {result.estimate.region} · prices as of {result.estimate.prices_as_of}",
           f"Operations: ${ops.engineer_rate_usd_per_hour:g}/h · team of {ops.team_size} · overhead "
           f"{ops.overhead_level.value} · {result.clusters} cluster(s) · EKS upgrades {ops.eks_upgrade_strategy.value}",
           "", *_tco_table(result), "", *_recommendation_lines(rec), "", *_activity_lines(result)]
    for block in (_lifecycle_lines(result), _complexity_lines(result)):
        if block:
            out += ["", *block]
    return "\n".join(out) + "\n"


def side_by_side_text(pairs: list[tuple[TcoResult, Recommendation]], labels: list[str]) -> str:
    """TCO per platform of every scenario, with the difference from the first."""
    first = pairs[0][0]
    platforms = list(dict.fromkeys(p.platform for r, _ in pairs for p in r.ranked()))
    head = f"  {'TCO USD/month':14}" + "".join(f"{label[:22]:>24}" for label in labels)
    out = [f"Side by side, differences against {labels[0]}:", "", head]
    for platform in platforms:
        cells = []
        for index, (result, _) in enumerate(pairs):
            mine = next((p for p in result.platforms if p.platform is platform), None)
            base = next((p for p in first.platforms if p.platform is platform), None)
            if mine is None:
                cells.append(f"{'unavailable':>24}")
            elif index == 0 or base is None:
                cells.append(f"{mine.tco_monthly_usd:>24,.2f}")
            else:
                delta = mine.tco_monthly_usd - base.tco_monthly_usd
                cells.append(f"{f'{mine.tco_monthly_usd:,.2f} ({format_signed_usd(delta, digits=0)})':>24}")
        out.append(f"  {platform.value:14}" + "".join(cells))
    out.append("")
    for label, (result, rec) in zip(labels, pairs, strict=True):
        choice = rec.choice.value if rec.choice else "none"
        out.append(f"{label}: {choice} (confidence {rec.confidence.value}); {rec.reasons[0]}")
        out += [f"  flip: {b.explanation}" for b in rec.break_evens]
        if result is not first:
            diffs = difference_sentences(first.scenario, result.scenario)
            out += [f"  input {d}" for d in diffs[:MAX_INPUT_DIFFERENCES_SHOWN]]
            if len(diffs) > MAX_INPUT_DIFFERENCES_SHOWN:
                out.append(f"  ... and {len(diffs) - MAX_INPUT_DIFFERENCES_SHOWN} more input differences "
                           "(--format json lists them all)")
    return "\n".join(out) + "\n"
