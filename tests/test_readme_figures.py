"""README.md's figures about the model are the model's: one answer to one question.

The figure blocks (``<!-- figures:NAME -->``) must read exactly as ``make readme-figures``
writes them, and the replica factor at which the leader flips is the same number in the
recommendation and in the ``replicas_scale`` sweep the README quotes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.workload.spec_io import parse_scenario
from presentation.readme_figures import FLIP_PAIR, blocks_in, figure_blocks, recommendation_figures, with_blocks
from pricing.active import load_pricebook

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def shop():
    path = ROOT / "examples" / "microservices.yaml"
    return parse_scenario(path.read_text(encoding="utf-8"), path.name)


@pytest.fixture(scope="module")
def figures(shop):
    return recommendation_figures(shop, load_pricebook(None))


@pytest.fixture(scope="module")
def pair(shop):
    return recommendation_figures(shop, load_pricebook(None), FLIP_PAIR)


def test_the_flip_is_one_number_in_the_recommendation_and_the_sweep(pair) -> None:
    assert pair.replicas is not None
    assert pair.replicas_in_sweep == pair.replicas


def test_without_a_flip_the_readme_says_how_far_it_looked(figures) -> None:
    assert figures.replicas is None and figures.replicas_in_sweep is None
    assert "from × 0.125 to × 8 replicas" in figure_blocks(figures, figures)["recommendation"]


def test_readme_figures_are_the_models(figures, pair) -> None:
    expected = figure_blocks(figures, pair)
    shown = blocks_in(README.read_text(encoding="utf-8"))
    assert set(expected) <= set(shown), "README.md lost a figure block marker"
    stale = {name: body for name, body in expected.items() if shown[name] != body}
    assert not stale, f"README.md figures drifted from the model; run `make readme-figures`: {stale}"


def test_blocks_are_rewritten_in_place() -> None:
    text = "a\n<!-- figures:x -->\nold\n<!-- /figures -->\nb\n"
    assert with_blocks(text, {"x": "new\n"}) == "a\n<!-- figures:x -->\nnew\n<!-- /figures -->\nb\n"
    assert blocks_in(with_blocks(text, {"x": "new\n"})) == {"x": "new\n"}
