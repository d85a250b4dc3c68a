#!/usr/bin/env bash
# Quick start 2: set up the environment if needed, lint, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ruff check toolkit tests scripts
python -m pytest "$@"
