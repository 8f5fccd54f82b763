"""Typed reads from untrusted documents, with errors that name the field.

Every importer walks plain data (dicts and lists from :mod:`importers.safe_yaml`).
These helpers return the expected type or raise :class:`WorkloadImportError` naming
the file, document, field path and the value found, so a ``containers: {}`` or a
``replicas: "three"`` never surfaces as a ``KeyError`` or ``TypeError`` traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from importers.quantities import QuantityError
from importers.report import Origin, ReportLog, WorkloadImportError

#: How a key the source format does not define is reported (:func:`report_unknown`).
UNKNOWN_FIELD = "not a field of"


def child(path: str, key: str | int) -> str:
    """``spec`` + ``replicas`` -> ``spec.replicas``; ``containers`` + 0 -> ``containers[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__)


def mapping(data: Mapping[str, Any], key: str, origin: Origin, path: str) -> dict[str, Any]:
    """``data[key]`` as a mapping; ``{}`` when absent or null."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WorkloadImportError(origin, child(path, key), f"expected a mapping, found {_type_name(value)} "
                                                            f"({_shown(value)})")
    return value


def sequence(data: Mapping[str, Any], key: str, origin: Origin, path: str) -> list[Any]:
    """``data[key]`` as a list; ``[]`` when absent or null."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise WorkloadImportError(origin, child(path, key), f"expected a list, found {_type_name(value)} "
                                                            f"({_shown(value)})")
    return value


def mappings(data: Mapping[str, Any], key: str, origin: Origin, path: str) -> list[dict[str, Any]]:
    """``data[key]`` as a list of mappings (containers, services, targets)."""
    items = sequence(data, key, origin, path)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise WorkloadImportError(origin, child(child(path, key), i),
                                      f"expected a mapping, found {_type_name(item)} ({_shown(item)})")
    return items


def text(data: Mapping[str, Any], key: str, origin: Origin, path: str, default: str = "") -> str:
    """``data[key]`` as a string; ``default`` when absent or null."""
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise WorkloadImportError(origin, child(path, key), f"expected a string, found {_type_name(value)} "
                                                            f"({_shown(value)})")
    return value


def count(data: Mapping[str, Any], key: str, origin: Origin, path: str, default: int | None) -> int | None:
    """``data[key]`` as a non-negative integer (a numeric string is accepted); ``default`` when absent."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise WorkloadImportError(origin, child(path, key), f"{_shown(value)} is not a whole number >= 0")
    return value


def quantity_error(origin: Origin, path: str, exc: QuantityError) -> WorkloadImportError:
    """A :class:`QuantityError` placed at its file, document and field."""
    return WorkloadImportError(origin, path, str(exc))


def report_unknown(data: Mapping[str, Any], known: frozenset[str], origin: Origin, path: str,
                   log: ReportLog, what: str, extension_prefix: str | None = None) -> None:
    """Report keys the source format does not define (typos such as ``resouces``) as skipped.

    Parameters
    ----------
    known : frozenset of str
        Every key the format defines at this level (see :mod:`importers.schemas`).
    what : str
        The format's name for this level, e.g. "Kubernetes Container".
    extension_prefix : str, optional
        Keys with this prefix are extensions the format allows (Compose ``x-``).
    """
    for key in data:
        if key in known or (extension_prefix and str(key).startswith(extension_prefix)):
            continue
        log.skipped(origin, child(path, str(key)), f"{UNKNOWN_FIELD} {what}; ignored (a typo? "
                                                   f"nothing under it is imported)")


def _shown(value: object) -> str:
    if isinstance(value, dict | list):
        return f"{len(value)} entries"
    return repr(value)
