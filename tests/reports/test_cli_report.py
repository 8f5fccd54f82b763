"""``advisor report`` as a user runs it: every format, reopening a JSON report, sanitized names, errors."""

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from advisor.workload.platforms import Platform
from advisor_cli.main import main

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "small-api.yaml")
#: The replica break-even search runs a dozen estimates; one test keeps it, the rest skip it.
QUICK = "--no-replica-search"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def test_csv_and_xlsx_with_a_display_currency(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["report", EXAMPLE, "--format", "csv", "-o", str(out), "--currency", "eur", "--usd-rate", "0.9",
                 QUICK]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and f"wrote {tmp_path / 'r-summary.csv'}" in printed
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["platform"] for r in rows} == {p.value for p in Platform}
    assert "monthly_eur" in rows[0]
    summary = list(csv.DictReader(io.StringIO((tmp_path / "r-summary.csv").read_text(encoding="utf-8-sig"))))
    assert {r["platform"] for r in summary} == {r["platform"] for r in rows}
    assert all(r["tco_monthly_usd"] and r["aws_monthly_eur"] for r in summary)
    xlsx = tmp_path / "r.xlsx"
    assert main(["report", EXAMPLE, "--format", "xlsx", "-o", str(xlsx), "--platform", "ecs-fargate", QUICK]) == 0
    assert load_workbook(xlsx)["Summary"]["B2"].value == "ecs-fargate"


def test_a_json_report_reopens_as_the_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", EXAMPLE, "--format", "json", QUICK]) == 0
    first = tmp_path / "small-api-report.json"
    assert main(["report", str(first), "--format", "json", "-o", "again.json", QUICK]) == 0
    a, b = (json.loads(p.read_text()) for p in (first, tmp_path / "again.json"))
    assert a["scenario"] == b["scenario"] and a["estimate"] == b["estimate"]


def test_html_and_pdf_default_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", EXAMPLE, "--format", "html"]) == 0  # with the full recommendation
    assert main(["report", EXAMPLE, "--format", "pdf", QUICK]) == 0
    html = (tmp_path / "small-api-report.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<td>Would flip if</td>") == 2  # engineer rate and replicas
    assert (tmp_path / "small-api-report.pdf").read_bytes().startswith(b"%PDF-")


def test_output_name_is_sanitized(tmp_path, capsys):
    assert main(["report", EXAMPLE, "--format", "csv", "-o", str(tmp_path / "a<b>.csv"), QUICK]) == 0
    assert (tmp_path / "a_b_.csv").exists()
    assert "sanitized to a_b_.csv" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--currency", "EUR"], "--usd-rate: 'missing'"),
    (["--usd-rate", "0.9"], "--currency: 'missing'"),
    (["--currency", "EURO", "--usd-rate", "1"], "currency: 'EURO' is not allowed"),
    (["--currency", "EUR", "--usd-rate", "0"], "usd_rate: 0.0 is not allowed"),
])
def test_bad_options_are_one_line_errors_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "r.csv"
    assert main(["report", EXAMPLE, "--format", "csv", "-o", str(out), QUICK, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not out.exists()


def test_missing_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["report", EXAMPLE, "--format", "csv", "-o", str(tmp_path / "nope" / "r.csv"), QUICK]) == 2
    assert "nope" in capsys.readouterr().err


def test_a_pdf_without_a_font_for_its_names_warns(tmp_path, capsys, monkeypatch):
    from reports import pdf_fonts

    monkeypatch.setattr(pdf_fonts, "CJK_FONT_PATHS", ())
    monkeypatch.delenv(pdf_fonts.CJK_FONT_ENV, raising=False)
    korean = tmp_path / "k.yaml"
    korean.write_text(Path(EXAMPLE).read_text().replace("name: small-api", "name: 웹서비스"), encoding="utf-8")
    assert main(["report", str(korean), "--format", "pdf", "-o", str(tmp_path / "k.pdf"), QUICK]) == 0
    err = capsys.readouterr().err
    assert "warning: Some characters" in err and "apt-get install fonts-noto-cjk" in err
