"""``advisor analyze``: parameters, break-even sweeps, sensitivity, Monte Carlo and projections of a scenario.

Each subcommand reads a scenario file, runs one analysis of :mod:`advisor` with the
active prices and prints a table, JSON or CSV.  Ranges and distributions are written
``NAME=LOW:HIGH`` (``--range``) or ``NAME=KIND:ARGS`` (``--dist``: ``triangular:LOW:MODE:HIGH``,
``normal:MEAN:SD[:LOW:HIGH]``, ``lognormal:MEDIAN:SIGMA``); a bad one is a one-line error.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from advisor.workload.scenario import Platform
from advisor_cli.notices import pricebook_in_background, print_region_age_notice
from advisor_cli.output import FORMATS, frame_to_records
from presentation.csv_text import frame_csv
from presentation.text import printable_frame, printable_lines

METRICS = ("tco", "aws", "operations")
_PLATFORM_IDS = frozenset(p.value for p in Platform)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``analyze`` and its subcommands on the top-level subparsers."""
    analyze = sub.add_parser("analyze", help="sweeps, sensitivity, Monte Carlo and projections of a scenario")
    asub = analyze.add_subparsers(dest="analyze_command", required=True)

    _command(asub, "parameters", "list the numeric inputs an analysis can vary", _run_parameters)

    swp = _command(asub, "sweep", "price one parameter over a range; curves and crossing points", _run_sweep)
    swp.add_argument("--param", required=True, help="parameter to sweep (see 'advisor analyze parameters')")
    swp.add_argument("--from", dest="start", type=float, help="first value")
    swp.add_argument("--to", dest="stop", type=float, help="last value")
    swp.add_argument("--points", type=int, default=20, help="evenly spaced points (default 20)")
    swp.add_argument("--values", help="comma-separated values instead of --from/--to/--points")
    swp.add_argument("--refine", action="store_true", help="narrow each crossing by bisection on the model")
    _analysis_options(swp)

    sens = _command(asub, "sensitivity", "tornado data: inputs that move the gap between the two best platforms",
                    _run_sensitivity)
    sens.add_argument("--input", action="append", default=[], metavar="NAME=LOW:HIGH",
                      help="an input and its low/high values (repeatable); default: scenario-wide inputs ± --change")
    sens.add_argument("--change", type=float, default=0.2, help="relative change of the default inputs (default 0.2)")
    _analysis_options(sens)

    sim = _command(asub, "simulate", "Monte Carlo: P10/P50/P90 per platform and the chance each is cheapest",
                   _run_simulate)
    sim.add_argument("--samples", type=int, default=1000, help="number of draws (default 1000)")
    sim.add_argument("--seed", type=int, default=0, help="generator seed; the same seed repeats the run (default 0)")
    sim.add_argument("--range", action="append", default=[], metavar="NAME=LOW:HIGH", help="a uniform input")
    sim.add_argument("--dist", action="append", default=[], metavar="NAME=KIND:ARGS",
                     help="triangular:LOW:MODE:HIGH, normal:MEAN:SD[:LOW:HIGH] or lognormal:MEDIAN:SIGMA")
    sim.add_argument("--fixed-operations", action="store_true",
                     help="hold the operations hours at their most likely values (by default their ranges are "
                          "drawn too, unless --metric aws)")
    _analysis_options(sim)

    proj = _command(asub, "project", "months ahead with growth, commitments and their break-even use", _run_project)
    proj.add_argument("--months", type=int, default=12, help="horizon (default 12; 36 adds the 3-year terms)")
    proj.add_argument("--growth", type=float, default=0.0, help="replica growth per month, 0.02 = +2%% (default 0)")
    _analysis_options(proj)


def _command(asub: argparse._SubParsersAction, name: str, text: str,
             run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    cmd = asub.add_parser(name, help=text, description=text)
    cmd.add_argument("scenario", help="scenario file (YAML or JSON)")
    cmd.add_argument("--format", choices=FORMATS, default="table")
    cmd.set_defaults(func=run)
    return cmd


def _analysis_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--metric", choices=METRICS, default="tco",
                     help="what to compare: tco (AWS bill + operations, default), aws, operations")
    cmd.add_argument("--platform", action="append", choices=[p.value for p in Platform], metavar="PLATFORM",
                     help="limit to these platforms (repeatable)")


# --- running ------------------------------------------------------------------------------------


def _setup(args: argparse.Namespace, prices: Callable[[], Any]) -> tuple[Any, Any]:
    """The scenario and its evaluator (on every core), once ``prices`` are read (they are read on a thread while
    the analysis is imported, as ``advisor estimate`` does); the model is imported here so other commands start fast."""
    from advisor.analysis.evaluator import CostEvaluator, Metric
    from advisor.pool import available_cores
    from advisor.workload.spec_io import parse_scenario

    path = Path(args.scenario)
    scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    platforms = tuple(Platform(p) for p in args.platform) if args.platform else None
    return scenario, CostEvaluator(prices(), Metric(args.metric), platforms, workers=available_cores())


def _run_parameters(args: argparse.Namespace) -> int:
    from advisor.analysis.parameters import ParameterSpace
    from advisor.workload.spec_io import parse_scenario

    path = Path(args.scenario)
    space = ParameterSpace(parse_scenario(path.read_text(encoding="utf-8"), str(path)))
    frame = pd.DataFrame([{"parameter": p.name, "value": p.value, "integer": p.is_integer, "minimum": p.minimum,
                           "maximum": p.maximum, "description": p.description} for p in space.parameters])
    print(_render(frame, args.format, {"scenario": space.scenario.name, "parameters": frame_to_records(frame)}))
    return 0


def _run_sweep(args: argparse.Namespace) -> int:
    prices = pricebook_in_background(args.cache_dir)   # read while the analysis is imported
    from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace
    from advisor.analysis.sweep import sweep, sweep_values

    scenario, evaluator = _setup(args, prices)
    if args.values is not None:
        values = [_number("values", v) for v in args.values.split(",")]
    elif args.start is None or args.stop is None:
        raise InvalidAnalysis("--from/--to", None, "both --from and --to, or --values")
    else:
        values = sweep_values(ParameterSpace(scenario).parameter(args.param), args.start, args.stop, args.points)
    result = sweep(scenario, evaluator, args.param, values, refine=args.refine)
    cheapest = result.cheapest()
    frame = pd.DataFrame({args.param: result.values, **{p.value: c for p, c in result.monthly_usd.items()},
                          "cheapest": [p.value if p else None for p in cheapest]})
    crossings = [_crossing(c) for c in result.crossings]
    changes = [_crossing(c) for c in result.winner_changes()]
    doc = {"scenario": scenario.name, "metric": args.metric, "parameter": args.param, "values": list(result.values),
           "monthly_usd": {p.value: [_json(v) for v in c] for p, c in result.monthly_usd.items()},
           "cheapest": list(frame["cheapest"]), "crossings": crossings, "winner_changes": changes}
    notes = [f"{args.metric} USD/month by {args.param}"]
    notes += [f"cheapest changes: {c['below']} -> {c['above']} at {args.param} = {c['value']:.6g} "
              f"({c['monthly_usd']:,.2f} USD/month)" for c in changes] or ["cheapest platform never changes"]
    notes += [f"crossing: {c['below']} below / {c['above']} above {c['value']:.6g}" for c in crossings]
    print(_render(frame, args.format, doc, notes))
    print_region_age_notice(evaluator.prices, scenario.region, "json")  # stderr: stdout stays parseable
    return 0


def _crossing(c: Any) -> dict[str, Any]:
    return {"below": c.below.value, "above": c.above.value, "value": c.value, "monthly_usd": c.monthly_usd,
            "bracket": list(c.bracket), "is_refined": c.is_refined}


def _run_sensitivity(args: argparse.Namespace) -> int:
    prices = pricebook_in_background(args.cache_dir)   # read while the analysis is imported
    from advisor.analysis.sensitivity import sensitivity

    scenario, evaluator = _setup(args, prices)
    inputs = dict(parse_range(text) for text in args.input) if args.input else None
    tornado = sensitivity(scenario, evaluator, inputs, relative_change=args.change)
    frame = pd.DataFrame([{"parameter": b.parameter, "base": b.base_value, "low": b.low_value, "high": b.high_value,
                           "gap_at_low_usd": b.low_gap_usd, "gap_at_high_usd": b.high_gap_usd,
                           "swing_usd": b.swing_usd, "flips": b.flips} for b in tornado.bars])
    doc = {"scenario": scenario.name, "metric": args.metric, "best": tornado.best.value,
           "runner_up": tornado.runner_up.value, "base_gap_usd": tornado.base_gap_usd, "bars": frame_to_records(frame)}
    head = (f"{tornado.best.value} is cheapest, {tornado.runner_up.value} next, {tornado.base_gap_usd:,.2f} USD/month "
            f"apart ({args.metric}); gap = {tornado.runner_up.value} - {tornado.best.value}, by swing")
    print(_render(frame, args.format, doc, [head]))
    print_region_age_notice(evaluator.prices, scenario.region, "json")  # stderr: stdout stays parseable
    return 0


def _run_simulate(args: argparse.Namespace) -> int:
    prices = pricebook_in_background(args.cache_dir)   # read while the analysis is imported
    from advisor.analysis.montecarlo import Uniform, simulate

    scenario, evaluator = _setup(args, prices)
    inputs = {name: Uniform(low, high) for name, (low, high) in map(parse_range, args.range)}
    inputs.update(parse_distribution(text) for text in args.dist)
    operations = args.metric != "aws" and not args.fixed_operations
    result = simulate(scenario, evaluator, inputs, samples=args.samples, seed=args.seed, operations=operations)
    frame = pd.DataFrame([{"platform": r.platform.value, "p10_usd": r.p10_usd, "p50_usd": r.p50_usd,
                           "p90_usd": r.p90_usd, "mean_usd": r.mean_usd,
                           "probability_cheapest": r.probability_cheapest, "available_share": r.available_share}
                          for r in result.ranges])
    doc = {"scenario": scenario.name, "metric": args.metric, "samples": result.samples, "seed": result.seed,
           "inputs": {name: repr(dist) for name, dist in sorted(inputs.items())}, "operations_ranges": operations,
           "platforms": frame_to_records(frame)}
    drawn = [f"{name} ~ {dist!r}" for name, dist in sorted(inputs.items())]
    drawn += ["the operations activity ranges"] if operations else []
    notes = [f"{args.metric} USD/month over {result.samples} draws (seed {result.seed}) of " + ", ".join(drawn)]
    print(_render(frame, args.format, doc, notes))
    print_region_age_notice(evaluator.prices, scenario.region, "json")  # stderr: stdout stays parseable
    return 0


def _run_project(args: argparse.Namespace) -> int:
    prices = pricebook_in_background(args.cache_dir)   # read while the analysis is imported
    from advisor.analysis.projection import project

    scenario, evaluator = _setup(args, prices)
    result = project(scenario, evaluator, months=args.months, growth_per_month=args.growth)
    frame = pd.DataFrame({"month": range(1, result.months + 1), "replicas_scale": result.replicas_scale,
                          **{p.value: c for p, c in result.monthly_usd.items()}})
    plans = pd.DataFrame([{"platform": c.platform.value, "option": c.option.value, "term_months": c.term_months,
                           "total_usd": c.cumulative_usd[-1], "saving_usd": c.saving_usd,
                           "payback_month": c.payback_month, "break_even_utilization": c.break_even_utilization}
                          for c in result.commitments])
    doc = {"scenario": scenario.name, "metric": args.metric, "months": result.months,
           "growth_per_month": result.growth_per_month, "monthly": frame_to_records(frame),
           "cumulative_usd": {p.value: list(c) for p, c in result.cumulative_usd.items()},
           "commitments": frame_to_records(plans), "skipped": list(result.skipped)}
    notes = [f"{args.metric} USD/month, replicas × (1 + {args.growth:g})^(month - 1), "
             f"purchase option {scenario.purchase.option.value}", "", _table(plans)]
    notes += [f"skipped {s}" for s in result.skipped]
    print(_render(frame, args.format, doc, notes))
    print_region_age_notice(evaluator.prices, scenario.region, "json")  # stderr: stdout stays parseable
    return 0


# --- parsing and rendering ---------------------------------------------------------------------------


def _number(field: str, text: str) -> float:
    from advisor.analysis.parameters import InvalidAnalysis

    try:
        value = float(text)
    except ValueError:
        raise InvalidAnalysis(field, text, "a number") from None
    if not math.isfinite(value):
        raise InvalidAnalysis(field, text, "a finite number")
    return value


def _split(text: str, form: str) -> tuple[str, list[str]]:
    from advisor.analysis.parameters import InvalidAnalysis

    name, sep, spec = text.rpartition("=")
    if not sep or not name or not spec:
        raise InvalidAnalysis("range", text, form)
    return name, spec.split(":")


def parse_range(text: str) -> tuple[str, tuple[float, float]]:
    """``NAME=LOW:HIGH`` with LOW < HIGH."""
    from advisor.analysis.parameters import InvalidAnalysis

    name, parts = _split(text, "NAME=LOW:HIGH")
    if len(parts) != 2:
        raise InvalidAnalysis("range", text, "NAME=LOW:HIGH")
    low, high = (_number(name, p) for p in parts)
    if not low < high:
        raise InvalidAnalysis(name, text, "LOW < HIGH (the range is empty otherwise)")
    return name, (low, high)


def parse_distribution(text: str) -> tuple[str, Any]:
    """``NAME=triangular:LOW:MODE:HIGH``, ``NAME=normal:MEAN:SD[:LOW:HIGH]`` or ``NAME=lognormal:MEDIAN:SIGMA``."""
    from advisor.analysis.montecarlo import LogNormal, Triangular, TruncatedNormal
    from advisor.analysis.parameters import InvalidAnalysis

    kinds = {"triangular": (Triangular, (3,)), "normal": (TruncatedNormal, (2, 4)), "lognormal": (LogNormal, (2,))}
    form = "NAME=triangular:LOW:MODE:HIGH, NAME=normal:MEAN:SD[:LOW:HIGH] or NAME=lognormal:MEDIAN:SIGMA"
    name, (kind, *args) = _split(text, form)
    if kind not in kinds or len(args) not in kinds[kind][1]:
        raise InvalidAnalysis("dist", text, form)
    return name, kinds[kind][0](*(_number(name, a) for a in args))


def _json(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def _table(frame: pd.DataFrame) -> str:
    """Aligned text: dollar columns (``*_usd`` and platform ids) to the cent, other numbers to 6 digits."""
    if frame.empty:
        return "(no rows)"
    money = {c for c in frame.columns if c.endswith("_usd") or c in _PLATFORM_IDS}
    formats = {c: (lambda v: f"{v:,.2f}") if c in money else (lambda v: f"{v:.6g}")
               for c in frame.columns if pd.api.types.is_float_dtype(frame[c])}
    return printable_frame(frame).to_string(index=False, formatters=formats)


def _render(frame: pd.DataFrame, fmt: str, doc: dict[str, Any], notes: list[str] | None = None) -> str:
    """``json``: the whole document; ``csv``: the main table; ``table``: notes, then the table."""
    if fmt == "json":
        return json.dumps(doc, indent=2)
    if fmt == "csv":
        return frame_csv(frame).rstrip("\n")
    return printable_lines([*notes, ""]) + "\n" + _table(frame) if notes else _table(frame)
