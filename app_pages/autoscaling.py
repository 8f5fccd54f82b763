"""Component: autoscaled services priced at their maximum all month, with a schedule to choose.

An imported HPA or ECS scalable target gives a min and a max but no schedule, so the
estimate runs every such service at its maximum for the whole month: an upper bound.
The warning names them and offers the schedule presets in one click.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from advisor.workload.scaling import at_peak_all_month, with_schedule
from advisor.workload.scenario import SCHEDULE_PRESETS, Scenario
from app_pages.shown import shown
from presentation.money import plural

#: The presets offered, shortest peak first (business hours: the usual reason to autoscale).
CHOICES = tuple(sorted(SCHEDULE_PRESETS, key=lambda name: SCHEDULE_PRESETS[name].peak_fraction))


def autoscaling_warning(scenario: Scenario, key: str, apply: Callable[[Scenario, str], None]) -> None:
    """Warn about ``scenario``'s services at their maximum all month; ``apply(new_scenario, notice)`` on a choice."""
    names = at_peak_all_month(scenario)
    if not names:
        return
    with st.container(border=True):
        st.warning(f"**{shown(scenario.name)}**: {plural(len(names), 'autoscaled service')} "
                   f"({shown(', '.join(names))}) {'is' if len(names) == 1 else 'are'} priced at the maximum replica "
                   "count all month, because no schedule says when they run at their peak. Choose when they do:",
                   icon=":material/trending_up:")
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        preset = left.selectbox("Peak schedule", CHOICES, key=f"schedule_{key}",
                                help="business-hours: 10 h a day on 5 days; weekdays: 24 h on 5 days; "
                                     "always: the maximum all month (as now)")
        if right.button("Apply schedule", key=f"apply_schedule_{key}"):
            apply(with_schedule(scenario, names, preset),
                  f"{shown(scenario.name)}: {shown(', '.join(names))} now run at their peak on the {preset} schedule.")
