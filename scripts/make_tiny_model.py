"""Build the tiny random-weight MarianMT model (real sentencepiece vocabulary) into OUT.

Usage: python scripts/make_tiny_model.py OUT [--seed N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.translate.tiny import build_tiny_model


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    print(build_tiny_model(a.out, seed=a.seed))


if __name__ == "__main__":
    main()
