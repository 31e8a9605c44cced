#!/usr/bin/env python3
"""Writes prometheusrule.yaml: the rules of deploy/prometheus/alerts.yml as a Prometheus
Operator PrometheusRule, so both deployments alert the same way.

    python3 deploy/kubernetes/generate_prometheusrule.py          # rewrite the file
    python3 deploy/kubernetes/generate_prometheusrule.py --check  # exit 1 if it is stale
"""
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ALERTS = HERE.parent / "prometheus" / "alerts.yml"
OUTPUT = HERE / "prometheusrule.yaml"

HEADER = (
    "# GENERATED from deploy/prometheus/alerts.yml by generate_prometheusrule.py: do not edit.\n"
    "# Your Prometheus's ruleSelector may require an extra label (e.g. release: kube-prometheus-stack).\n"
)


def render(alerts_text: str) -> str:
    """The PrometheusRule manifest for the rule groups in `alerts_text`."""
    groups = yaml.safe_load(alerts_text)["groups"]
    manifest = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "cckm-exporter",
            "labels": {"app.kubernetes.io/name": "cckm-exporter"},
        },
        "spec": {"groups": groups},
    }
    return HEADER + yaml.safe_dump(manifest, sort_keys=False, width=1000, allow_unicode=True)


def main() -> int:
    expected = render(ALERTS.read_text())
    if "--check" in sys.argv[1:]:
        if OUTPUT.read_text() != expected:
            print(f"{OUTPUT} is stale: run {pathlib.Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
