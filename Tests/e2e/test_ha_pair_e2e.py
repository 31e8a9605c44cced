"""End to end with an HA pair: two exporters poll the same simulated CipherTrust Manager and one
real Prometheus (the shipped rules) scrapes both, sending to one real Alertmanager (the shipped
routing). One failed job, seen by both exporters, is one firing alert and one alert in
Alertmanager's notification; each exporter is still its own target for CCKMExporterDown."""
import json
import secrets

import pytest

import stack as chain


@pytest.fixture(scope="module")
def pair_stack(tmp_path_factory, built_binaries):
    exporter_bin, simulator_bin = built_binaries
    workdir = tmp_path_factory.mktemp("e2e-ha")
    password = secrets.token_urlsafe(12)
    receiver = chain.WebhookReceiver()
    try:
        with chain.started([]) as processes:
            _, sim_url = chain.start_simulator(simulator_bin, workdir, processes, password)
            exporters = []
            for name in ("exporter-a", "exporter-b"):
                home = workdir / name
                home.mkdir()
                _, url = chain.start_exporter(exporter_bin, home, processes, sim_url, password)
                exporters.append(url)
            _, am_url = chain.start_alertmanager(workdir, processes, receiver.url)
            _, prom_url = chain.start_prometheus(workdir, processes, [u.split("//")[1] for u in exporters],
                                                 am_url.split("//")[1])
            yield {"simulator": sim_url, "exporters": exporters, "prometheus": prom_url,
                   "alertmanager": am_url, "receiver": receiver}
    finally:
        receiver.stop()


def test_one_failed_job_seen_by_two_exporters_is_one_alert_and_one_notification(pair_stack):
    url = pair_stack["prometheus"]
    chain.wait_until("both exporters scraped", lambda: chain.prometheus_query(
        url, 'count(up{job="cckm_exporter"} == 1) == 2'), 60)
    failed = 'cckm_sync_jobs_finished_total{cloud="aws", status="failed"}'
    chain.wait_until("the failed counter of both exporters for a few seconds", lambda: chain.prometheus_query(
        url, f"count(count_over_time({failed}[1m]) >= 3) == 2"), 60)

    status, body = chain.http_post_json(pair_stack["simulator"] + "/sim/jobs", {
        "listing": "aws", "outcome": "failed", "regions": ["us-east-1"], "duration_seconds": 1})
    assert status == 201, body
    chain.wait_until("both exporters counted the failure", lambda: chain.prometheus_query(
        url, f"count({failed} == 1) == 2"), 60)

    def firing():
        return [a for a in chain.prometheus_alerts(url)
                if a["labels"]["alertname"] == "CCKMSyncFailed" and a["state"] == "firing"]

    alerts = chain.wait_until("CCKMSyncFailed firing", firing, 60)
    assert len(alerts) == 1, alerts
    assert "instance" not in alerts[0]["labels"]
    assert alerts[0]["labels"]["cm"] == "sim" and alerts[0]["labels"]["cloud"] == "aws"

    notified = chain.wait_until("the CCKMSyncFailed notification", lambda: [
        a for _, a in pair_stack["receiver"].alerts()
        if a["labels"]["alertname"] == "CCKMSyncFailed" and a["status"] == "firing"], 60)
    assert len({json.dumps(a["labels"], sort_keys=True) for a in notified}) == 1, notified
    _, body = chain.http_get(pair_stack["alertmanager"] + "/api/v2/alerts?filter=alertname%3D%22CCKMSyncFailed%22")
    assert len(json.loads(body)) == 1, body
