"""The workspace as a URL token, so a link reproduces the same view: every scenario, and which is open.

The token is the workspace document's compact JSON (:func:`advisor.workload.workspace.workspace_document`),
zlib-compressed and base64url-encoded without padding (URL-safe as a query parameter value).
A link comes from anyone, so decoding is bounded like a scenario file and then some: a token
longer than :data:`MAX_TOKEN_CHARS` is refused unread, one that inflates beyond
:data:`advisor.workload.spec_io.MAX_DOCUMENT_BYTES` is refused before it is held in memory,
anything but a JSON object (what :func:`encode_workspace` makes) is refused before it is
parsed, and the document is then read and validated like any workspace file (nesting, list
lengths and the number of problems shown are all bounded there).  Links made before
workspaces existed hold one scenario document; they open as a workspace of one.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, ScenarioError
from advisor.workload.workspace import Workspace, parse_workspace, workspace_document

#: The query parameter that carries the workspace (named when a link held one scenario).
SHARE_PARAM = "scenario"
#: Longer tokens are refused unread: even the largest valid document compresses far below.
MAX_TOKEN_CHARS = 200_000
SOURCE = "shared link"


def encode_workspace(workspace: Workspace) -> str:
    """The URL token of ``workspace`` (deterministic: equal workspaces give equal tokens)."""
    text = json.dumps(workspace_document(workspace), separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def decode_workspace(token: str) -> Workspace:
    """The workspace of a URL token (a one-scenario token gives a workspace of one).

    Raises
    ------
    ScenarioError
        When the token is not one :func:`encode_workspace` made (truncated links, edited
        by hand, too large) or a scenario of it does not validate; the message says which.
    """
    if len(token) > MAX_TOKEN_CHARS:
        raise ScenarioError(SOURCE, [f"the link's workspace is longer than {MAX_TOKEN_CHARS} characters"])
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_DOCUMENT_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise ScenarioError(SOURCE, ["the link's workspace is damaged (was the link cut short?)"]) from None
    if len(text) > MAX_DOCUMENT_BYTES or inflater.unconsumed_tail:
        raise ScenarioError(SOURCE, [f"the link's workspace is larger than {MAX_DOCUMENT_BYTES} bytes"])
    if not inflater.eof:
        raise ScenarioError(SOURCE, ["the link's workspace is damaged (was the link cut short?)"])
    if not text.lstrip().startswith(b"{"):
        raise ScenarioError(SOURCE, ["the link does not hold a workspace the app made (a JSON object)"])
    return parse_workspace(text.decode("utf-8", errors="replace"), SOURCE)
