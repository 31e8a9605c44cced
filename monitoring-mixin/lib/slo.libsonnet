// The service levels' names and windows, shared by the recording rules (rules/slo.libsonnet),
// the burn-rate alerts (alerts/slo.libsonnet) and the dashboard's SLO row.
local promql = import 'promql.libsonnet';

{
  // The window of the per-instance pieces every longer window is summed from.
  base:: '5m',

  // Every window a count and a ratio are recorded for: the alerts' windows and the period,
  // shortest first.
  windows(cfg)::
    local all = [cfg.sloPeriod] + std.flattenArrays([[w.long, w.short] for w in cfg.sloBurnRateWindows]);
    assert std.length([w for w in all if promql.seconds(w) < promql.seconds($.base)]) == 0 : 'SLO windows start at ' + $.base;
    std.set(all + [$.base], promql.seconds),

  // The two objectives: which counts make each ratio, and the alert that watches it.
  slis(cfg):: [
    {
      name: 'success',
      alert: 'CCKMSyncErrorBudgetBurn',
      objective: cfg.syncSuccessObjective,
      total: 'valid',
      bad: 'bad',
      title: 'Sync success',
      badWords: 'failed',
      totalWords: 'finished, non-cancelled',
    },
    {
      name: 'latency',
      alert: 'CCKMSyncLatencyBudgetBurn',
      objective: cfg.syncLatencyObjective,
      total: 'completed',
      bad: 'slow',
      title: 'Sync latency',
      badWords: 'took longer than %s' % promql.short(cfg.syncLatencyThresholdSeconds),
      totalWords: 'completed',
    },
  ],

  // Recorded series: per listing (job, cm, cloud) unless named per instance.
  instanceCount(kind):: 'cckm_instance:sync_jobs_%s:increase%s' % [kind, $.base],
  count(kind, window):: 'cckm:sync_jobs_%s:increase%s' % [kind, window],
  ratio(sli, window):: 'cckm:sync_%s:ratio%s' % [sli, window],
  evaluations:: 'cckm:slo_evaluations:per' + $.base,
  evaluation:: 'cckm:slo_evaluation',
  freshness:: 'cckm:sync_last_success:age_seconds',

  // "99%", "99.5%": an objective as a percentage.
  percent(ratio):: std.strReplace('%g%%' % (ratio * 100), '.0%', '%'),
}
