#!/usr/bin/env bash
# Runs the whole test suite, including the interop tests against the real Python tools,
# the real servers and the report tests in headless Chromium (scripts/test-environment.sh
# prepares them on the first run).
#
# Usage: scripts/test.sh [extra swift test arguments, e.g. --filter Parquet]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-environment.sh

swift build --build-tests
swift test "$@"
