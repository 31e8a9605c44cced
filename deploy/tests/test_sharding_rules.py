"""The sharding alerts (group cckm_exporter_sharding of the shipped rules) and the restart-proof
alerts across a reshard: promtool unit tests (deploy/prometheus/tests/sharding.test.yml) that
pass, and that fail when an alert never fires, fires too often, loses its pending period,
counts an HA pair per shard twice, or reads a counter where the shipped rules read a timestamp."""
import copy
import pathlib
import subprocess

import pytest
import yaml

from ops_contract import (ALERTS_FILE, known_sample_names, metric_names_in, run_group_unit_tests,
                          runbook_anchors)

SHARDING_TEST_FILE = ALERTS_FILE.parent / "tests" / "sharding.test.yml"
GROUPS = yaml.safe_load(ALERTS_FILE.read_text())["groups"]
SHARDING = next(group for group in GROUPS if group["name"] == "cckm_exporter_sharding")["rules"]
ALERTS = {rule["alert"]: rule for rule in SHARDING}
EXPECTED = {"CCKMExporterShardingMismatch", "CCKMExporterShardsMissing", "CCKMExporterTargetsUnpolled",
            "CCKMTargetPolledByTwoShards"}
LOOSE = {
    "CCKMExporterShardingMismatch": "cckm_exporter_total_shards",
    "CCKMExporterShardsMissing": "cckm_exporter_total_shards",
    "CCKMExporterTargetsUnpolled": "cckm_exporter_targets",
    "CCKMTargetPolledByTwoShards": "count by (job, cm, cloud) (cckm_up)",
}
# The HA pair of one shard counted twice: what `max by (job, shard)` and the join on the shard prevent.
HA_BLIND = {
    "CCKMExporterShardsMissing": ("max by (job, shard) (", "sum by (job, instance, shard) ("),
    "CCKMExporterTargetsUnpolled": ("max by (job, shard) (", "sum by (job, shard) ("),
    "CCKMTargetPolledByTwoShards": ("count by (job, cm, cloud, shard)", "count by (job, cm, cloud, instance)"),
}


def run_tests(tmp_path: pathlib.Path, groups) -> subprocess.CompletedProcess:
    """promtool test rules: sharding.test.yml against `groups` (a mutated copy of the shipped ones)."""
    return run_group_unit_tests(tmp_path, groups, SHARDING_TEST_FILE)


def mutated(alert: str, change) -> list:
    groups = copy.deepcopy(GROUPS)
    rule = next(r for g in groups for r in g["rules"] if r["alert"] == alert)
    change(rule)
    return groups


def test_the_shipped_rules_pass_the_sharding_unit_tests(tmp_path):
    out = run_tests(tmp_path, GROUPS)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_sharding_alert_exists_with_a_firing_and_a_silent_case():
    assert set(ALERTS) == EXPECTED
    cases = [case for test in yaml.safe_load(SHARDING_TEST_FILE.read_text())["tests"]
             for case in test["alert_rule_test"]]
    for name in EXPECTED:
        assert any(c["alertname"] == name and c.get("exp_alerts") for c in cases), name
        assert any(c["alertname"] == name and not c.get("exp_alerts") for c in cases), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unit_tests_fail_when_the_alert_never_fires(tmp_path, name):
    out = run_tests(tmp_path, mutated(name, lambda rule: rule.update(expr="vector(1) == 0")))
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unit_tests_fail_when_the_alert_fires_too_often(tmp_path, name):
    def loosen(rule):
        rule["expr"] = LOOSE[name]
        rule.pop("for")
    out = run_tests(tmp_path, mutated(name, loosen))
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unit_tests_check_the_pending_period_that_covers_a_rollout(tmp_path, name):
    out = run_tests(tmp_path, mutated(name, lambda rule: rule.pop("for")))
    assert out.returncode != 0 and name in out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(HA_BLIND))
def test_unit_tests_fail_when_an_ha_pair_per_shard_counts_twice(tmp_path, name):
    old, new = HA_BLIND[name]
    assert old in ALERTS[name]["expr"]
    out = run_tests(tmp_path, mutated(name, lambda rule: rule.update(expr=rule["expr"].replace(old, new))))
    assert out.returncode != 0 and name in out.stdout + out.stderr


def test_a_counter_based_failure_alert_would_fire_on_a_handover(tmp_path):
    """Why CCKMSyncFailed reads the newest failure's completed_at: a CM that comes back to a replica
    after a reshard restarts its counters below what they were (CM purged jobs meanwhile), and
    increase() takes that reset for 98 new failures."""
    def counting(rule):
        rule["expr"] = ('max by (job, cm, cloud, status) '
                        '(increase(cckm_sync_jobs_finished_total{status="failed"}[1h])) > 0')
    out = run_tests(tmp_path, mutated("CCKMSyncFailed", counting))
    assert out.returncode != 0 and "CCKMSyncFailed" in out.stdout + out.stderr


@pytest.mark.parametrize("rule", SHARDING, ids=lambda rule: rule["alert"])
def test_sharding_alert_has_severity_annotations_a_runbook_and_known_metrics(rule):
    assert rule["labels"]["severity"] in {"critical", "warning"}
    assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}
    assert rule["annotations"]["runbook_url"] == f"docs/RUNBOOK.md#{rule['alert'].lower()}"
    assert rule["alert"].lower() in runbook_anchors()
    assert metric_names_in(rule["expr"]) <= known_sample_names()
    assert "$labels.job" in rule["annotations"]["summary"] + rule["annotations"]["description"]
