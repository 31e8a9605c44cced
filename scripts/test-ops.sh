#!/usr/bin/env bash
# Operations checks, as CI runs them (scripts/test.sh calls this after building):
# alert rules and their unit tests, Prometheus and Alertmanager configs, the files the monitoring
# mixin generates up to date and its sources formatted, structural tests of every deploy file
# and the dashboard, and the end-to-end test with a real Prometheus and Alertmanager. Installs
# what is missing. Exits non-zero on any failure.
#
# The end-to-end test runs the binaries named by CCKM_EXPORTER_BIN and CCKM_SIMULATOR_BIN
# (default: .build/debug/…; build them first with `swift build`).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null && [[ -x /usr/bin/prometheus ]] || need+=(prometheus)
command -v amtool >/dev/null && [[ -x /usr/bin/prometheus-alertmanager ]] || need+=(prometheus-alertmanager)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v jsonnet >/dev/null && command -v jsonnetfmt >/dev/null || need+=(jsonnet)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q pytest
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml
python3 -c 'import google.protobuf' 2>/dev/null || python3 -m pip install -q protobuf
# Kubernetes schemas, offline: deploy/tests/test_kubernetes_sharded.py validates the manifests.
python3 -c 'import kubernetes_validate' 2>/dev/null || python3 -m pip install -q kubernetes-validate

export CCKM_EXPORTER_BIN="${CCKM_EXPORTER_BIN:-$PWD/.build/debug/cckm_exporter}"
export CCKM_SIMULATOR_BIN="${CCKM_SIMULATOR_BIN:-$PWD/.build/debug/cckm-simulator}"

step() { echo "== $*" >&2; "$@"; }
step promtool check rules deploy/prometheus/alerts.yml
step promtool test rules deploy/prometheus/tests/alerts.test.yml
step promtool test rules deploy/prometheus/tests/sharding.test.yml
step promtool check rules deploy/prometheus/rules.yml
step promtool test rules deploy/prometheus/tests/slo.test.yml
step promtool check config deploy/prometheus/prometheus.yml
step amtool check-config deploy/alertmanager/alertmanager.yml
step python3 monitoring-mixin/generate.py --check
step jsonnetfmt --test $(find monitoring-mixin -name '*.jsonnet' -o -name '*.libsonnet' | sort)
step python3 -m pytest -q -p no:cacheprovider Tests/e2e deploy/tests
