// The dashboard's "Service levels" row: per listing (cm/cloud), each objective's SLI over the
// period, the error budget left (now and over time), the freshness SLI and the burn rate of each
// alert window, all read from the recording rules of rules/slo.libsonnet (instance already
// aggregated away there, restarts left out).
local promql = import '../lib/promql.libsonnet';
local slo = import '../lib/slo.libsonnet';
local g = import 'panels.libsonnet';
local targets = g.targets;
local thresholds = g.thresholds;

{
  row(cfg)::
    local period = cfg.sloPeriod;
    local filter = '{cm=~"$cm", cloud=~"$cloud"}';
    local ratio(sli, window) = slo.ratio(sli.name, window) + filter;
    local budgetLeft(sli) = '1 - (1 - %s) / (1 - %g)' % [ratio(sli, period), sli.objective];
    local slis = slo.slis(cfg);
    local success = slis[0];
    local latency = slis[1];
    local threshold = promql.short(cfg.syncLatencyThresholdSeconds);
    local objectiveSteps(sli) = thresholds([[null, 'red'], [sli.objective, 'green']]);
    local budgetSteps = thresholds([[null, 'red'], [0, 'orange'], [0.25, 'green']]);
    local longWindows = std.set([w.long for w in cfg.sloBurnRateWindows], promql.seconds);
    local burnRates(sli) = [
      [
        '(1 - %s) / (1 - %g)' % [ratio(sli, window), sli.objective],
        '{{cm}}/{{cloud}} %s' % window,
      ]
      for window in longWindows
    ];
    local factorSteps = thresholds(
      [[null, 'green']] + [
        [w.factor, if w.severity == 'critical' then 'red' else 'orange']
        for w in cfg.sloBurnRateWindows
      ]
    );
    {
      title: 'Service levels',
      panels: [
        g.stat('%s over %s (objective %s)' % [success.title, period, slo.percent(success.objective)],
               'Share of the finished, non-cancelled jobs that did not fail over the last %s, per listing (recording rule %s; jobs during an exporter restart left out). Red below the objective.'
               % [period, slo.ratio(success.name, period)],
               targets([[ratio(success, period), '{{cm}}/{{cloud}}']]),
               width=6,
               unit='percentunit',
               thresholds=objectiveSteps(success)),
        g.stat('%s over %s (objective %s within %s)' % [latency.title, period, slo.percent(latency.objective), threshold],
               'Share of the completed jobs that took at most %s over the last %s, per listing (classic bucket at %s, or histogram_fraction on the native histogram). Red below the objective.'
               % [threshold, period, threshold],
               targets([[ratio(latency, period), '{{cm}}/{{cloud}}']]),
               width=6,
               unit='percentunit',
               thresholds=objectiveSteps(latency)),
        g.stat('Error budget left (%s)' % period,
               'The share of the error budget (1 − objective) not spent over the last %s: 100 %% when nothing failed or was slow, 0 when the objective is just met, negative when it is missed.'
               % period,
               targets([
                 [budgetLeft(success), '{{cm}}/{{cloud}} success'],
                 [budgetLeft(latency), '{{cm}}/{{cloud}} latency'],
               ]),
               width=6,
               unit='percentunit',
               thresholds=budgetSteps),
        g.stat('Time since last completed job',
               'Freshness SLI (%s): age of the newest completed, non-cancelled job per listing (alert CCKMNoRecentSuccessfulSync at %s).'
               % [slo.freshness, promql.short(cfg.noRecentSuccessfulSyncSeconds)],
               targets([[slo.freshness + filter, '{{cm}}/{{cloud}}']]),
               width=6,
               unit='s',
               thresholds=thresholds([[null, 'green'], [cfg.noRecentSuccessfulSyncSeconds, 'red']])),
        g.timeseries('Error budget left over time',
                     'The error budget left over the %s before each point, per listing and objective.' % period,
                     targets([
                       [budgetLeft(success), '{{cm}}/{{cloud}} success'],
                       [budgetLeft(latency), '{{cm}}/{{cloud}} latency'],
                     ]),
                     width=8,
                     unit='percentunit',
                     thresholds=thresholds([[null, 'red'], [0, 'green']])),
        g.timeseries('%s burn rate' % success.title,
                     'How many times faster than "exactly spent in %s" the failures of each long alert window spend the budget; CCKMSyncErrorBudgetBurn fires at the dashed lines (with the short window and at least %d failed jobs).'
                     % [period, cfg.sloMinBadJobs],
                     targets(burnRates(success)),
                     width=8,
                     thresholds=factorSteps),
        g.timeseries('%s burn rate' % latency.title,
                     'How many times faster than "exactly spent in %s" the jobs slower than %s spend the budget, per long alert window; CCKMSyncLatencyBudgetBurn fires at the dashed lines.'
                     % [period, threshold],
                     targets(burnRates(latency)),
                     width=8,
                     thresholds=factorSteps),
      ],
    },
}
