// The recording and alerting rules as a Prometheus Operator PrometheusRule (deploy/kubernetes/prometheusrule.yaml).
{
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: {
    name: 'cckm-exporter',
    labels: { 'app.kubernetes.io/name': 'cckm-exporter' },
  },
  local mixin = import 'mixin.libsonnet',
  spec: { groups: mixin.prometheusRules.groups + mixin.prometheusAlerts.groups },
}
