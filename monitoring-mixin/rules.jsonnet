// The recording rules as a Prometheus rule file (deploy/prometheus/rules.yml, through generate.py).
(import 'mixin.libsonnet').prometheusRules
