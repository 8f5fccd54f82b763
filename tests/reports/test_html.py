"""HTML read back with html.parser: self-contained, the estimate's numbers, escaped text, charts."""

import re
from html.parser import HTMLParser

import pytest

from reports.html_export import CONTENT_SECURITY_POLICY, to_html
from reports.tables import format_unit_price

from .conftest import HOSTILE_NAMES


class _Page(HTMLParser):
    """Collects table cells, script bodies and every URL-bearing attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self.urls: list[str] = []
        self.meta: dict[str, str] = {}
        self._in: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in {"src", "href", "action"} and v]
        if tag == "meta" and "http-equiv" in attrs:
            self.meta[attrs["http-equiv"]] = attrs["content"]
        if tag in {"td", "script"}:
            self._in, self._buffer = tag, []

    def handle_endtag(self, tag):
        if tag == self._in:
            (self.cells if tag == "td" else self.scripts).append("".join(self._buffer))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)


def _parse(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode("utf-8"))
    return page


@pytest.fixture(scope="module")
def page(eur_model):
    return _parse(to_html(eur_model))


def test_self_contained_with_plotly_inlined_once(page):
    assert page.urls == []  # no external script, stylesheet, image or link
    assert page.meta["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    bundles = [s for s in page.scripts if "plotly.js v" in s[:2000]]
    assert len(bundles) == 1 and len(bundles[0]) > 1_000_000
    assert sum("Plotly.newPlot" in s for s in page.scripts) >= 1


def test_tables_show_the_estimate(page, small_result):
    cells = set(page.cells)
    for est in small_result.estimates:
        assert f"${est.monthly_usd:,.2f}" in cells and f"${est.annual_usd:,.2f}" in cells
        assert f"€{est.monthly_usd * 0.92:,.2f}" in cells
        for li in est.line_items:
            assert li.name in cells and f"${li.monthly_usd:,.2f}" in cells
            assert format_unit_price(li.usd_per_unit) in cells
    assert small_result.prices_as_of in cells


def test_hostile_text_is_escaped(hostile_model):
    data = to_html(hostile_model)
    text = data.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = _parse(data)
    assert not [s for s in page.scripts if "alert(1)" in s]
    joined = " ".join(page.cells)
    assert all(name in joined for name in HOSTILE_NAMES)  # shown as text, unchanged
    assert page.urls == []


def test_numbers_are_rounded_for_reading(tco_model):
    """No unit price with ten digits ($1.665243836): four significant digits, at least cents."""
    cells = _parse(to_html(tco_model)).cells
    money = [c for c in cells if re.fullmatch(r"-?\$[\d,]+\.\d+", c)]
    assert money
    for cell in money:
        integer, decimals = cell.lstrip("-$").replace(",", "").split(".")
        significant = (integer.lstrip("0") + decimals).lstrip("0")
        assert len(decimals) == 2 or len(significant) <= 4, cell
    assert format_unit_price(1.665243836) == "$1.665" and format_unit_price(0.0000111) == "$0.0000111"


def test_the_page_opens_with_the_executive_summary_then_the_workload(tco_model):
    text = to_html(tco_model).decode()
    order = [text.index(marker) for marker in ('id="executive-summary"', 'id="workload"', "<h2>Recommendation</h2>",
                                               "<h2>Line items</h2>")]
    assert order == sorted(order)
    summary = text[order[0]:order[1]]
    best = tco_model.recommendation.best
    assert f"Recommended: ECS on EC2 ({best})" in summary if best == "ecs-ec2" else best in summary
    assert "What would change it" in summary and "engineer rate" in summary
    assert "TCO low / high" in summary and tco_model.provenance.prices_as_of in summary
    workload = _parse(text.encode()).cells
    assert "3–8, peak 10 h × 5 d a week" in workload and "nightly-etl" in workload and "fluent-bit" in workload
