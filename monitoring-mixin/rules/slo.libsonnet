// Service-level indicators as recording rules (deploy/prometheus/rules.yml), per CipherTrust
// Manager (`cm`) and listing (`cloud`), with `instance` aggregated away:
//
//   sync success  finished jobs that did not fail over finished jobs; cancelled jobs (abort:
//                 true, whatever their final status) are neither good nor bad and count in
//                 neither; `failed` and any status CM does not document are bad, `aborted`
//                 (how AWS ends a cancelled job) is a cancellation.
//   sync latency  completed jobs that took at most syncLatencyThresholdSeconds over completed
//                 jobs: the classic bucket at the threshold, or histogram_fraction on the native
//                 histogram where Prometheus stores that instead.
//   freshness     seconds since the newest completed, non-cancelled job finished.
//
// Restarts: the first listing after an exporter restart counts the history it finds, so a
// counter may come back lower (CM purged jobs meanwhile) and increase() would count the whole
// history as new jobs. Every count is therefore summed from 5-minute pieces taken per exporter
// (`instance`), and a piece whose 5 minutes hold a restart of that exporter (its
// process_start_time_seconds changed, or a counter reset) is left out: the jobs of those
// minutes go uncounted, nothing else does. Pieces of an HA pair or of a CM moving between
// replicas are combined with max by (job, cm, cloud), so each job counts once.
//
// A window's count is the sum of its pieces over the number of rule evaluations in 5 minutes
// (cckm:slo_evaluations:per5m): each job shows in that many overlapping pieces. A listing
// younger than the window is not extrapolated to it. Windows of a day or more are a group of
// their own (cckm_exporter_slo_long), evaluated every _config.sloLongWindowsInterval.
local promql = import '../lib/promql.libsonnet';
local slo = import '../lib/slo.libsonnet';

{
  local cfg = $._config,
  local base = slo.base,
  local cckm(metric, matchers=[]) = promql.series(metric, [cfg.cckmSelector] + matchers),
  local perInstance = 'job, instance, cm, cloud',
  local increase(metric, matchers=[]) =
    'sum by (%s) (increase(%s[%s]))' % [perInstance, cckm(metric, matchers), base],
  local finished = 'cckm_sync_jobs_finished_total',
  local duration = 'cckm_sync_job_duration_seconds',
  local completed = 'status="completed"',
  local threshold = cfg.syncLatencyThresholdSeconds,
  assert std.member([1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400], threshold)
         : 'syncLatencyThresholdSeconds must be a bucket bound of ' + duration,
  // The bucket's `le` as text 0.0.4 (1800) and OpenMetrics (1800.0) spell it.
  local le = 'le=~"%d(\\\\.0)?"' % threshold,
  // The native histogram of the completed jobs' durations over the piece, per instance.
  local nativeCompleted = increase(duration, [completed]),

  // A piece is left out when its 5 minutes hold a restart of the exporter that gave it.
  local withoutRestarts(expr) = |||
    (
      %s
    )
    unless on (job, instance) (changes(%s[%s]) > 0)
    unless on (%s) (sum by (%s) (resets(%s[%s])) > 0)
  ||| % [
    std.strReplace(std.rstripChars(expr, '\n'), '\n', '\n  '),
    promql.series('process_start_time_seconds', [cfg.exporterSelector]),
    base,
    perInstance,
    perInstance,
    cckm(finished),
    base,
  ],

  local pieces = {
    // Finished jobs less cancelled ones (0 when the counter of cancellations is missing).
    valid: |||
      clamp_min(
        %s
        - (%s or %s * 0),
        0
      )
    ||| % [increase(finished), increase('cckm_sync_jobs_cancelled_total'), increase(finished)],
    bad: '%s\nor %s * 0' % [increase(finished, ['status!~"completed|aborted"']), increase(finished)],
    completed: '%s\nor histogram_count(%s)' % [increase(duration + '_count', [completed]), nativeCompleted],
    slow: |||
      clamp_min(%s - %s, 0)
      or (histogram_count(%s) > 0) * (1 - histogram_fraction(0, %d, %s))
      or histogram_count(%s)
    ||| % [
      increase(duration + '_count', [completed]),
      increase(duration + '_bucket', [completed, le]),
      nativeCompleted,
      threshold,
      nativeCompleted,
      nativeCompleted,
    ],
  },
  local kinds = ['valid', 'bad', 'completed', 'slow'],

  local windowCount(kind, window) =
    if window == base then 'max by (job, cm, cloud) (%s)' % slo.instanceCount(kind)
    else 'sum_over_time(%s[%s]) / scalar(%s)' % [slo.count(kind, base), window, slo.evaluations],

  local ratio(sli, window) =
    '1 - clamp_max(%s / (%s > 0), 1)' % [slo.count(sli.bad, window), slo.count(sli.total, window)],

  // Rule evaluations that make 5 minutes: measured over the last 5 minutes and over the last
  // hour, the larger of the two (right after a Prometheus restart, the hour knows better).
  local evaluationsExpr =
    local recent = 'count_over_time(%s[%s]) - 1' % [slo.evaluation, base];
    local hour = '(count_over_time(%s[1h]) - 1) / %d' % [slo.evaluation, 3600 / promql.seconds(base)];
    'clamp_min((%s > %s) or %s, 1)' % [recent, hour, hour],

  // The counts and ratios of `windows`.
  local windowRules(windows) = [
    { record: slo.count(kind, window), expr: windowCount(kind, window) }
    for window in windows
    for kind in kinds
  ] + [
    { record: slo.ratio(sli.name, window), expr: ratio(sli, window) }
    for window in windows
    for sli in slo.slis(cfg)
  ],
  local long(window) = promql.seconds(window) >= 86400,

  prometheusRules+:: {
    groups+: [
      {
        name: 'cckm_exporter_slo',
        rules: [
          { record: slo.evaluation, expr: 'vector(1)' },
          { record: slo.evaluations, expr: evaluationsExpr },
        ] + [
          { record: slo.instanceCount(kind), expr: withoutRestarts(pieces[kind]) }
          for kind in kinds
        ] + windowRules([w for w in slo.windows(cfg) if !long(w)]) + [
          {
            record: slo.freshness,
            expr: 'time() - max by (job, cm, cloud) (%s)'
                  % cckm('cckm_sync_last_finished_timestamp_seconds', [completed]),
          },
        ],
      },
      {
        name: 'cckm_exporter_slo_long',
        interval: cfg.sloLongWindowsInterval,
        rules: windowRules([w for w in slo.windows(cfg) if long(w)]),
      },
    ],
  },
}
