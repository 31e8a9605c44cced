// The Grafana dashboards, file name → dashboard (dashboards/cckm_exporter.json, through generate.py).
(import 'mixin.libsonnet').grafanaDashboards
