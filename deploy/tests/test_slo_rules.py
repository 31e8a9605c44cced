"""The service levels: the recording rules of rules.yml (the SLIs) and the burn-rate alerts of
alerts.yml. Valid for promtool, unit-tested (deploy/prometheus/tests/slo.test.yml) for a real
burn, restarts, an HA pair, a CM moving between replicas and too few jobs, and each of those
tests fails when the rules lose what it checks; hygiene and _config as for the other alerts."""
import importlib.util
import json
import re
import subprocess

import pytest
import yaml

from ops_contract import (ALERTS_FILE, MIXIN, RULES_FILE, SLO_TEST_FILE, known_sample_names,
                          metric_names_in, recorded_names, recorded_names_in, require_tool,
                          runbook_anchors)

_spec = importlib.util.spec_from_file_location("mixin_generate", MIXIN / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

RULE_GROUPS = yaml.safe_load(RULES_FILE.read_text())["groups"]
ALERT_GROUPS = yaml.safe_load(ALERTS_FILE.read_text())["groups"]
SLO_ALERTS = {"CCKMSyncErrorBudgetBurn", "CCKMSyncLatencyBudgetBurn"}
BURN_RULES = [r for g in ALERT_GROUPS for r in g["rules"] if r.get("alert") in SLO_ALERTS]
CASES = [case for test in yaml.safe_load(SLO_TEST_FILE.read_text())["tests"] for case in test["alert_rule_test"]]


def run_slo_tests(tmp_path, rule_groups=RULE_GROUPS, alert_groups=ALERT_GROUPS, listing=None) -> subprocess.CompletedProcess:
    """promtool test rules: slo.test.yml (its tests with a series of `listing`, e.g.
    'cloud="azure"', or all) against (mutated copies of) both rule files."""
    (tmp_path / "rules.yml").write_text(yaml.safe_dump({"groups": rule_groups}))
    (tmp_path / "alerts.yml").write_text(yaml.safe_dump({"groups": alert_groups}))
    tests = yaml.safe_load(SLO_TEST_FILE.read_text())
    tests["rule_files"] = ["rules.yml", "alerts.yml"]
    if listing is not None:
        tests["tests"] = [test for test in tests["tests"]
                          if any(listing in series["series"] for series in test["input_series"])]
        assert tests["tests"], listing
    (tmp_path / "slo.test.yml").write_text(yaml.safe_dump(tests, allow_unicode=True))
    return subprocess.run([require_tool("promtool"), "test", "rules", "slo.test.yml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def mutated(groups, change) -> list:
    """A copy of rule groups with `change(expr) -> expr` applied to every expression."""
    copy = json.loads(json.dumps(groups))
    for group in copy:
        for rule in group["rules"]:
            rule["expr"] = change(rule["expr"])
    return copy


def test_promtool_check_rules_passes_for_both_files():
    out = subprocess.run([require_tool("promtool"), "check", "rules", str(RULES_FILE), str(ALERTS_FILE)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"SUCCESS: {sum(len(g['rules']) for g in RULE_GROUPS)} rules found" in out.stdout


def test_slo_unit_tests_pass():
    out = subprocess.run([require_tool("promtool"), "test", "rules", str(SLO_TEST_FILE)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(SLO_ALERTS))
def test_each_alert_pages_and_tickets_on_a_real_burn_and_has_silent_cases(name):
    mine = [case for case in CASES if case["alertname"] == name]
    severities = {a["exp_labels"]["severity"] for case in mine for a in case.get("exp_alerts") or []}
    assert severities == {"critical", "warning"}
    windows = {a["exp_labels"]["long"] for case in mine for a in case.get("exp_alerts") or []}
    assert windows == {"1h", "6h", "1d", "3d"}  # every window pair of the default _config
    assert sum(1 for case in mine if not case.get("exp_alerts")) >= 10


def test_without_the_restart_guard_a_restart_with_lower_counters_burns(tmp_path):
    unguarded = mutated(RULE_GROUPS, lambda e: re.sub(r"\nunless on \(job, instance[^\n]*", "", e))
    assert unguarded != RULE_GROUPS
    out = run_slo_tests(tmp_path, rule_groups=unguarded, listing='cloud="azure", status="failed"')
    assert out.returncode != 0
    for name in SLO_ALERTS:
        assert f'alertname="{name}", cloud="azure", cm="prod"' in out.stdout + out.stderr, name


def test_the_counter_resets_alone_catch_a_restart_without_process_start_time(tmp_path):
    only_start_time = mutated(RULE_GROUPS, lambda e: re.sub(r"\nunless on \(job, instance, cm, cloud\)[^\n]*", "", e))
    out = run_slo_tests(tmp_path, rule_groups=only_start_time, listing='cm="noproc"')
    assert out.returncode != 0
    assert 'cm="noproc"' in out.stdout + out.stderr


def test_summing_an_ha_pair_instead_of_taking_the_max_burns(tmp_path):
    summed = mutated(RULE_GROUPS, lambda e: e.replace("max by (job, cm, cloud)", "sum by (job, cm, cloud)"))
    out = run_slo_tests(tmp_path, rule_groups=summed, listing='cloud="google", status="completed"')
    assert out.returncode != 0
    assert 'cloud="google"' in out.stdout + out.stderr


def test_without_the_minimum_of_bad_jobs_one_failure_among_few_jobs_pages(tmp_path):
    no_minimum = mutated(ALERT_GROUPS, lambda e: re.sub(r"\nand cckm:sync_jobs_\w+:increase\w+ >= \d+", "", e))
    out = run_slo_tests(tmp_path, alert_groups=no_minimum, listing='cloud="sap"')
    assert out.returncode != 0
    for name in SLO_ALERTS:
        assert re.search(rf"alertname: {name}, time: (55m|1h5m|1h9m), \n        exp:\[\]", out.stdout + out.stderr), name


def test_the_latency_bucket_is_read_as_text_and_openmetrics_spell_it(tmp_path):
    text_only = mutated(RULE_GROUPS, lambda e: e.replace('le=~"1800(\\\\.0)?"', 'le="1800"'))
    assert text_only != RULE_GROUPS
    out = run_slo_tests(tmp_path, rule_groups=text_only, listing='le="1800.0"')
    assert out.returncode != 0 and "CCKMSyncLatencyBudgetBurn" in out.stdout + out.stderr


@pytest.mark.parametrize("rule", BURN_RULES, ids=lambda r: f"{r['alert']}-{r['labels']['long']}")
def test_burn_alert_hygiene(rule):
    assert rule["labels"]["severity"] in {"critical", "warning"}
    assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}
    assert rule["annotations"]["runbook_url"] == f"docs/RUNBOOK.md#{rule['alert'].lower()}"
    assert rule["alert"].lower() in runbook_anchors()
    for key in ("summary", "description"):
        assert "$labels.cm" in rule["annotations"][key] and "$labels.cloud" in rule["annotations"][key]
    assert recorded_names_in(rule["expr"]) <= recorded_names()


def test_recording_rules_read_only_contract_metrics_and_earlier_records():
    seen = set()
    for group in RULE_GROUPS:
        for rule in group["rules"]:
            assert metric_names_in(rule["expr"]) <= known_sample_names(), rule["record"]
            assert recorded_names_in(rule["expr"]) <= seen, f"{rule['record']} reads a later record"
            seen.add(rule["record"])


def slo_rules(config) -> list:
    rendered = generate.render_mixin(config)
    return ([r for g in rendered["prometheusRules"]["groups"] for r in g["rules"]],
            [r for g in rendered["prometheusAlerts"]["groups"] for r in g["rules"] if r.get("alert") in SLO_ALERTS])


def test_objectives_threshold_and_windows_come_from_the_config():
    records, alerts = slo_rules({
        "syncSuccessObjective": 0.995, "syncLatencyObjective": 0.9, "syncLatencyThresholdSeconds": 3600,
        "sloPeriod": "28d", "sloMinBadJobs": 3,
        "sloBurnRateWindows": [{"severity": "critical", "long": "2h", "short": "10m", "factor": 10, "for": "5m"}],
    })
    exprs = "\n".join(r["expr"] for r in records)
    assert 'le=~"3600(\\\\.0)?"' in exprs and "histogram_fraction(0, 3600," in exprs
    assert {r["record"] for r in records} >= {"cckm:sync_success:ratio28d", "cckm:sync_jobs_bad:increase2h",
                                              "cckm:sync_latency:ratio10m"}
    assert "cckm:sync_success:ratio30d" not in {r["record"] for r in records}
    assert len(alerts) == 2 and all(a["for"] == "5m" and a["labels"]["long"] == "2h" for a in alerts)
    success = next(a for a in alerts if a["alert"] == "CCKMSyncErrorBudgetBurn")
    assert "(10 * (1 - 0.995))" in success["expr"] and ">= 3" in success["expr"]
    assert "the 0.5% the 99.5% objective allows" in success["annotations"]["description"]
    assert "error budget of 28 days is spent in 67h" in success["annotations"]["description"]
    latency = next(a for a in alerts if a["alert"] == "CCKMSyncLatencyBudgetBurn")
    assert "took longer than 1h" in latency["annotations"]["description"]


def test_a_latency_threshold_that_is_no_bucket_bound_is_refused():
    with pytest.raises(RuntimeError, match="bucket bound"):
        generate.render_mixin({"syncLatencyThresholdSeconds": 1000})


def test_a_custom_selector_reaches_every_series_the_recording_rules_read():
    records, _ = slo_rules({"cckmSelector": 'job="cckm"', "exporterSelector": 'job="exp"'})
    for rule in records:
        for name, matchers in re.findall(r'(?<![\w"$:])(cckm_\w+|process_\w+)\b(?!:)(\{[^}]*\})?', rule["expr"]):
            expected = 'job="exp"' if name.startswith("process_") else 'job="cckm"'
            assert matchers.startswith("{" + expected), f"{rule['record']}: {name}{matchers}"


def test_the_dashboard_has_a_service_levels_row_per_listing():
    board = json.loads((MIXIN.parent / "dashboards" / "cckm_exporter.json").read_text())
    titles = [p["title"] for p in board["panels"] if p["type"] == "row"]
    assert titles[:2] == ["Overview", "Service levels"]
    start = next(i for i, p in enumerate(board["panels"]) if p["title"] == "Service levels")
    row = []
    for panel in board["panels"][start + 1:]:
        if panel["type"] == "row":
            break
        row.append(panel)
    exprs = {p["title"]: [t["expr"] for t in p["targets"]] for p in row}
    kinds = {p["title"]: p["type"] for p in row}
    assert kinds["Sync success over 30d (objective 99%)"] == "stat"
    assert exprs["Sync success over 30d (objective 99%)"] == ['cckm:sync_success:ratio30d{cm=~"$cm", cloud=~"$cloud"}']
    assert kinds["Sync latency over 30d (objective 95% within 30m)"] == "stat"
    assert kinds["Error budget left (30d)"] == "stat" and kinds["Error budget left over time"] == "timeseries"
    assert exprs["Error budget left (30d)"] == exprs["Error budget left over time"]
    burn = exprs["Sync success burn rate"]
    assert [re.search(r"ratio(\w+)\{", e).group(1) for e in burn] == ["1h", "6h", "1d", "3d"]
    for panel in row:
        assert all(t["legendFormat"].startswith("{{cm}}/{{cloud}}") for t in panel["targets"]), panel["title"]
        assert all('cm=~"$cm", cloud=~"$cloud"' in t["expr"] for t in panel["targets"]), panel["title"]
