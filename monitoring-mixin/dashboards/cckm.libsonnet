// The Grafana dashboard (dashboards/cckm_exporter.json): CCKM synchronization jobs per
// CipherTrust Manager (`cm`) and listing (`cloud`). Panels about a CM take max by (cm, cloud, …),
// so an HA pair of exporters polling the same CM, or a CM's old and new shard during a reshard,
// counts once (deploy/tests/test_dashboard_dedup.py); the poll and CM-API panels show each
// exporter's own work.
local promql = import '../lib/promql.libsonnet';
local g = import 'panels.libsonnet';
local target = g.target;
local targets = g.targets;
local thresholds = g.thresholds;

{
  local cfg = $._config,
  // A cckm_* series with the mixin's selector, the dashboard's cm and cloud filters and `matchers`.
  local s(metric, matchers=[]) =
    promql.series(metric, [cfg.cckmSelector, 'cm=~"$cm"', 'cloud=~"$cloud"'] + matchers),
  // The exporter's own series (process_*, build info): no cm or cloud label.
  local exporter(metric) = promql.series(metric, [cfg.exporterSelector]),

  local upMappings = [{ type: 'value', options: {
    '0': { text: 'DOWN', color: 'red', index: 0 },
    '1': { text: 'UP', color: 'green', index: 1 },
  } }],
  local tableNoise = ['Time', 'Value', '__name__', 'job', 'instance'],

  local overview = [
    g.stat('Listings polled OK',
           'cckm_up: 1 when the last poll of that CM listing succeeded.',
           targets([
             ['sum(max by (cm, cloud) (%s))' % s('cckm_up'), 'up'],
             ['count(max by (cm, cloud) (%s))' % s('cckm_up'), 'listings'],
           ]),
           width=6,
           thresholds=thresholds([[null, 'blue']])),
    g.stat('Running jobs',
           'Jobs with overall_status in_progress in the last listing.',
           targets([['sum(max by (cm, cloud) (%s))' % s('cckm_sync_jobs', ['status="in_progress"']), 'running']])),
    g.stat('Regions in progress',
           'Regions (vaults, key rings, …) in progress inside running jobs.',
           targets([['sum(max by (cm, cloud) (%s))' % s('cckm_sync_regions_in_progress'), 'regions']])),
    g.stat('Failed jobs in range',
           "Jobs that finished failed during the dashboard's time range.",
           targets([['sum(max by (cm, cloud) (increase(%s[$__range])))'
                     % s('cckm_sync_jobs_finished_total', ['status="failed"']), 'failed']]),
           thresholds=thresholds([[null, 'green'], [1, 'red']])),
    g.stat('Cancelled jobs in range',
           "Jobs that finished with abort: true (a cancel was requested) during the dashboard's time range, whatever their final status (AWS: aborted, Google: completed).",
           targets([['sum(max by (cm, cloud) (increase(%s[$__range])))' % s('cckm_sync_jobs_cancelled_total'), 'cancelled']]),
           width=6,
           thresholds=thresholds([[null, 'green'], [1, 'orange']])),
  ],

  local jobs = [
    g.timeseries('Jobs by status',
                 'cckm_sync_jobs: the jobs of the last listing by overall_status, per CM and cloud.',
                 targets([['max by (cm, cloud, status) (%s)' % s('cckm_sync_jobs'), '{{cm}}/{{cloud}} {{status}}']]),
                 stack=true),
    g.timeseries('Running jobs and regions in progress',
                 'Jobs in progress and the regions in progress inside them.',
                 targets([
                   ['max by (cm, cloud) (%s)' % s('cckm_sync_jobs', ['status="in_progress"']), '{{cm}}/{{cloud}} jobs'],
                   ['max by (cm, cloud) (%s)' % s('cckm_sync_regions_in_progress'), '{{cm}}/{{cloud}} regions'],
                 ])),
    g.table('Regions in progress now',
            'cckm_sync_region_in_progress: each region (AWS account/region, Azure vault, GCP key ring, …) in progress in a running job.',
            'max by (cm, cloud, cloud_account, cloud_region) (%s)' % s('cckm_sync_region_in_progress'),
            12,
            8,
            tableNoise,
            { cm: 'CM', cloud: 'Cloud', cloud_account: 'Account', cloud_region: 'Region / scope' }),
    g.table('Latest job status',
            'Status of the most recently created job of each listing (cckm_sync_latest_job_status == 1).',
            'max by (cm, cloud, status) (%s) == 1' % s('cckm_sync_latest_job_status'),
            12,
            8,
            tableNoise,
            { cm: 'CM', cloud: 'Cloud', status: 'Latest job status' }),
  ],

  // Keeps the series of one exporter per CM and cloud (the first that polls it OK), for sums
  // that max by (cm, cloud, …) cannot dedupe: native histograms have no max.
  local oneExporter = 'and on (job, instance, cm, cloud) topk by (cm, cloud) (1, %s)' % s('cckm_up'),

  // Native histogram where Prometheus stores one, else the classic buckets.
  local durationQuantile(q) =
    'histogram_quantile(%s, sum by (cm, cloud) (rate(%s[$window])))' % [q, s('cckm_sync_job_duration_seconds')]
    + ' or histogram_quantile(%s, sum by (le, cm, cloud) (rate(%s[$window])))' % [q, s('cckm_sync_job_duration_seconds_bucket')],
  local durations = [
    g.timeseries('Job duration percentiles',
                 "p50/p90/p99 of completed_at − createdAt of the jobs that finished in the preceding $window, per CM and cloud: from the native histogram where Prometheus stores one (--enable-feature=native-histograms, within 5 %), else from the classic buckets. Exemplar dots name the newest job of each series (sync_job_id), linked to the exporter's job page by the data source.",
                 targets([
                   [durationQuantile(q[0]), '{{cm}}/{{cloud}} p' + q[1]]
                   for q in [['0.5', '50'], ['0.9', '90'], ['0.99', '99']]
                 ], exemplar=true),
                 unit='s'),
    g.panel('heatmap',
            'Job duration distribution',
            'Finished jobs per duration bucket (cckm_sync_job_duration_seconds) and time interval.',
            // One exporter per CM and cloud (an HA pair, or a CM's old and new owner during a
            // reshard, would count each job twice): the series of the instance topk picks.
            [target('sum by (le) (increase(%s[$__interval]) %s)' % [s('cckm_sync_job_duration_seconds_bucket'), oneExporter]
                    + ' or sum(increase(%s[$__interval]) %s)' % [s('cckm_sync_job_duration_seconds'), oneExporter],
                    '{{le}}',
                    format='heatmap')],
            12,
            8,
            'short',
            custom={ hideFrom: { legend: false, tooltip: false, viz: false }, scaleDistribution: { type: 'linear' } },
            options={
              calculate: false,
              yAxis: { axisPlacement: 'left', unit: 's', reverse: false },
              rowsFrame: { layout: 'le' },
              color: { mode: 'scheme', scheme: 'Oranges', fill: 'dark', scale: 'exponential', exponent: 0.5, steps: 64, reverse: false },
              cellGap: 1,
              filterValues: { le: 1e-9 },
              showValue: 'never',
              tooltip: { mode: 'single', yHistogram: true, showColorScale: false },
              legend: { show: true },
              exemplars: { color: 'rgba(255,0,255,0.7)' },
            },
            extra={ maxDataPoints: 60 }),
  ],

  local noSuccess = cfg.noRecentSuccessfulSyncSeconds,
  local runningTooLong = cfg.syncJobRunningTooLongSeconds,
  local failures = [
    g.timeseries('Failed and aborted jobs per day',
                 'Jobs that finished failed or aborted in the preceding 24 hours (increase over 1d of cckm_sync_jobs_finished_total).',
                 targets([[
                   'max by (cm, cloud, status) (increase(%s[1d]))' % s('cckm_sync_jobs_finished_total', ['status=~"failed|aborted"']),
                   '{{cm}}/{{cloud}} {{status}}',
                 ]]),
                 thresholds=thresholds([[null, 'green'], [1, 'red']])),
    g.timeseries('Cancellations per day',
                 "Jobs cancelled (abort: true) in the preceding 24 hours, whatever their final status (increase over 1d of cckm_sync_jobs_cancelled_total); alert CCKMSyncAborted reads the newest one's completed_at (cckm_sync_last_cancelled_timestamp_seconds).",
                 targets([['max by (cm, cloud) (increase(%s[1d]))' % s('cckm_sync_jobs_cancelled_total'), '{{cm}}/{{cloud}} cancelled']]),
                 thresholds=thresholds([[null, 'green'], [1, 'orange']])),
    g.panel('bargauge',
            'Time since last successful sync',
            'Age of the newest job that finished completed, per CM and cloud (alert CCKMNoRecentSuccessfulSync at %s).'
            % promql.short(noSuccess),
            targets([[
              'time() - max by (cm, cloud) (%s)' % s('cckm_sync_last_finished_timestamp_seconds', ['status="completed"']),
              '{{cm}}/{{cloud}}',
            ]]),
            12,
            8,
            's',
            options={
              reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
              orientation: 'horizontal',
              displayMode: 'gradient',
              showUnfilled: true,
              valueMode: 'color',
              namePlacement: 'auto',
              sizing: 'auto',
              minVizHeight: 16,
              minVizWidth: 8,
              maxVizHeight: 300,
            },
            // Yellow at a quarter of the alert's threshold, red at the threshold.
            thresholds=thresholds([[null, 'green'], [noSuccess / 4, 'yellow'], [noSuccess, 'red']])),
    g.timeseries('Oldest running job age',
                 'How long the oldest job still in progress has been running (alert CCKMSyncJobRunningTooLong at %s).'
                 % promql.short(runningTooLong),
                 targets([['time() - min by (cm, cloud) (%s)' % s('cckm_sync_oldest_running_job_start_timestamp_seconds'), '{{cm}}/{{cloud}}']]),
                 unit='s',
                 thresholds=thresholds([[null, 'green'], [runningTooLong, 'red']])),
    g.timeseries('Last finished job by status',
                 'Age of the newest job finished with each status.',
                 targets([['time() - max by (cm, cloud, status) (%s)' % s('cckm_sync_last_finished_timestamp_seconds'), '{{cm}}/{{cloud}} {{status}}']]),
                 unit='s'),
  ],

  local health = [
    g.panel('state-timeline',
            'Poll result (cckm_up)',
            '1 (UP) when the last poll of the listing succeeded; DOWN keeps the last good job metrics.',
            targets([[s('cckm_up'), '{{cm}}/{{cloud}}']]),
            12,
            8,
            'short',
            custom={ fillOpacity: 80, lineWidth: 0 },
            options={ mergeValues: true, showValue: 'never', alignValue: 'left', rowHeight: 0.9, legend: { showLegend: false } },
            thresholds=thresholds([[null, 'red'], [1, 'green']]),
            mappings=upMappings),
    g.timeseries('Poll duration',
                 'Wall time of the last poll of each listing (--poll.timeout bounds it).',
                 targets([[s('cckm_poll_duration_seconds'), '{{cm}}/{{cloud}}']]),
                 unit='s'),
    g.timeseries('Poll errors by reason',
                 'Failed polls per second by reason: auth, connect, tls, timeout, http, decode.',
                 targets([[
                   'sum by (cm, cloud, reason) (rate(%s[$__rate_interval]))' % s('cckm_poll_errors_total'),
                   '{{cm}}/{{cloud}} {{reason}}',
                 ]]),
                 unit='reqps',
                 stack=true),
    g.timeseries('CM API requests by code',
                 'Requests the exporter sent to CipherTrust Manager per second, by endpoint and HTTP code (code error: no answer).',
                 // No cloud label: the CM filter only.
                 targets([[
                   'sum by (cm, endpoint, code) (rate(%s[$__rate_interval]))'
                   % promql.series('cckm_api_requests_total', [cfg.cckmSelector, 'cm=~"$cm"']),
                   '{{cm}} {{endpoint}} {{code}}',
                 ]]),
                 unit='reqps',
                 stack=true),
    g.timeseries('Time since last successful poll',
                 'Age of the job metrics each listing shows.',
                 targets([['time() - ' + s('cckm_last_poll_success_timestamp_seconds'), '{{cm}}/{{cloud}}']]),
                 unit='s'),
    g.timeseries('Invalid jobs skipped',
                 'Jobs skipped as unusable (no id, bad createdAt, malformed) in the preceding hour; 0 when none.',
                 targets([['max by (cm, cloud) (increase(%s[1h])) or max by (cm, cloud) (%s) * 0'
                           % [s('cckm_jobs_invalid_total'), s('cckm_up')], '{{cm}}/{{cloud}}']])),
    g.timeseries('Exporter CPU and memory',
                 'process_cpu_seconds_total rate (cores) and resident memory of the exporter.',
                 targets([
                   ['rate(%s[$__rate_interval])' % exporter('process_cpu_seconds_total'), '{{instance}} CPU cores'],
                   [exporter('process_resident_memory_bytes'), '{{instance}} RSS'],
                 ]),
                 overrides=[{
                   matcher: { id: 'byRegexp', options: '.*RSS' },
                   properties: [{ id: 'unit', value: 'bytes' }, { id: 'custom.axisPlacement', value: 'right' }],
                 }]),
    g.table('Exporter build',
            'cckm_exporter_build_info of each exporter.',
            exporter('cckm_exporter_build_info'),
            12,
            8,
            ['Time', 'Value', '__name__', 'job'],
            { instance: 'Exporter', version: 'Version', revision: 'Revision', swift_version: 'Swift' }),
  ],

  local queryVariable(name, label, query) = {
    name: name,
    label: label,
    type: 'query',
    datasource: g.datasource,
    // A plain string: every Grafana since 7 reads it, newer ones migrate it to their editor.
    definition: query,
    query: query,
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    sort: 1,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    regex: '',
    hide: 0,
  },
  local variables = [
    {
      name: 'datasource',
      label: 'Data source',
      type: 'datasource',
      query: 'prometheus',
      current: {},
      options: [],
      refresh: 1,
      regex: '',
      hide: 0,
      multi: false,
      includeAll: false,
    },
    queryVariable('cm',
                  'CipherTrust Manager',
                  'label_values(%s, cm)' % promql.series('cckm_up', [cfg.cckmSelector])),
    queryVariable('cloud',
                  'Cloud',
                  'label_values(%s, cloud)' % promql.series('cckm_up', [cfg.cckmSelector, 'cm=~"$cm"'])),
    {
      name: 'window',
      label: 'Duration window',
      type: 'custom',
      query: '1h,6h,1d,7d',
      current: { selected: true, text: '1d', value: '1d' },
      options: [{ selected: v == '1d', text: v, value: v } for v in ['1h', '6h', '1d', '7d']],
      multi: false,
      includeAll: false,
      hide: 0,
    },
  ],

  grafanaDashboards+:: {
    'cckm_exporter.json': {
      uid: cfg.dashboardUID,
      title: cfg.dashboardTitle,
      description: 'CCKM synchronization jobs of CipherTrust Manager, from cckm_exporter.',
      tags: cfg.dashboardTags,
      timezone: 'browser',
      editable: true,
      graphTooltip: 1,
      refresh: '30s',
      schemaVersion: 39,
      version: 1,
      time: { from: 'now-6h', to: 'now' },
      timepicker: {},
      fiscalYearStartMonth: 0,
      liveNow: false,
      links: [],
      annotations: { list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        {
          // ALERTS carries the alerts' labels, not the scrape's: no cckmSelector here.
          name: 'CCKM alerts',
          datasource: g.datasource,
          enable: true,
          iconColor: 'red',
          expr: 'ALERTS{alertname=~"CCKM.*", alertstate="firing", cm=~"$cm"}',
          step: '60s',
          titleFormat: '{{alertname}}',
          textFormat: '{{cm}} {{cloud}}',
          useValueForTime: false,
        },
      ] },
      templating: { list: variables },
      panels: g.layout([
        { title: 'Overview', panels: overview },
        (import 'slo.libsonnet').row(cfg),
        { title: 'Jobs', panels: jobs },
        { title: 'Durations', panels: durations },
        { title: 'Failures and freshness', panels: failures },
        { title: 'Exporter health', panels: health },
      ]),
    },
  },
}
