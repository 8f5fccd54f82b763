"""JSON: the full scenario document and every result, re-importable to reopen the scenario exactly.

``to_json`` writes the scenario as ``advisor.workload.spec_io`` serializes it plus the whole
report model; :func:`load_report_json` reads the scenario back through the same model
validation as a scenario file (without YAML's character limits), so
``load_report_json(to_json(m)) == m.scenario``.
Floats are written in Python's shortest round-trip form, so numbers read back
bit-for-bit; NaN or infinity is refused rather than written as invalid JSON.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import parse_scenario, scenario_document
from presentation.estimate_tables import estimate_document
from presentation.text import json_escaped
from reports.errors import ReportError
from reports.model import ReportModel
from reports.tables import Table
from reports.workload import workload_tables

#: Identifies a report document among other JSON files.
REPORT_FORMAT = "ecs-eks-advisor-report"
#: Bumped when a reader of an older document would misread a newer one.
REPORT_FORMAT_VERSION = 1


def _table_document(table: Table) -> dict[str, Any]:
    """A table as ``{"title", "rows": [{column key: value}]}``: values unrounded, keys as in the scenario."""
    keys = [c.key for c in table.columns]
    return {"title": table.title, "rows": [dict(zip(keys, row, strict=True)) for row in table.rows]}


def report_document(model: ReportModel) -> dict[str, Any]:
    """The report as plain JSON-able data."""
    prov, cur, rec = model.provenance, model.currency, model.recommendation
    return {
        "format": REPORT_FORMAT, "format_version": REPORT_FORMAT_VERSION, "title": model.title,
        "generated_at": model.generated_at,
        "scenario": scenario_document(model.scenario),
        "workload": [_table_document(t) for t in workload_tables(model.scenario)],
        "prices": {"source": prov.origin, "version": prov.version, "region": prov.region,
                   "prices_as_of": prov.prices_as_of, "offers": dict(prov.offers), "warnings": list(prov.warnings),
                   "stale_notice": prov.stale_notice},
        "currency": None if cur is None else {"code": cur.code, "symbol": cur.symbol, "usd_rate": cur.usd_rate},
        "summary": [{"platform": s.platform, "rank": s.rank, "aws_monthly_usd": s.aws_monthly_usd,
                     "aws_annual_usd": s.aws_annual_usd, "operations_monthly_usd": s.operations_monthly_usd,
                     "operations_hours_per_month": s.operations_hours_per_month,
                     "tco_monthly_usd": s.tco_monthly_usd, "tco_annual_usd": s.tco_annual_usd,
                     "tco_range_monthly_usd": None if s.tco_range_monthly_usd is None
                     else {"low": s.tco_range_monthly_usd[0], "high": s.tco_range_monthly_usd[1]},
                     "complexity": s.complexity, "category_monthly_usd": dict(s.category_monthly_usd)}
                    for s in model.summaries],
        "recommendation": None if rec is None else {
            "ranking": list(rec.ranking), "reasons": list(rec.reasons), "caveats": list(rec.caveats),
            "confidence": rec.confidence, "break_evens": list(rec.break_evens)},
        "analysis_note": model.analysis.note,
        "tco_range_basis": model.analysis.range_basis,
        "basis": model.analysis.basis,
        "ranges": [{"platform": r.platform, "most_likely_usd": r.point_usd, "p10_usd": r.p10_usd, "p50_usd": r.p50_usd,
                    "p90_usd": r.p90_usd, "probability_cheapest": r.probability_cheapest}
                   for r in model.analysis.ranges],
        "sensitivity": {"note": model.analysis.sensitivity_note,
                        "indices": [{"input": i.input, "label": i.label, "total": i.total, "total_conf": i.total_conf,
                                     "first_order": i.first_order, "first_order_conf": i.first_order_conf}
                                    for i in model.analysis.sensitivity]},
        "estimate": estimate_document(model.result, model.commitments),
        "operational_overhead": [{"platform": o.platform, "activity": o.activity, "hours_per_month": o.hours_per_month,
                                  "usd_per_hour": o.usd_per_hour, "monthly_usd": o.monthly_usd, "basis": o.basis,
                                  "tag": o.tag, "source": o.source}
                                 for o in model.overhead],
        "assumptions": [{"group": a.group, "item": a.item, "value": a.value, "source": a.source, "as_of": a.as_of,
                         "used_by": list(a.used_by)} for a in model.assumptions],
        "prices_used": [{"price_key": p.price_key, "price_ref": p.price_ref, "sku": p.sku,
                         "description": p.description, "usage_type": p.usage_type, "unit": p.unit,
                         "usd_per_unit": p.usd_per_unit, "publication_date": p.publication_date,
                         "used_by": list(p.used_by), "line_count": p.line_count} for p in model.prices_used],
    }


def to_json(model: ReportModel) -> bytes:
    """The report document as indented UTF-8 JSON."""
    text = json.dumps(report_document(model), indent=2, ensure_ascii=False, allow_nan=False)
    return (json_escaped(text) + "\n").encode("utf-8")


def is_report_json(text: str) -> bool:
    """Whether ``text`` looks like a report document (rather than a scenario file)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("format") == REPORT_FORMAT


def load_report_json(text: str, source: str = "report") -> Scenario:
    """The scenario of a report written by :func:`to_json`, validated like a scenario file.

    Raises
    ------
    ReportError
        When the text is not a report document of a version this code reads.
    advisor.workload.spec_io.ScenarioError
        When its scenario does not validate (each bad field named).
    """
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ReportError(f"{source}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != REPORT_FORMAT:
        raise ReportError(f"{source}: not a report document ('format' must be {REPORT_FORMAT!r})")
    version = doc.get("format_version")
    if version != REPORT_FORMAT_VERSION:
        raise ReportError(f"{source}: format_version {version!r} is not supported; allowed: {REPORT_FORMAT_VERSION}")
    scenario = doc.get("scenario")
    if not isinstance(scenario, dict):
        raise ReportError(f"{source}: 'scenario' must be the scenario document (a mapping)")
    try:
        return Scenario.model_validate(scenario)
    except ValidationError:
        # Re-read as a scenario file would be, for the same field-by-field message.
        parse_scenario(json.dumps(scenario), f"{source} scenario")
        raise
