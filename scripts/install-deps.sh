#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only when missing.
# Usage: scripts/install-deps.sh [--tests]
set -euo pipefail

need=()
pkg-config --exists libmicrohttpd 2>/dev/null || need+=(libmicrohttpd-dev)
pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists libcrypt 2>/dev/null || need+=(libcrypt-dev)
pkg-config --exists gnutls 2>/dev/null || need+=(libgnutls28-dev)
pkg-config --exists libcrypto 2>/dev/null || need+=(libssl-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [[ "${1:-}" == "--tests" ]]; then
  command -v promtool >/dev/null || need+=(prometheus)
  command -v amtool >/dev/null || need+=(prometheus-alertmanager)
  command -v chromium >/dev/null || need+=(chromium)
  command -v openssl >/dev/null || need+=(openssl)
  command -v wrk >/dev/null || need+=(wrk)
  command -v jsonnet >/dev/null || need+=(jsonnet)
  python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
fi

if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ "${1:-}" == "--tests" ]]; then
  python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q pytest
  python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml
  python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q prometheus-client
  # The end-to-end test decodes the protobuf exposition with Google's own implementation.
  python3 -c 'import google.protobuf' 2>/dev/null || python3 -m pip install -q protobuf
fi
# Debian starts the packaged Prometheus and Alertmanager where systemd runs; the tests run
# their own on free ports, so nothing else is needed here.
exit 0
