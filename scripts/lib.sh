# shellcheck shell=bash
# What the load scripts (soak.sh, soak-reload.sh, auth-flood-compare.sh) share: a scratch
# directory and background processes cleaned up on exit, free ports, waiting for a server.
# Sourced after `set -euo pipefail`, never run on its own:
#   source "$(dirname "$0")/lib.sh"
#
#   lib_start NAME       NAME prefixes the messages of die; makes the scratch directory $work
#                        and an EXIT trap that stops every process given to track and removes
#                        $work.
#   track PID            Has the EXIT trap stop PID (a server, wrk, a background function).
#   die MESSAGE          Prints "NAME: MESSAGE" on stderr and exits 1.
#   free_port            Prints a TCP port free on 127.0.0.1, for a server that cannot be
#                        told to listen on port 0 and say which port it got.
#   wait_for_url URL [CURL_ARGS...]
#                        Waits up to 10 s for URL to answer with a 2xx (curl -sf CURL_ARGS);
#                        returns 1 when it never does.
#   wait_for_log FILE PATTERN
#                        Waits up to 10 s for PATTERN (an extended regular expression) to
#                        appear in FILE, and prints its first match; returns 1 when it never
#                        does. For servers that listen on port 0 and log the address they got.

lib_name=""
work=""
lib_pids=()

lib_start() {
  lib_name=$1
  work="$(mktemp -d)"
  lib_pids=()
  trap lib_cleanup EXIT
}

lib_cleanup() {
  for pid in "${lib_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

track() { lib_pids+=("$1"); }

die() {
  echo "$lib_name: $*" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for_url() {
  local url=$1
  shift
  for _ in $(seq 100); do
    curl -sf -o /dev/null "$@" "$url" && return 0
    sleep 0.1
  done
  return 1
}

wait_for_log() {
  local file=$1 pattern=$2 match
  for _ in $(seq 200); do
    match=$(grep -oE "$pattern" "$file" 2>/dev/null | head -1 || true)
    [[ -n "$match" ]] && { echo "$match"; return 0; }
    sleep 0.05
  done
  return 1
}
