"""The client certificate alerts (group cckm_exporter_credentials of the shipped rules):
promtool unit tests (deploy/prometheus/tests/certificates.test.yml) that pass, and that fail when
either severity of the expiry alert never fires, fires whatever the expiry, loses its pending
period, or lets the exporter of an HA pair that still presents the old certificate hide behind
the other; and when the refused-rotation alert never fires, fires on a CM at 0, or pages on a
rotation refused only until its second file landed."""
import copy
import pathlib
import subprocess

import pytest
import yaml

from ops_contract import ALERTS_FILE, known_sample_names, metric_names_in, run_group_unit_tests, runbook_anchors

TEST_FILE = ALERTS_FILE.parent / "tests" / "certificates.test.yml"
GROUPS = yaml.safe_load(ALERTS_FILE.read_text())["groups"]
RULES = next(group for group in GROUPS if group["name"] == "cckm_exporter_credentials")["rules"]
ALERT = "CCKMExporterClientCertificateExpiring"
REFUSED = "CCKMExporterClientCertificateRotationRefused"
SEVERITIES = ["warning", "critical"]


def run_tests(tmp_path: pathlib.Path, groups) -> subprocess.CompletedProcess:
    return run_group_unit_tests(tmp_path, groups, TEST_FILE)


def mutated(severity: str, change, alert: str = ALERT) -> list:
    groups = copy.deepcopy(GROUPS)
    rule = next(r for g in groups for r in g["rules"]
                if r["alert"] == alert and r["labels"]["severity"] == severity)
    change(rule)
    return groups


def test_the_shipped_rules_pass_the_unit_tests(tmp_path):
    out = run_tests(tmp_path, GROUPS)
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_rule_per_severity_and_a_firing_and_a_silent_case():
    expiring = [rule for rule in RULES if rule["alert"] == ALERT]
    assert sorted(rule["labels"]["severity"] for rule in expiring) == sorted(SEVERITIES)
    assert sorted(rule["alert"] for rule in RULES) == sorted([ALERT, ALERT, REFUSED])
    cases = [case for test in yaml.safe_load(TEST_FILE.read_text())["tests"] for case in test["alert_rule_test"]]
    assert any(case.get("exp_alerts") for case in cases)
    assert any(not case.get("exp_alerts") for case in cases)


@pytest.mark.parametrize("severity", SEVERITIES)
def test_unit_tests_fail_when_a_severity_never_fires(tmp_path, severity):
    out = run_tests(tmp_path, mutated(severity, lambda rule: rule.update(expr="vector(1) == 0")))
    assert out.returncode != 0 and ALERT in out.stdout + out.stderr


@pytest.mark.parametrize("severity", SEVERITIES)
def test_unit_tests_fail_when_it_fires_whatever_the_expiry(tmp_path, severity):
    def loosen(rule):
        rule["expr"] = "cckm_cm_client_certificate_expiry_timestamp_seconds"
    out = run_tests(tmp_path, mutated(severity, loosen))
    assert out.returncode != 0 and ALERT in out.stdout + out.stderr


@pytest.mark.parametrize("severity", SEVERITIES)
def test_unit_tests_check_the_pending_period(tmp_path, severity):
    out = run_tests(tmp_path, mutated(severity, lambda rule: rule.pop("for")))
    assert out.returncode != 0 and ALERT in out.stdout + out.stderr


def test_unit_tests_fail_when_the_later_certificate_of_an_ha_pair_hides_the_earlier(tmp_path):
    out = run_tests(tmp_path, mutated("warning", lambda rule: rule.update(expr=rule["expr"].replace("min by", "max by"))))
    assert out.returncode != 0 and ALERT in out.stdout + out.stderr


@pytest.mark.parametrize(
    "change", [lambda rule: rule.update(expr="vector(1) == 0"),
               lambda rule: rule.update(expr=rule["expr"].replace(" == 1", "")),
               lambda rule: rule.pop("for")],
    ids=["never fires", "fires at 0", "no pending period"])
def test_unit_tests_fail_when_the_refused_rotation_alert_is_broken(tmp_path, change):
    out = run_tests(tmp_path, mutated("warning", change, alert=REFUSED))
    assert out.returncode != 0 and REFUSED in out.stdout + out.stderr


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f'{rule["alert"]}-{rule["labels"]["severity"]}')
def test_alert_names_the_cm_and_has_a_runbook_and_known_metrics(rule):
    assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}
    assert rule["annotations"]["runbook_url"] == f'docs/RUNBOOK.md#{rule["alert"].lower()}'
    assert rule["alert"].lower() in runbook_anchors()
    assert metric_names_in(rule["expr"]) <= known_sample_names()
    assert "$labels.cm" in rule["annotations"]["summary"] and "$labels.cm" in rule["annotations"]["description"]
