"""Cache wrappers around the library: the price book, TCO results, recommendations, analyses.

Every key is the scenario's JSON plus the price book's version (the book itself is
passed as ``_book``, so it is not hashed), plus the analysis inputs; a rerun with
unchanged inputs, or a return to an earlier scenario, costs nothing.

- The price book is a ``st.cache_resource`` shared by every session and never mutated;
  its key includes when the cache's metadata last changed, so a refresh is picked up.
- TCO results are ``st.cache_resource`` too: they hold the price book they were priced
  with (``TcoResult.prices``, which the recommendation re-prices with), and a price book
  cannot be pickled, which ``st.cache_data`` would do.  They are frozen: never mutated.
- Recommendations and analyses are plain frozen values: ``st.cache_data``; an assessment
  holds its TCO result (and so the price book), so it is a ``st.cache_resource``.
- Placements are remembered per price book in one :class:`advisor.memo.Memo` shared by every
  session (``st.cache_resource``): the Compare page, the recommendation's replica search and
  every analysis reuse each other's placements, so an edit re-packs only what it changed.
  An estimate, and an analysis' variants, have their distinct placements made once each on
  the machine's cores (:func:`advisor.costs.estimate.prefetch_placements`, :mod:`advisor.pool`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import pricing.active
from advisor.analysis.assessment import Assessment, assess
from advisor.analysis.evaluator import CostEvaluator, Metric
from advisor.analysis.global_sensitivity import SobolRanking, sobol_ranking
from advisor.analysis.montecarlo import Distribution, Simulation, simulate
from advisor.analysis.parameters import ParameterSpace
from advisor.analysis.projection import Projection, project
from advisor.analysis.sensitivity import Tornado, sensitivity
from advisor.analysis.sweep import SweepResult, sweep, sweep_values
from advisor.decision.recommend import Recommendation, recommend
from advisor.decision.tco import TcoResult, tco
from advisor.decision.uncertainty import CostRanges, tco_ranges
from advisor.memo import Memo
from advisor.pool import available_cores
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import dump_scenario, parse_scenario
from pricing.cache_store import version_stamp
from pricing.errors import PricingError
from pricing.locations import default_cache_dir
from pricing.pricebook import PriceBook

#: What loading the prices can raise: a broken install or an unreadable cache directory.
LOAD_ERRORS = (PricingError, ValueError, OSError)
#: Distinct scenarios kept per process (a TCO result is a few hundred KB at most).
MAX_CACHED_RESULTS = 32
#: Analysis results kept per kind (each is a few KB to a few MB for large simulations).
MAX_CACHED_ANALYSES = 16


@st.cache_resource(show_spinner="Loading prices…", max_entries=4)
def _pricebook(cache_dir: str, cache_stamp: str) -> PriceBook:
    """The active PriceBook (``cache_stamp`` is part of the key only)."""
    return pricing.active.load_pricebook(Path(cache_dir))


def cache_stamp(cache_dir: Path) -> str:
    """Changes whenever the cache's active store changes ("" when there is no cache)."""
    return version_stamp(pricing.active.cache_store_dir(cache_dir))


def active_pricebook() -> PriceBook:
    """The prices in force: the per-user cache when it verifies, else the bundled snapshot.

    Raises one of :data:`LOAD_ERRORS` when even the snapshot cannot be read.
    """
    cache_dir = default_cache_dir()
    return _pricebook(str(cache_dir), cache_stamp(cache_dir))


def scenario_key(scenario: Scenario) -> str:
    """The scenario's JSON: the cache key of everything computed from it."""
    return dump_scenario(scenario, "json")


#: Placements kept per price book (a few KB each; a 1,000-service placement is ~100 KB).
MAX_REMEMBERED_PLACEMENTS = 2048


@st.cache_resource(max_entries=4)
def _placements(book_version: str) -> Memo:
    """Placements of one price book, shared by every session and page (see the module docstring)."""
    return Memo(MAX_REMEMBERED_PLACEMENTS)


def _evaluator(book: PriceBook, metric: str) -> CostEvaluator:
    return CostEvaluator(book, Metric(metric), memo=_placements(book.version), workers=available_cores())


@st.cache_resource(show_spinner="Pricing the workload and its operations on every platform…",
                   max_entries=MAX_CACHED_RESULTS)
def _tco(scenario_json: str, book_version: str, _book: PriceBook) -> TcoResult:
    with _placements(book_version).active():
        return tco(parse_scenario(scenario_json, "scenario"), _book, workers=available_cores())


def scenario_tco(scenario: Scenario, book: PriceBook) -> TcoResult:
    """AWS bill + operations of every platform (cached); raises AdvisorError like ``advisor.decision.tco.tco``."""
    return _tco(scenario_key(scenario), book.version, book)


@st.cache_data(show_spinner="Ranking the platforms, drawing their ranges and searching the break-even values…",
               max_entries=MAX_CACHED_RESULTS)
def _recommendation(scenario_json: str, book_version: str, _book: PriceBook, metric: str) -> Recommendation:
    result = _tco(scenario_json, book_version, _book)
    with _placements(book_version).active():
        return recommend(result, metric=Metric(metric))


def scenario_recommendation(scenario: Scenario, book: PriceBook, metric: str = Metric.TCO.value) -> Recommendation:
    """The ranked recommendation with reasons, ranges, confidence and break-even values (cached)."""
    return _recommendation(scenario_key(scenario), book.version, book, metric)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_RESULTS)
def _ranges(scenario_json: str, book_version: str, _book: PriceBook, metric: str) -> CostRanges:
    return tco_ranges(_tco(scenario_json, book_version, _book), Metric(metric))


def scenario_ranges(scenario: Scenario, book: PriceBook, metric: str = Metric.TCO.value) -> CostRanges:
    """P10/P50/P90 and chance of being cheapest per platform: the recommendation's own draws, without its
    break-even searches (milliseconds; cached)."""
    return _ranges(scenario_key(scenario), book.version, book, metric)


@st.cache_resource(show_spinner="Drawing the ranges and ranking what decides the recommendation…",
                   max_entries=MAX_CACHED_RESULTS)
def _assessment(scenario_json: str, book_version: str, _book: PriceBook) -> Assessment:
    result = _tco(scenario_json, book_version, _book)
    rec = _recommendation(scenario_json, book_version, _book, Metric.TCO.value) if result.platforms else None
    with _placements(book_version).active():
        return assess(result.scenario, _book, result=result, recommendation=rec)


def scenario_assessment(scenario: Scenario, book: PriceBook) -> Assessment:
    """TCO, ranges, recommendation and Sobol ranking over the operations ranges, as the reports show them (cached)."""
    return _assessment(scenario_key(scenario), book.version, book)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_ANALYSES)
def _sweep(scenario_json: str, book_version: str, _book: PriceBook, metric: str, parameter: str,
           start: float, stop: float, points: int) -> SweepResult:
    scenario = parse_scenario(scenario_json, "scenario")
    values = sweep_values(ParameterSpace(scenario).parameter(parameter), start, stop, points)
    return sweep(scenario, _evaluator(_book, metric), parameter, values, refine=True)


def breakeven(scenario: Scenario, book: PriceBook, metric: str, parameter: str, start: float, stop: float,
              points: int) -> SweepResult:
    """Cost curves of ``parameter`` from ``start`` to ``stop``, crossings refined on the model (cached)."""
    return _sweep(scenario_key(scenario), book.version, book, metric, parameter, start, stop, points)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_ANALYSES)
def _tornado(scenario_json: str, book_version: str, _book: PriceBook, metric: str, relative_change: float) -> Tornado:
    return sensitivity(parse_scenario(scenario_json, "scenario"), _evaluator(_book, metric),
                       relative_change=relative_change)


def tornado(scenario: Scenario, book: PriceBook, metric: str, relative_change: float) -> Tornado:
    """Tornado data of every scenario-wide input at ± ``relative_change`` (cached)."""
    return _tornado(scenario_key(scenario), book.version, book, metric, relative_change)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_ANALYSES)
def _simulation(scenario_json: str, book_version: str, _book: PriceBook, metric: str,
                inputs: tuple[tuple[str, Distribution], ...], samples: int, seed: int, operations: bool) -> Simulation:
    return simulate(parse_scenario(scenario_json, "scenario"), _evaluator(_book, metric), dict(inputs),
                    samples=samples, seed=seed, operations=operations)


def cost_ranges(scenario: Scenario, book: PriceBook, metric: str, inputs: tuple[tuple[str, Distribution], ...],
                samples: int, seed: int, operations: bool = True) -> Simulation:
    """Monte Carlo cost ranges of the uncertain ``inputs`` and, by default, the operations ranges (cached)."""
    return _simulation(scenario_key(scenario), book.version, book, metric, inputs, samples, seed, operations)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_ANALYSES)
def _sobol(scenario_json: str, book_version: str, _book: PriceBook, metric: str,
           inputs: tuple[tuple[str, Distribution], ...], base_samples: int, seed: int) -> SobolRanking:
    evaluator = _evaluator(_book, metric)
    return sobol_ranking(_tco(scenario_json, book_version, _book), Metric(metric), inputs=dict(inputs),
                         evaluator=evaluator, base_samples=base_samples, seed=seed)


def sobol(scenario: Scenario, book: PriceBook, metric: str, inputs: tuple[tuple[str, Distribution], ...],
          base_samples: int, seed: int) -> SobolRanking:
    """Sobol indices of the gap between the two best platforms over the operations ranges and ``inputs`` (cached)."""
    return _sobol(scenario_key(scenario), book.version, book, metric, inputs, base_samples, seed)


@st.cache_data(show_spinner=False, max_entries=MAX_CACHED_ANALYSES)
def _projection(scenario_json: str, book_version: str, _book: PriceBook, metric: str, months: int,
                growth_per_month: float) -> Projection:
    return project(parse_scenario(scenario_json, "scenario"), _evaluator(_book, metric), months=months,
                   growth_per_month=growth_per_month)


def projection(scenario: Scenario, book: PriceBook, metric: str, months: int, growth_per_month: float) -> Projection:
    """Month-by-month projection with growth and the commitments' payback (cached)."""
    return _projection(scenario_key(scenario), book.version, book, metric, months, growth_per_month)
