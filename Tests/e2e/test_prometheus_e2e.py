"""End to end with the real tools: cckm-simulator → cckm_exporter → Prometheus (shipped rules,
scrape and evaluation every second) → Alertmanager (shipped routing) → webhook. Checks the
exporter's real output against the contract, every dashboard query against Prometheus, and the
failed-sync alert from a job the simulator fails to the notification Alertmanager sends."""
import json
import math
import re

import pytest
import yaml

import dashboard_queries
import stack as chain
from ops_contract import ABSENT_WHEN_IDLE, CONTRACT_METRICS, PROCESS_METRICS, metric_family, metric_names_in

ALERT_NAMES = {r["alert"] for g in yaml.safe_load(chain.ALERTS_FILE.read_text())["groups"] for r in g["rules"]}
# Every rule Prometheus loads: the alerts of every group and the recording rules.
RULE_NAMES = {r.get("alert") or r["record"] for path in (chain.ALERTS_FILE, chain.RULES_FILE)
              for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"]}


def exporter_metrics(stack) -> str:
    status, body = chain.http_get(stack.exporter_url + "/metrics")
    assert status == 200
    return body


def sample_value(text: str, name: str, **labels) -> float:
    """Sum of the samples of `name` whose labels include `labels` (0 when none)."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{name}(\{{(.*)\}})? (\S+)", line)
        if match and all(f'{k}="{v}"' in (match.group(2) or "") for k, v in labels.items()):
            total += float(match.group(3))
    return total


@pytest.fixture(scope="module")
def primed(stack):
    """Conditions every panel needs: a job stuck running in two AWS regions, a Google job
    cancelled by an operator (it ends `completed` with `abort: true`), and a burst of 5xx
    answers that makes polls fail, then recovery."""
    status, _ = chain.http_post_json(stack.simulator_url + "/sim/jobs", {
        "listing": "aws", "outcome": "running", "regions": ["us-east-1", "eu-west-1"]})
    assert status == 201
    status, _ = chain.http_post_json(stack.simulator_url + "/sim/jobs", {
        "listing": "google", "outcome": "aborted", "duration_seconds": 1})
    assert status == 201
    chain.wait_until("the Google cancellation counted",
                     lambda: sample_value(exporter_metrics(stack), "cckm_sync_jobs_cancelled_total", cloud="google") > 0,
                     60)
    status, _ = chain.http_post_json(stack.simulator_url + "/sim/faults",
                                     {"status": 503, "count": 0, "scope": "listings"})
    assert status in (200, 201)
    try:
        chain.wait_until("a poll error with reason http",
                         lambda: sample_value(exporter_metrics(stack), "cckm_poll_errors_total", reason="http") > 0,
                         60)
    finally:
        chain.http_post_json(stack.simulator_url + "/sim/faults", None, method="DELETE")
    chain.wait_until("every listing up again in Prometheus",
                     lambda: len(chain.prometheus_query(stack.prometheus_url, "cckm_up == 1")) == 3, 60)
    chain.wait_until("the running job's regions in Prometheus",
                     lambda: len(chain.prometheus_query(stack.prometheus_url, "cckm_sync_region_in_progress")) >= 2, 30)
    return stack


def test_prometheus_scrapes_the_exporter(stack):
    result = chain.wait_until("up{job=\"cckm_exporter\"} == 1", lambda: chain.prometheus_query(
        stack.prometheus_url, 'up{job="cckm_exporter"} == 1'), 30)
    assert len(result) == 1


def test_exporter_output_has_every_contract_metric_with_its_type_and_labels(primed):
    text = exporter_metrics(primed)
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))
    for family, (kind, labels) in CONTRACT_METRICS.items():
        assert types.get(family) == kind, f"{family}: TYPE {types.get(family)}, contract says {kind}"
        sample = family + ("_bucket" if kind == "histogram" else "")
        line = next((l for l in text.splitlines() if l.startswith(sample + "{")), None)
        assert line, f"no sample of {family}"
        found = set(re.findall(r'([a-z_]+)="', line)) - {"le"}
        assert found == set(labels), f"{family}: labels {found}, contract says {labels}"
    for name in PROCESS_METRICS:
        assert re.search(rf"^{name} ", text, re.M), name


def test_every_metric_the_dashboard_and_rules_name_is_in_the_real_output(primed):
    text = exporter_metrics(primed)
    exposed = set(re.findall(r"^([a-z_]+)(?:\{| )", text, re.M))
    exposed |= {metric_family(n) for n in exposed}  # a native histogram's name is its family's
    dashboard = dashboard_queries.load()
    named = {n for _, t, _ in dashboard_queries.panel_queries(dashboard) for n in metric_names_in(t["expr"])}
    rules = [r for path in (chain.ALERTS_FILE, chain.RULES_FILE)
             for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"]]
    named |= {n for r in rules for n in metric_names_in(r["expr"])}
    assert named - exposed - ABSENT_WHEN_IDLE == set()


def test_every_rule_loads_and_evaluates_without_error(primed):
    def evaluated_rules():
        status, body = chain.http_get(primed.prometheus_url + "/api/v1/rules")
        rules = [r for g in json.loads(body)["data"]["groups"] for r in g["rules"]]
        return rules if all(r.get("lastEvaluation", "").startswith("2") and not r["lastEvaluation"].startswith("0001")
                            for r in rules) else None

    rules = chain.wait_until("every rule evaluated", evaluated_rules, 30)
    assert {r["name"] for r in rules} == RULE_NAMES
    for rule in rules:
        assert rule["health"] == "ok", f"{rule['name']}: {rule.get('lastError')}"


def test_every_dashboard_query_returns_data(primed):
    dashboard = dashboard_queries.load()
    queries = [(p["title"], expr) for p, _, expr in dashboard_queries.panel_queries(dashboard)]
    assert len(queries) >= 20

    def empty_queries():
        empty = []
        for title, expr in queries:
            values = [float(r["value"][1]) for r in chain.prometheus_query(primed.prometheus_url, expr)]
            if not any(math.isfinite(v) for v in values):
                empty.append((title, expr))
        return empty

    try:
        chain.wait_until("every dashboard query to return data", lambda: not empty_queries(), 90, interval=1)
    except TimeoutError:
        pytest.fail("queries without data:\n" + "\n".join(f"{t}: {e}" for t, e in empty_queries()))


def test_dashboard_variables_list_the_cms_and_clouds(primed):
    variables = {v["name"]: v for v in dashboard_queries.load()["templating"]["list"]}

    def label_values(query: str, cm: str) -> list:
        metric, label = re.fullmatch(r"label_values\((.*), (\w+)\)", query).groups()
        selector = dashboard_queries.substitute(metric, {"cm": cm})
        status, body = chain.http_get(primed.prometheus_url + f"/api/v1/label/{label}/values?"
                                      + chain.urllib.parse.urlencode({"match[]": selector}))
        assert status == 200, body
        return json.loads(body)["data"]

    assert label_values(variables["cm"]["query"], ".*") == ["sim"]
    assert label_values(variables["cloud"]["query"], "sim") == ["aws", "azure", "google"]
    assert label_values(variables["cloud"]["query"], "other") == []


def test_failed_sync_alert_fires_and_alertmanager_notifies(primed):
    url = primed.prometheus_url
    # The simulator fails no job by itself here: the failed counter exists at 0 and stays there.
    chain.wait_until("the failed counter in Prometheus for a few seconds", lambda: chain.prometheus_query(
        url, 'count_over_time(cckm_sync_jobs_finished_total{cloud="aws", status="failed"}[1m]) >= 3'), 30)
    assert not [a for a in chain.prometheus_alerts(url) if a["labels"]["alertname"] == "CCKMSyncFailed"]

    status, body = chain.http_post_json(primed.simulator_url + "/sim/jobs", {
        "listing": "aws", "outcome": "failed", "regions": ["us-east-1"], "duration_seconds": 2})
    assert status == 201, body

    def firing():
        return [a for a in chain.prometheus_alerts(url)
                if a["labels"]["alertname"] == "CCKMSyncFailed" and a["state"] == "firing"]

    alerts = chain.wait_until("CCKMSyncFailed firing in Prometheus", firing, 60)
    alert = alerts[0]
    assert {k: alert["labels"][k] for k in ("cm", "cloud", "status", "severity", "job")} == {
        "cm": "sim", "cloud": "aws", "status": "failed", "severity": "warning", "job": "cckm_exporter"}
    assert alert["annotations"]["summary"] == "CCKM aws synchronization failed on sim"
    assert alert["annotations"]["description"].startswith("The newest failed aws synchronization job on CipherTrust Manager sim finished")
    assert alert["annotations"]["runbook_url"] == "docs/RUNBOOK.md#cckmsyncfailed"

    # Warning alerts take Alertmanager's default route: the team's webhook.
    notified = chain.wait_until("the CCKMSyncFailed notification from Alertmanager", lambda: [
        (path, a) for path, a in primed.receiver.alerts()
        if a["labels"]["alertname"] == "CCKMSyncFailed" and a["status"] == "firing"], 60)
    path, sent = notified[0]
    assert path == "/team"
    assert sent["labels"]["cm"] == "sim" and sent["labels"]["cloud"] == "aws"

    # The dashboard's alert annotation finds it too.
    dashboard = dashboard_queries.load()
    for _, expr in dashboard_queries.annotation_queries(dashboard):
        assert chain.prometheus_query(url, expr)


def firing_alerts(url: str, name: str) -> list:
    return [a for a in chain.prometheus_alerts(url) if a["labels"]["alertname"] == name and a["state"] == "firing"]


def notified(stack, name: str) -> list:
    return [(path, a) for path, a in stack.receiver.alerts()
            if a["labels"]["alertname"] == name and a["status"] == "firing"]


def test_unreachable_cm_alert_fires_while_every_poll_fails(primed):
    status, _ = chain.http_post_json(primed.simulator_url + "/sim/faults",
                                     {"status": 503, "count": 0, "scope": "listings"})
    assert status in (200, 201)
    try:
        alerts = chain.wait_until("CCKMManagerUnreachable firing for every cloud", lambda: (
            lambda found: found if {a["labels"]["cloud"] for a in found} == {"aws", "azure", "google"} else None)(
                firing_alerts(primed.prometheus_url, "CCKMManagerUnreachable")), 60)
    finally:
        chain.http_post_json(primed.simulator_url + "/sim/faults", None, method="DELETE")
    assert all(a["labels"]["severity"] == "critical" and a["labels"]["cm"] == "sim" for a in alerts)
    # Critical alerts page: Alertmanager sends them to the on-call webhook.
    path, _ = chain.wait_until("the on-call notification", lambda: notified(primed, "CCKMManagerUnreachable"), 60)[0]
    assert path == "/oncall"
    chain.wait_until("CCKMManagerUnreachable resolved after recovery",
                     lambda: not firing_alerts(primed.prometheus_url, "CCKMManagerUnreachable"), 60)


def test_exporter_down_alert_fires_when_the_exporter_stops(primed):
    """Last: it stops the exporter."""
    exporter = next(p for p in primed.processes if p.name == "exporter")
    assert exporter.stop() == 0  # SIGTERM: a clean exit
    alert = chain.wait_until("CCKMExporterDown firing", lambda: firing_alerts(primed.prometheus_url, "CCKMExporterDown"), 60)[0]
    assert alert["labels"]["instance"] == primed.exporter_url.split("//")[1]
    assert alert["labels"]["severity"] == "critical"
    assert chain.wait_until("the on-call notification", lambda: notified(primed, "CCKMExporterDown"), 60)[0][0] == "/oncall"
