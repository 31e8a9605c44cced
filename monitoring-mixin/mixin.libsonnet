// The cckm_exporter monitoring mixin: prometheusRules, prometheusAlerts, grafanaDashboards
// and their _config.
(import 'config.libsonnet')
+ (import 'rules/rules.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'alerts/sharding.libsonnet')
+ (import 'alerts/catchup.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
