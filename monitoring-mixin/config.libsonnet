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

    // Service levels (rules/slo.libsonnet, alerts/slo.libsonnet, dashboards/slo.libsonnet).
    // Objectives over the period: the share of finished, non-cancelled jobs that did not fail,
    // and the share of completed jobs that took at most syncLatencyThresholdSeconds (one of
    // the histogram's bucket bounds: 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200,
    // 21600, 86400).
    syncSuccessObjective: 0.99,
    syncLatencyObjective: 0.95,
    syncLatencyThresholdSeconds: 1800,
    sloPeriod: '30d',
    // Multiwindow, multi-burn-rate alerts (Google's SRE workbook): each fires when both windows
    // burn the error budget faster than `factor` times the rate that spends it in sloPeriod.
    sloBurnRateWindows: [
      { severity: 'critical', long: '1h', short: '5m', factor: 14.4, 'for': '2m' },
      { severity: 'critical', long: '6h', short: '30m', factor: 6, 'for': '15m' },
      { severity: 'warning', long: '1d', short: '2h', factor: 3, 'for': '1h' },
      { severity: 'warning', long: '3d', short: '6h', factor: 1, 'for': '3h' },
    ],
    // Jobs are few: a burn-rate alert also needs at least this many bad jobs (failed, or
    // slow) in its long window, so one failure among a handful of jobs never fires one.
    sloMinBadJobs: 2,
    // Windows of a day or more (1d, 3d, the period) sum many samples: their rules form a group
    // of their own, evaluated this often instead of every evaluation_interval.
    sloLongWindowsInterval: '3m',

    // The dashboard.
    dashboardUID: 'cckm-exporter',
    dashboardTitle: 'CipherTrust Manager CCKM synchronization',
    dashboardTags: ['cckm', 'ciphertrust', 'cckm_exporter'],
  },
}
