"""The names a scenario may use, as the active price data offers them: Regions and EC2 instance types.

One list, derived from the price data (``PriceBook.regions``, ``PriceBook.instance_types``),
is what the scenario validator, the estimate, the importers and the app's pickers check
against, so a scenario never names a Region or type the prices lack without being told at
once.  Errors name the value and the nearest valid names (a typo is usually one letter
off), or every valid name when none is near.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from advisor.errors import InvalidWorkload

#: How alike two names must be to be suggested (difflib ratio).
_NEAR = 0.6
#: How many near names an error lists.
_SUGGESTIONS = 4
#: Up to this many valid names an error lists them all when none is near; beyond, the closest few.
_LIST_ALL = 40


@dataclass(frozen=True, slots=True)
class PriceCatalog:
    """What the active price data can price: its Regions and every EC2 instance type it lists."""

    regions: tuple[str, ...]
    instance_types: frozenset[str] = frozenset()

    @property
    def instance_families(self) -> frozenset[str]:
        """``m5`` of ``m5.large``: the names ``ec2.instance_families`` takes."""
        return frozenset(t.split(".", 1)[0] for t in self.instance_types)


def nearest(value: str, choices: Iterable[str], cutoff: float = _NEAR) -> list[str]:
    """The valid names closest to ``value``, best first (empty when none is close)."""
    return difflib.get_close_matches(str(value), sorted(set(choices)), n=_SUGGESTIONS, cutoff=cutoff)


def choice_text(value: str, choices: Collection[str], what: str) -> str:
    """``a region of the active price data; nearest: us-east-1, us-east-2``.

    When no name is near, a short list is given whole and a long one (800 instance types)
    by its closest few and its size.
    """
    if not choices:
        return f"{what} (the price data has none)"
    close = nearest(value, choices)
    if close:
        return f"{what}; nearest: {', '.join(close)}"
    if len(choices) <= _LIST_ALL:
        return f"{what}: {', '.join(sorted(choices))}"
    return f"{what} (one of {len(choices):,}); closest: {', '.join(nearest(value, choices, cutoff=0.0))}"


def region_problem(region: str, catalog: PriceCatalog) -> InvalidWorkload | None:
    """The error for a Region the price data lacks, or None."""
    if region in catalog.regions:
        return None
    return InvalidWorkload("region", region, choice_text(region, catalog.regions,
                                                          "a region of the active price data"))


def instance_type_problem(field: str, instance_type: str, catalog: PriceCatalog) -> InvalidWorkload | None:
    """The error for an EC2 instance type no Region of the price data lists, or None."""
    if instance_type in catalog.instance_types:
        return None
    return InvalidWorkload(field, instance_type, choice_text(instance_type, catalog.instance_types,
                                                             "an EC2 instance type of the active price data"))


def family_problem(field: str, family: str, catalog: PriceCatalog) -> InvalidWorkload | None:
    """The error for an ``ec2.instance_families`` entry that is not a family of the price data, or None."""
    families = catalog.instance_families
    if family in families:
        return None
    if family in catalog.instance_types:
        return InvalidWorkload(field, family, f"an instance family such as {family.split('.', 1)[0]} "
                                              f"({family} is an instance type)")
    return InvalidWorkload(field, family, choice_text(family, families,
                                                      "an EC2 instance family of the active price data"))


def scenario_problems(region: str, instance_families: Iterable[str], catalog: PriceCatalog) -> list[InvalidWorkload]:
    """Every name of a scenario the price data lacks: its Region, then its instance families."""
    problems = [region_problem(region, catalog)]
    if catalog.instance_types:
        problems += [family_problem(f"ec2.instance_families[{i}]", family, catalog)
                     for i, family in enumerate(instance_families)]
    return [p for p in problems if p is not None]
