// Alerting rules for cckm_exporter (CipherTrust Manager CCKM synchronization jobs).
//
// Every alert carries `severity` (critical: monitoring is blind or keys stay unsynchronized;
// warning: a sync needs a look; info: worth knowing, no action needed), a `summary` and a
// `description` that name the CipherTrust Manager (`cm`), the listing (`cloud`) and, where it
// applies, the region, and a `runbook_url` into docs/RUNBOOK.md.
//
// The exporter's own series (up) are selected with _config.exporterSelector, by default the
// scrape job `job="cckm_exporter"` (see deploy/prometheus/prometheus.yml and the Kubernetes
// ServiceMonitor); every cckm_* series with _config.cckmSelector. Every alert about a
// CipherTrust Manager or its jobs aggregates `instance` (and `pod`) away, so two exporters
// polling the same CM (an HA pair, deploy/README.md) raise it once per `cm`/`cloud`; only
// CCKMExporterDown is per exporter. Thresholds come from _config (config.libsonnet).
local promql = import '../lib/promql.libsonnet';
local folded = promql.folded;
local words = promql.words;
local short = promql.short;

{
  local cfg = $._config,
  // A cckm_* series with the mixin's selector and `matchers`.
  local cckm(metric, matchers=[]) = promql.series(metric, [cfg.cckmSelector] + matchers),
  local runbook(alert) = cfg.runbookURLBase + std.asciiLower(alert),
  local rule(alert, severity, expr, summary, description, pending=null) = {
    alert: alert,
    expr: expr,
    labels: { severity: severity },
    annotations: { summary: summary, description: description, runbook_url: runbook(alert) },
  } + (if pending == null then {} else { 'for': pending }),

  prometheusAlerts+:: {
    groups+: [{
      name: 'cckm_exporter',
      rules: [
        rule(
          'CCKMExporterDown',
          'critical',
          promql.series('up', [cfg.exporterSelector]) + ' == 0',
          'cckm_exporter {{ $labels.instance }} is down',
          folded(|||
            Prometheus has failed to scrape the cckm_exporter at {{ $labels.instance }} for %s.
            No CCKM synchronization job of any CipherTrust Manager it watches is
            monitored meanwhile.
          ||| % words(cfg.exporterDownFor)),
          cfg.exporterDownFor,
        ),
        rule(
          'CCKMManagerUnreachable',
          'critical',
          'max by (job, cm, cloud) (%s) == 0' % cckm('cckm_up'),
          'CipherTrust Manager {{ $labels.cm }} ({{ $labels.cloud }}) cannot be polled',
          folded(|||
            Every poll of the {{ $labels.cloud }} synchronization jobs on CipherTrust Manager
            {{ $labels.cm }} has failed for %s, from every exporter polling it. The
            job metrics shown are those of the last good listing; cckm_poll_errors_total tells
            the reason.
          ||| % words(cfg.managerUnreachableFor)),
          cfg.managerUnreachableFor,
        ),

        // Failure and cancellation alerts read the newest such job's completed_at, not
        // increase() of a counter: after a redeploy during which CM purged old jobs, the counters
        // come back lower and increase() would count the whole history as new. A timestamp from
        // CM is the same whatever the exporter's restarts (docs/RUNBOOK.md#cckmsyncfailed).
        rule(
          'CCKMSyncFailed',
          'warning',
          'time() - max by (job, cm, cloud, status) (%s) < %d'
          % [cckm('cckm_sync_last_finished_timestamp_seconds', ['status="failed"']), cfg.syncFailedWindowSeconds],
          'CCKM {{ $labels.cloud }} synchronization failed on {{ $labels.cm }}',
          folded(|||
            The newest failed {{ $labels.cloud }} synchronization job on CipherTrust Manager
            {{ $labels.cm }} finished {{ $value | humanizeDuration }} ago
            (cckm_sync_jobs_finished_total{status="failed"} counts them). Keys of that cloud may
            be out of date in CipherTrust Manager.
          |||),
        ),
        rule(
          'CCKMSyncAborted',
          'info',
          'time() - max by (job, cm, cloud) (%s) < %d'
          % [cckm('cckm_sync_last_cancelled_timestamp_seconds'), cfg.syncAbortedWindowSeconds],
          'CCKM {{ $labels.cloud }} synchronization cancelled on {{ $labels.cm }}',
          folded(|||
            The newest cancelled {{ $labels.cloud }} synchronization job on CipherTrust Manager
            {{ $labels.cm }} (abort requested) ended {{ $value | humanizeDuration }} ago, whatever
            its final status (aborted on AWS, completed on Google; cckm_sync_jobs_cancelled_total
            counts them). The scopes that job had not reached yet were not synchronized.
          |||),
        ),

        rule(
          'CCKMSyncJobRunningTooLong',
          'warning',
          'time() - min by (job, cm, cloud) (%s) > %d'
          % [cckm('cckm_sync_oldest_running_job_start_timestamp_seconds'), cfg.syncJobRunningTooLongSeconds],
          'CCKM {{ $labels.cloud }} synchronization on {{ $labels.cm }} running for {{ $value | humanizeDuration }}',
          folded(|||
            The oldest running {{ $labels.cloud }} synchronization job on CipherTrust Manager
            {{ $labels.cm }} started {{ $value | humanizeDuration }} ago and has not finished
            (threshold %s). It may be stuck.
          ||| % short(cfg.syncJobRunningTooLongSeconds)),
          cfg.syncJobRunningTooLongFor,
        ),
        rule(
          'CCKMNoRecentSuccessfulSync',
          'critical',
          'time() - max by (job, cm, cloud, status) (%s) > %d'
          % [cckm('cckm_sync_last_finished_timestamp_seconds', ['status="completed"']), cfg.noRecentSuccessfulSyncSeconds],
          'No successful CCKM {{ $labels.cloud }} synchronization on {{ $labels.cm }} for {{ $value | humanizeDuration }}',
          folded(|||
            The last {{ $labels.cloud }} synchronization job on CipherTrust Manager
            {{ $labels.cm }} that completed successfully finished {{ $value | humanizeDuration }}
            ago (threshold %s). Key changes in that cloud since then are not in CipherTrust
            Manager.
          ||| % short(cfg.noRecentSuccessfulSyncSeconds)),
          cfg.noRecentSuccessfulSyncFor,
        ),
        rule(
          'CCKMRegionStuckInProgress',
          'warning',
          'max by (job, cm, cloud, cloud_account, cloud_region) (%s) == 1' % cckm('cckm_sync_region_in_progress'),
          'CCKM {{ $labels.cloud }} region {{ $labels.cloud_region }} in progress for over %s on {{ $labels.cm }}'
          % cfg.regionStuckInProgressFor,
          folded(|||
            Region {{ $labels.cloud_region }}{{ if $labels.cloud_account }} of account
            {{ $labels.cloud_account }}{{ end }} has been in progress in a running
            {{ $labels.cloud }} synchronization job on CipherTrust Manager {{ $labels.cm }}
            for more than %s.
          ||| % words(cfg.regionStuckInProgressFor)),
          cfg.regionStuckInProgressFor,
        ),

        rule(
          'CCKMPollErrorsPersisting',
          'warning',
          'max by (job, cm, cloud, reason) (increase(%s[%s])) > 0'
          % [cckm('cckm_poll_errors_total', ['reason!="auth"']), cfg.pollErrorsPersistingWindow],
          'Polls of {{ $labels.cm }} ({{ $labels.cloud }}) keep failing with {{ $labels.reason }} errors',
          folded(|||
            Polls of the {{ $labels.cloud }} synchronization jobs on CipherTrust Manager
            {{ $labels.cm }} have kept failing with reason {{ $labels.reason }} for %(for)s
            ({{ $value | printf "%%.0f" }} in the last %(window)s), even if some polls succeed
            in between.
          ||| % { 'for': words(cfg.pollErrorsPersistingFor), window: words(cfg.pollErrorsPersistingWindow) }),
          cfg.pollErrorsPersistingFor,
        ),
        rule(
          'CCKMListingWalkStuck',
          'warning',
          'time() - min by (job, cm, cloud) (%s) > %d'
          % [cckm('cckm_listing_walk_started_timestamp_seconds'), cfg.listingWalkStuckSeconds],
          'A complete walk of {{ $labels.cm }} ({{ $labels.cloud }}) has run for {{ $value | humanizeDuration }}',
          folded(|||
            An exporter started a complete walk of the {{ $labels.cloud }}
            synchronization jobs on CipherTrust Manager {{ $labels.cm }}
            {{ $value | humanizeDuration }} ago and it has not ended (threshold %s). Until a
            first walk ends the listing has no job metrics; a later walk's listing keeps its old
            ones, kept moving by incremental polls. The status page shows the walk's progress.
          ||| % short(cfg.listingWalkStuckSeconds)),
          cfg.listingWalkStuckFor,
        ),
        rule(
          'CCKMAuthenticationFailing',
          'critical',
          'max by (job, cm, cloud, reason) (increase(%s[%s])) > 0'
          % [cckm('cckm_poll_errors_total', ['reason="auth"']), cfg.authenticationFailingWindow],
          "CipherTrust Manager {{ $labels.cm }} rejects the exporter's credentials ({{ $labels.cloud }})",
          folded(|||
            Logins of the exporter to CipherTrust Manager
            {{ $labels.cm }} (listing {{ $labels.cloud }}) have been rejected for %s.
            The password, refresh token, user or domain is wrong, expired or locked.
          ||| % words(cfg.authenticationFailingFor)),
          cfg.authenticationFailingFor,
        ),
      ],
    }],
  },
}
+ (import 'slo.libsonnet')
+ (import 'certificates.libsonnet')
