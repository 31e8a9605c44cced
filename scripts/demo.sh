#!/usr/bin/env bash
# Builds the exporter and runs it against the built-in CipherTrust Manager simulator.
# Then, in another shell: curl localhost:7256/metrics
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product cckm_exporter
exec .build/release/cckm_exporter --demo --poll.interval=5s --poll.timeout=5s "$@"
