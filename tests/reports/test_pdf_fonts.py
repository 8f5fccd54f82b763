"""Which fonts a report's text needs: DejaVu alone, a CJK fallback face, or code points and an install hint."""

import os

import pytest

from reports import pdf_fonts
from reports.pdf_fonts import CJK_FONT_ENV, FontPlan, escape_char, plan_fonts


@pytest.fixture
def no_font_found(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "CJK_FONT_PATHS", (tmp_path / "none.ttc",))
    monkeypatch.delenv(CJK_FONT_ENV, raising=False)


def test_latin_text_and_currency_symbols_need_no_fallback(no_font_found):
    plan = plan_fonts(["microservices-shop €1.00 ₩1,400 → × Ünïcödé Ελληνικά Кириллица"])
    assert plan == FontPlan(fallback=None, unprintable=frozenset()) and plan.note == ""


def test_without_a_font_each_character_prints_as_its_code_point(no_font_found):
    plan = plan_fonts(["웹", "앱"])
    assert plan.fallback is None and plan.unprintable == {"웹", "앱"}
    assert plan.printable("웹 api") == "[U+C6F9] api" and plan.printable("앱") == "[U+C571]"
    assert CJK_FONT_ENV in plan.note and "fonts-noto-cjk" in plan.note
    assert escape_char("😀") == "[U+1F600]"


def test_a_file_that_is_not_a_font_counts_as_no_font(tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    monkeypatch.setenv(CJK_FONT_ENV, str(bogus))
    plan = plan_fonts(["웹"])
    assert plan.fallback is None and plan.unprintable == {"웹"}


def test_the_font_named_by_the_environment_is_used(monkeypatch):
    installed = next((p for p in pdf_fonts.CJK_FONT_PATHS if p.is_file()), None)
    if installed is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no Noto Sans CJK installed (apt-get install fonts-noto-cjk)")
    monkeypatch.setenv(CJK_FONT_ENV, str(installed))
    plan = plan_fonts(["결제", "注文", "支付"])
    assert plan.fallback is not None and plan.fallback.path == installed
    assert plan.fallback.name == pdf_fonts.CJK_FACE_NAME and not plan.unprintable
