// The cckm_exporter monitoring mixin: prometheusAlerts, grafanaDashboards and their _config.
// There are no recording rules, hence no prometheusRules.
(import 'config.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'alerts/catchup.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
