#!/usr/bin/env bash
# What one replica costs by the jobs it holds: K simulated CMs (one process each, one aws listing
# of H finished jobs), one exporter polling them all; prints its peak RSS once every listing's
# first complete walk has ended (all walk at once, as after a start), its RSS after 3 more polls,
# and its threads. The figures of docs/PERFORMANCE.md, "Sharding".
# Usage: scripts/shard-sizing.sh K H [exporter] [simulator]
#   e.g. swift build -c release && scripts/shard-sizing.sh 4 100000 .build/release/cckm_exporter .build/release/cckm-simulator
set -euo pipefail
cms=$1 history=$2
exporter=${3:-.build/release/cckm_exporter} simulator=${4:-.build/release/cckm-simulator}
dir=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
echo pw > "$dir/pw"
for i in $(seq 0 $((cms - 1))); do
  "$simulator" --listen-address 127.0.0.1:0 --username admin --password-file "$dir/pw" --listings aws \
    --history "$history" --new-job-interval 0 --failure-rate 0.1 --abort-rate 0 --max-page-size 1000 \
    > "$dir/sim$i.out" 2>&1 &
  pids+=($!)
done
{ echo "poll_interval: 2s"; echo "poll_timeout: 2s"; echo "targets:"; } > "$dir/c.yml"
for i in $(seq 0 $((cms - 1))); do
  until url=$(grep -o 'http://[0-9.:]*' "$dir/sim$i.out"); do sleep 0.2; done
  echo "  - {name: cm-$i, url: \"$url\", clouds: [aws], page_size: 1000, auth: {username: admin, password_file: $dir/pw}}" >> "$dir/c.yml"
done
start=$(date +%s.%N)
"$exporter" --config.file="$dir/c.yml" --web.listen-address=127.0.0.1:0 > "$dir/exp.out" 2>&1 &
pid=$!
pids+=($pid)
until port=$(grep -o 'address=[^ ]*:[0-9]*' "$dir/exp.out" | head -1 | sed 's/.*://') && [ -n "$port" ]; do sleep 0.2; done
until [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/-/ready")" = 200 ]; do sleep 0.2; done
ready=$(echo "$(date +%s.%N) - $start" | bc)
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
peak=$(kib VmHWM)
sleep 6
printf '%d CMs x %d jobs: ready after %.1f s, peak RSS %.1f MiB, RSS after 3 polls %.1f MiB, %d threads\n' \
  "$cms" "$history" "$ready" "$(echo "$peak / 1024" | bc -l)" "$(echo "$(kib VmRSS) / 1024" | bc -l)" "$(kib Threads)"
