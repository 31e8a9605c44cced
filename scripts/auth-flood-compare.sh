#!/usr/bin/env bash
# Basic-auth floods against cckm_exporter and Debian's prometheus-node-exporter, one after
# the other in one run, with the same web configuration (one bcrypt user of cost 10, plain
# HTTP): 16 flooders (4 processes x 4 threads) from 127.0.0.10-25 send wrong passwords for
# the given time, the same one or a new one each time, while a scraper from 127.0.0.1 GETs
# /metrics with the right password every 0.25 s (scripts/auth-flood.py). Loopback only.
# Prints one line per exporter and flood; the figures of docs/SECURITY.md come from here.
# Usage: scripts/auth-flood-compare.sh [seconds per flood, default 10]
#   BIN=.build/release (default; scripts/soak.sh's build also works: BIN=.build-soak/release)
#   NODE_EXPORTER=prometheus-node-exporter (skipped with a note when missing)
#   NEW_CONNECTION=1: the scraper opens a new connection per scrape (default: kept alive)
set -euo pipefail
seconds="${1:-10}"
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin="${BIN:-.build/release}"
node_exporter="${NODE_EXPORTER:-prometheus-node-exporter}"
[[ -x "$bin/cckm_exporter" ]] || { echo "auth-flood-compare: no $bin/cckm_exporter (swift build -c release)" >&2; exit 2; }

lib_start auth-flood-compare
# bcrypt cost 10 of "scrape-Pa55 w0rd" (exporter-toolkit's documented cost; a test fixture).
cat >"$work/web.yml" <<'YAML'
basic_auth_users:
  prometheus: $2y$10$oeUIeJzbtvGEaRGr97bUs.LUhipN/mwbdESdU7ZcVPshaiADujNQ.
YAML
password='scrape-Pa55 w0rd'

wait_for() { wait_for_url "$1" -u "prometheus:$password" || die "$1 did not come up"; }

flood() {
  local name=$1 url=$2
  for mode in same new; do
    printf '%-15s ' "$name"
    python3 scripts/auth-flood.py --url "$url" --user prometheus --password "$password" \
      --mode "$mode" --seconds "$seconds" ${NEW_CONNECTION:+--new-connection} || true
  done
}

port="$(free_port)"
"$bin/cckm_exporter" --demo --web.listen-address="127.0.0.1:$port" --web.config.file="$work/web.yml" \
  --log.level=warn >"$work/cckm.log" 2>&1 &
cckm_pid=$!
track "$cckm_pid"
wait_for "http://127.0.0.1:$port/metrics"
flood cckm_exporter "http://127.0.0.1:$port/metrics"
kill "$cckm_pid"

if command -v "$node_exporter" >/dev/null; then
  port="$(free_port)"
  "$node_exporter" --web.listen-address="127.0.0.1:$port" --web.config.file="$work/web.yml" \
    >"$work/node.log" 2>&1 &
  track $!
  wait_for "http://127.0.0.1:$port/metrics"
  flood node_exporter "http://127.0.0.1:$port/metrics"
else
  echo "auth-flood-compare: $node_exporter not installed (apt-get install prometheus-node-exporter)"
fi
echo "--- cckm_exporter's log during the floods"
cat "$work/cckm.log"
