"""Control characters in names never reach a console table or a text report raw (CR, LF, tab, escape, bidi)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from advisor_cli.main import main
from presentation.text import markdown_literal, printable, printable_frame, printable_lines

#: A service name that would start a new line, return the cursor, recolour the terminal and reverse the text.
HOSTILE = "web\r\nFAKE ROW\t\x1b[31mred\x1b[0m\u202eevil\x85"
RAW = re.compile("[\r\t\x1b\u202e\x85]")


def test_printable_escapes_every_control_character() -> None:
    assert printable(HOSTILE) == "web\\r\\nFAKE ROW\\t\\x1b[31mred\\x1b[0m\\u202eevil\\x85"
    assert printable("Ünïcödé 서비스 ok") == "Ünïcödé 서비스 ok"
    assert printable(printable(HOSTILE)) == printable(HOSTILE)


def test_printable_lines_keep_one_line_per_element() -> None:
    assert printable_lines(["a\nb", "c"]).splitlines() == ["a\\nb", "c"]


def test_printable_frame_escapes_text_cells_and_headers_only() -> None:
    frame = printable_frame(pd.DataFrame({"name\n": [HOSTILE], "usd": [1.5]}))
    assert list(frame.columns) == ["name\\n", "usd"]
    assert frame.iloc[0, 0] == printable(HOSTILE) and frame.iloc[0, 1] == 1.5


@pytest.mark.parametrize(("text", "shown"), [
    ("![x](http://tracker.invalid/p.png)", r"\!\[x\]\(http\:\/\/tracker\.invalid\/p\.png\)"),
    ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
    ("**bold** $x$ :red[alert] :material/home:", r"\*\*bold\*\* \$x\$ \:red\[alert\] \:material\/home\:"),
    ("a\nb", r"a\\nb"),
])
def test_markdown_literal_makes_markdown_inert(text: str, shown: str) -> None:
    assert markdown_literal(text) == shown


@pytest.fixture
def hostile_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    doc = {"name": f"shop{HOSTILE}", "environments": [{"name": f"prod{HOSTILE}"}],
           "services": [{"name": HOSTILE, "vcpu": 0.5, "memory_gib": 1, "replicas": 2}],
           "jobs": [{"name": f"etl{HOSTILE}", "vcpu": 1, "memory_gib": 2, "runs_per_month": 30,
                     "duration_minutes": 10}]}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("argv", [["estimate", "{s}"], ["estimate", "{s}", "--platform", "ecs-fargate"],
                                  ["estimate", "{s}", "--format", "csv"], ["compare", "{s}"],
                                  ["compare", "{s}", "--format", "csv"], ["compare", "{s}", "{s}"],
                                  ["analyze", "sensitivity", "{s}"]])
def test_console_tables_show_names_escaped(capsys, hostile_scenario: Path, argv: list[str]) -> None:
    assert main([a.format(s=hostile_scenario) for a in argv]) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out), RAW.findall(out)[:5]
    assert not any(line.startswith("FAKE ROW") for line in out.splitlines())


def test_the_import_report_shows_names_escaped(capsys, tmp_path: Path) -> None:
    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": HOSTILE},
                "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}
    source = tmp_path / "d.json"
    source.write_text(json.dumps(manifest))
    assert main(["import", "k8s", str(source), "-o", str(tmp_path / "out.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Deployment web\\r\\nFAKE ROW" in out and not RAW.search(out)


def test_errors_show_names_escaped(capsys, tmp_path: Path) -> None:
    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": HOSTILE},
                "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x",
                                                               "resources": {"requests": {"cpu": "x"}}}]}}}}
    source = tmp_path / "d.json"
    source.write_text(json.dumps(manifest))
    assert main(["import", "k8s", str(source), "-o", str(tmp_path / "out.yaml")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and not RAW.search(err)
