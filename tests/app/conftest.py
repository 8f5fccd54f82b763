"""Fixtures of the AppTest tests: a private price cache per test, and the bundled price book."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing.active import load_pricebook


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)
