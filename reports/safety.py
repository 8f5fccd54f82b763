"""Output safety: Excel cell text, file-name sanitization, atomic writes.

- Text for an Excel cell is neutralized against formula injection by the project's one
  rule (:func:`presentation.csv_text.neutralize_cell`), its control characters shown as escapes
  (:func:`presentation.text.printable`), which also leaves nothing XML forbids.
- Scenario and service names end up in file names; a sanitized name cannot leave its
  directory, hide itself, or hit a Windows device name.
- A report is written to a temporary file in the target directory and moved into
  place with ``os.replace`` (``Path.replace``) (atomic on POSIX and Windows), so a failed export leaves
  either the previous file or nothing, never a partial one.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from contextlib import suppress
from pathlib import Path

from presentation.csv_text import neutralize_cell
from presentation.text import printable
from reports.errors import InvalidReportOption

#: Control characters an .xlsx cell cannot hold (XML 1.0 forbids them; openpyxl raises).
#: Excel's limit on the characters of one cell.
EXCEL_MAX_CELL_CHARS = 32767

#: Characters Windows, macOS or POSIX refuse or treat specially in a file name.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
#: Device names Windows reserves whatever the extension (CON.txt is the console).
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                               *(f"LPT{i}" for i in range(1, 10))})
#: Many file systems limit a name to 255 bytes; keep well inside it.
MAX_FILE_NAME_CHARS = 120


def excel_text(value: str) -> str:
    """Text for an .xlsx cell: control characters as escapes (none of what XML forbids is left), neutralized,
    within Excel's limit."""
    clean = neutralize_cell(printable(value))
    if len(clean) > EXCEL_MAX_CELL_CHARS:
        clean = clean[: EXCEL_MAX_CELL_CHARS - 1] + "…"
    return clean


def sanitize_file_name(name: str, *, default: str = "report") -> str:
    """A file name (no directory) that is safe on every common file system.

    Path separators, control and reserved characters become ``_``; leading dots and
    spaces are dropped (no hidden files, no ``..``); Windows device names get a ``_``
    prefix; the stem is shortened to :data:`MAX_FILE_NAME_CHARS` keeping the extension.
    An empty result becomes ``default``.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _UNSAFE_NAME.sub("_", text).strip(" .")
    text = re.sub(r"_{2,}", "_", text) or default
    stem, dot, ext = text.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,8}", ext):
        stem, dot, ext = text, "", ""
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    limit = MAX_FILE_NAME_CHARS - len(dot + ext)
    stem = stem[:limit].rstrip(" .") or default
    return f"{stem}{dot}{ext}"


def safe_output_path(path: Path | str) -> Path:
    """``path`` with its last component sanitized (the directory is the caller's choice)."""
    target = Path(path)
    if not target.name:
        raise InvalidReportOption("output", str(path), "a file name, not a directory")
    return target.with_name(sanitize_file_name(target.name))


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; on any failure the target is untouched.

    The temporary file lives in the target's directory (``os.replace`` cannot cross
    file systems) and is created with mode 0o666 less the umask, as a plain ``open``
    would, so the report gets the user's usual permissions.

    Returns
    -------
    Path
        The written file.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target
