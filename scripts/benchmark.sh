#!/usr/bin/env bash
# Builds in release mode and prints the side-by-side benchmark table (Markdown).
# Usage: scripts/benchmark.sh [--only json-adds,describe,array,...] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-interop/bin/python ]; then
    echo "The Python environment is missing; run scripts/test.sh once to create it." >&2
    exit 1
fi
swift build -c release --product datafolio
swift build -c release --product DataFolioBenchmarks
.build/release/DataFolioBenchmarks --python .venv-interop/bin/python --cli .build/release/datafolio "$@"
