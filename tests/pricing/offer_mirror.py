"""A loopback Bulk API mirror over a folder of offer files (the layout ``advisor prices import`` reads).

Maps AWS's paths (``/offers/v1.0/aws/<Offer>/<version>/<region>/index.json``) to the folder
(``<Offer>/<region>/index.json``) with :func:`pricing.offer_index.local_relative_path`, and
streams each file with its Content-Length.  ``stall`` holds answers to paths containing a
marker after sending half the body, until released: a download in progress, for Ctrl-C
tests.  Used by tests and by ``bench/refresh_bench.py`` (a mirror of the 34-Region
``aws-price-data/offers``).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pricing.errors import OfferFormatError
from pricing.offer_index import local_relative_path

_INDEX = "/offers/v1.0/aws/index.json"


class LoopbackServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 (port 0) that records the paths asked; ``release`` ends stalled answers."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.requests: list[str] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@contextmanager
def running(server: LoopbackServer) -> Iterator[LoopbackServer]:
    """Serve in a daemon thread; on exit release stalled answers and shut down."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join()


class MirrorServer(LoopbackServer):
    """Serves ``root``; answers to paths containing ``stall`` stop halfway until ``release`` is set."""

    def __init__(self, root: Path, stall: str | None = None) -> None:
        super().__init__(_Handler)
        self.root = root
        self.stall = stall
        self.stalled = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        try:
            path = self.server.root / ("index.json" if self.path == _INDEX else local_relative_path(self.path))
        except OfferFormatError:
            path = None
        if path is None or not path.is_file():
            self.send_error(404, "Not Found")
            return
        size = path.stat().st_size
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with path.open("rb") as body:
            if self.server.stall and self.server.stall in self.path:
                self.wfile.write(body.read(size // 2))
                self.wfile.flush()
                self.server.stalled.set()
                self.server.release.wait(120)
                return
            shutil.copyfileobj(body, self.wfile, 1 << 20)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def serve_folder(root: Path, stall: str | None = None) -> Iterator[MirrorServer]:
    """A running mirror of ``root``, shut down on exit."""
    with running(MirrorServer(root, stall)) as server:
        yield server
