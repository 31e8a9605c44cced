// prometheusRules: the recording rules, one file per topic.
(import 'slo.libsonnet')
