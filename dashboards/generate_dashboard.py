#!/usr/bin/env python3
"""Writes cckm_exporter.json, the Grafana dashboard, from the panel list below.

    python3 dashboards/generate_dashboard.py          # rewrite the JSON
    python3 dashboards/generate_dashboard.py --check  # exit 1 if the JSON is stale

The JSON is what users import; this script only keeps its ids, layout and datasource
references consistent. Edit panels here, not in the JSON.
"""
import json
import pathlib
import sys

OUTPUT = pathlib.Path(__file__).resolve().parent / "cckm_exporter.json"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'cm=~"$cm", cloud=~"$cloud"'  # the dashboard's filter on every cckm_* series with both labels
EXPORTER = 'job="cckm_exporter"'    # process_* and build info have no cm/cloud labels


def target(expr, legend="__auto", ref="A", instant=False, fmt="time_series", exemplar=False):
    result = {"datasource": DATASOURCE, "refId": ref, "expr": expr, "legendFormat": legend,
              "range": not instant, "instant": instant, "format": fmt, "editorMode": "code"}
    if exemplar:  # the sync_job_id exemplars, linked to the exporter's job page by the data source
        result["exemplar"] = True
    return result


def targets(*pairs, exemplar=False):
    """(expr, legend) pairs → targets A, B, C, …"""
    return [target(expr, legend, ref=chr(ord("A") + i), exemplar=exemplar) for i, (expr, legend) in enumerate(pairs)]


def thresholds(*steps):
    """(value or None, colour) steps, the first with None (the base)."""
    return {"mode": "absolute", "steps": [{"value": v, "color": c} for v, c in steps]}


def panel(kind, title, description, targets_, width, height, unit="short", custom=None,
          options=None, overrides=None, th=None, mappings=None, transformations=None, extra=None):
    defaults = {"unit": unit}
    if custom is not None:
        defaults["custom"] = custom
    if th is not None:
        defaults["thresholds"] = th
    if mappings is not None:
        defaults["mappings"] = mappings
    result = {"type": kind, "title": title, "description": description, "datasource": DATASOURCE,
              "targets": targets_, "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
              "options": options or {}, "_size": (width, height)}
    if transformations:
        result["transformations"] = transformations
    result.update(extra or {})
    return result


def timeseries(title, description, targets_, width=12, height=8, unit="short", stack=False,
               bars=False, th=None, overrides=None):
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1, "fillOpacity": 20 if stack or bars else 0,
              "showPoints": "never", "spanNulls": False,
              "stacking": {"mode": "normal" if stack else "none", "group": "A"},
              "thresholdsStyle": {"mode": "line" if th else "off"}}
    options = {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True, "calcs": ["lastNotNull", "max"]},
               "tooltip": {"mode": "multi", "sort": "desc"}}
    return panel("timeseries", title, description, targets_, width, height, unit, custom, options,
                 overrides, th)


def stat(title, description, targets_, width=4, height=4, unit="short", th=None, mappings=None):
    options = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
               "colorMode": "background", "graphMode": "area", "justifyMode": "auto",
               "textMode": "auto", "orientation": "auto"}
    return panel("stat", title, description, targets_, width, height, unit, None, options,
                 th=th or thresholds((None, "green")), mappings=mappings)


def table(title, description, expr, width, height, hide, rename, unit="short"):
    options = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False, "reducer": ["sum"]}}
    organize = {"id": "organize", "options": {"excludeByName": {name: True for name in hide},
                                              "renameByName": rename, "indexByName": {}}}
    return panel("table", title, description, [target(expr, instant=True, fmt="table")], width, height,
                 unit, {"align": "auto", "cellOptions": {"type": "auto"}}, options,
                 transformations=[organize])


UP_MAPPINGS = [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 0},
                                              "1": {"text": "UP", "color": "green", "index": 1}}}]
TABLE_NOISE = ["Time", "Value", "__name__", "job", "instance"]

ROWS = [
    ("Overview", [
        stat("Listings polled OK", "cckm_up: 1 when the last poll of that CM listing succeeded.",
             targets((f"sum(max by (cm, cloud) (cckm_up{{{SEL}}}))", "up"), (f"count(max by (cm, cloud) (cckm_up{{{SEL}}}))", "listings")),
             width=6, th=thresholds((None, "blue"))),
        stat("Running jobs", "Jobs with overall_status in_progress in the last listing.",
             targets((f'sum(max by (cm, cloud) (cckm_sync_jobs{{{SEL}, status="in_progress"}}))', "running"))),
        stat("Regions in progress", "Regions (vaults, key rings, …) in progress inside running jobs.",
             targets((f"sum(max by (cm, cloud) (cckm_sync_regions_in_progress{{{SEL}}}))", "regions"))),
        stat("Failed jobs in range", "Jobs that finished failed during the dashboard's time range.",
             targets((f'sum(max by (cm, cloud) (increase(cckm_sync_jobs_finished_total{{{SEL}, status="failed"}}[$__range])))', "failed")),
             th=thresholds((None, "green"), (1, "red"))),
        stat("Cancelled jobs in range", "Jobs that finished with abort: true (a cancel was requested) during the dashboard's time range, whatever their final status (AWS: aborted, Google: completed).",
             targets((f'sum(max by (cm, cloud) (increase(cckm_sync_jobs_cancelled_total{{{SEL}}}[$__range])))', "cancelled")),
             width=6, th=thresholds((None, "green"), (1, "orange"))),
    ]),
    ("Jobs", [
        timeseries("Jobs by status", "cckm_sync_jobs: the jobs of the last listing by overall_status, per CM and cloud.",
                   targets((f"max by (cm, cloud, status) (cckm_sync_jobs{{{SEL}}})", "{{cm}}/{{cloud}} {{status}}")),
                   stack=True),
        timeseries("Running jobs and regions in progress", "Jobs in progress and the regions in progress inside them.",
                   targets((f'max by (cm, cloud) (cckm_sync_jobs{{{SEL}, status="in_progress"}})', "{{cm}}/{{cloud}} jobs"),
                           (f"max by (cm, cloud) (cckm_sync_regions_in_progress{{{SEL}}})", "{{cm}}/{{cloud}} regions"))),
        table("Regions in progress now", "cckm_sync_region_in_progress: each region (AWS account/region, Azure vault, GCP key ring, …) in progress in a running job.",
              f"cckm_sync_region_in_progress{{{SEL}}}", 12, 8, TABLE_NOISE,
              {"cm": "CM", "cloud": "Cloud", "cloud_account": "Account", "cloud_region": "Region / scope"}),
        table("Latest job status", "Status of the most recently created job of each listing (cckm_sync_latest_job_status == 1).",
              f"cckm_sync_latest_job_status{{{SEL}}} == 1", 12, 8, TABLE_NOISE,
              {"cm": "CM", "cloud": "Cloud", "status": "Latest job status"}),
    ]),
    ("Durations", [
        timeseries("Job duration percentiles", "p50/p90/p99 of completed_at − createdAt of the jobs that finished in the preceding $window, per CM and cloud: from the native histogram where Prometheus stores one (--enable-feature=native-histograms, within 5 %), else from the classic buckets. Exemplar dots name the newest job of each series (sync_job_id), linked to the exporter's job page by the data source.",
                   targets(*[(f"histogram_quantile({q}, sum by (cm, cloud) (rate(cckm_sync_job_duration_seconds{{{SEL}}}[$window])))"
                              f" or histogram_quantile({q}, sum by (le, cm, cloud) (rate(cckm_sync_job_duration_seconds_bucket{{{SEL}}}[$window])))",
                              f"{{{{cm}}}}/{{{{cloud}}}} p{int(q * 100)}") for q in (0.5, 0.9, 0.99)], exemplar=True),
                   unit="s"),
        panel("heatmap", "Job duration distribution", "Finished jobs per duration bucket (cckm_sync_job_duration_seconds) and time interval.",
              [target(f"sum by (le) (increase(cckm_sync_job_duration_seconds_bucket{{{SEL}}}[$__interval]))"
                     f" or sum(increase(cckm_sync_job_duration_seconds{{{SEL}}}[$__interval]))", "{{le}}", fmt="heatmap")],
              12, 8, "short", {"hideFrom": {"legend": False, "tooltip": False, "viz": False}, "scaleDistribution": {"type": "linear"}},
              {"calculate": False, "yAxis": {"axisPlacement": "left", "unit": "s", "reverse": False},
               "rowsFrame": {"layout": "le"}, "color": {"mode": "scheme", "scheme": "Oranges", "fill": "dark", "scale": "exponential", "exponent": 0.5, "steps": 64, "reverse": False},
               "cellGap": 1, "filterValues": {"le": 1e-9}, "showValue": "never",
               "tooltip": {"mode": "single", "yHistogram": True, "showColorScale": False},
               "legend": {"show": True}, "exemplars": {"color": "rgba(255,0,255,0.7)"}},
              extra={"maxDataPoints": 60}),
    ]),
    ("Failures and freshness", [
        timeseries("Failed and aborted jobs per day", "Jobs that finished failed or aborted in the preceding 24 hours (increase over 1d of cckm_sync_jobs_finished_total).",
                   targets((f'max by (cm, cloud, status) (increase(cckm_sync_jobs_finished_total{{{SEL}, status=~"failed|aborted"}}[1d]))',
                            "{{cm}}/{{cloud}} {{status}}")), th=thresholds((None, "green"), (1, "red"))),
        timeseries("Cancellations per day", "Jobs cancelled (abort: true) in the preceding 24 hours, whatever their final status (increase over 1d of cckm_sync_jobs_cancelled_total); alert CCKMSyncAborted reads the newest one's completed_at (cckm_sync_last_cancelled_timestamp_seconds).",
                   targets((f'max by (cm, cloud) (increase(cckm_sync_jobs_cancelled_total{{{SEL}}}[1d]))', "{{cm}}/{{cloud}} cancelled")),
                   th=thresholds((None, "green"), (1, "orange"))),
        panel("bargauge", "Time since last successful sync", "Age of the newest job that finished completed, per CM and cloud (alert CCKMNoRecentSuccessfulSync at 24h).",
              targets((f'time() - max by (cm, cloud) (cckm_sync_last_finished_timestamp_seconds{{{SEL}, status="completed"}})', "{{cm}}/{{cloud}}")),
              12, 8, "s", None,
              {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
               "orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True, "valueMode": "color",
               "namePlacement": "auto", "sizing": "auto", "minVizHeight": 16, "minVizWidth": 8, "maxVizHeight": 300},
              th=thresholds((None, "green"), (21600, "yellow"), (86400, "red"))),
        timeseries("Oldest running job age", "How long the oldest job still in progress has been running (alert CCKMSyncJobRunningTooLong at 1h).",
                   targets((f"time() - cckm_sync_oldest_running_job_start_timestamp_seconds{{{SEL}}}", "{{cm}}/{{cloud}}")),
                   unit="s", th=thresholds((None, "green"), (3600, "red"))),
        timeseries("Last finished job by status", "Age of the newest job finished with each status.",
                   targets((f"time() - cckm_sync_last_finished_timestamp_seconds{{{SEL}}}", "{{cm}}/{{cloud}} {{status}}")),
                   unit="s"),
    ]),
    ("Exporter health", [
        panel("state-timeline", "Poll result (cckm_up)", "1 (UP) when the last poll of the listing succeeded; DOWN keeps the last good job metrics.",
              targets((f"cckm_up{{{SEL}}}", "{{cm}}/{{cloud}}")), 12, 8, "short",
              {"fillOpacity": 80, "lineWidth": 0}, {"mergeValues": True, "showValue": "never", "alignValue": "left",
                                                      "rowHeight": 0.9, "legend": {"showLegend": False}},
              th=thresholds((None, "red"), (1, "green")), mappings=UP_MAPPINGS),
        timeseries("Poll duration", "Wall time of the last poll of each listing (--poll.timeout bounds it).",
                   targets((f"cckm_poll_duration_seconds{{{SEL}}}", "{{cm}}/{{cloud}}")), unit="s"),
        timeseries("Poll errors by reason", "Failed polls per second by reason: auth, connect, tls, timeout, http, decode.",
                   targets((f"sum by (cm, cloud, reason) (rate(cckm_poll_errors_total{{{SEL}}}[$__rate_interval]))", "{{cm}}/{{cloud}} {{reason}}")),
                   unit="reqps", stack=True),
        timeseries("CM API requests by code", "Requests the exporter sent to CipherTrust Manager per second, by endpoint and HTTP code (code error: no answer).",
                   targets(('sum by (cm, endpoint, code) (rate(cckm_api_requests_total{cm=~"$cm"}[$__rate_interval]))', "{{cm}} {{endpoint}} {{code}}")),
                   unit="reqps", stack=True),
        timeseries("Time since last successful poll", "Age of the job metrics each listing shows.",
                   targets((f"time() - cckm_last_poll_success_timestamp_seconds{{{SEL}}}", "{{cm}}/{{cloud}}")), unit="s"),
        timeseries("Invalid jobs skipped", "Jobs skipped as unusable (no id, bad createdAt, malformed) in the preceding hour; 0 when none.",
                   targets((f"max by (cm, cloud) (increase(cckm_jobs_invalid_total{{{SEL}}}[1h])) or max by (cm, cloud) (cckm_up{{{SEL}}}) * 0",
                            "{{cm}}/{{cloud}}"))),
        timeseries("Exporter CPU and memory", "process_cpu_seconds_total rate (cores) and resident memory of the exporter.",
                   targets((f"rate(process_cpu_seconds_total{{{EXPORTER}}}[$__rate_interval])", "{{instance}} CPU cores"),
                           (f"process_resident_memory_bytes{{{EXPORTER}}}", "{{instance}} RSS")),
                   overrides=[{"matcher": {"id": "byRegexp", "options": ".*RSS"},
                               "properties": [{"id": "unit", "value": "bytes"}, {"id": "custom.axisPlacement", "value": "right"}]}]),
        table("Exporter build", "cckm_exporter_build_info of each exporter.",
              f"cckm_exporter_build_info{{{EXPORTER}}}", 12, 8, ["Time", "Value", "__name__", "job"],
              {"instance": "Exporter", "version": "Version", "revision": "Revision", "swift_version": "Swift"}),
    ]),
]


def variables():
    def query_var(name, label, query):
        return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
                # A plain string: every Grafana since 7 reads it, newer ones migrate it to their editor.
                "definition": query, "query": query,
                "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*", "sort": 1,
                "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
                "options": [], "regex": "", "hide": 0}
    return [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "options": [], "refresh": 1, "regex": "", "hide": 0, "multi": False, "includeAll": False},
        query_var("cm", "CipherTrust Manager", "label_values(cckm_up, cm)"),
        query_var("cloud", "Cloud", 'label_values(cckm_up{cm=~"$cm"}, cloud)'),
        {"name": "window", "label": "Duration window", "type": "custom", "query": "1h,6h,1d,7d",
         "current": {"selected": True, "text": "1d", "value": "1d"},
         "options": [{"selected": v == "1d", "text": v, "value": v} for v in ("1h", "6h", "1d", "7d")],
         "multi": False, "includeAll": False, "hide": 0},
    ]


def layout():
    """Rows and panels with ids and gridPos, left to right, wrapping at 24 columns."""
    panels, next_id, y = [], 1, 0
    for title, row_panels in ROWS:
        panels.append({"type": "row", "title": title, "id": next_id, "collapsed": False, "panels": [],
                       "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}})
        next_id, y, x, row_height = next_id + 1, y + 1, 0, 0
        for p in row_panels:
            p = dict(p)
            w, h = p.pop("_size")
            if x + w > 24:
                x, y, row_height = 0, y + row_height, 0
            p["id"], p["gridPos"] = next_id, {"x": x, "y": y, "w": w, "h": h}
            next_id, x, row_height = next_id + 1, x + w, max(row_height, h)
            panels.append(p)
        y += row_height
    return panels


def dashboard():
    return {
        "uid": "cckm-exporter",
        "title": "CipherTrust Manager CCKM synchronization",
        "description": "CCKM synchronization jobs of CipherTrust Manager, from cckm_exporter.",
        "tags": ["cckm", "ciphertrust", "cckm_exporter"],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "links": [],
        "annotations": {"list": [
            {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
             "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"},
            {"name": "CCKM alerts", "datasource": DATASOURCE, "enable": True, "iconColor": "red",
             "expr": 'ALERTS{alertname=~"CCKM.*", alertstate="firing", cm=~"$cm"}', "step": "60s",
             "titleFormat": "{{alertname}}", "textFormat": "{{cm}} {{cloud}}", "useValueForTime": False},
        ]},
        "templating": {"list": variables()},
        "panels": layout(),
    }


def render() -> str:
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT} is stale: run {pathlib.Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
