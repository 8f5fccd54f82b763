"""Formula neutralization, file-name sanitization and atomic writes (reports.safety, reports.export)."""

import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from presentation.csv_text import FORMULA_TRIGGERS, neutralize_cell
from reports import FORMATS
from reports.errors import InvalidReportOption
from reports.export import SUMMARY_CSV, default_file_name, export_report, render
from reports.safety import (
    EXCEL_MAX_CELL_CHARS,
    MAX_FILE_NAME_CHARS,
    atomic_write_bytes,
    excel_text,
    safe_output_path,
    sanitize_file_name,
)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
                                  "\t=1+1", "\r=1+1"])
def test_owasp_triggers_get_a_leading_quote(text):
    """OWASP "CSV Injection": prefix cells starting with = + - @ tab CR with a single quote."""
    assert neutralize_cell(text) == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()))
def test_numbers_stay_numbers(value):
    assert neutralize_cell(value) is value


@given(st.text())
def test_only_trigger_text_changes(text):
    out = neutralize_cell(text)
    if text.startswith(FORMULA_TRIGGERS):
        assert out == "'" + text
    else:
        assert out == text
    assert not out.startswith(FORMULA_TRIGGERS)


def test_excel_text_shows_control_characters_escaped_and_respects_the_cell_limit():
    assert excel_text("a\x00b\x07c\td\ne") == "a\\x00b\\x07c\\td\\ne"   # nothing XML forbids, no raw tab or LF
    assert len(excel_text("x" * (EXCEL_MAX_CELL_CHARS + 10))) == EXCEL_MAX_CELL_CHARS


@pytest.mark.parametrize(("name", "expected"), [
    ("report.csv", "report.csv"),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("..", "report"),
    ("  .hidden.pdf", "hidden.pdf"),
    ('a<b>c:d"e|f?g*h.xlsx', "a_b_c_d_e_f_g_h.xlsx"),
    ("CON.csv", "_CON.csv"),
    ("lpt1", "_lpt1"),
    ("prix-€-₩.html", "prix-€-₩.html"),
    ("new\nline\x00.json", "new_line_.json"),
])
def test_sanitize_file_name_examples(name, expected):
    assert sanitize_file_name(name) == expected


@given(st.text(max_size=300))
def test_sanitized_names_are_safe_everywhere(name):
    out = sanitize_file_name(name)
    assert out and len(out) <= MAX_FILE_NAME_CHARS
    assert not any(ch in out for ch in '/\\:*?"<>|\x00\n\r')
    assert not out.startswith((".", " ")) and out not in {".", ".."}
    assert sanitize_file_name(out) == out


def test_long_names_keep_their_extension():
    out = sanitize_file_name("x" * 500 + ".xlsx")
    assert out.endswith(".xlsx") and len(out) == MAX_FILE_NAME_CHARS


def test_safe_output_path_keeps_the_directory_and_refuses_a_bare_directory(tmp_path):
    assert safe_output_path(tmp_path / "a:b.csv") == tmp_path / "a_b.csv"
    with pytest.raises(InvalidReportOption, match="output"):
        safe_output_path("")


def test_atomic_write_uses_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = atomic_write_bytes(tmp_path / "r.csv", b"data")
    assert path.read_bytes() == b"data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_a_failed_move_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "r.csv"
    target.write_bytes(b"old")

    def broken_replace(self, other):
        raise OSError("disk full")

    monkeypatch.setattr(type(target), "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_a_failing_export_writes_nothing(tmp_path, monkeypatch, small_model):
    import reports.xlsx_export

    def broken(model):
        raise RuntimeError("exporter bug")

    monkeypatch.setattr(reports.xlsx_export, "to_xlsx", broken)
    with pytest.raises(RuntimeError, match="exporter bug"):
        export_report(small_model, "xlsx", tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_export_sanitizes_and_writes(tmp_path, small_model):
    (written,) = export_report(small_model, "json", tmp_path / "a|b.json")
    assert written == tmp_path / "a_b.json" and written.read_bytes() == render(small_model, "json")


def test_csv_exports_the_line_items_and_the_summary_beside_them(tmp_path, small_model):
    written = export_report(small_model, "csv", tmp_path / "r.csv")
    assert written == (tmp_path / "r.csv", tmp_path / "r-summary.csv")
    assert written[0].read_bytes() == render(small_model, "csv")
    assert written[1].read_bytes() == render(small_model, SUMMARY_CSV)


def test_unknown_format_names_the_choices(small_model):
    with pytest.raises(InvalidReportOption, match=r"format: 'doc'.*csv, xlsx, json, html, pdf"):
        render(small_model, "doc")


def test_default_file_name_is_sanitized(hostile_model):
    for fmt in FORMATS:
        name = default_file_name(hostile_model, fmt)
        assert name.endswith(f"-report.{fmt}") and "/" not in name and '"' not in name


def test_a_workload_no_platform_can_run_still_exports(book):
    """Windows pods on EKS Fargate only: every format says why, with no charts and no crash."""
    from advisor.costs.estimate import estimate
    from advisor.workload.scenario import Scenario
    from reports.model import build_report

    scenario = Scenario.model_validate({"name": "win", "platforms": ["eks-fargate"], "services": [
        {"name": "legacy", "vcpu": 1, "memory_gib": 2, "replicas": 1, "os": "windows"}]})
    model = build_report(estimate(scenario, book), book)
    assert not model.summaries and model.unavailable
    for fmt in FORMATS:
        data = render(model, fmt)
        assert data
        if fmt in {"json", "html"}:
            assert "EKS on Fargate runs only Linux" in data.decode()
