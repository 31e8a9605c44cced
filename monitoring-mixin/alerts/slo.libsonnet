// Multiwindow, multi-burn-rate alerts on the service levels of rules/slo.libsonnet (Google's
// SRE workbook, as kubernetes-mixin's KubeAPIErrorBudgetBurn): CCKMSyncErrorBudgetBurn on sync
// success, CCKMSyncLatencyBudgetBurn on sync latency, one rule per window pair of
// _config.sloBurnRateWindows (critical pages, warning tickets), labelled with its windows.
//
// A rule fires when the long window burns the error budget `factor` times faster than the rate
// that spends it in _config.sloPeriod, the short window confirms it is still burning (a short
// window without a job does not contradict it: jobs are a handful an hour), and the long
// window holds at least _config.sloMinBadJobs bad jobs, so one failure among few jobs never
// fires one.
local promql = import '../lib/promql.libsonnet';
local slo = import '../lib/slo.libsonnet';
local folded = promql.folded;

{
  local cfg = $._config,
  local runbook(alert) = cfg.runbookURLBase + std.asciiLower(alert),
  local budget(sli) = 1 - sli.objective,

  local burnRule(sli, w) =
    local threshold = '(%g * (1 - %g))' % [w.factor, sli.objective];
    local errors(window) = '(1 - %s)' % slo.ratio(sli.name, window);
    // Hours until the budget is gone at this rate, rounded.
    local exhausted = '%dh' % std.floor(promql.seconds(cfg.sloPeriod) / w.factor / 3600 + 0.5);
    {
      alert: sli.alert,
      expr: |||
        %(long)s > %(threshold)s
        and (%(short)s > %(threshold)s or %(shortTotal)s == 0)
        and %(longBad)s >= %(minBad)d
      ||| % {
        long: errors(w.long),
        short: errors(w.short),
        threshold: threshold,
        shortTotal: slo.count(sli.total, w.short),
        longBad: slo.count(sli.bad, w.long),
        minBad: cfg.sloMinBadJobs,
      },
      'for': w['for'],
      labels: { severity: w.severity, long: w.long, short: w.short },
      annotations: {
        summary: 'CCKM {{ $labels.cloud }} synchronization on {{ $labels.cm }} burns its %s error budget %g× too fast'
                 % [std.asciiLower(sli.title), w.factor],
        description: folded(|||
          {{ $value | humanizePercentage }} of the %(total)s {{ $labels.cloud }} synchronization
          jobs on CipherTrust Manager {{ $labels.cm }} %(bad)s in the last %(long)s, and the last
          %(short)s did not do better: %(factor)g× the %(budget)s the %(objective)s objective
          allows. At this rate the error budget of %(period)s is spent in %(exhausted)s.
        ||| % {
          total: sli.totalWords,
          bad: sli.badWords,
          long: words(w.long),
          short: words(w.short),
          factor: w.factor,
          budget: slo.percent(budget(sli)),
          objective: slo.percent(sli.objective),
          period: words(cfg.sloPeriod),
          exhausted: exhausted,
        }),
        runbook_url: runbook(sli.alert),
      },
    },
  local words = promql.words,

  prometheusAlerts+:: {
    groups+: [{
      name: 'cckm_exporter_slo_alerts',
      rules: [burnRule(sli, w) for sli in slo.slis(cfg) for w in cfg.sloBurnRateWindows],
    }],
  },
}
