// The alert on job metrics that stay behind while CipherTrust Manager answers (issue 18):
// cckm_up says CM answered the last poll; cckm_listing_catchup_backlog_jobs says how many jobs
// CM lists that the metrics do not hold yet, while the exporter reads a backlog (an outage's,
// a burst's) page by page. Added to the cckm_exporter group of alerts.libsonnet.
local promql = import '../lib/promql.libsonnet';
local folded = promql.folded;
local words = promql.words;

{
  local cfg = $._config,
  local cckm(metric) = promql.series(metric, [cfg.cckmSelector]),

  prometheusAlerts+:: {
    groups: [
      if group.name == 'cckm_exporter' then group {
        rules+: [{
          alert: 'CCKMListingMetricsBehind',
          // The least behind of the exporters polling the listing (an HA pair), while one of
          // them gets its answers from CM.
          expr: 'min by (job, cm, cloud) (%s) > 0 and on (job, cm, cloud) max by (job, cm, cloud) (%s) == 1'
                % [cckm('cckm_listing_catchup_backlog_jobs'), cckm('cckm_up')],
          'for': cfg.listingMetricsBehindFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Job metrics of {{ $labels.cm }} ({{ $labels.cloud }}) are {{ $value | printf "%.0f" }} jobs behind',
            description: folded(|||
              CipherTrust Manager {{ $labels.cm }} answers the exporter's polls, but for %s the
              {{ $labels.cloud }} job metrics have been missing jobs CM lists (about
              {{ $value | printf "%%.0f" }} now): the exporter is still reading a backlog of new
              jobs page by page (after an outage or a burst) and CM pages too slowly for it to
              catch up. The status page shows the catch-up's progress.
            ||| % words(cfg.listingMetricsBehindFor)),
            runbook_url: cfg.runbookURLBase + 'cckmlistingmetricsbehind',
          },
        }],
      } else group
      for group in super.groups
    ],
  },
}
