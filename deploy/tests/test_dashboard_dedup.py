"""No double counting on the dashboard: every panel about a CipherTrust Manager shows, for an HA
pair per shard (two exporters with the same CMs) beside another shard, exactly what one exporter
polling every CM shows; and during a handover after a reshard (a CM on its old and its new owner
for a scrape, counters starting afresh on the new owner) never more. promtool evaluates each
panel's PromQL on the three inputs (it prints what it got when told to expect nothing); over a
handover, increase() may extrapolate the old owner's series a few per cent high. The
panels that show each exporter's own work (its polls, requests, process) are left out."""
import math
import re
import subprocess
import sys

import pytest
import yaml

from ops_contract import DASHBOARDS, RULES_FILE, require_tool

sys.path.insert(0, str(DASHBOARDS))
import dashboard_queries  # noqa: E402

# Panels that show each exporter's own work: two exporters doing it are two lines or sums.
PER_EXPORTER = {"Poll result (cckm_up)", "Poll duration", "Poll errors by reason", "CM API requests by code",
                "Time since last successful poll", "Exporter CPU and memory", "Exporter build"}
VARIABLES = {"__interval": "5m", "__rate_interval": "5m", "__range": "10m", "window": "1h"}
STEPS = 60  # one sample a minute
EVAL_TIMES = ["20m", "30m", "45m"]
HANDOVER = 30  # CM "b" leaves its old owner after this sample; the new owner has it from the one before


def line(start, step=0):
    return [start + step * t for t in range(STEPS + 1)]


def step_at(before, after, t=30):
    return [before if i <= t else after for i in range(STEPS + 1)]


# What one exporter shows of one CM's aws listing: every CM series the dashboard reads.
LISTING = {
    "cckm_up": line(1),
    'cckm_sync_jobs{status="in_progress"}': line(2),
    'cckm_sync_jobs{status="completed"}': line(10, 1),
    'cckm_sync_jobs{status="failed"}': step_at(1, 2),
    "cckm_sync_regions_in_progress": line(3),
    'cckm_sync_region_in_progress{cloud_account="123", cloud_region="us-east-1"}': line(1),
    'cckm_sync_jobs_finished_total{status="completed"}': line(10, 1),
    'cckm_sync_jobs_finished_total{status="failed"}': step_at(1, 2),
    'cckm_sync_jobs_finished_total{status="aborted"}': step_at(0, 1, 40),
    "cckm_sync_jobs_cancelled_total": step_at(0, 1, 40),
    'cckm_sync_job_duration_seconds_bucket{status="completed", le="60"}': line(5, 1),
    'cckm_sync_job_duration_seconds_bucket{status="completed", le="300"}': line(10, 1),
    'cckm_sync_job_duration_seconds_bucket{status="completed", le="1800"}': line(10, 1),
    'cckm_sync_job_duration_seconds_bucket{status="completed", le="+Inf"}': line(10, 1),
    'cckm_sync_job_duration_seconds_count{status="completed"}': line(10, 1),
    'cckm_sync_job_duration_seconds_sum{status="completed"}': line(300, 30),
    "cckm_sync_oldest_running_job_start_timestamp_seconds": line(100),
    'cckm_sync_last_finished_timestamp_seconds{status="completed"}': line(0, 60),
    'cckm_sync_last_finished_timestamp_seconds{status="failed"}': step_at(-100, 1790),
    'cckm_sync_latest_job_status{status="completed"}': line(1),
    'cckm_sync_latest_job_status{status="failed"}': line(0),
    'cckm_jobs_invalid_total{reason="malformed"}': step_at(0, 1, 35),
}


def series(instance: str, cm: str, first=0, last=STEPS) -> list:
    """The LISTING of `cm` as `instance` shows it from sample `first` to `last` (then stale)."""
    out = []
    for name, values in LISTING.items():
        metric, _, labels = name.partition("{")
        labels = labels.rstrip("}")
        own = f'job="cckm_exporter", instance="{instance}", cm="{cm}", cloud="aws"' + (", " + labels if labels else "")
        shown = ["_"] * first + [str(v) for v in values[first:last + 1]] + (["stale"] if last < STEPS else [])
        out.append({"series": f"{metric}{{{own}}}", "values": " ".join(shown)})
    return out


INPUTS = {
    "one exporter": series("one:7256", "a") + series("one:7256", "b"),
    "HA pair per shard": series("shard0-a:7256", "a") + series("shard0-b:7256", "a") + series("shard1-a:7256", "b"),
    "handover": series("shard0-a:7256", "a") + series("shard0-b:7256", "a")
    + series("shard1-a:7256", "b", last=HANDOVER) + series("shard2-a:7256", "b", first=HANDOVER - 1),
}

QUERIES = [(panel["title"], expr) for panel, _, expr in dashboard_queries.panel_queries(
    dashboard_queries.load(), VARIABLES) if panel["title"] not in PER_EXPORTER]
_GOT = re.compile(r'(\{[^}]*\}) (\S+)(?:, |$)')


def evaluate(tmp_path, expr: str) -> dict:
    """(input, eval time) → {labels without job and instance: value} of `expr`; a series that
    appears twice once those are dropped (a table row, a line shown twice) appears as `labels#2`."""
    tests = [{"interval": "1m", "input_series": INPUTS[name],
              "promql_expr_test": [{"expr": expr, "eval_time": t, "exp_samples": []} for t in EVAL_TIMES]}
             for name in INPUTS]
    # The service-level panels read the mixin's recording rules: promtool evaluates them too, every
    # group each minute (the long windows' group runs every 3 minutes in production, at a phase
    # promtool picks per run, which would make the inputs' results differ by when, not by what).
    rules = yaml.safe_load(RULES_FILE.read_text())
    for group in rules["groups"]:
        group.pop("interval", None)
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(rules))
    # In the order they depend on each other: promtool otherwise picks one per run.
    order = [group["name"] for group in rules["groups"]]
    (tmp_path / "dedup.test.yml").write_text(yaml.safe_dump(
        {"rule_files": ["rules.yml"], "evaluation_interval": "1m", "group_eval_order": order, "tests": tests}))
    out = subprocess.run([require_tool("promtool"), "test", "rules", "dedup.test.yml"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    got = dict.fromkeys(((name, t) for name in INPUTS for t in EVAL_TIMES), None)
    keys = iter(got)
    for block in re.findall(r"time: (\S+),\n\s+exp: .*\n\s+got: (.*)", out.stdout + out.stderr):
        key = next(keys)
        while key[1] != block[0].rstrip(","):
            got[key] = {}
            key = next(keys)
        found = {}
        for labels, value in _GOT.findall(block[1]):
            labels = re.sub(r'(job|instance)="[^"]*"(, )?', "", labels).replace(", }", "}")
            copy, n = labels, 1
            while copy in found:
                n += 1
                copy = f"{labels}#{n}"
            found[copy] = float(value)
        got[key] = found
    return {key: value or {} for key, value in got.items()}


@pytest.mark.parametrize("title, expr", QUERIES, ids=[f"{t}#{i}" for i, (t, _) in enumerate(QUERIES)])
def test_no_panel_counts_an_exporter_twice(tmp_path, title, expr):
    results = evaluate(tmp_path, expr)
    for t in EVAL_TIMES:
        truth = results[("one exporter", t)]
        assert truth, f"{title}: the one-exporter input shows nothing at {t}: the check would be vacuous"
        assert results[("HA pair per shard", t)] == pytest.approx(truth), f"{title} at {t}"
        handover = results[("handover", t)]
        assert set(handover) == set(truth), f"{title} at {t}: {handover} vs {truth}"
        for labels, value in handover.items():
            if "cckm:" in expr:
                # The service-level panels read the recording rules, which leave out the 5-minute
                # piece holding the new owner's first samples (a counter starting afresh): over a
                # handover their ratios move a little either way, and one series per listing is
                # what must hold (slo.test.yml proves the burn-rate alerts stay silent then).
                assert math.isfinite(value), f"{title} at {t}, {labels}: {value}"
            elif "time()" in expr or "increase" not in expr and "rate" not in expr:
                assert value == pytest.approx(truth[labels]), f"{title} at {t}, {labels}"
            else:
                # increase() extrapolates the old owner's shorter series by a few per cent; a job
                # counted twice would double the value.
                assert value <= truth[labels] * 1.05 + 1e-9, f"{title} at {t}, {labels}: {value} > {truth[labels]}"
