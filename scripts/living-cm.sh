#!/usr/bin/env bash
# The living-CM property test (Tests/PollingTests/LivingCMPropertyTests.swift) at soak length:
# more seeds and longer lives than CI's 3 seeds of 24 polls. Each (seed, scenario) is a seeded
# life on simulated time (bursts, purges, 5xx pages, an outage, deleted running jobs), then
# quiet; every job metric must equal the simulator's ground truth within a few quiet polls,
# no counter may go down, and quiet polls must cost 1 + ⌈running / page⌉ requests. A failure
# names its seed and scenario: LIVING_CM_SEEDS=<seed> LIVING_CM_SCENARIOS=<part of the name>
# replays exactly that run.
# Usage: scripts/living-cm.sh [seeds, default 1-12] [life polls, default 60] [scenario filter]
#   e.g. scripts/living-cm.sh 1-40 120 cluster
set -euo pipefail
seeds="${1:-1-12}"
polls="${2:-60}"
filter="${3:-}"
[[ "$seeds" =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] || { echo "living-cm: seeds: e.g. 1-20 or 3,7,9" >&2; exit 2; }
[[ "$polls" =~ ^[0-9]+$ ]] && ((polls >= 6)) || { echo "living-cm: life polls: a number, at least 6" >&2; exit 2; }
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
LIVING_CM_SEEDS="$seeds" LIVING_CM_LIFE_POLLS="$polls" LIVING_CM_SCENARIOS="$filter" \
  swift test --skip-build --filter 'PollingTests.LivingCMPropertyTests'
