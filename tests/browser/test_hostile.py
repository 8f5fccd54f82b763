"""The app in a real Chromium, as a hostile link or an oversized upload would meet it.

- Offline: every page loads with every request outside the app's own server refused, and
  none is even attempted (icons, fonts and charts are bundled).
- A scenario whose names are Markdown images and HTML (pointing at ``tracker.invalid``)
  renders them as text: the browser never asks for what they name.
- Uploads: the server itself refuses a file over ``server.maxUploadSize`` (HTTP 413),
  whatever the browser's widget would have allowed.

Uses the system Chromium and the app server of :mod:`tests.browser.conftest` (skipped without
Chromium except under CI).
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect, sync_playwright

from tests.browser.conftest import Served
from tests.browser.pages import ARGS, app_page, open_page, settled

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TRACKER = "tracker.invalid"
IMAGE = f"![pixel](http://{TRACKER}/pixel.png)"
HTML = f"<img src=http://{TRACKER}/img.png>"
PAGES = ("Compare", "Workload", "Workspace", "Analyse", "Import & export", "Prices")


def _token(document: dict) -> str:
    return base64.urlsafe_b64encode(zlib.compress(json.dumps(document).encode(), 9)).decode().rstrip("=")


def _hostile_link(server: str) -> str:
    from advisor.workload.spec_io import parse_scenario

    shop = parse_scenario((ROOT / "examples" / "small-api.yaml").read_text()).model_dump(mode="json")
    shop["name"] = f"shop {IMAGE} {HTML}"
    shop["services"] = [{**shop["services"][0], "name": f"api {IMAGE}"}]
    return f"{server}/?scenario={_token(shop)}"


def _local_only(page: Page, server: str, outside: list[str]) -> None:
    """Let requests to the app's server through; record and refuse every other one."""
    app = urlsplit(server).netloc

    def handle(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == app:
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page.route("**/*", handle)


def test_offline_and_names_are_never_fetched(chromium: str, served: Served) -> None:
    server = served.url
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = app_page(browser, errors, height=1500)
            _local_only(page, server, outside)
            page.goto(_hostile_link(server))
            expect(page.get_by_text("Opened the scenario from the link.")).to_be_visible()
            expect(page.get_by_role("heading", name=f"Compare: shop {IMAGE} {HTML}")).to_be_visible()
            settled(page)
            for title in PAGES:
                open_page(page, title)
            page.wait_for_timeout(1_000)   # late icon or font requests would show up here
            assert page.locator(f"img[src*='{TRACKER}']").count() == 0
        finally:
            browser.close()
    assert outside == [], outside
    assert not errors, errors


def test_the_server_refuses_an_upload_over_its_limit(chromium: str, served: Served, tmp_path: Path) -> None:
    """The browser's own check is bypassed: the request is replayed with a body over the limit."""
    server = served.url
    uploads: list[Request] = []
    small = tmp_path / "small.yaml"
    small.write_text((ROOT / "examples" / "small-api.yaml").read_text())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.set_default_timeout(60_000)
            page.on("request", lambda r: uploads.append(r) if "/_stcore/upload_file/" in r.url else None)
            page.goto(server)
            settled(page)
            open_page(page, "Import & export")
            page.locator("input[type=file]").first.set_input_files(str(small))
            page.wait_for_timeout(2_000)
            (upload,) = [r for r in uploads if r.method == "PUT"][:1]
            headers = {k: v for k, v in upload.headers.items() if k.lower().startswith("x-")}
            accepted = page.request.put(upload.url, headers=headers, multipart={
                "file": {"name": "small.yaml", "mimeType": "application/yaml", "buffer": small.read_bytes()}})
            refused = page.request.put(upload.url, headers=headers, multipart={
                "file": {"name": "big.yaml", "mimeType": "application/yaml", "buffer": b"#" * (6 * 2**20)}})
        finally:
            browser.close()
    assert accepted.status < 300, accepted.status
    assert refused.status == 413, refused.status
