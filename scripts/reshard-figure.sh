#!/usr/bin/env bash
# How many of N CMs move when the shard count goes from S to S+1, as the exporter itself assigns
# them (--config.check prints each CM's shard): the figure of docs/PERFORMANCE.md, "Sharding".
# Usage: scripts/reshard-figure.sh .build/debug/cckm_exporter 1000 3   (N CMs, S >= 2 shards)
set -euo pipefail
bin=$1 n=$2 s=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
echo pw > "$dir/pw"
{ echo "targets:"; for i in $(seq 0 $((n-1))); do printf '  - {name: cm-%04d, url: "http://127.0.0.1:1", auth: {username: a, password_file: %s}}\n' "$i" "$dir/pw"; done; } > "$dir/c.yml"
owners() { "$bin" --config.file="$dir/c.yml" --config.check --total-shards="$1" | sed -n 's/^- cm=\([^ ]*\) .* shard=\([0-9]*\).*/\1 \2/p'; }
owners "$s" > "$dir/a"; owners $((s+1)) > "$dir/b"
join "$dir/a" "$dir/b" | awk -v s="$s" '$2!=$3 {moved++; if ($3!=s) other++} END {printf "%d of %d CMs moved going %d -> %d shards (%.1f %%), %d of them to an old shard\n", moved, NR, s, s+1, 100*moved/NR, other}'
