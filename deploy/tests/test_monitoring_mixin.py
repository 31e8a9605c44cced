"""The monitoring mixin (monitoring-mixin/): the committed dashboard and rule files are what it
renders, its sources are jsonnetfmt-clean, and its _config is real: a custom selector reaches
every series an alert or a panel selects and the result still parses and alerts, thresholds
reach the expressions, the texts and the dashboard."""
import functools
import importlib.util
import json
import re
import subprocess
import sys

import pytest
import yaml

from ops_contract import (ALERTS_TEST_FILE, DASHBOARDS, MIXIN, promql_errors, require_tool,
                          run_alert_unit_tests)

sys.path.insert(0, str(DASHBOARDS))
import dashboard_queries  # noqa: E402

_spec = importlib.util.spec_from_file_location("mixin_generate", MIXIN / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

SELECTOR = 'job="cckm"'
# A series an expression selects (a cckm_* or process_* name, or up) and its matchers, if any.
SERIES = re.compile(r'(?<![\w"$])(cckm_\w+|process_\w+|up)\b(\{[^}]*\})?')


@functools.cache
def _rendered(config_json: str) -> dict:
    return generate.render_mixin(json.loads(config_json))


def rules(config):
    return _rendered(json.dumps(config, sort_keys=True))["prometheusAlerts"]["groups"][0]["rules"]


def dashboard(config):
    return _rendered(json.dumps(config, sort_keys=True))["grafanaDashboards"]["cckm_exporter.json"]


def dashboard_exprs(board):
    """(what, expression) for every panel target and every query variable."""
    found = [(p["title"], t["expr"]) for p, t, _ in dashboard_queries.panel_queries(board)]
    found += [("variable " + v["name"], v["query"]) for v in board["templating"]["list"] if v["type"] == "query"]
    return found


@pytest.fixture(scope="module")
def rendered():
    return generate.render()


def test_committed_files_are_what_the_mixin_renders():
    out = subprocess.run([sys.executable, str(MIXIN / "generate.py"), "--check"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_check_notices_a_changed_or_missing_file(tmp_path, rendered, capsys):
    assert sorted(rendered) == ["dashboards/cckm_exporter.json", "deploy/kubernetes/prometheusrule.yaml",
                                "deploy/prometheus/alerts.yml"]
    for path, text in rendered.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert generate.differing(rendered, tmp_path) == []
    for path, text in rendered.items():
        (tmp_path / path).write_text(text.replace("3600", "7200"))
        assert generate.differing(rendered, tmp_path) == [path]
        (tmp_path / path).write_text(text)
    (tmp_path / "deploy/prometheus/alerts.yml").unlink()
    assert generate.main(["--check"], root=tmp_path) == 1
    assert "deploy/prometheus/alerts.yml differs from the mixin" in capsys.readouterr().err
    assert generate.main([], root=tmp_path) == 0
    assert generate.differing(rendered, tmp_path) == []


def test_mixin_sources_are_jsonnetfmt_clean():
    sources = sorted(MIXIN.rglob("*.jsonnet")) + sorted(MIXIN.rglob("*.libsonnet"))
    assert len(sources) >= 8
    out = subprocess.run([require_tool("jsonnetfmt"), "--test", *map(str, sources)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"run jsonnetfmt -i on them: {out.stdout}{out.stderr}"


def test_a_custom_selector_reaches_every_series_an_alert_selects():
    for rule in rules({"cckmSelector": SELECTOR}):
        found = SERIES.findall(rule["expr"])
        assert found, rule["alert"]
        for name, matchers in found:
            assert matchers.startswith("{" + SELECTOR), f"{rule['alert']}: {name}{matchers}"


def test_a_custom_selector_reaches_every_dashboard_query():
    exprs = dashboard_exprs(dashboard({"cckmSelector": SELECTOR}))
    assert len(exprs) > 25
    for what, expr in exprs:
        found = SERIES.findall(expr)
        assert found, what
        for name, matchers in found:
            assert matchers.startswith("{" + SELECTOR), f"{what}: {name}{matchers}"


def test_the_default_selects_every_cckm_series_and_the_exporter_by_its_job():
    for what, expr in [(r["alert"], r["expr"]) for r in rules({})] + dashboard_exprs(dashboard({})):
        for name, matchers in SERIES.findall(expr):
            assert "job=" not in matchers or matchers.startswith('{job="cckm_exporter"'), what
            assert ("job=" in matchers) == (not name.startswith("cckm_") or name == "cckm_exporter_build_info"), what


def test_rules_with_a_custom_selector_pass_promtool_check(tmp_path):
    path = tmp_path / "alerts.yml"
    path.write_text(generate.rules_yaml({"groups": [{"name": "cckm_exporter", "rules": rules({"cckmSelector": SELECTOR})}]}, ""))
    out = subprocess.run([require_tool("promtool"), "check", "rules", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_dashboard_queries_with_a_custom_selector_parse(tmp_path):
    board = dashboard({"cckmSelector": SELECTOR})
    exprs = [dashboard_queries.substitute(expr) for _, expr in dashboard_exprs(board)
             if not expr.startswith("label_values(")]
    assert not promql_errors(exprs, tmp_path)


def test_the_unit_tests_pass_when_the_selector_matches_their_series(tmp_path):
    out = run_alert_unit_tests(tmp_path, rules({"cckmSelector": 'job="cckm_exporter"'}))
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_unit_tests_fail_for_every_alert_when_the_selector_matches_none_of_their_series(tmp_path):
    out = run_alert_unit_tests(tmp_path, rules({"cckmSelector": SELECTOR}))
    assert out.returncode != 0
    firing = {case["alertname"] for test in yaml.safe_load(ALERTS_TEST_FILE.read_text())["tests"]
              for case in test["alert_rule_test"] if case.get("exp_alerts")}
    assert firing == {rule["alert"] for rule in rules({})}  # every alert has a firing case
    for name in firing:
        assert f"alertname: {name}" in out.stdout + out.stderr, name


def test_thresholds_reach_the_expressions_the_texts_and_the_dashboard():
    config = {"noRecentSuccessfulSyncSeconds": 43200, "exporterDownFor": "10m",
              "runbookURLBase": "https://runbooks.example/cckm#", "dashboardUID": "mine"}
    alerts = {rule["alert"]: rule for rule in rules(config)}
    stale_sync = alerts["CCKMNoRecentSuccessfulSync"]
    assert stale_sync["expr"].endswith(") > 43200")
    assert "(threshold 12h)" in stale_sync["annotations"]["description"]
    down = alerts["CCKMExporterDown"]
    assert down["for"] == "10m" and "for 10 minutes." in down["annotations"]["description"]
    assert down["annotations"]["runbook_url"] == "https://runbooks.example/cckm#cckmexporterdown"
    board = dashboard(config)
    assert board["uid"] == "mine"
    gauge = next(p for p in dashboard_queries.panels(board) if p["title"] == "Time since last successful sync")
    assert "(alert CCKMNoRecentSuccessfulSync at 12h)" in gauge["description"]
    steps = gauge["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, 10800, 43200]
