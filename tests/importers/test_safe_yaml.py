"""Hostile input: alias bombs, object construction, custom tags, duplicate keys, size, malformed text."""

import pytest

from importers.report import WorkloadImportError
from importers.safe_yaml import MAX_ALIAS_EXPANSION_NODES, MAX_SOURCE_BYTES, load_documents

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def _error(text, source="in.yaml"):
    with pytest.raises(WorkloadImportError) as err:
        load_documents(text, source)
    return str(err.value)


def test_documents_are_numbered_like_an_editor_shows_them():
    docs = load_documents("---\na: 1\n---\n---\nb: [x, y]\n", "m.yaml")
    assert [(d.index, d.data) for d in docs] == [(1, {"a": 1}), (2, None), (3, {"b": ["x", "y"]})]
    assert docs[2].origin.label() == "m.yaml, document 3"


def test_billion_laughs_is_refused_before_construction():
    message = _error(BILLION_LAUGHS)
    assert message.startswith("in.yaml, document 1: ")
    assert "alias bomb" in message


def test_alias_count_limit():
    text = "base: &b {x: 1}\nitems:\n" + "".join("  - *b\n" for _ in range(1001))
    assert "more than 1000 aliases" in _error(text)


def test_a_few_aliases_and_merge_keys_are_fine():
    text = ("x-defaults: &defaults {restart: always, logging: {driver: json-file}}\n"
            "services:\n  web: {<<: *defaults, image: web}\n  api: {<<: *defaults, image: api, restart: 'no'}\n")
    (doc,) = load_documents(text, "compose.yaml")
    assert doc.data["services"]["api"] == {"restart": "no", "logging": {"driver": "json-file"}, "image": "api"}


def test_expansion_just_under_the_limit_is_accepted():
    leaf = "[" + ", ".join(["x"] * 99) + "]"
    text = f"leaf: &l {leaf}\nuses:\n" + "".join("  - *l\n" for _ in range(MAX_ALIAS_EXPANSION_NODES // 100 - 1))
    (doc,) = load_documents(text, "ok.yaml")
    assert len(doc.data["uses"]) == MAX_ALIAS_EXPANSION_NODES // 100 - 1


def test_recursive_alias_is_refused():
    assert "recursive" in _error("a: &a [1, *a]\n")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/object:os.Popen {}",
                                 "!!python/name:os.system", "!Ref MyBucket", "!custom {}"])
def test_object_construction_and_custom_tags_are_refused(tag):
    message = _error(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {tag}\n")
    assert "is not plain data" in message and "line 4" in message
    assert message.startswith("in.yaml, document 1")


def test_python_tag_is_named_in_the_error():
    assert "'!!python/object/apply:os.system'" in _error("x: !!python/object/apply:os.system ['true']\n")


def test_duplicate_keys_are_refused_with_the_line():
    message = _error("---\na: 1\n---\nspec:\n  resources: {}\n  resources: {requests: {cpu: 1}}\n")
    assert message.startswith("in.yaml, document 2: duplicate key 'resources'") and "line 6" in message


def test_malformed_yaml_names_the_document():
    message = _error("a: 1\n---\nb: [unclosed\n")
    assert message.startswith("in.yaml, document 2: not valid YAML")


def test_json_is_read_by_the_json_parser():
    (doc,) = load_documents('  {"taskDefinition": {"family": "web"}}', "td.json")
    assert doc.data == {"taskDefinition": {"family": "web"}}
    assert "not valid JSON: Expecting" in _error('{"family": "web",}', "td.json")
    assert "duplicate key 'family'" in _error('{"family": "a", "family": "b"}', "td.json")
    assert "nested too deeply" in _error("[" * 100_000, "deep.json")


def test_size_limit():
    message = _error("#" * (MAX_SOURCE_BYTES + 1), "big.yaml")
    assert message.startswith("big.yaml: ") and "limit" in message
