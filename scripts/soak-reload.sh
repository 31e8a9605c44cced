#!/usr/bin/env bash
# Reload storm: the exporter polls a simulator (slow pages, so reloads land mid-walk) under
# scrape load while its configuration switches between target sets, reloaded alternately by
# SIGHUP and POST /-/reload every 0.3 s. Then it settles on one target and must show: no series
# and no status-page block of a removed target, exactly one poller thread per target, every
# scrape a 200, flat RSS. Loopback only; bounded in time.
# Usage: scripts/soak-reload.sh BIN_DIR [seconds, default 20]   (BIN_DIR: release binaries)
set -euo pipefail
bin="${1:?usage: scripts/soak-reload.sh BIN_DIR [seconds]}"
duration="${2:-20}"
((duration >= 5 && duration <= 600)) || { echo "soak-reload: duration must be 5..600 s" >&2; exit 2; }
cd "$(dirname "$0")/.."
source scripts/lib.sh
lib_start soak-reload

printf 'storm-password' >"$work/cm-password"
"$bin/cckm-simulator" --listen-address 127.0.0.1:0 --password-file "$work/cm-password" \
  --history 400 --new-job-interval 0.5 --region-seconds 1 --page-latency 0.02 --seed 3 \
  >"$work/simulator.log" 2>&1 &
track $!
sim=$(wait_for_log "$work/simulator.log" 'http://[0-9.:]+') && wait_for_url "$sim/sim" ||
  die "the simulator did not start"

config() {  # target names → the configuration file
  {
    echo "poll_interval: 1s"
    echo "targets:"
    for name in "$@"; do
      printf '  - {name: %s, url: "%s", clouds: [aws, azure], page_size: 20, auth: {username: admin, password_file: "%s"}}\n' \
        "$name" "$sim" "$work/cm-password"
    done
  } >"$work/cckm.yml.new"
  mv "$work/cckm.yml.new" "$work/cckm.yml"
}
config alpha beta
"$bin/cckm_exporter" --config.file="$work/cckm.yml" --web.listen-address=127.0.0.1:0 --log.level=info \
  >"$work/exporter.log" 2>&1 &
exporter_pid=$!
track "$exporter_pid"
address=$(wait_for_log "$work/exporter.log" 'address=[^ ]+:[0-9]+') && base="http://127.0.0.1:${address##*:}" &&
  wait_for_url "$base/-/healthy" || { tail "$work/exporter.log" >&2; die "the exporter did not start"; }

wrk -t1 -c4 -d"$((duration + 6))s" --timeout 5s "$base/metrics" >"$work/wrk.log" 2>&1 &
wrk_pid=$!
track "$wrk_pid"

sets=("alpha beta" "alpha gamma" "beta" "alpha beta gamma" "gamma")
rss_samples=()
end=$(($(date +%s) + duration))
i=0
while (($(date +%s) < end)); do
  kill -0 "$exporter_pid" 2>/dev/null || { tail "$work/exporter.log" >&2; die "the exporter died"; }
  # shellcheck disable=SC2086
  config ${sets[i % ${#sets[@]}]}
  if ((i % 2)); then kill -HUP "$exporter_pid"; else curl -s -o /dev/null -X POST "$base/-/reload"; fi
  ((i % 10 == 0)) && rss_samples+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$exporter_pid/status")")
  i=$((i + 1))
  sleep 0.3
done
config alpha
curl -sf -o /dev/null -X POST "$base/-/reload"
# Settled: removed pollers finish the request they had under way (a page is 20 ms) and stop.
sleep 3
wait "$wrk_pid" || true

failed=0
metrics=$(curl -sf "$base/metrics")
debug=$(curl -sf "$base/debug")
for gone in beta gamma; do
  if grep -q "cm=\"$gone\"" <<<"$metrics"; then echo "soak-reload: series of removed target $gone" >&2; failed=1; fi
  if grep -q "cm=$gone " <<<"$debug"; then echo "soak-reload: $gone still on the status page" >&2; failed=1; fi
done
grep -q 'cckm_up{cloud="aws",cm="alpha"}' <<<"$metrics" || { echo "soak-reload: alpha not polled" >&2; failed=1; }
threads=$(cat /proc/"$exporter_pid"/task/*/comm 2>/dev/null | grep -c '^poller ' || true)
alpha_threads=$(cat /proc/"$exporter_pid"/task/*/comm 2>/dev/null | grep -c '^poller alpha' || true)
echo "--- $i reloads; poller threads left: $threads ($alpha_threads for alpha)"
((threads == 1 && alpha_threads == 1)) || { echo "soak-reload: expected one poller thread" >&2; failed=1; }
if grep -q 'Non-2xx or 3xx responses\|Socket errors' "$work/wrk.log"; then
  echo "soak-reload: failed scrapes during the storm" >&2; cat "$work/wrk.log" >&2; failed=1
fi
grep -q 'requests in' "$work/wrk.log" || { echo "soak-reload: wrk did not run" >&2; failed=1; }
first=${rss_samples[1]:-0}
last=${rss_samples[-1]:-0}
echo "--- RSS after warm-up ${first} KiB, at the end ${last} KiB"
((last <= first * 11 / 10 + 4096)) || { echo "soak-reload: RSS grew" >&2; failed=1; }
if ((failed)); then echo "soak-reload: 0 passed, 1 failed"; exit 1; fi
echo "soak-reload: 1 passed, 0 failed"
