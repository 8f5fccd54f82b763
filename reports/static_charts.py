"""Static PNG charts for the PDF: plotly image export through the system Chromium, or matplotlib.

plotly's image export (kaleido) drives a Chromium it is given; this module only ever
passes it the system browser (Debian's ``/usr/bin/chromium``) and never lets it
download one.  Without Chromium, or when the export fails, the same chart specs are
drawn with matplotlib, and the result says which renderer drew them and why, so the
PDF can print that note.
"""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reports.charts import ChartSpec, plotly_figure

#: Where Debian and most distributions install Chromium, in the order tried.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser")
#: Pixel size of each chart image (printed about 135 mm wide, so about 190 dpi).
IMAGE_WIDTH_PX, IMAGE_HEIGHT_PX = 1000, 480
#: Seconds kaleido may spend on one image before the export falls back.
RENDER_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class StaticCharts:
    """PNG images (one per spec, or none), the renderer used, and a note for the reader."""

    images: tuple[bytes, ...]
    renderer: str
    note: str = ""


def find_chromium() -> Path | None:
    """The system Chromium on ``PATH``, or None (a downloaded browser is never looked for)."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


async def _kaleido_pngs(specs: tuple[ChartSpec, ...], chromium: Path) -> tuple[bytes, ...]:
    import kaleido  # heavy (starts a browser); only when a PDF with charts is asked for

    opts = {"format": "png", "width": IMAGE_WIDTH_PX, "height": IMAGE_HEIGHT_PX}
    # mathjax=False: kaleido would otherwise load MathJax from a CDN.
    async with kaleido.Kaleido(path=str(chromium), mathjax=False, timeout=RENDER_TIMEOUT_S) as session:
        return tuple([await session.calc_fig(plotly_figure(spec), opts=opts) for spec in specs])


def plotly_pngs(specs: tuple[ChartSpec, ...], chromium: Path) -> tuple[bytes, ...]:
    """The specs as PNG via plotly/kaleido and ``chromium``, in one browser session.

    Runs in its own thread with its own event loop, so it works from inside a running
    loop too (Jupyter, Streamlit).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _kaleido_pngs(specs, chromium)).result()


def matplotlib_pngs(specs: tuple[ChartSpec, ...]) -> tuple[bytes, ...]:
    """The specs as PNG stacked bar charts drawn with matplotlib's Agg backend (no display needed)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    images = []
    for spec in specs:
        fig = Figure(figsize=(IMAGE_WIDTH_PX / 100, IMAGE_HEIGHT_PX / 100), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        bottom = [0.0] * len(spec.platforms)
        for name, values in spec.series:
            ax.bar(spec.platforms, values, bottom=bottom, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_title(spec.title)
        ax.set_ylabel(spec.y_title)
        ax.legend(fontsize="small")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        images.append(out.getvalue())
    return tuple(images)


def render_static(specs: tuple[ChartSpec, ...], chromium: Path | None) -> StaticCharts:
    """PNG charts by the best available renderer: plotly + Chromium, else matplotlib, else none.

    Parameters
    ----------
    specs : tuple of ChartSpec
        The charts to draw.
    chromium : Path or None
        The Chromium executable to export plotly images with (:func:`find_chromium`);
        None goes straight to the matplotlib fallback.
    """
    if not specs:
        return StaticCharts(images=(), renderer="none")
    reason = "no Chromium was found on PATH"
    if chromium is not None:
        try:
            return StaticCharts(images=plotly_pngs(specs, chromium), renderer="plotly")
        except Exception as exc:  # any browser failure: fall back, and say why in the PDF
            reason = f"plotly image export with {chromium} failed ({type(exc).__name__}: {exc})"
    try:
        images = matplotlib_pngs(specs)
    except ImportError:
        return StaticCharts(images=(), renderer="none",
                            note=f"Charts omitted: {reason} and matplotlib is not installed.")
    return StaticCharts(images=images, renderer="matplotlib",
                        note=f"Charts drawn with matplotlib: {reason}.")
