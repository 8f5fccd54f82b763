"""PDF read back with pypdf: the estimate's numbers, €/₩/→ in the bundled font, chart fallbacks, inert text."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.charts import chart_specs
from reports.pdf_export import to_pdf
from reports.static_charts import StaticCharts, find_chromium, matplotlib_pngs, render_static

from .conftest import HOSTILE_NAMES

PNG = b"\x89PNG\r\n\x1a\n"
#: PDF actions that could open a URL, run script or launch a program.
ACTIVE_KEYS = (b"/JavaScript", b"/JS", b"/URI", b"/Launch", b"/AA", b"/SubmitForm", b"/Annots")


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squeezed(text: str) -> str:
    """Without whitespace: table cells wrap long words onto several lines."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def quick_charts(eur_model):
    """Charts rendered once with matplotlib, so most tests skip the browser."""
    return StaticCharts(images=matplotlib_pngs(chart_specs(eur_model)), renderer="matplotlib")


def test_numbers_and_sources_equal_the_estimate(eur_model, small_result, quick_charts):
    text = _text(to_pdf(eur_model, charts=quick_charts))
    for est in small_result.estimates:
        assert f"${est.monthly_usd:,.2f}" in text and f"${est.annual_usd:,.2f}" in text
        assert f"€{est.monthly_usd * 0.92:,.2f}" in text
        for li in est.line_items:
            assert f"${li.monthly_usd:,.2f}" in text
            assert _squeezed(li.price_ref.split(";")[0]) in _squeezed(text)
    assert small_result.prices_as_of in text and "bundled snapshot" in text


def test_currency_symbols_and_arrows_print(eur_model, hostile_model, quick_charts):
    """€, ₩ and → need a Unicode font with those glyphs: the bundled DejaVu Sans has them."""
    eur = _text(to_pdf(eur_model, charts=quick_charts))
    assert "€" in eur and "1 USD → 0.92 EUR" in eur
    krw = _text(to_pdf(hostile_model, charts=StaticCharts(images=(), renderer="none", note="no charts")))
    assert "₩" in krw and "1 USD → 1400 KRW" in krw
    total = hostile_model.summaries[0].aws_monthly_usd * 1400
    assert f"₩{total:,.0f}" in krw  # KRW has no minor unit


def test_hostile_text_is_printed_not_acted_on(hostile_model):
    data = to_pdf(hostile_model, charts=StaticCharts(images=(), renderer="none", note="no charts"))
    squeezed = _squeezed(_text(data))
    assert all(_squeezed(name) in squeezed for name in HOSTILE_NAMES)
    assert not [key for key in ACTIVE_KEYS if key in data]
    # fpdf2's only /OpenAction is a destination (show page 1), an array, never an action dictionary.
    assert re.findall(rb"/OpenAction\s*(\S)", data) == [b"["]


def test_without_chromium_matplotlib_draws_the_charts_and_the_pdf_says_so(eur_model):
    charts = render_static(chart_specs(eur_model), None)
    assert charts.renderer == "matplotlib" and all(i.startswith(PNG) for i in charts.images)
    text = _text(to_pdf(eur_model, charts=charts))
    assert "Charts drawn with matplotlib: no Chromium was found on PATH." in text


def test_a_broken_browser_falls_back_with_the_reason(eur_model, tmp_path):
    missing = tmp_path / "no-such-chromium"
    charts = render_static(chart_specs(eur_model), missing)
    assert charts.renderer == "matplotlib" and len(charts.images) == len(chart_specs(eur_model))
    assert str(missing) in charts.note and "failed" in charts.note


def test_plotly_export_through_the_system_chromium(eur_model):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH (apt-get install chromium); the matplotlib fallback is tested above")
    charts = render_static(chart_specs(eur_model), chromium)
    assert charts.renderer == "plotly", charts.note
    assert charts.note == "" and all(i.startswith(PNG) for i in charts.images)
    assert len(PdfReader(io.BytesIO(to_pdf(eur_model, charts=charts))).pages) >= 2


def test_the_font_and_its_licence_ship_with_the_package():
    fonts = Path(__file__).parents[2] / "reports" / "fonts"
    assert (fonts / "DejaVuSans.ttf").stat().st_size > 500_000
    assert "Bitstream Vera" in (fonts / "LICENSE-DejaVu.txt").read_text()
