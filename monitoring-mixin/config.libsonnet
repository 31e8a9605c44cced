// What a user of the mixin may change: `(import 'mixin.libsonnet') + { _config+:: { … } }`.
// The defaults render exactly the files committed in this repository (monitoring-mixin/README.md).
{
  _config+:: {
    // Label matchers added to every cckm_* series of the alerts and the dashboard, e.g.
    // 'job="cckm"' or 'namespace="monitoring", job="cckm-exporter"'. Empty: every cckm_* series,
    // whatever its job (an HA pair or several exporters polling different CMs included).
    cckmSelector: '',
    // Label matchers for the exporter's own series (up, process_*, cckm_exporter_build_info):
    // the scrape job of deploy/prometheus/prometheus.yml and of the ServiceMonitor by default,
    // cckmSelector when that is set.
    exporterSelector: if self.cckmSelector == '' then 'job="cckm_exporter"' else self.cckmSelector,

    // Where each alert's runbook_url points: this prefix and the alert's name in lower case
    // (the anchors of docs/RUNBOOK.md). Prefix it with where you publish the docs.
    runbookURLBase: 'docs/RUNBOOK.md#',

    // Alert thresholds and pending periods: examples, tune them to your sync schedule.
    // *For and *Window are Prometheus durations of one unit ('5m', '1h'); *Seconds are compared
    // with the age of a CM timestamp (time() - …). Descriptions and dashboard panels quote them.
    exporterDownFor: '5m',
    managerUnreachableFor: '10m',
    // CCKMSyncFailed / CCKMSyncAborted fire while the newest such job ended less than this ago.
    syncFailedWindowSeconds: 3600,
    syncAbortedWindowSeconds: 3600,
    syncJobRunningTooLongSeconds: 3600,
    syncJobRunningTooLongFor: '5m',
    noRecentSuccessfulSyncSeconds: 86400,
    noRecentSuccessfulSyncFor: '30m',
    regionStuckInProgressFor: '1h',
    pollErrorsPersistingWindow: '15m',
    pollErrorsPersistingFor: '30m',
    listingWalkStuckSeconds: 1800,
    listingWalkStuckFor: '5m',
    // CCKMListingMetricsBehind: job metrics behind CM (a backlog still being read) this long.
    listingMetricsBehindFor: '15m',
    authenticationFailingWindow: '10m',
    authenticationFailingFor: '10m',

    // The dashboard.
    dashboardUID: 'cckm-exporter',
    dashboardTitle: 'CipherTrust Manager CCKM synchronization',
    dashboardTags: ['cckm', 'ciphertrust', 'cckm_exporter'],
  },
}
