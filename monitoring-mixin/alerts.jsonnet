// The alerting rules as a Prometheus rule file (deploy/prometheus/alerts.yml, through generate.py).
(import 'mixin.libsonnet').prometheusAlerts
