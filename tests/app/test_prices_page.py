"""AppTest tests of the Prices page: active source, filters, cache fallback and refresh."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import pricing.active
from app_pages.operator import REFRESH_VARIABLE
from pricing.active import SNAPSHOT_DIR, cache_store_dir, load_pricebook
from pricing.errors import StoreCorrupted
from pricing.gaps import KNOWN_GAPS
from pricing.store import read_store, write_store
from tests.app.helpers import APP, cards, goto, rendered, run_app


def price_table(at: AppTest) -> pd.DataFrame:
    """The price table: the only dataframe with a price_key column."""
    frames = [d.value for d in at.dataframe if "price_key" in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def source_text(at: AppTest) -> str:
    return next(rendered(m.value) for m in at.markdown if m.value.startswith("**Active prices:**"))


def stale_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value.startswith("Prices older than 90 days: ")]


def test_price_page_shows_the_snapshot_source(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    assert "bundled snapshot" in source_text(at)
    assert not at.error
    # every bundled price is over 90 days old by now: one notice, with the command that refreshes them
    (stale,) = [w.value for w in at.warning]
    assert stale.startswith("Prices older than 90 days: 2024-07-18 (")
    assert stale.endswith("Refresh them with: advisor prices refresh --source bulk --all-regions")
    book = load_pricebook(cache_dir)
    regions = next(d.value for d in at.dataframe if "age (days)" in d.value.columns)
    assert regions["region"].tolist() == list(book.regions) and len(book.regions) == 34
    assert (regions["age (days)"] > 90).all()
    assert regions.set_index("region").loc["us-east-2", "oldest price"] == "2024-07-18"
    assert regions.set_index("region").loc["ap-east-2", "missing"].startswith("ebs.gp2_gb_month, ebs.gp3_gb_month, "
                                                                             "ec2.instance_hour")
    differences = next(d.value for d in at.dataframe if "reference_usd_per_hour" in d.value.columns)
    assert len(differences) == 68 and differences["change_pct"].min() < -40  # the p5 price cuts
    gaps = next(d.value for d in at.dataframe if "treatment" in d.value.columns)
    assert gaps["key"].tolist() == [g.key for g in KNOWN_GAPS]
    assert metric(at, "Prices as of") == book.prices_as_of(at.selectbox(key="region").value)[:10]


def test_price_filters_change_the_rows(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    everything = price_table(at)
    assert set(everything["region"]) == {at.selectbox(key="region").value}
    assert metric(at, "Prices shown") == f"{len(everything):,}"

    at.selectbox(key="service").select("fargate").run()
    fargate = price_table(at)
    assert 0 < len(fargate) < len(everything)
    assert all(key.startswith("fargate.") for key in fargate["price_key"])
    assert metric(at, "Prices shown") == f"{len(fargate):,}"

    other = next(r for r in at.selectbox(key="region").options if r != at.selectbox(key="region").value)
    at.selectbox(key="region").select(other).run()
    assert set(price_table(at)["region"]) == {other}

    at.selectbox(key="service").select("ec2").run()
    at.text_input(key="instance_filter").input("m5.large").run()
    rows = price_table(at)
    assert len(rows) > 0 and set(rows["instance_type"]) == {"m5.large"}


def test_unknown_instance_type_shows_no_rows_and_the_nearest_types(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    at.text_input(key="instance_filter").input("m5.lrge").run()
    assert price_table(at).empty
    assert rendered(at.error[0].value).startswith("'m5.lrge' is not an EC2 instance type of the active price data "
                                        "(nearest: m5.large")


def test_a_valid_cache_is_the_active_source(cache_dir: Path) -> None:
    tables, meta = read_store(SNAPSHOT_DIR)
    write_store(cache_store_dir(cache_dir), tables, meta)
    at = goto(run_app(), "prices")
    assert "cache (…/prices)" in source_text(at)   # the app shows no absolute server path
    assert str(cache_dir) not in source_text(at)
    assert [w.value for w in at.warning] == stale_warnings(at)  # no fallback warning


def test_corrupted_cache_is_warned_about_and_skipped(cache_dir: Path) -> None:
    tables, meta = read_store(SNAPSHOT_DIR)
    store = cache_store_dir(cache_dir)
    write_store(store, tables, meta)
    prices = store / "prices.csv.gz"
    data = bytearray(prices.read_bytes())
    data[len(data) // 2] ^= 0xFF
    prices.write_bytes(bytes(data))

    at = goto(run_app(), "prices")
    (fallback,) = [rendered(w.value) for w in at.warning if w.value not in stale_warnings(at)]
    assert fallback.startswith("using the bundled snapshot because the price cache is corrupted or unreadable (")
    assert "\n" not in fallback
    assert str(cache_dir) not in fallback and "…/" in fallback   # the app shows no absolute server path
    assert "bundled snapshot" in source_text(at)
    assert len(price_table(at)) > 0
    goto(at, "compare")  # every page says so, in one line
    assert [rendered(w.value) for w in at.warning if rendered(w.value).startswith("using the bundled snapshot")] \
        == [fallback]


def test_load_failure_is_an_error_in_words(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise StoreCorrupted("snapshot/metadata.json: missing")

    monkeypatch.setattr(pricing.active, "load_pricebook", broken)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    assert "metadata.json: missing" in rendered(at.error[0].value)


def test_refreshing_is_an_operator_action_off_by_default(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A visitor of a shared deployment gets no refresh button; the operator can switch it on."""
    monkeypatch.delenv(REFRESH_VARIABLE, raising=False)
    at = goto(run_app(), "prices")
    assert not [b for b in at.button if b.key == "refresh"]
    assert any("Refreshing prices is an operator action and is off on this deployment" in c.value for c in at.caption)
    monkeypatch.setenv(REFRESH_VARIABLE, "on")
    at = goto(run_app(), "prices")
    assert [b for b in at.button if b.key == "refresh"]


def test_make_run_switches_the_refresh_on() -> None:
    recipe = (APP.parent / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert f"{REFRESH_VARIABLE}=on " in recipe


def test_a_failed_refresh_keeps_the_last_good_prices(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials (and no network): the Query API refresh fails, and nothing changes."""
    monkeypatch.setenv(REFRESH_VARIABLE, "on")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(cache_dir / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(cache_dir / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    at = goto(run_app(), "prices")
    rows = len(price_table(at))
    at.radio(key="refresh_source").set_value("query")
    at.multiselect(key="refresh_regions").set_value(["us-east-1"])
    at.button(key="refresh").click().run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("The refresh failed: ") and "credentials" in message
    assert "keeps using the last good prices (bundled snapshot, as of 2025-" in message
    assert at.status[0].label == "The refresh failed"
    assert "bundled snapshot" in source_text(at)
    assert len(price_table(at)) == rows
    assert not cache_store_dir(cache_dir).exists()
    goto(at, "compare")  # the rest of the app works on
    assert cards(at)
