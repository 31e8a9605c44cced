"""The Prometheus scrape configs and the Alertmanager config: valid for the real tools, and
consistent with the rules (job name, severities, alert names) and the exporter's default port."""
import shutil
import subprocess

import pytest
import yaml

from ops_contract import ALERTS_FILE, DEFAULT_PORT, DEPLOY, EXPORTER_JOB, RULES_FILE, require_tool

PROMETHEUS_YML = DEPLOY / "prometheus" / "prometheus.yml"
COMPOSE_PROMETHEUS_YML = DEPLOY / "compose" / "prometheus.yml"
ALERTMANAGER_YML = DEPLOY / "alertmanager" / "alertmanager.yml"
RULES = yaml.safe_load(ALERTS_FILE.read_text())["groups"][0]["rules"]


def promtool_check_config(config_dir):
    return subprocess.run([require_tool("promtool"), "check", "config", "prometheus.yml"],
                          cwd=config_dir, capture_output=True, text=True, timeout=60)


def exporter_scrape_config(path):
    config = yaml.safe_load(path.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert EXPORTER_JOB in jobs, "the rules select up{job=\"cckm_exporter\"}"
    return config, jobs[EXPORTER_JOB]


def test_shipped_prometheus_config_passes_promtool():
    out = promtool_check_config(PROMETHEUS_YML.parent)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "SUCCESS: 2 rule files found" in out.stdout


def test_compose_prometheus_config_passes_promtool_with_the_shipped_rules(tmp_path):
    # In the container both files sit in /etc/prometheus, as compose.yml mounts them.
    shutil.copy(COMPOSE_PROMETHEUS_YML, tmp_path / "prometheus.yml")
    shutil.copy(ALERTS_FILE, tmp_path / "alerts.yml")
    shutil.copy(RULES_FILE, tmp_path / "rules.yml")
    out = promtool_check_config(tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "SUCCESS: 2 rule files found" in out.stdout


@pytest.mark.parametrize("path", [PROMETHEUS_YML, COMPOSE_PROMETHEUS_YML], ids=["shipped", "compose"])
def test_scrape_config_targets_the_exporter_port_and_path(path):
    config, job = exporter_scrape_config(path)
    assert config["rule_files"] == ["rules.yml", "alerts.yml"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    targets = [t for static in job["static_configs"] for t in static["targets"]]
    assert targets and all(t.endswith(f":{DEFAULT_PORT}") for t in targets)
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"][0].endswith(":9093")


def test_alertmanager_config_passes_amtool():
    out = subprocess.run([require_tool("amtool"), "check-config", str(ALERTMANAGER_YML)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "SUCCESS" in out.stdout


@pytest.mark.parametrize("severity, receiver", [
    ("critical", "cckm-oncall"), ("warning", "cckm-team"), ("info", "blackhole")])
def test_alertmanager_routes_each_severity(severity, receiver):
    out = subprocess.run([require_tool("amtool"), "config", "routes", "test",
                          f"--config.file={ALERTMANAGER_YML}", "alertname=CCKMSyncFailed",
                          "cm=prod", "cloud=aws", f"severity={severity}"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == receiver, out.stdout + out.stderr


def test_every_rule_severity_has_a_route():
    config = yaml.safe_load(ALERTMANAGER_YML.read_text())
    routed = {m.split("=")[1].strip('"') for route in config["route"]["routes"] for m in route["matchers"]}
    severities = {rule["labels"]["severity"] for rule in RULES}
    assert severities - {"warning"} <= routed  # warning takes the default route


def test_inhibit_rules_name_existing_alerts_and_labels():
    config = yaml.safe_load(ALERTMANAGER_YML.read_text())
    names = {rule["alert"] for rule in RULES}
    for inhibit in config["inhibit_rules"]:
        for matcher in inhibit["source_matchers"] + inhibit["target_matchers"]:
            value = matcher.split("=", 1)[1].lstrip("~").strip('"')
            assert set(value.split("|")) <= names, matcher
        assert set(inhibit["equal"]) <= {"cm", "cloud"}
    assert set(config["route"]["group_by"]) <= {"alertname", "cm", "cloud"}
