"""``make readme-figures``: rewrite README.md's figure blocks from the model (see presentation/readme_figures.py).

``--check`` prints the blocks that differ and exits 1 instead of writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.workload.spec_io import parse_scenario
from presentation.readme_figures import FLIP_PAIR, blocks_in, figure_blocks, recommendation_figures, with_blocks
from pricing.active import load_pricebook

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when the README is stale")
    args = parser.parse_args(argv)
    readme = ROOT / "README.md"
    example = ROOT / "examples" / "microservices.yaml"
    shop = parse_scenario(example.read_text(encoding="utf-8"), example.name)
    book = load_pricebook(None)
    blocks = figure_blocks(recommendation_figures(shop, book), recommendation_figures(shop, book, FLIP_PAIR))
    text = readme.read_text(encoding="utf-8")
    stale = {name: body for name, body in blocks.items() if blocks_in(text).get(name) != body}
    if args.check:
        for name, body in stale.items():
            print(f"README.md figures:{name} should read:\n{body}")
        return 1 if stale else 0
    readme.write_text(with_blocks(text, blocks), encoding="utf-8")
    print(f"README.md: {len(stale)} of {len(blocks)} figure blocks updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
