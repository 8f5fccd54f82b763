"""The process pool of analyses: the same numbers, in the same order, as a serial run."""

from __future__ import annotations

import math
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advisor.analysis.evaluator as evaluator_module
import advisor.analysis.montecarlo as montecarlo_module
import advisor.costs.ec2_items as ec2_items_module
import advisor.costs.estimate as estimate_module
from advisor import pool
from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.montecarlo import Triangular, Uniform, draw_inputs, simulate
from advisor.analysis.parameters import ParameterSpace, Variants
from advisor.analysis.sensitivity import sensitivity
from advisor.analysis.sweep import sweep
from advisor.costs.ec2_items import PlacementRequest, placement_requests
from advisor.costs.estimate import estimate
from advisor.errors import InvalidWorkload, PlatformUnavailable
from advisor.memo import Memo, memoized, recording
from advisor.workload.platforms import FARGATE_PLATFORMS
from advisor.workload.scenario import Job, Platform, Scenario, replicas_placed
from pricing.active import load_pricebook

SCENARIO = Scenario.model_validate({
    "name": "pool", "environments": [{"name": "prod"}, {"name": "staging", "scale": 0.5}],
    "services": [{"name": "web", "vcpu": 0.5, "memory_gib": 1,
                  "replicas": {"min": 2, "max": 6, "schedule": "business-hours"}},
                 {"name": "api", "vcpu": 1, "memory_gib": 3, "replicas": 3},
                 {"name": "batch", "vcpu": 2, "memory_gib": 4, "replicas": 2, "architecture": "arm64"}]})


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def _pid(_: int) -> int:
    return os.getpid()


def _fail_on_five(x: int) -> int:
    if x == 5:
        raise InvalidWorkload("replicas", x, "anything but 5")
    return x


def test_work_goes_to_other_processes_and_comes_back_in_order():
    assert pool.parallel_map(lambda x: x * x, list(range(50)), workers=2) == [x * x for x in range(50)]
    pids = set(pool.parallel_map(_pid, list(range(20)), workers=2))
    assert pids - {os.getpid()}, "no worker process ran"


def test_one_core_or_few_items_run_in_the_caller():
    assert set(pool.parallel_map(_pid, list(range(20)), workers=1)) == {os.getpid()}
    assert set(pool.parallel_map(_pid, list(range(pool.MIN_PARALLEL_ITEMS - 1)), workers=2)) == {os.getpid()}


def test_a_failing_worker_raises_the_library_error_in_the_caller():
    with pytest.raises(InvalidWorkload, match="anything but 5"):
        pool.parallel_map(_fail_on_five, list(range(20)), workers=2)


def test_sweep_monte_carlo_and_sensitivity_are_identical_in_parallel(book, monkeypatch):
    values = list(np.linspace(0.3, 3.0, 12))
    serial, parallel = CostEvaluator(book), CostEvaluator(book, workers=2)
    expected = sweep(SCENARIO, serial, "replicas_scale", values)
    with monkeypatch.context() as patch:
        _placed_in_the_caller_fails(patch)
        assert sweep(SCENARIO, parallel, "replicas_scale", values) == expected
    inputs = {"replicas_scale": Uniform(0.5, 2.0), "hours_per_day": Triangular(6.0, 10.0, 16.0)}
    one = simulate(SCENARIO, CostEvaluator(book), inputs, samples=24, seed=3)
    two = simulate(SCENARIO, CostEvaluator(book, workers=2), inputs, samples=24, seed=3)
    assert one.ranges == two.ranges
    for platform, costs in one.monthly_usd.items():
        assert costs.tolist() == two.monthly_usd[platform].tolist() or all(
            a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(costs, two.monthly_usd[platform], strict=True))
    assert sensitivity(SCENARIO, CostEvaluator(book)) == sensitivity(SCENARIO, CostEvaluator(book, workers=2))


def test_monte_carlo_with_operations_draws_is_identical_in_parallel(book):
    """Each draw's operations quantiles go with its own variant, on whichever worker prices it."""
    inputs = {"replicas_scale": Uniform(0.5, 2.0)}
    serial = CostEvaluator(book)
    one = simulate(SCENARIO, serial, inputs, samples=16, seed=5, operations=True)
    two = simulate(SCENARIO, CostEvaluator(book, workers=2), inputs, samples=16, seed=5, operations=True)
    assert serial.memo.misses > 0
    assert one.ranges == two.ranges
    assert {p: c.tolist() for p, c in one.monthly_usd.items()} == {p: c.tolist() for p, c in two.monthly_usd.items()}


def test_available_cores_is_at_least_one():
    assert pool.available_cores() >= 1


def test_the_caller_makes_only_a_sample_of_the_variants(book, monkeypatch):
    """The caller checks each input's extreme draws and gathers the placements of at most
    PREFETCH_VARIANTS variants; every variant is priced where it is made, on the workers."""
    made = []
    apply = ParameterSpace.apply
    monkeypatch.setattr(ParameterSpace, "apply", lambda self, values: made.append(values) or apply(self, values))
    monkeypatch.setattr(evaluator_module, "PREFETCH_VARIANTS", 5)
    inputs = {"replicas_scale": Uniform(0.5, 2.0), "hours_per_day": Triangular(6.0, 10.0, 16.0)}
    simulate(SCENARIO, CostEvaluator(book, workers=2), inputs, samples=40, seed=3)
    assert len(made) == 2 * len(inputs) + 5   # the extreme draws, checked before the run; every 8th variant


def test_the_caller_gathers_one_variant_of_each_replica_count(book, monkeypatch):
    """A replica scale's draws give few distinct replica counts: the caller makes one variant of each
    (and of each operations draw none more), and the result is the serial run's."""
    made = []
    apply = ParameterSpace.apply
    monkeypatch.setattr(ParameterSpace, "apply", lambda self, values: made.append(values) or apply(self, values))
    inputs = {"replicas_scale": Uniform(0.5, 2.0), "operations.engineer_rate_usd_per_hour": Uniform(80.0, 160.0)}
    parallel = simulate(SCENARIO, CostEvaluator(book, workers=2), inputs, samples=60, seed=3)
    space = ParameterSpace(SCENARIO)
    draws = draw_inputs(space, inputs, 60, 3)
    rows = [{name: float(values[i]) for name, values in draws.items()} for i in range(60)]
    counts = {evaluator_module._replica_signature(apply(space, row)) for row in rows}
    assert len(made) - 2 * len(inputs) == len(counts) < 60   # the extreme draws, then one variant per count
    serial = simulate(SCENARIO, CostEvaluator(book, workers=1), inputs, samples=60, seed=3)
    assert serial.ranges == parallel.ranges
    assert ({p: c.tolist() for p, c in serial.monthly_usd.items()}
            == {p: c.tolist() for p, c in parallel.monthly_usd.items()})


def test_variants_of_one_scenario_are_priced_once_each_with_its_own_costs(book, monkeypatch):
    """A replica scale's draws that round to the same counts are one scenario: serial and parallel runs price it
    once, read the operations ranges of all its draws in one vectorised call, and give every draw its own row."""
    inputs = {"replicas_scale": Uniform(0.5, 2.0)}
    results, drawn = [], []
    result, costs_at = CostEvaluator.result, montecarlo_module.costs_at
    monkeypatch.setattr(CostEvaluator, "result", lambda self, s, **k: results.append(s) or result(self, s, **k))
    monkeypatch.setattr(montecarlo_module, "costs_at",
                        lambda r, q, size, m: drawn.append(size) or costs_at(r, q, size, m))
    serial = simulate(SCENARIO, CostEvaluator(book, workers=1), inputs, samples=80, seed=4, operations=True)
    counts = {evaluator_module._replica_signature(v) for v in results}
    assert 1 < len(results) == len(counts) == len(drawn) < 80 and sum(drawn) == 80
    results.clear()
    drawn.clear()
    # The pricing runs in this process (the placements are made first, in the caller too), so it can be counted.
    in_caller = lambda function, items, workers, **_: [function(x) for x in items]   # noqa: E731
    monkeypatch.setattr(evaluator_module, "parallel_map", in_caller)
    monkeypatch.setattr(estimate_module, "parallel_map", in_caller)
    parallel = simulate(SCENARIO, CostEvaluator(book, workers=2), inputs, samples=80, seed=4, operations=True)
    assert {evaluator_module._replica_signature(v) for v in results} == counts
    assert len(results) == len(counts) == len(drawn) and sum(drawn) == 80
    assert serial.ranges == parallel.ranges
    assert ({p: c.tolist() for p, c in serial.monthly_usd.items()}
            == {p: c.tolist() for p, c in parallel.monthly_usd.items()})


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.just(1.0), st.floats(0.05, 4.0)), min_size=2, max_size=40),
       st.sampled_from([None, 7.0, 12.0]))
def test_equal_placement_keys_are_equal_scenarios(scales, hours):
    """Variants with equal placement keys differ at most in their operations inputs (never in nodes)."""
    space = ParameterSpace(SCENARIO)
    values = [{"replicas_scale": s, "operations.team_size": float(i % 3 + 1),
               **({} if hours is None else {"hours_per_day": hours})} for i, s in enumerate(scales)]
    variants = Variants(space, values)
    by_key: dict = {}
    for i in range(len(values)):
        by_key.setdefault(variants.placement_key(i), []).append(variants[i].model_copy(update={"operations": None}))
    for same in by_key.values():
        assert all(v == same[0] for v in same)
    # Equal scenario keys are equal scenarios, operations included (they are priced once).
    by_scenario: dict = {}
    for i in range(len(values)):
        by_scenario.setdefault(variants.scenario_key(i), []).append(variants[i])
    for same in by_scenario.values():
        assert all(v == same[0] for v in same)
    # Scales that give the same counts share a key (a scale of exactly 1 is keyed apart).
    assert len(by_key) == len({(s == 1.0, evaluator_module._replica_signature(v))
                               for s, v in zip(scales, variants, strict=True)})


def test_placement_requests_are_the_placements_an_estimate_makes(book, monkeypatch):
    """With each request made into the memo, the estimate makes no placement of its own."""
    expected = estimate(SCENARIO, book)
    with Memo().active() as memo:
        for platform in SCENARIO.platforms:
            memo.remember([(r.key, r.make()) for r in _requests(SCENARIO, platform, book)])
        monkeypatch.setattr(ec2_items_module, "place", lambda *a, **k: pytest.fail("a placement was not requested"))
        assert estimate(SCENARIO, book) == expected


def _requests(scenario: Scenario, platform: Platform, book) -> list[PlacementRequest]:
    """The platform's placement requests; none on Fargate or where it cannot run the scenario."""
    if platform in FARGATE_PLATFORMS:
        return []
    try:
        return placement_requests(scenario, platform, book)
    except PlatformUnavailable:
        return []


def test_each_distinct_placement_is_made_once(book, monkeypatch):
    """Two environments and two copies of a variant ask many placements; each distinct one is made once."""
    handed: list[int] = []

    def serial(function, items, workers, **_):
        handed.append(len(items))
        return [function(x) for x in items]

    monkeypatch.setattr(estimate_module, "parallel_map", serial)
    jobs = [(SCENARIO, p) for p in SCENARIO.platforms] * 2
    requests = [r for s, p in jobs for r in _requests(s, p, book)]
    asked = [r.key for r in requests if r.replicas >= estimate_module.PARALLEL_MIN_REPLICAS]
    small = {r.key for r in requests} - set(asked)
    assert asked and small   # both kinds: the small ones are made in the caller, before the workers fork
    with Memo().active() as memo:
        estimate_module.prefetch_placements(jobs, book, workers=2)
        assert handed == [len(set(asked))] and len(set(asked)) < len(asked)
        assert all(key in memo for key in asked) and all(key in memo for key in small)
        estimate_module.prefetch_placements(jobs, book, workers=2)   # all made: nothing handed out
        assert handed == [len(set(asked))]


def test_an_analysis_makes_its_small_placements_once_in_the_caller(book, monkeypatch, tmp_path):
    """Placements under PARALLEL_MIN_REPLICAS are made before the workers fork, so that they inherit them:
    none is made in a worker (where two workers may both make it, and the caller's memo never gets it)."""
    caller, log = os.getpid(), tmp_path / "made-in-workers.txt"
    real = ec2_items_module.place

    def logged(groups, *args, **kwargs):
        if os.getpid() != caller and sum(g.count for g in groups) < estimate_module.PARALLEL_MIN_REPLICAS:
            with log.open("a") as file:
                file.write(f"{os.getpid()}\n")
        return real(groups, *args, **kwargs)

    monkeypatch.setattr(ec2_items_module, "place", logged)
    values = [0.5 + 0.25 * i for i in range(8)]
    expected = sweep(SCENARIO, CostEvaluator(book), "replicas_scale", values)
    assert sweep(SCENARIO, CostEvaluator(book, workers=2), "replicas_scale", values) == expected
    assert not log.exists(), "small placements were made in the workers"


def test_a_placement_comes_back_from_a_worker_in_a_few_kib(book):
    """What a worker hands back (the placement and its memo entries) is unpickled by the caller while the
    workers run: its keys name the shapes by their values, not by every NodeShape offered (about 50 KiB)."""
    request = max(_requests(SCENARIO, Platform.EKS_EC2, book), key=lambda r: r.replicas)
    with Memo().active():
        placement, entries = estimate_module._make(request.make)
    assert placement is not None and entries
    assert len(pickle.dumps((placement, entries))) < 16 * 1024


def test_many_small_placements_stay_in_the_caller(book, monkeypatch):
    """One-task jobs: each placement takes about a millisecond, no more than handing it to a worker and
    receiving it back with its memo entries (see PARALLEL_MIN_REPLICAS)."""
    jobs = SCENARIO.model_copy(update={"services": (), "jobs": tuple(
        Job(name=f"job-{i}", vcpu=0.25 * (1 + i % 4), memory_gib=0.5 * (1 + i % 3), runs_per_month=30,
            duration_minutes=10) for i in range(40))})
    assert replicas_placed(jobs) >= estimate_module.PARALLEL_MIN_REPLICAS
    monkeypatch.setattr(estimate_module, "parallel_map", lambda *args, **kwargs: pytest.fail("workers forked"))
    assert estimate(jobs, book, workers=2) == estimate(jobs, book)


def _placed_in_the_caller_fails(monkeypatch) -> None:
    """Packing a placement of PARALLEL_MIN_REPLICAS or more in this process raises (smaller ones are the
    caller's own: cheaper than receiving them); forked workers (another pid) pack as usual."""
    caller = os.getpid()
    real = ec2_items_module.place

    def only_in_workers(groups, *args, **kwargs):
        large = sum(g.count for g in groups) >= estimate_module.PARALLEL_MIN_REPLICAS
        assert os.getpid() != caller or not large, "the caller packed a placement the workers should have"
        return real(groups, *args, **kwargs)

    monkeypatch.setattr(ec2_items_module, "place", only_in_workers)


def test_an_estimate_on_two_workers_is_the_serial_estimate_packed_by_the_workers(book, monkeypatch):
    """Each EC2 platform is packed in a worker; the caller's estimate reads the packings from its memo."""
    serial = estimate(SCENARIO, book)
    _placed_in_the_caller_fails(monkeypatch)
    with Memo().active() as memo:
        parallel = estimate(SCENARIO, book, workers=2)
    assert parallel == serial
    assert memo.hits > 0


def test_a_small_scenario_is_packed_in_the_caller(book, monkeypatch):
    """Under PARALLEL_MIN_REPLICAS replicas the workers would cost more than the packing."""
    small = SCENARIO.model_copy(update={"services": SCENARIO.services[1:2], "environments": SCENARIO.environments[:1]})
    assert replicas_placed(small) < estimate_module.PARALLEL_MIN_REPLICAS
    monkeypatch.setattr(estimate_module, "parallel_map", lambda *args: pytest.fail("workers forked"))
    assert estimate(small, book, workers=2) == estimate(small, book)


def test_only_portable_entries_are_recorded_and_only_in_their_own_context():
    memo = Memo()
    with memo.active(), recording() as added:
        memoized(("value", 1), lambda: "kept", portable=True)
        memoized(("local", object()), lambda: "not portable")
        memoized(("value", 1), lambda: "a hit records nothing", portable=True)
    assert added == [(("value", 1), "kept")]
    other = Memo()
    other.remember(added)
    with other.active():
        assert memoized(("value", 1), lambda: "recomputed", portable=True) == "kept"
    with memo.active():
        memoized(("value", 2), lambda: "outside any recording", portable=True)   # nothing to hand it to


def test_a_single_variant_has_its_platforms_packed_by_the_workers(book, monkeypatch):
    """A round of a crossing search may ask one variant: its platforms go to the workers, not the caller."""
    variant = SCENARIO.model_copy(update={"services": tuple(
        s.model_copy(update={"replicas": s.replicas.model_copy(update={"max": s.replicas.max + 1})})
        for s in SCENARIO.services)})
    serial = CostEvaluator(book).evaluate_all([variant])
    _placed_in_the_caller_fails(monkeypatch)
    assert CostEvaluator(book, workers=2).evaluate_all([variant]) == serial
