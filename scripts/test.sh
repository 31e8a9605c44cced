#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, checks formatting
# (swift format, .swift-format), builds, runs the Swift
# tests (unit and integration over real sockets), the operations tests (promtool, amtool,
# deploy files, end-to-end with a real Prometheus and Alertmanager, browser test of the status
# page), a short fuzzing run and a short soak; last, that the benchmark package (Benchmarks/,
# outside the default build) still builds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
swift format lint --strict --recursive Sources Tests Fuzz Package.swift Benchmarks/Sources Benchmarks/Package.swift
swift build --build-tests
swift test --skip-build
CCKM_EXPORTER_BIN="$PWD/.build/debug/cckm_exporter" \
CCKM_SIMULATOR_BIN="$PWD/.build/debug/cckm-simulator" \
  scripts/test-ops.sh
scripts/fuzz.sh 10
scripts/soak.sh 30
# The benchmark is not run here (docs/PERFORMANCE.md), but it must keep compiling.
swift build --package-path Benchmarks
