#!/usr/bin/env bash
# Quick start 1: set up the environment if needed and translate the example bulletin.
# No real weights can be downloaded here, so unless models/opus-mt-zh-en/ exists (see
# `bulletin model fetch`), the tiny local test model is built and used: its English is
# random words, but every glossary term and figure guarantee holds and is checked.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
model="models/opus-mt-zh-en"
if [ ! -f "$model/config.json" ]; then
    model="models/tiny"
    [ -f "$model/config.json" ] || bulletin model tiny "$model" >&2
fi
bulletin translate examples/sichuan-poverty-2020-93.txt --model "$model" --with-summary "$@"
