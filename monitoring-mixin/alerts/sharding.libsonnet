// Alerts about sharded exporters (`--total-shards` above 1, deploy/kubernetes/sharded/), in a
// group of their own: replicas that disagree on the shard count, a shard ordinal no replica
// serves, configured CMs no shard polls, a CM polled by two shards. They read the shard
// metrics, which only a sharded exporter writes, so they are silent for unsharded exporters.
//
// HA pairs per shard (two replicas with the same ordinal) count once: every expression takes
// max by the `shard` label (the ordinal) before it counts or sums. A reshard or rollout lets
// replicas disagree for a while (one still on the old count, a CM shown by its old and new
// owner for a scrape or two), hence _config.shardingFor, longer than a rollout takes.
local promql = import '../lib/promql.libsonnet';
local folded = promql.folded;
local words = promql.words;

{
  _config+:: {
    // How long replicas may disagree before an alert: longer than a rollout or reshard takes.
    shardingFor: '15m',
  },

  local cfg = $._config,
  local own(metric, matchers=[]) = promql.series(metric, [cfg.exporterSelector] + matchers),
  local runbook(alert) = cfg.runbookURLBase + std.asciiLower(alert),
  local rule(alert, severity, expr, summary, description) = {
    alert: alert,
    expr: expr,
    'for': cfg.shardingFor,
    labels: { severity: severity },
    annotations: { summary: summary, description: description, runbook_url: runbook(alert) },
  },

  prometheusAlerts+:: {
    groups+: [{
      name: 'cckm_exporter_sharding',
      rules: [
        rule(
          'CCKMExporterShardingMismatch',
          'critical',
          'max by (job) (%(total)s) != min by (job) (%(total)s)' % { total: own('cckm_exporter_total_shards') },
          'cckm_exporter replicas of {{ $labels.job }} disagree on the shard count',
          folded(|||
            Replicas of {{ $labels.job }} run with different --total-shards (or total_shards)
            for %s, up to {{ $value }}: some CipherTrust Managers may be polled by two
            replicas and others by none.
          ||| % words(cfg.shardingFor)),
        ),
        rule(
          'CCKMExporterShardsMissing',
          'critical',
          'max by (job) (%s) - count by (job) (max by (job, shard) (%s)) > 0'
          % [own('cckm_exporter_total_shards'), own('cckm_exporter_shard_ordinal')],
          '{{ $value }} shard(s) of {{ $labels.job }} have no running replica',
          folded(|||
            Of the shards {{ $labels.job }} is split into, {{ $value }} have had no replica
            scraped for %s: the CipherTrust Managers those shards own are not polled. Compare
            the StatefulSet's replicas with total_shards.
          ||| % words(cfg.shardingFor)),
        ),
        rule(
          'CCKMExporterTargetsUnpolled',
          'critical',
          'max by (job) (sum by (job, instance) (%s)) - sum by (job) (max by (job, shard) (%s)) > 0'
          % [own('cckm_exporter_targets'), own('cckm_exporter_targets', ['state="owned"'])],
          '{{ $value }} configured CipherTrust Manager(s) of {{ $labels.job }} are polled by no shard',
          folded(|||
            The replicas of {{ $labels.job }} are configured with more CipherTrust Managers
            than their shards own together ({{ $value }} polled by none) for %s: a shard is
            missing, or replicas read different configurations. Their status pages list
            what each shard owns.
          ||| % words(cfg.shardingFor)),
        ),
        rule(
          'CCKMTargetPolledByTwoShards',
          'warning',
          'count by (job, cm, cloud) (count by (job, cm, cloud, shard) (%s * on (job, instance) group_left (shard) %s)) > 1'
          % [promql.series('cckm_up', [cfg.cckmSelector]), own('cckm_exporter_shard_ordinal')],
          'CipherTrust Manager {{ $labels.cm }} ({{ $labels.cloud }}) is polled by {{ $value }} shards',
          folded(|||
            The {{ $labels.cloud }} listing of CipherTrust Manager {{ $labels.cm }} has been
            polled by replicas of {{ $value }} different shards of {{ $labels.job }} for %s
            (two replicas of one shard are an HA pair and count once): the replicas disagree
            on which shard owns it, and CipherTrust Manager answers every one of them.
          ||| % words(cfg.shardingFor)),
        ),
      ],
    }],
  },
}
