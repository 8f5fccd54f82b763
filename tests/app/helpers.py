"""Driving the app in AppTest as a user would, and what the library says it should show.

Every test points ADVISOR_CACHE_DIR at its own tmp dir (the ``cache_dir`` fixture), so the
real user cache is never read and the app's ``st.cache_resource`` entry is fresh per test.
Expected amounts come from the library (``advisor.decision.tco`` + ``presentation``), so the
tests check that the app shows the library's numbers, not the numbers themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import parse_scenario
from advisor.workload.workspace import Workspace
from app_pages.scenarios import ADD, KEEP_SETTINGS, REPLACE_ALL, REPLACE_OPEN
from app_pages.share import SHARE_PARAM, decode_workspace, encode_workspace
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
EXAMPLES = ROOT / "examples"
DEFAULT_EXAMPLE = "small-api.yaml"  # app_pages.session.DEFAULT_EXAMPLE


def example(name: str) -> Scenario:
    return parse_scenario((EXAMPLES / name).read_text(), name)


def link(*scenarios: Scenario, active: int = 0) -> dict[str, str]:
    """The query parameters of a link to a workspace of ``scenarios``."""
    return {SHARE_PARAM: encode_workspace(Workspace(scenarios, active))}


def shared(at: AppTest) -> Workspace:
    """The workspace in the app's URL."""
    return decode_workspace(at.query_params[SHARE_PARAM])


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, str]:
    """The Compare page's platform cards: label -> monthly TCO as shown, in the order shown."""
    labels = set(PLATFORM_LABELS.values())
    return {m.label: m.value for m in at.metric if m.label in labels}


def expected_cards(scenario: Scenario, book) -> dict[str, str]:
    """Monthly TCO (AWS bill + operations) per platform, lowest first, as the library computes it."""
    return {PLATFORM_LABELS[p.platform]: format_money(p.tco_monthly_usd) for p in tco(scenario, book).ranked()}


def editor(at: AppTest, table: str) -> str:
    """The widget key of a workload table's editor (it carries the session's revision)."""
    return next(d.key for d in at.data_editor if d.key.startswith(f"editor_{table}_"))


def submit_edit(at: AppTest, table: str, edited_rows: dict, added_rows: list | None = None) -> AppTest:
    """Edit cells as a user would in the browser, then press "Apply changes"."""
    at.session_state[editor(at, table)] = {"edited_rows": edited_rows, "added_rows": added_rows or [],
                                           "deleted_rows": []}
    at.button(key="apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def exchange_modes() -> dict[str, str]:
    """The Import & export page's choices of what a file or an import replaces (their labels)."""
    return {"add": ADD, "open": REPLACE_OPEN, "all": REPLACE_ALL, "keep": KEEP_SETTINGS}


def rendered(markdown: str) -> str:
    """The text a Markdown source shows once its backslash escapes are read.

    The app escapes every text that comes from a scenario, a file or an error
    (:func:`app_pages.shown.shown`), so tests compare what a visitor reads.
    """
    return re.sub(r"\\(.)", r"\1", markdown)
