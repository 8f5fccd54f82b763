"""Static PNG charts for the PDF, drawn with matplotlib (Agg, no display and no browser needed).

matplotlib draws both charts of a report in about half a second in-process, where a
browser-based export (plotly through kaleido and Chromium) took several seconds to start;
the PDF must be ready within seconds of an estimate.  Text is set in the bundled DejaVu
Sans, with the report's CJK fallback face (:mod:`reports.pdf_fonts`) for names in Korean,
Japanese or Chinese; characters no font has are printed as code points, like in the PDF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from presentation.labels import series_color
from reports.charts import ChartSpec
from reports.pdf_fonts import FontPlan

#: Pixel size of each chart image (printed about 135 mm wide, so about 190 dpi).
IMAGE_WIDTH_PX, IMAGE_HEIGHT_PX = 1000, 480
#: Longest scenario name shown above a chart (the chart's own title takes the left half).
MAX_SUBTITLE_CHARS = 60
#: Figure margins (fractions): room for the y-axis label and amounts, the platform names and the title.
_MARGINS = {"left": 0.08, "right": 0.98, "bottom": 0.08, "top": 0.92}


@dataclass(frozen=True, slots=True, kw_only=True)
class StaticCharts:
    """PNG images (one per spec, or none), the renderer used, and a note for the reader."""

    images: tuple[bytes, ...]
    renderer: str
    note: str = ""


def _families(plan: FontPlan) -> list[str]:
    """matplotlib family names: DejaVu Sans, then the fallback face (registered on first use)."""
    from matplotlib import font_manager

    families = ["DejaVu Sans"]
    if plan.fallback is not None:
        path = str(plan.fallback.path)
        known = {f.fname: f.name for f in font_manager.fontManager.ttflist}
        if path not in known:
            font_manager.fontManager.addfont(path)
            known = {f.fname: f.name for f in font_manager.fontManager.ttflist}
        families.append(known[path])
    return families


def matplotlib_pngs(specs: tuple[ChartSpec, ...], plan: FontPlan | None = None) -> tuple[bytes, ...]:
    """The specs as PNG stacked bar charts (matplotlib's Agg backend)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    plan = plan or FontPlan(fallback=None, unprintable=frozenset())
    images = []
    with rc_context({"font.family": _families(plan), "svg.fonttype": "none"}):
        for spec in specs:
            fig = Figure(figsize=(IMAGE_WIDTH_PX / 100, IMAGE_HEIGHT_PX / 100), dpi=100)
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            fig.subplots_adjust(**_MARGINS)  # fixed margins: tight_layout costs a third of the drawing time
            bottom = [0.0] * len(spec.platforms)
            for name, values in spec.series:
                ax.bar(spec.platform_names, values, bottom=bottom, label=name, color=series_color(name))
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
            ax.set_title(spec.title, loc="left", fontweight="bold")
            if spec.subtitle:
                # User text: drawn as plain text (no $...$ math), right-aligned above the plot.
                subtitle = plan.printable(spec.subtitle)
                if len(subtitle) > MAX_SUBTITLE_CHARS:
                    subtitle = subtitle[: MAX_SUBTITLE_CHARS - 1] + "…"
                ax.set_title(subtitle, loc="right", parse_math=False, fontsize="small")
            ax.yaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
            ax.set_ylabel(spec.y_title)
            ax.legend(fontsize="small")
            out = io.BytesIO()
            fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})
            images.append(out.getvalue())
    return tuple(images)


def render_static(specs: tuple[ChartSpec, ...], plan: FontPlan | None = None) -> StaticCharts:
    """PNG charts drawn by matplotlib, or none (with the reason) when it is not installed."""
    if not specs:
        return StaticCharts(images=(), renderer="none")
    try:
        images = matplotlib_pngs(specs, plan)
    except ImportError:
        return StaticCharts(images=(), renderer="none", note="Charts omitted: matplotlib is not installed.")
    return StaticCharts(images=images, renderer="matplotlib")
