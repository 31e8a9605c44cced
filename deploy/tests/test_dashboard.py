"""The Grafana dashboard: importable as-is (current schema, a datasource variable, no
__inputs), filtered by cm and cloud, every panel the issue asks for, valid PromQL naming only
contract metrics, and a picture of each panel in dashboards/README.md."""
import sys

import pytest

from ops_contract import (CONTRACT_METRICS, DASHBOARDS, DASHBOARD_FILE, known_sample_names,
                          metric_family, metric_names_in, promql_errors, recorded_names, recorded_names_in)

sys.path.insert(0, str(DASHBOARDS))
import dashboard_queries  # noqa: E402

DASHBOARD = dashboard_queries.load(DASHBOARD_FILE)
PANELS = dashboard_queries.panels(DASHBOARD)
QUERIES = list(dashboard_queries.panel_queries(DASHBOARD))
VARIABLES = {v["name"]: v for v in DASHBOARD["templating"]["list"]}
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def test_importable_as_is():
    assert DASHBOARD["schemaVersion"] >= 39
    assert "__inputs" not in DASHBOARD and "__requires" not in DASHBOARD
    assert DASHBOARD["uid"] and DASHBOARD["title"]
    assert "id" not in DASHBOARD or DASHBOARD["id"] is None


def test_datasource_variable_and_every_query_uses_it():
    ds = VARIABLES["datasource"]
    assert ds["type"] == "datasource" and ds["query"] == "prometheus"
    for p in PANELS:
        assert p["datasource"] == DATASOURCE, p["title"]
        for t in p["targets"]:
            assert t["datasource"] == DATASOURCE, p["title"]
    for v in (VARIABLES["cm"], VARIABLES["cloud"]):
        assert v["datasource"] == DATASOURCE


def test_cm_and_cloud_variables_come_from_label_values():
    assert VARIABLES["cm"]["query"] == "label_values(cckm_up, cm)"
    assert VARIABLES["cloud"]["query"] == 'label_values(cckm_up{cm=~"$cm"}, cloud)'
    for name in ("cm", "cloud"):
        assert VARIABLES[name]["type"] == "query"
        assert VARIABLES[name]["multi"] is True and VARIABLES[name]["includeAll"] is True


def test_panel_ids_are_unique_and_the_layout_does_not_overlap():
    ids = [p["id"] for p in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    cells = set()
    for p in DASHBOARD["panels"]:
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24
        mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & mine, p["title"]
        cells |= mine


def test_queries_filter_on_the_cm_and_cloud_variables():
    for p, t, _ in QUERIES:
        families = {metric_family(n) for n in metric_names_in(t["expr"])}
        for family in families & set(CONTRACT_METRICS):
            labels = CONTRACT_METRICS[family][1]
            if "cm" in labels:
                assert 'cm=~"$cm"' in t["expr"], p["title"]
            if "cloud" in labels:
                assert 'cloud=~"$cloud"' in t["expr"], p["title"]


def test_every_metric_a_query_names_is_in_the_contract():
    for p, t, _ in QUERIES:
        names, recorded = metric_names_in(t["expr"]), recorded_names_in(t["expr"])
        assert names or recorded, f"{p['title']}: no exporter metric and no recorded series"
        assert names <= known_sample_names(), f"{p['title']}: {names - known_sample_names()}"
        assert recorded <= recorded_names(), f"{p['title']}: {recorded - recorded_names()} not in rules.yml"


def test_the_dashboard_covers_most_contract_metrics():
    used = {metric_family(n) for _, t, _ in QUERIES for n in metric_names_in(t["expr"])}
    assert set(CONTRACT_METRICS) <= used


@pytest.mark.parametrize("needle, kind", [
    ("max by (cm, cloud, status) (cckm_sync_jobs{", "timeseries"),            # jobs by status (an HA pair counts once)
    ("cckm_sync_regions_in_progress{", "timeseries"),                        # running jobs, regions
    ("cckm_sync_region_in_progress{", "table"),                              # table of regions
    ("histogram_quantile(0.9, sum by (le, cm, cloud) (rate(cckm_sync_job_duration_seconds_bucket{", "timeseries"),
    ("histogram_quantile(0.9, sum by (cm, cloud) (rate(cckm_sync_job_duration_seconds{", "timeseries"),  # native
    ("cckm_sync_job_duration_seconds_bucket{", "heatmap"),
    ('status=~"failed|aborted"}[1d])', "timeseries"),                         # failures per day
    ('time() - max by (cm, cloud) (cckm_sync_last_finished_timestamp_seconds{', "bargauge"),
    ("time() - min by (cm, cloud) (cckm_sync_oldest_running_job_start_timestamp_seconds{", "timeseries"),
    ("cckm_up{", "state-timeline"),
    ("cckm_poll_duration_seconds{", "timeseries"),
    ("sum by (cm, cloud, reason) (rate(cckm_poll_errors_total{", "timeseries"),
    ("sum by (cm, endpoint, code) (rate(cckm_api_requests_total{", "timeseries"),
])
def test_issue_panel_exists(needle, kind):
    assert any(needle in t["expr"] and p["type"] == kind for p, t, _ in QUERIES)


def test_duration_percentiles_show_the_job_exemplars():
    panel = next(p for p in PANELS if p["title"] == "Job duration percentiles")
    assert panel["targets"] and all(t.get("exemplar") is True for t in panel["targets"])


def test_heatmap_reads_buckets_as_a_histogram():
    heatmap = next(p for p in PANELS if p["type"] == "heatmap")
    assert heatmap["targets"][0]["format"] == "heatmap"
    assert heatmap["options"]["calculate"] is False


def test_every_substituted_query_is_valid_promql(tmp_path):
    """promtool parses each query (as a recording rule) without a server."""
    exprs = [expr for _, _, expr in QUERIES]
    exprs += [expr for _, expr in dashboard_queries.annotation_queries(DASHBOARD)]
    assert not promql_errors(exprs, tmp_path)


def test_substitution_refuses_unknown_variables():
    with pytest.raises(KeyError):
        dashboard_queries.substitute("rate(x[$__unknown])")
    assert dashboard_queries.substitute('a{cm=~"${cm}"}[$__rate_interval]') == 'a{cm=~".*"}[1m]'


def test_readme_shows_a_picture_of_every_panel():
    readme = (DASHBOARDS / "README.md").read_text()
    for p in PANELS:
        image = f"img/{dashboard_queries.slug(p['title'])}.png"
        assert f"]({image})" in readme, f"README lacks {image}"
        assert (DASHBOARDS / image).is_file(), f"{image} not rendered"
