"""Named numeric inputs of a scenario, and variants of the scenario with some of them changed.

Why this exists
---------------
Sensitivity, break-even sweeps, Monte Carlo and projections all ask "what if this number
were that?".  They name the number by its path in the scenario document, with list items
addressed by name (``services.web.replicas.max``, ``jobs.nightly-etl.runs_per_month``) or,
when they have none, by position (``traffic.load_balancers.0.processed_gb_per_month``),
plus two scale parameters that move many fields at once:

- ``replicas_scale``: every service's min and max × the value, rounded up as an
  environment's ``scale`` is (a service keeps at least one replica at peak);
- ``hours_per_day``: the peak hours a day of every autoscaled service (min < max).

Every numeric field of the scenario model is a parameter, found by walking the model, so
fields added later (the ``operations`` section, say) are parameters without code here.
A changed scenario is validated as a whole: an unknown parameter is an error listing
the allowed ones, an out-of-range value is the scenario's own error naming the field.
"""

from __future__ import annotations

import difflib
import json
import math
import types
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ValidationError

from advisor.errors import InvalidWorkload
from advisor.workload.scaling import scaled_replicas
from advisor.workload.scenario import SCALED_REPLICA_SLACK, Platform, Scenario
from advisor.workload.spec_io import parse_scenario

REPLICAS_SCALE = "replicas_scale"
#: Names of the operations inputs' parameters start so: they price engineering time, never nodes.
OPERATIONS_PREFIX = "operations."
HOURS_PER_DAY = "hours_per_day"
#: Largest replica scale, the bound the scenario puts on an environment's ``scale``.
MAX_REPLICAS_SCALE = 100.0
#: Hours in a day: the upper bound of a schedule's ``hours_per_day``.
HOURS_IN_DAY = 24.0

Location = tuple[str | int, ...]


class InvalidAnalysis(InvalidWorkload):
    """An analysis input that cannot be used: an unknown parameter, an empty range, a negative count...

    Carries ``field``, ``value`` and ``allowed`` like :class:`advisor.errors.InvalidWorkload`.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """One numeric input of a scenario.

    Attributes
    ----------
    name : str
        Its path, e.g. ``purchase.spot_share`` or ``services.web.replicas.max``.
    value : float or None
        Its value in the scenario; None when unset (a price-book default applies).
    is_integer : bool
        Whether the field takes whole numbers only (sweeps and samples are rounded).
    minimum, maximum : float or None
        The field's bounds (inclusive or exclusive, as the scenario model declares them).
    is_item_field : bool
        Whether it belongs to one item of a list (a service, a job, a load balancer)
        rather than to the whole scenario.
    description : str
        What a scale parameter changes; empty for a plain field.
    """

    name: str
    value: float | None
    is_integer: bool
    minimum: float | None = None
    maximum: float | None = None
    is_item_field: bool = False
    description: str = ""

    def clamp(self, value: float) -> float:
        """``value`` limited to the bounds (rounded for integer fields)."""
        if self.minimum is not None:
            value = max(value, self.minimum)
        if self.maximum is not None:
            value = min(value, self.maximum)
        return float(round(value)) if self.is_integer else value


@dataclass(frozen=True, slots=True)
class _Field:
    parameter: Parameter
    location: Location          # keys and list indexes into the document
    pattern: tuple[str, ...]    # the name's steps with list items as <name> / <index>
    steps: tuple[str, ...]      # the name's steps (list items by name or index)


class ParameterSpace:
    """The parameters of one scenario, and :meth:`apply` to make variants of it.

    Build it once per base scenario: it reads the document once, and each variant copies
    only the branches it changes before validating the whole.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; its values are each parameter's ``value``.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._doc = scenario.model_dump(mode="json")
        self._fields = {f.parameter.name: f for f in _walk(Scenario, self._doc, (), (), ())}
        autoscaled = [s.replicas.schedule.hours_per_day for s in scenario.services if s.replicas.min < s.replicas.max]
        scales = [Parameter(name=REPLICAS_SCALE, value=1.0, is_integer=False, minimum=0.0,
                            maximum=MAX_REPLICAS_SCALE,
                            description="every service's min and max replicas × value, rounded up")]
        if autoscaled:
            scales.append(Parameter(name=HOURS_PER_DAY, value=max(autoscaled), is_integer=False, minimum=0.0,
                                    maximum=HOURS_IN_DAY,
                                    description="peak hours a day of every autoscaled service (min < max)"))
        self._scales = {p.name: p for p in scales}

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Scale parameters first, then every numeric field in document order."""
        return (*self._scales.values(), *(f.parameter for f in self._fields.values()))

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; raises :class:`InvalidAnalysis` listing the allowed names."""
        if name in self._scales:
            return self._scales[name]
        if name in self._fields:
            return self._fields[name].parameter
        raise InvalidAnalysis("parameter", name, self._allowed(name))

    def apply(self, values: Mapping[str, float]) -> Scenario:
        """The scenario with ``values`` ({parameter: value}) set, validated.

        Scale parameters are applied first, then fields, so ``replicas_scale=2`` with
        ``services.web.replicas.max=5`` scales every service and then sets web's max to 5.

        Raises
        ------
        InvalidAnalysis
            For an unknown parameter, a value that is not a finite number, or a replica
            scale outside (0, 100].
        advisor.workload.spec_io.ScenarioError
            When the changed scenario is invalid, naming the field (``services[2].replicas.max``).
        """
        for name in values:
            self.parameter(name)
        checked = {name: _finite(name, value) for name, value in values.items()}
        assignments: list[tuple[Location, object]] = []
        if REPLICAS_SCALE in checked:
            assignments += self._scale_replicas(checked[REPLICAS_SCALE])
        if HOURS_PER_DAY in checked:
            assignments += self._set_peak_hours(checked[HOURS_PER_DAY])
        for name, value in checked.items():
            if name in self._fields:
                field = self._fields[name]
                assignments.append((field.location, _typed(value, field.parameter.is_integer)))
        doc = _set_all(self._doc, assignments)
        try:
            return Scenario.model_validate(doc)
        except ValidationError:
            # The error path only: re-read as a document for the field-by-field message.
            label = "scenario with " + ", ".join(f"{n}={v:g}" for n, v in checked.items())
            return parse_scenario(json.dumps(doc), label)

    def _scale_replicas(self, scale: float) -> list[tuple[Location, object]]:
        if not 0 < scale <= MAX_REPLICAS_SCALE:
            raise InvalidAnalysis(REPLICAS_SCALE, scale, f"a number > 0 and <= {MAX_REPLICAS_SCALE:g}")
        assignments: list[tuple[Location, object]] = []
        for index, service in enumerate(self.scenario.services):
            scaled = scaled_replicas(service.replicas, scale)
            assignments += [(("services", index, "replicas", "min"), scaled.min),
                            (("services", index, "replicas", "max"), scaled.max)]
        return assignments

    def _set_peak_hours(self, hours: float) -> list[tuple[Location, object]]:
        return [(("services", index, "replicas", "schedule", "hours_per_day"), hours)
                for index, service in enumerate(self.scenario.services)
                if service.replicas.min < service.replicas.max]

    def _allowed(self, name: str) -> str:
        """The allowed names, list items shown once as ``<name>`` with the names they take."""
        patterns = [*self._scales, *dict.fromkeys(".".join(f.pattern) for f in self._fields.values())]
        labels: dict[str, dict[str, None]] = {}
        for field in self._fields.values():
            for depth, step in enumerate(field.pattern):
                if step in ("<name>", "<index>"):
                    labels.setdefault(".".join(field.pattern[:depth + 1]), {})[field.steps[depth]] = None
        where = "".join(f"; {slot} is one of {', '.join(names)}" for slot, names in labels.items())
        close = difflib.get_close_matches(name, [*self._scales, *self._fields], n=1)
        return ", ".join(patterns) + where + (f" (did you mean {close[0]!r}?)" if close else "")


class Variants(Sequence[Scenario]):
    """Variants of one scenario, each made when it is read: item ``i`` is ``space.apply(values[i])``.

    An analysis hands all its variants to the evaluator at once. Made up front, they cost the
    caller alone about 2 ms each (the changed document is validated as a whole: 17 s of a
    10,000-draw Monte Carlo of 50 services, before any worker started); made on demand, each
    is made by the worker process that prices it. ``platforms[i]``, when given and not None,
    narrows item ``i`` to those platforms: each platform's estimate is independent of the
    others, so an analysis that reads two platforms (a sweep's crossing search, the tornado,
    what decides it) gets the same numbers without packing the other platforms' nodes.
    """

    def __init__(self, space: ParameterSpace, values: Sequence[Mapping[str, float]],
                 platforms: Sequence[tuple[Platform, ...] | None] | None = None) -> None:
        self.space = space
        self.values = values
        self.platforms = platforms
        self._replicas: tuple[np.ndarray, np.ndarray] | None = None   # each service's min and max, for placement_key

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index: int) -> Scenario:  # type: ignore[override]  # no slices
        variant = self.space.apply(self.values[index])
        narrowed = None if self.platforms is None else self.platforms[index]
        return variant if narrowed is None else variant.model_copy(update={"platforms": narrowed})

    def placement_key(self, index: int) -> Hashable:
        """What of variant ``index`` can change its node placements: equal keys, same placements.

        Every parameter's value but the operations inputs' (they price engineering time, never
        nodes), the platforms it is narrowed to, and a replica scale as the counts it gives
        each service (as :meth:`advisor.workload.scenario.Replicas.scaled` rounds them; a
        scale of exactly 1 keeps the counts as they are, and is keyed apart). A Monte Carlo
        run of a replica scale draws a thousand scales and some thirty distinct replica
        counts: :meth:`advisor.analysis.evaluator.CostEvaluator.evaluate_all` gathers the
        placements of one variant of each key, without making the others.
        """
        values = self.values[index]
        fields = tuple((name, value) for name, value in sorted(values.items())
                       if name != REPLICAS_SCALE and not name.startswith(OPERATIONS_PREFIX))
        narrowed = None if self.platforms is None else self.platforms[index]
        scale = values.get(REPLICAS_SCALE)
        return fields, narrowed, None if scale is None else self._scaled_counts(scale)

    def scenario_key(self, index: int) -> Hashable:
        """Equal keys, the same scenario: the placement key and the operations inputs' values."""
        values = self.values[index]
        return self.placement_key(index), tuple(sorted((name, value) for name, value in values.items()
                                                       if name.startswith(OPERATIONS_PREFIX)))

    def _scaled_counts(self, scale: float) -> bytes:
        """Each service's (min, max) replicas at ``scale``, rounded as ``Replicas.scaled`` rounds them, for all
        services at once (a key of a thousand draws in milliseconds). A copy that drifted from that rule would
        only gather fewer placements up front: the memo keys placements by their full inputs."""
        if scale == 1.0:
            return b"unscaled"
        if self._replicas is None:
            self._replicas = (np.array([s.replicas.min for s in self.space.scenario.services], dtype=float),
                              np.array([s.replicas.max for s in self.space.scenario.services], dtype=float))
        mins, maxs = self._replicas
        low = np.ceil(mins * scale - SCALED_REPLICA_SLACK)
        high = np.maximum(np.maximum(1.0, np.ceil(maxs * scale - SCALED_REPLICA_SLACK)), low)
        return np.concatenate([low, high]).tobytes()

    def order_key(self, index: int) -> tuple[float, ...]:
        """The values of the parameters that change replicas (by name): variants close in them share placements."""
        values = self.values[index]
        return tuple(values[name] for name in sorted(values) if name == REPLICAS_SCALE or ".replicas." in name)


def apply(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with ``values`` set (see :meth:`ParameterSpace.apply`); for one-off changes."""
    return ParameterSpace(scenario).apply(values)


def _finite(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidAnalysis(name, value, "a finite number")
    return float(value)


def _typed(value: float, is_integer: bool) -> float | int:
    """Whole values of integer fields as ints; a fractional one is left for the scenario to reject."""
    return int(value) if is_integer and value.is_integer() else value


def _set_all(doc: Any, assignments: Sequence[tuple[Location, object]]) -> Any:
    """A copy of ``doc`` with each (location, value) set in turn (a later value at the same place wins).

    Only the branches on the paths are copied, each once however many values land under it:
    a replica scale sets two counts in each of hundreds of services, and copying the
    services list once per count would make a variant cost the square of its services.
    """
    copy = list(doc) if isinstance(doc, list) else dict(doc)
    deeper: dict[Any, list[tuple[Location, object]]] = {}
    for (head, *rest), value in assignments:
        if rest:
            deeper.setdefault(head, []).append((tuple(rest), value))
        else:
            copy[head] = value  # type: ignore[index]
    for head, inner in deeper.items():
        copy[head] = _set_all(doc[head], inner)  # type: ignore[index]
    return copy


# --- walking the scenario model ------------------------------------------------------------------


def _walk(model: type[BaseModel], doc: Mapping[str, Any], location: Location, pattern: tuple[str, ...],
          steps: tuple[str, ...]) -> Iterator[_Field]:
    """Every numeric field under ``model`` (whose document is ``doc``), depth first in field order."""
    for name, info in model.model_fields.items():
        annotation, (lower, upper) = _unwrap(info.annotation, info.metadata)
        here, pattern_here, steps_here = (*location, name), (*pattern, name), (*steps, name)
        if annotation in (int, float):
            value = doc[name]
            parameter = Parameter(name=".".join(steps_here), value=None if value is None else float(value),
                                  is_integer=annotation is int, minimum=lower, maximum=upper,
                                  is_item_field=any(isinstance(step, int) for step in here))
            yield _Field(parameter=parameter, location=here, pattern=pattern_here, steps=steps_here)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _walk(annotation, doc[name], here, pattern_here, steps_here)
        elif get_origin(annotation) is tuple:
            item = get_args(annotation)[0]
            if isinstance(item, type) and issubclass(item, BaseModel):
                named = "name" in item.model_fields
                for index, entry in enumerate(doc[name]):
                    yield from _walk(item, entry, (*here, index), (*pattern_here, "<name>" if named else "<index>"),
                                     (*steps_here, str(entry["name"] if named else index)))


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, tuple[float | None, float | None]]:
    """The field's type without ``Optional``/``Annotated``, and its (lower, upper) bounds."""
    constraints = list(metadata)
    while True:
        if get_origin(annotation) in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation, (None, None)
            annotation = members[0]
        elif get_origin(annotation) is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                constraints.extend(getattr(item, "metadata", [item]))
        else:
            break
    return annotation, (_bound(constraints, "ge", "gt"), _bound(constraints, "le", "lt"))


def _bound(constraints: list[Any], *names: str) -> float | None:
    """The first ``ge``/``gt`` (or ``le``/``lt``) constraint's value (pydantic's annotated-types objects)."""
    values = [getattr(c, n) for c in constraints for n in names if getattr(c, n, None) is not None]
    return float(values[0]) if values else None
