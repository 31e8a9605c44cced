#!/usr/bin/env bash
# Soak: the release exporter polls the simulator (faults injected through /sim/faults every
# few seconds: 5xx, 429 with Retry-After, 401, invalid and truncated JSON, lying totals,
# repeated pages, slow answers, token expiry) and serves /metrics over TLS with basic auth
# while `wrk -t2 -c16` scrapes it. In the first third come three waves of hostile clients,
# each 2-10 s: a basic-auth flood with one wrong password, one with a new wrong password per
# request (scripts/auth-flood.py: 16 flooders from 127.0.0.10-25), and a slowloris of 520
# connections from 10 addresses (scripts/slowloris.py); each has its own scraper, which must
# get only 200s (within 1 s through the slowloris). RSS and open file descriptors of the
# exporter are sampled from /proc; the run fails when they grow past a small tolerance after
# warm-up or stay up after the waves, when any scrape is not a 200, or when the exporter
# dies. Then a reload storm (scripts/soak-reload.sh): no series of a removed target, one
# poller per target. Loopback only.
# Usage: scripts/soak.sh [seconds, default 300]   (30 is enough for CI)
set -euo pipefail
duration="${1:-300}"
((duration >= 20 && duration <= 3600)) || { echo "soak: duration must be 20..3600 s" >&2; exit 2; }
cd "$(dirname "$0")/.."
source scripts/lib.sh
command -v wrk >/dev/null || { echo "soak: wrk is missing (scripts/install-deps.sh --tests)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "soak: openssl is missing" >&2; exit 2; }

scratch="${SOAK_SCRATCH:-.build-soak}"
echo "soak: release build (scratch $scratch)"
mkdir -p "$scratch"
swift build -c release --scratch-path "$scratch" >"$scratch/soak-build.log" 2>&1 ||
  { tail -30 "$scratch/soak-build.log" >&2; exit 1; }
bin="$scratch/release"

lib_start soak
sim_port="$(free_port)"
exporter_port="$(free_port)"
printf 'soak-sim-password' >"$work/cm-password"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
# bcrypt (htpasswd -nbBC 4) of "quick pass", also a test fixture.
cat >"$work/web.yml" <<YAML
tls_server_config: {cert_file: cert.pem, key_file: key.pem}
basic_auth_users: {quick: "\$2y\$04\$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy"}
YAML
auth="Authorization: Basic $(printf 'quick:quick pass' | base64)"

"$bin/cckm-simulator" --listen-address "127.0.0.1:$sim_port" --password-file "$work/cm-password" \
  --token-lifetime 20 --history 300 --new-job-interval 0.5 --region-seconds 1 --seed 7 \
  >"$work/simulator.log" 2>&1 &
track $!
sim="http://127.0.0.1:$sim_port"
wait_for_url "$sim/sim" || die "the simulator did not start"

"$bin/cckm_exporter" --cm.url="$sim" --cm.username=admin --cm.password-file="$work/cm-password" \
  --cm.clouds=aws,azure,google --poll.interval=2s --poll.timeout=2s \
  --web.listen-address="127.0.0.1:$exporter_port" --web.config.file="$work/web.yml" \
  --log.level=warn >"$work/exporter.log" 2>&1 &
exporter_pid=$!
track "$exporter_pid"
url="https://127.0.0.1:$exporter_port/metrics"
wait_for_url "$url" --cacert "$work/cert.pem" -H "$auth" || { tail "$work/exporter.log" >&2; die "the exporter did not start"; }

faults=(
  '{"status":503,"count":3}'
  '{"status":429,"count":2,"retry_after":1}'
  '{"invalid_json":true,"count":1}'
  '{"truncate":true,"count":1}'
  '{"status":401,"count":1,"scope":"listings"}'
  '{"total_lies":7,"count":1}'
  '{"repeat_page":true,"count":1}'
  '{"empty_page_early":true,"count":1}'
  '{"delay_ms":2500,"count":1}'
  '{"status":500,"count":2,"scope":"auth"}'
)
inject() {
  local i=0
  while true; do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "${faults[i % ${#faults[@]}]}" "$sim/sim/faults" || true
    ((i % 4 == 3)) && curl -s -o /dev/null -X POST "$sim/sim/tokens/expire" || true
    i=$((i + 1))
    sleep 3
  done
}
inject &
track $!

wrk -t2 -c16 -d"${duration}s" --timeout 5s -H "$auth" "$url" >"$work/wrk.log" 2>&1 &
wrk_pid=$!
track "$wrk_pid"

# Hostile clients right after the start, one wave after the other (each tool needs ~1.2 s
# more than its wave to start and warm up), all within the first third: the warm-up then
# includes them, and the middle and last thirds show whether the exporter stays flat after.
wave=$(((duration / 3 - 6) / 3))
((wave < 2)) && wave=2
((wave > 10)) && wave=10
open_fds() { find "/proc/$exporter_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
waves() {
  sleep 2
  open_fds >"$work/fds-before-waves"
  local client=(--url "$url" --cacert "$work/cert.pem" --user quick --password 'quick pass' --seconds "$wave")
  for mode in same new; do
    python3 scripts/auth-flood.py "${client[@]}" --mode "$mode" >"$work/wave-flood-$mode.log" 2>&1 ||
      echo "flood-$mode" >>"$work/waves-failed"
  done
  python3 scripts/slowloris.py "${client[@]}" --warm-up 1 --new-connection --max-scrape-ms 1000 \
    >"$work/wave-slowloris.log" 2>&1 || echo slowloris >>"$work/waves-failed"
  echo done >"$work/waves-done"
}
waves &
waves_pid=$!
track "$waves_pid"

interval=5
samples="$work/samples"
: >"$samples"
printf '%8s %10s %6s\n' "t(s)" "RSS(KiB)" "fds"
start=$(date +%s)
while kill -0 "$wrk_pid" 2>/dev/null; do
  kill -0 "$exporter_pid" 2>/dev/null || { tail "$work/exporter.log" >&2; die "the exporter died"; }
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$exporter_pid/status")
  fds=$(find "/proc/$exporter_pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
  t=$(($(date +%s) - start))
  printf '%8d %10d %6d\n' "$t" "$rss" "$fds" | tee -a "$samples"
  sleep "$interval"
done
wait "$wrk_pid" || true
wait "$waves_pid" || true

echo "--- wrk"
cat "$work/wrk.log"
echo "--- hostile waves (${wave}s each)"
for log in "$work"/wave-*.log; do printf '%s: ' "$(basename "$log" .log)"; cat "$log"; done
failures=$(curl -s --cacert "$work/cert.pem" -H "$auth" "$url" | awk '/^cckm_exporter_http_auth_failures_total / {print $2 + 0}')
fds_after=$(open_fds)
echo "--- exporter: cckm_exporter_http_auth_failures_total = ${failures:-missing}, fds before the waves $(cat "$work/fds-before-waves" 2>/dev/null), at the end $fds_after"
polls=$(curl -s --cacert "$work/cert.pem" -H "$auth" "$url" | awk '/^cckm_poll_errors_total\{/ {s += $2} END {print s + 0}')
requests=$(curl -s --cacert "$work/cert.pem" -H "$auth" "$url" | awk '/^cckm_api_requests_total\{/ {s += $2} END {print s + 0}')
echo "--- exporter: cckm_poll_errors_total (all reasons) = $polls, cckm_api_requests_total = $requests"

failed=0
if grep -q 'Non-2xx or 3xx responses' "$work/wrk.log"; then echo "soak: non-200 answers served" >&2; failed=1; fi
if grep -q 'Socket errors' "$work/wrk.log"; then echo "soak: socket errors" >&2; failed=1; fi
if ! grep -q 'requests in' "$work/wrk.log"; then echo "soak: wrk did not run" >&2; failed=1; fi
if ((polls == 0)); then echo "soak: no poll failed: the faults did not reach the exporter" >&2; failed=1; fi
if [[ ! -f "$work/waves-done" ]]; then echo "soak: the hostile waves did not finish" >&2; failed=1; fi
if [[ -f "$work/waves-failed" ]]; then echo "soak: scrapes failed during: $(tr '\n' ' ' <"$work/waves-failed")" >&2; failed=1; fi
if ((${failures:-0} == 0)); then echo "soak: the floods were not counted in cckm_exporter_http_auth_failures_total" >&2; failed=1; fi
if ((fds_after > $(cat "$work/fds-before-waves" 2>/dev/null || echo 0) + 8)); then
  echo "soak: descriptors stayed open after the waves" >&2; failed=1
fi
# Growth: after the first third (warm-up: caches, connection pools, first full listings),
# the last third may not exceed the middle third's peak by more than 10% + 4 MiB RSS, or
# 4 file descriptors.
verdict=$(awk '
  { t[NR] = $1; rss[NR] = $2; fds[NR] = $3 }
  END {
    n = NR; a = int(n / 3); b = int(2 * n / 3)
    if (n < 3) { print "too-few"; exit }
    for (i = a + 1; i <= b; i++) { if (rss[i] > mr) mr = rss[i]; if (fds[i] > mf) mf = fds[i] }
    for (i = b + 1; i <= n; i++) { if (rss[i] > lr) lr = rss[i]; if (fds[i] > lf) lf = fds[i] }
    ok = (lr <= mr * 1.10 + 4096) && (lf <= mf + 4)
    printf "%s middle-third peak RSS %d KiB fds %d; last-third peak RSS %d KiB fds %d\n", ok ? "flat" : "GROWING", mr, mf, lr, lf
  }' "$samples")
echo "--- $verdict"
[[ "$verdict" == flat* ]] || { echo "soak: RSS or fds grew" >&2; failed=1; }
echo "--- reload storm (scripts/soak-reload.sh)"
scripts/soak-reload.sh "$bin" "$((duration < 60 ? 15 : 30))" || failed=1
if ((failed)); then echo "soak: 0 passed, 1 failed"; exit 1; fi
echo "soak: 1 passed, 0 failed"
