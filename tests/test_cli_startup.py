"""``advisor estimate`` as a whole process (issue 15): it loads only what pricing needs, and exits as ``main`` says.

Building the command line registers every command, so a command's module may import at its
top only what its options need; what it runs is imported when it runs.  The start-up time
itself is measured by ``bench/cli_bench.py`` (never asserted: it depends on the machine's load).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor_cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "small-api.yaml")

#: Modules of other commands (compare's views and plotly, pandas' Styler and jinja2, the analyses,
#: the decision model, reports, importers, the price import and refresh code) and what they bring,
#: and the process pool's machinery (50 ms; an estimate of one service forks no worker).
NOT_FOR_ESTIMATE = ("jinja2", "plotly", "pandas.io.formats.style", "advisor.analysis", "advisor.decision",
                    "presentation.comparison", "reports", "importers", "pricing.importer", "pricing.bulk_http",
                    "pricing.fetch_pool", "pricing.refresh", "boto3", "ssl", "_multiprocessing",
                    "concurrent.futures.process")


def _program(args: list[str], cache: Path, code: str = "from advisor_cli.main import run; run()"
             ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ADVISOR_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_estimate_loads_no_module_of_the_other_commands(tmp_path):
    code = ("import json, sys; from advisor_cli.main import main; status = main(); "
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr); sys.exit(status)")
    done = _program(["estimate", EXAMPLE, "--format", "json"], tmp_path / "cache", code)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stderr.splitlines()[-1])
    assert "advisor.costs.estimate" in loaded  # the check sees the modules of the run
    found = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_FOR_ESTIMATE)]
    assert not found, f"advisor estimate imported {found}"


def test_the_program_prints_and_exits_as_main_returns(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["estimate", EXAMPLE, "--format", "json"]) == 0
    done = _program(["estimate", EXAMPLE, "--format", "json"], tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("args", "status"), [(["estimate", "no-such-file.yaml"], 2), (["estimate"], 2)])
def test_the_program_exits_with_the_status_of_an_error(tmp_path, args, status):
    done = _program(args, tmp_path / "cache")
    assert done.returncode == status
    assert "error" in done.stderr
