"""PDF read back with pypdf and pdftotext: the estimate's numbers, the executive summary first, the workload,
rounding, €/₩/→ and Korean names in the fonts, chart images, inert text."""

import io
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Scenario
from reports import pdf_fonts
from reports.charts import chart_specs
from reports.model import build_report
from reports.pdf_export import report_texts, to_pdf
from reports.pdf_fonts import find_fallback_font, plan_fonts
from reports.static_charts import StaticCharts, matplotlib_pngs, render_static

from .conftest import HOSTILE_NAMES

PNG = b"\x89PNG\r\n\x1a\n"
#: PDF actions that could open a URL, run script or launch a program.
ACTIVE_KEYS = (b"/JavaScript", b"/JS", b"/URI", b"/Launch", b"/AA", b"/SubmitForm", b"/Annots")
NO_CHARTS = StaticCharts(images=(), renderer="none", note="no charts")
#: Two Korean services whose names differ in every syllable ("web service", "payment service"), and a Japanese
#: and a Chinese one.
KOREAN = ("웹서비스", "결제서비스")
OTHERS = ("注文処理", "支付网关")


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squeezed(text: str) -> str:
    """Without whitespace: table cells wrap long words onto several lines."""
    return "".join(text.split())


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    """The text poppler's pdftotext reads (another reader than pypdf, as a user's viewer would)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing: .ci/run installs it")
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _needs_cjk_font() -> None:
    if find_fallback_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")


@pytest.fixture(scope="module")
def quick_charts(eur_model):
    """Charts rendered once, so each test does not draw them again."""
    return StaticCharts(images=matplotlib_pngs(chart_specs(eur_model)), renderer="matplotlib")


@pytest.fixture(scope="module")
def korean_model(book):
    scenario = Scenario.model_validate({
        "name": "쇼핑몰", "region": "us-east-1", "platforms": ["ecs-fargate", "ecs-ec2"],
        "environments": [{"name": "운영"}],
        "services": [{"name": n, "vcpu": 0.25, "memory_gib": 0.5, "replicas": 1} for n in KOREAN + OTHERS]})
    return build_report(estimate(scenario, book), book)


def test_numbers_and_sources_equal_the_estimate(eur_model, small_result, quick_charts):
    text = _text(to_pdf(eur_model, charts=quick_charts))
    for est in small_result.estimates:
        assert f"${est.monthly_usd:,.2f}" in text and f"${est.annual_usd:,.2f}" in text
        assert f"€{est.monthly_usd * 0.92:,.2f}" in text
        for li in est.line_items:
            assert f"${li.monthly_usd:,.2f}" in text
            assert _squeezed(li.price_ref.split(";")[0]) in _squeezed(text)
    assert small_result.prices_as_of in text and "bundled snapshot" in text


def test_executive_summary_first_then_the_workload_then_the_appendices(tco_model):
    reader = PdfReader(io.BytesIO(to_pdf(tco_model)))
    pages = [page.extract_text() for page in reader.pages]
    first = pages[0]
    assert "Executive summary" in first and "Recommended: ECS Managed Instances (ecs-managed)" in first
    assert "Comparing TCO = AWS bill + engineer time" in first
    assert "What would change it" in first and "engineer rate" in first
    assert "TCO low / high" in first and tco_model.provenance.prices_as_of in first
    for s in tco_model.summaries:  # the totals as bill and TCO, with the range
        low, high = s.tco_range_monthly_usd
        for amount in (s.aws_monthly_usd, s.tco_monthly_usd, low, high):
            assert f"${amount:,.2f}" in first
    assert next(i for i, p in enumerate(pages) if "Workload: what was priced" in p) in {1, 2}  # 1–2 pages
    whole = "\n".join(pages)
    order = [whole.index(m) for m in ("Executive summary", "Workload: what was priced", "Appendix A.",
                                      "Appendix C. Line items")]
    assert order == sorted(order)
    workload = whole[order[1]:order[2]]
    assert all(s.name in workload for s in tco_model.scenario.services)
    assert "3–8, peak 10 h × 5 d a week" in workload and "nightly-etl" in workload and "fluent-bit" in workload


def test_numbers_are_rounded_for_reading(tco_model, tmp_path):
    """No $1.665243836: amounts in cents, unit prices to four significant digits."""
    text = _pdftotext(to_pdf(tco_model, charts=NO_CHARTS), tmp_path)
    for match in re.finditer(r"\$([\d,]+)\.(\d+)", text):
        integer, decimals = match.group(1).replace(",", ""), match.group(2)
        assert len(decimals) == 2 or len((integer.lstrip("0") + decimals).lstrip("0")) <= 4, match.group(0)


def test_currency_symbols_and_arrows_print(eur_model, hostile_model, quick_charts):
    """€, ₩ and → need a Unicode font with those glyphs: the bundled DejaVu Sans has them."""
    eur = _text(to_pdf(eur_model, charts=quick_charts))
    assert "€" in eur and "1 USD → 0.92 EUR" in eur
    krw = _text(to_pdf(hostile_model, charts=NO_CHARTS))
    assert "₩" in krw and "1 USD → 1400 KRW" in krw
    total = hostile_model.summaries[0].aws_monthly_usd * 1400
    assert f"₩{total:,.0f}" in krw  # KRW has no minor unit


def _cjk_drawn_in(data: bytes) -> dict[str, set[str]]:
    """Each CJK character of the PDF's text -> the fonts it is drawn in (pypdf's text visitor)."""
    fonts: dict[str, set[str]] = {}

    def visit(text, _cm, _tm, font, _size):
        for char in text:
            if ord(char) >= 0x3000 and font is not None:
                fonts.setdefault(char, set()).add(str(font.get("/BaseFont")))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return fonts


def test_korean_japanese_and_chinese_names_print(korean_model, tmp_path, caplog):
    _needs_cjk_font()
    plan = plan_fonts(report_texts(korean_model))
    assert plan.fallback is not None and not plan.unprintable and plan.note == ""
    data = to_pdf(korean_model)
    assert "missing the following glyphs" not in caplog.text  # fpdf2 logs glyphs a font lacks
    drawn = _cjk_drawn_in(data)
    assert set("".join(KOREAN + OTHERS)) <= set(drawn)
    assert all(fonts and all("NotoSansCJK" in f for f in fonts) for fonts in drawn.values()), drawn
    text = _pdftotext(data, tmp_path)
    for name in (*KOREAN, *OTHERS, "쇼핑몰", "운영"):
        assert name in text, name
    assert "[U+" not in text
    lines = [line for line in text.splitlines() if "Container images" not in line]
    assert any(KOREAN[0] in line for line in lines) and any(KOREAN[1] in line for line in lines)


def test_without_a_cjk_font_names_print_as_code_points_and_the_report_says_so(korean_model, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(pdf_fonts, "CJK_FONT_PATHS", (tmp_path / "no-such-font.ttc",))
    monkeypatch.delenv(pdf_fonts.CJK_FONT_ENV, raising=False)
    plan = plan_fonts(report_texts(korean_model))
    assert plan.fallback is None and "apt-get install fonts-noto-cjk" in plan.note
    text = _squeezed(_text(to_pdf(korean_model, plan=plan)))
    assert "apt-getinstallfonts-noto-cjk" in text
    shown = ["".join(f"[U+{ord(c):04X}]" for c in name) for name in KOREAN]
    assert shown[0] != shown[1] and all(s in text for s in shown)  # two names never print the same


def test_chart_images_draw_korean_names(book):
    """Two Korean scenario names give two different images, with every glyph found (no tofu boxes)."""
    _needs_cjk_font()
    images = []
    for name in KOREAN:
        scenario = Scenario.model_validate({"name": name, "platforms": ["ecs-fargate"], "services": [
            {"name": "web", "vcpu": 0.25, "memory_gib": 0.5, "replicas": 1}]})
        model = build_report(estimate(scenario, book), book)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
            charts = render_static(chart_specs(model), plan_fonts(report_texts(model)))
        images.append(charts.images[0])
    assert all(i.startswith(PNG) for i in images) and images[0] != images[1]


def test_hostile_text_is_printed_not_acted_on(hostile_model):
    data = to_pdf(hostile_model, charts=NO_CHARTS)
    squeezed = _squeezed(_text(data))
    assert all(_squeezed(name) in squeezed for name in HOSTILE_NAMES)
    assert not [key for key in ACTIVE_KEYS if key in data]
    # fpdf2's only /OpenAction is a destination (show page 1), an array, never an action dictionary.
    assert re.findall(rb"/OpenAction\s*(\S)", data) == [b"["]


def test_matplotlib_draws_the_charts_and_they_are_in_the_pdf(eur_model):
    charts = render_static(chart_specs(eur_model))
    assert charts.renderer == "matplotlib" and charts.note == ""
    assert len(charts.images) == len(chart_specs(eur_model)) and all(i.startswith(PNG) for i in charts.images)
    data = to_pdf(eur_model, charts=charts)
    assert data.count(b"/Subtype /Image") == len(charts.images)


def test_the_font_and_its_licence_ship_with_the_package():
    fonts = Path(__file__).parents[2] / "reports" / "fonts"
    assert (fonts / "DejaVuSans.ttf").stat().st_size > 500_000
    assert "Bitstream Vera" in (fonts / "LICENSE-DejaVu.txt").read_text()
