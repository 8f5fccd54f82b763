"""Read untrusted YAML or JSON text into plain data (dicts, lists, strings, numbers).

Scenario files, shared links and imported manifests come from other people, so the
reader assumes nothing good of them:

- **no objects:** only YAML's standard tags are constructed, as PyYAML's safe loader
  knows them (strings, numbers, booleans, null, timestamps, mappings, sequences, and
  the rarer ``!!binary``, ``!!set``, ``!!omap``), all plain data; ``!!python/object`` or
  a custom tag such as CloudFormation's ``!Ref`` is an error, never a constructor call;
- **no alias bombs:** each document is composed to a node graph first (aliases share
  nodes there, so composing is linear in the text), then its aliases are counted and
  the number of nodes they would add when expanded is computed; more than
  :data:`MAX_ALIASES_PER_DOCUMENT` aliases or :data:`MAX_ALIAS_EXPANSION_NODES` added
  nodes, or an alias that contains itself, is refused before anything is constructed;
- **no deep nesting:** libyaml refuses nesting beyond its depth limit, JSON and the
  constructor stop at Python's recursion limit; either way the text is refused with a
  message, never a traceback;
- **no silent overwrites:** a mapping that repeats a key is an error (YAML forbids it;
  PyYAML would keep the last value), except keys brought in by a ``<<`` merge, which
  may be overridden by design.

JSON text (first character ``{`` or ``[``) is read by :mod:`json` for its clearer
messages; JSON has no aliases or tags, and duplicate keys are refused there too.
Callers check the text's size first (their limits differ) and name the file in errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml

from advisor.errors import AdvisorError

#: Compose files use anchors for shared blocks (one ``<<: *defaults`` per service);
#: a thousand aliases in one document is far beyond that use.
MAX_ALIASES_PER_DOCUMENT = 1000
#: Nodes that expanding the aliases would add; a "billion laughs" document adds 10^9.
MAX_ALIAS_EXPANSION_NODES = 100_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PlainDataError(AdvisorError):
    """Text that is not plain YAML or JSON data; ``document`` is its 1-based number (None: unknown)."""

    def __init__(self, document: int | None, problem: str) -> None:
        super().__init__(document, problem)
        self.document = document
        self.problem = problem

    def __str__(self) -> str:
        return self.problem if self.document is None else f"document {self.document}: {self.problem}"


class _DataConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that refuses repeated keys (merge keys excepted)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r} (YAML keys must be unique; "
                                "the later value would silently replace the earlier one)", key_node.start_mark)
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def load_plain_documents(text: str) -> Iterator[tuple[int, Any]]:
    """Every document of a YAML or JSON text as (1-based number, plain data).

    Empty documents (a lone ``---``) give ``None``, so numbering matches what an editor shows.

    Raises
    ------
    PlainDataError
        Not valid YAML/JSON, a disallowed tag, a duplicate key, an alias bomb or nesting
        too deep; the message names the document and, where known, the line.
    """
    if text.lstrip()[:1] in ("{", "["):
        yield 1, _load_json(text)
        return
    yield from _load_yaml(text)


def _load_json(text: str) -> Any:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key {key!r}")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        raise PlainDataError(1, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:
        raise PlainDataError(1, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise PlainDataError(1, "JSON nested too deeply") from None


def _load_yaml(text: str) -> Iterator[tuple[int, Any]]:
    # An alias needs an anchor ("&name") before it; text without "&" has none, and the
    # walk (about a quarter of the parse time of a large kubectl export) can be skipped.
    may_alias = "&" in text
    index = 0
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=_Loader), start=1):
            if node is None:
                yield index, None
                continue
            if may_alias:
                _check_aliases(node, index)
            yield index, _DataConstructor().construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        raise PlainDataError(index, _constructor_problem(exc)) from None
    except yaml.YAMLError as exc:
        raise PlainDataError(index + 1, "not valid YAML: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise PlainDataError(index + 1, "YAML nested too deeply") from None


def _constructor_problem(exc: yaml.constructor.ConstructorError) -> str:
    line = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
    problem = exc.problem or ""
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        return (f"tag {tag!r}{line} is not plain data; only standard YAML tags (strings, numbers, booleans, "
                "null, timestamps, mappings, sequences...) are read, and no objects are ever constructed")
    return f"{problem}{line}"


def _check_aliases(root: yaml.Node, document: int) -> None:
    """Count alias references and the nodes they would add; refuse bombs and self-references."""
    expanded: dict[int, int] = {}  # id(node) -> node count of its full expansion
    aliases = 0
    on_path: set[int] = set()
    # Iterative post-order walk: documents can be deep, and recursion limits are not a guard.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in _children(node))
            continue
        if key in on_path:
            raise PlainDataError(document, f"alias at line {node.start_mark.line + 1} refers to a node "
                                           "that contains it (a recursive structure); refused")
        if key in expanded:
            aliases += 1  # a second reference to a finished node is an alias
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise PlainDataError(document, f"alias at line {child.start_mark.line + 1} refers to a "
                                               "node that contains it (a recursive structure); refused")
            if id(child) in expanded:
                aliases += 1
            else:
                stack.append((child, False))
        if aliases > MAX_ALIASES_PER_DOCUMENT:
            raise PlainDataError(document, f"more than {MAX_ALIASES_PER_DOCUMENT} aliases in one document; "
                                           "refused (possible alias bomb)")
    unique_nodes = len(expanded)
    added = expanded[id(root)] - unique_nodes
    if added > MAX_ALIAS_EXPANSION_NODES:
        raise PlainDataError(document, f"expanding its aliases would add {added:,} nodes (limit "
                                       f"{MAX_ALIAS_EXPANSION_NODES:,}); refused as an alias bomb")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
