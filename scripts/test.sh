#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds, runs the Swift
# tests (unit and integration over real sockets), then the operations tests (promtool,
# amtool, deploy files, end-to-end with a real Prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
swift build --build-tests
swift test --skip-build
CCKM_EXPORTER_BIN="$PWD/.build/debug/cckm_exporter" \
CCKM_SIMULATOR_BIN="$PWD/.build/debug/cckm-simulator" \
  scripts/test-ops.sh
