"""Every command that prices says, in one line, when it fell back to the snapshot and why (issue 12).

A cache that is corrupted (a flipped byte), unreadable or of the wrong shape (valid JSON,
wrong document) must never stop a command nor be skipped silently: estimate, compare,
analyze and report price on the bundled snapshot and print exactly one
``warning: using the bundled snapshot because ...`` line on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor_cli.main import main
from pricing.active import SNAPSHOT_DIR, cache_store_dir
from pricing.store import read_store, write_store

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "small-api.yaml")
COMMANDS = {
    "estimate": ["estimate", EXAMPLE, "--format", "json"],
    "compare": ["compare", EXAMPLE, "--format", "json"],
    "analyze": ["analyze", "sweep", EXAMPLE, "--param", "replicas_scale", "--values", "1,2", "--format", "json"],
    "report": ["report", EXAMPLE, "--format", "json", "-o", "{tmp}/report.json", "--no-replica-search"],
}


def _cache(tmp_path: Path) -> Path:
    """A cache holding the snapshot's prices, as a plain store (a layout every version reads)."""
    cache = tmp_path / "cache"
    write_store(cache_store_dir(cache), *read_store(SNAPSHOT_DIR))
    return cache


def _flip_a_byte(store: Path) -> None:
    prices = store / "prices.csv.gz"
    data = bytearray(prices.read_bytes())
    data[len(data) // 2] ^= 0xFF
    prices.write_bytes(bytes(data))


def _wrong_shape(store: Path) -> None:
    meta = json.loads((store / "metadata.json").read_text())
    meta["regions"] = {"us-east-1": ["not", "an", "object"]}
    (store / "metadata.json").write_text(json.dumps(meta))


@pytest.mark.parametrize("damage", [_flip_a_byte, _wrong_shape], ids=["corrupted", "wrong-shape"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fallback_to_the_snapshot_is_said_in_one_line(tmp_path, capsys, command, damage):
    cache = _cache(tmp_path)
    damage(cache_store_dir(cache))
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    assert main(["--cache-dir", str(cache), *args]) == 0
    _, err = capsys.readouterr()
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, err
    assert warnings[0].startswith("warning: using the bundled snapshot because the price cache is corrupted or "
                                  "unreadable (")
    assert warnings[0].endswith("run 'advisor prices refresh' to rebuild it")
    assert "Traceback" not in err
