"""The report's charts, described once as data and drawn with plotly (HTML) or as PNG (PDF).

A :class:`ChartSpec` holds platform names, category names and amounts, and the scenario's
name as the subtitle (so an image copied out of the report still says what it shows).
The subtitle is the only text from the scenario: each renderer draws it as plain text
(escaped for plotly, without math parsing for matplotlib), never as markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import plotly.graph_objects as go

from presentation.labels import platform_label, series_color
from presentation.text import printable
from reports.model import ReportModel
from reports.tables import category_table


@dataclass(frozen=True, slots=True, kw_only=True)
class ChartSpec:
    """A stacked bar chart: one bar per platform, one segment per series.

    ``platforms`` are platform ids; charts name them (:attr:`platform_names`) and colour
    each series (:func:`presentation.labels.series_color`) as the app does.
    """

    title: str
    platforms: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    subtitle: str = ""
    y_title: str = "USD per month"

    @property
    def platform_names(self) -> tuple[str, ...]:
        """The platforms as readers name them (``ECS on Fargate``)."""
        return tuple(platform_label(p) for p in self.platforms)


def chart_specs(model: ReportModel) -> tuple[ChartSpec, ...]:
    """The AWS bill by category and, when the overhead model ran, TCO = AWS bill + operations.

    None when no platform could be priced (nothing to draw).
    """
    if not model.summaries:
        return ()
    table = category_table(model)
    platforms = tuple(row[0] for row in table.rows)
    by_category = tuple((col.key, tuple(row[i] for row in table.rows))
                        for i, col in enumerate(table.columns) if i > 0)
    name = printable(model.scenario.name)
    specs = [ChartSpec(title="Monthly AWS cost by category", platforms=platforms, series=by_category, subtitle=name)]
    if model.has_tco:
        specs.append(ChartSpec(title="Monthly TCO: AWS bill + operations", platforms=platforms, subtitle=name, series=(
            ("AWS bill", tuple(s.aws_monthly_usd for s in model.summaries)),
            ("operations", tuple(s.operations_monthly_usd or 0.0 for s in model.summaries)))))
    return tuple(specs)


def plotly_figure(spec: ChartSpec) -> go.Figure:
    """The spec as an interactive stacked bar chart."""
    fig = go.Figure([go.Bar(name=name, x=list(spec.platform_names), y=list(values), marker_color=series_color(name),
                            hovertemplate="%{x}: $%{y:,.2f}<extra>" + name + "</extra>")
                     for name, values in spec.series])
    title = html.escape(spec.title) + (f"<br><sup>{html.escape(spec.subtitle)}</sup>" if spec.subtitle else "")
    fig.update_layout(title=title, barmode="stack", yaxis_title=spec.y_title, template="plotly_white",
                      legend_title_text="", margin={"l": 60, "r": 20, "t": 60, "b": 40})
    return fig
