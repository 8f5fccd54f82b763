"""Control characters in names never reach a report raw: every format shows them as escapes (issue 18)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Scenario
from presentation.text import printable
from reports.export import SUMMARY_CSV, render
from reports.json_export import load_report_json
from reports.model import build_report

#: Would start a new row, return the cursor, recolour a terminal, reverse the text, end a line (NEL).
HOSTILE = "web\r\nFAKE ROW\t\x1b[31mred\u202eevil\x85"
#: What a raw name leaves in a file (tabs alone are not searched: plotly.js, inlined in HTML, has its own).
RAW = re.compile("[\r\x1b\u202e\x85]|\nFAKE|ROW\t")


@pytest.fixture(scope="module")
def hostile_model(book):
    scenario = Scenario.model_validate({
        "name": f"shop {HOSTILE}", "description": f"about {HOSTILE}", "platforms": ["ecs-fargate", "ecs-ec2"],
        "environments": [{"name": f"prod {HOSTILE}"}],
        "services": [{"name": HOSTILE, "vcpu": 0.5, "memory_gib": 1, "replicas": 2,
                      "sidecars": [{"name": f"envoy {HOSTILE}", "vcpu": 0.125, "memory_gib": 0.25}]}]})
    return build_report(estimate(scenario, book), book, scenario=scenario)


def _text(fmt: str, data: bytes) -> str:
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    if fmt == "pdf":
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) is not installed")
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n") if fmt in ("csv", SUMMARY_CSV) else text


@pytest.mark.parametrize("fmt", ["csv", SUMMARY_CSV, "json", "html", "xlsx", "pdf"])
def test_no_report_holds_a_raw_control_character(hostile_model, fmt: str) -> None:
    text = _text(fmt, render(hostile_model, fmt))
    assert not RAW.search(text), RAW.findall(text)[:5]


@pytest.mark.parametrize("fmt", ["csv", "html", "xlsx", "pdf"])
def test_names_are_shown_escaped(hostile_model, fmt: str) -> None:
    assert printable(HOSTILE) in _text(fmt, render(hostile_model, fmt))


def test_the_json_report_still_reopens_the_exact_scenario(hostile_model) -> None:
    data = render(hostile_model, "json").decode("utf-8")
    assert "\\u202e" in data and "\\u0085" in data
    assert load_report_json(data, "report.json") == hostile_model.scenario
    assert json.loads(data)["scenario"]["services"][0]["name"] == HOSTILE
