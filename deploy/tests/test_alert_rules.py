"""The shipped alert rules: valid for promtool, unit-tested for every alert (and the tests can
fail), annotations that name CM, cloud and region, runbook links that resolve."""
import copy
import re
import subprocess

import pytest
import yaml

from ops_contract import (ALERTS_FILE, ALERTS_TEST_FILE, EXPORTER_JOB, known_sample_names,
                          metric_names_in, require_tool, run_alert_unit_tests, runbook_anchors)

RULES = yaml.safe_load(ALERTS_FILE.read_text())["groups"][0]["rules"]
ALERTS = {rule["alert"]: rule for rule in RULES}
# The alerts issue 3 asks for, by what they watch.
EXPECTED_ALERTS = {
    "CCKMExporterDown", "CCKMManagerUnreachable", "CCKMSyncFailed", "CCKMSyncAborted",
    "CCKMSyncJobRunningTooLong", "CCKMNoRecentSuccessfulSync", "CCKMRegionStuckInProgress",
    "CCKMPollErrorsPersisting", "CCKMAuthenticationFailing", "CCKMListingWalkStuck",
    "CCKMListingMetricsBehind",
}
# Expressions that fire far too often: a mutation the silent cases of the unit tests must catch.
LOOSE_EXPRESSIONS = {
    "CCKMExporterDown": "up",
    "CCKMManagerUnreachable": "cckm_up",
    "CCKMSyncFailed": 'cckm_sync_last_finished_timestamp_seconds{status="failed"}',
    "CCKMSyncAborted": "cckm_sync_last_cancelled_timestamp_seconds",
    "CCKMSyncJobRunningTooLong": "cckm_sync_oldest_running_job_start_timestamp_seconds",
    "CCKMNoRecentSuccessfulSync": "cckm_sync_last_finished_timestamp_seconds",
    "CCKMRegionStuckInProgress": "cckm_sync_region_in_progress > 0 or cckm_sync_region_in_progress offset 1h",
    "CCKMPollErrorsPersisting": "cckm_poll_errors_total",
    "CCKMAuthenticationFailing": "cckm_poll_errors_total",
    "CCKMListingWalkStuck": "cckm_listing_walk_started_timestamp_seconds",
    "CCKMListingMetricsBehind": "cckm_listing_catchup_backlog_jobs",
}


def test_promtool_check_rules_passes():
    out = subprocess.run([require_tool("promtool"), "check", "rules", str(ALERTS_FILE)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"SUCCESS: {len(RULES)} rules found" in out.stdout


def test_promtool_unit_tests_pass():
    out = subprocess.run([require_tool("promtool"), "test", "rules", str(ALERTS_TEST_FILE)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_issue_alert_exists():
    assert set(ALERTS) == EXPECTED_ALERTS


def test_every_alert_has_a_firing_and_a_silent_unit_test():
    cases = [case for test in yaml.safe_load(ALERTS_TEST_FILE.read_text())["tests"]
             for case in test["alert_rule_test"]]
    for name in ALERTS:
        mine = [case for case in cases if case["alertname"] == name]
        assert any(case.get("exp_alerts") for case in mine), f"{name}: no case where it fires"
        assert any(not case.get("exp_alerts") for case in mine), f"{name}: no case where it is silent"


@pytest.mark.parametrize("name", sorted(EXPECTED_ALERTS))
def test_unit_tests_fail_when_the_alert_never_fires(tmp_path, name):
    rules = copy.deepcopy(RULES)
    next(rule for rule in rules if rule["alert"] == name)["expr"] = "vector(1) == 0"
    out = run_alert_unit_tests(tmp_path, rules, name)
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED_ALERTS))
def test_unit_tests_fail_when_the_alert_fires_too_often(tmp_path, name):
    rules = copy.deepcopy(RULES)
    rule = next(rule for rule in rules if rule["alert"] == name)
    rule["expr"] = LOOSE_EXPRESSIONS[name]
    rule.pop("for", None)
    out = run_alert_unit_tests(tmp_path, rules, name)
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED_ALERTS if "for" in ALERTS[n]))
def test_unit_tests_check_the_pending_period(tmp_path, name):
    rules = copy.deepcopy(RULES)
    next(rule for rule in rules if rule["alert"] == name).pop("for")
    out = run_alert_unit_tests(tmp_path, rules, name)
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule["alert"])
def test_alert_has_severity_summary_description_and_runbook(rule):
    assert rule["labels"]["severity"] in {"critical", "warning", "info"}
    annotations = rule["annotations"]
    assert set(annotations) == {"summary", "description", "runbook_url"}
    assert annotations["runbook_url"] == f"docs/RUNBOOK.md#{rule['alert'].lower()}"
    assert rule["alert"].lower() in runbook_anchors()


@pytest.mark.parametrize("rule", [r for r in RULES if metric_names_in(r["expr"])], ids=lambda r: r["alert"])
def test_annotations_name_the_cm_and_cloud(rule):
    for key in ("summary", "description"):
        text = rule["annotations"][key]
        assert "$labels.cm" in text, f"{key} does not name the CM"
        assert "$labels.cloud" in text, f"{key} does not name the cloud"


def test_region_alert_names_the_region_and_account():
    text = ALERTS["CCKMRegionStuckInProgress"]["annotations"]
    assert "$labels.cloud_region" in text["summary"]
    assert "$labels.cloud_region" in text["description"]
    assert "$labels.cloud_account" in text["description"]


def test_rules_use_only_contract_metrics_and_the_exporter_job():
    for rule in RULES:
        assert metric_names_in(rule["expr"]) <= known_sample_names(), rule["alert"]
        for job in re.findall(r'job="([^"]*)"', rule["expr"]):
            assert job == EXPORTER_JOB
