"""What the deploy files, rules and dashboard are checked against: the contract's metric table
and flags (docs: ../shared/design/CONTRACT.md, sections 3 and 5), the repository layout, and the
exporter and simulator binaries when they are built.

The tables are copied here so the checks run without the design folder; when it is present,
test_contract_copy.py checks the copies still match it.
"""
import os
import pathlib
import re
import shutil
import subprocess

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DASHBOARDS = REPO / "dashboards"
ALERTS_FILE = DEPLOY / "prometheus" / "alerts.yml"
ALERTS_TEST_FILE = DEPLOY / "prometheus" / "tests" / "alerts.test.yml"
# The service-level recording rules (generated from the mixin) and their unit tests.
RULES_FILE = DEPLOY / "prometheus" / "rules.yml"
SLO_TEST_FILE = DEPLOY / "prometheus" / "tests" / "slo.test.yml"
RUNBOOK = REPO / "docs" / "RUNBOOK.md"
DASHBOARD_FILE = DASHBOARDS / "cckm_exporter.json"
MIXIN = REPO / "monitoring-mixin"

# Contract section 3: metric family → (type, labels).
CONTRACT_METRICS = {
    "cckm_sync_jobs": ("gauge", ("cm", "cloud", "status")),
    "cckm_sync_jobs_finished_total": ("counter", ("cm", "cloud", "status")),
    "cckm_sync_jobs_cancelled_total": ("counter", ("cm", "cloud")),
    "cckm_sync_job_duration_seconds": ("histogram", ("cm", "cloud", "status")),
    "cckm_sync_regions_in_progress": ("gauge", ("cm", "cloud")),
    "cckm_sync_region_in_progress": ("gauge", ("cm", "cloud", "cloud_account", "cloud_region")),
    "cckm_sync_oldest_running_job_start_timestamp_seconds": ("gauge", ("cm", "cloud")),
    "cckm_sync_last_finished_timestamp_seconds": ("gauge", ("cm", "cloud", "status")),
    "cckm_sync_latest_job_status": ("gauge", ("cm", "cloud", "status")),
    "cckm_up": ("gauge", ("cm", "cloud")),
    "cckm_last_poll_success_timestamp_seconds": ("gauge", ("cm", "cloud")),
    "cckm_poll_duration_seconds": ("gauge", ("cm", "cloud")),
    "cckm_poll_errors_total": ("counter", ("cm", "cloud", "reason")),
    "cckm_api_requests_total": ("counter", ("cm", "endpoint", "code")),
    "cckm_jobs_invalid_total": ("counter", ("cm", "cloud", "reason")),
    "cckm_exporter_build_info": ("gauge", ("version", "revision", "swift_version")),
}
# Families the exporter adds to the contract's table (docs/CONTRACT-NOTES.md, "Additions").
ADDED_METRICS = {
    "cckm_sync_last_cancelled_timestamp_seconds": ("gauge", ("cm", "cloud")),
    "cckm_listing_walk_started_timestamp_seconds": ("gauge", ("cm", "cloud")),
    "cckm_exporter_shard_ordinal": ("gauge", ("shard",)),
    "cckm_exporter_total_shards": ("gauge", ()),
    "cckm_exporter_targets": ("gauge", ("shard", "state")),
    "cckm_listing_catchup_backlog_jobs": ("gauge", ("cm", "cloud")),
    "cckm_cm_client_certificate_expiry_timestamp_seconds": ("gauge", ("cm",)),
    "cckm_cm_client_certificate_rotation_refused": ("gauge", ("cm",)),
}
# Families present only while something happens, which the end-to-end run does not make happen
# on purpose (a complete walk under way); the Swift integration tests see them.
# The shard families are written only by a sharded exporter (`--total-shards` above 1).
# The client certificate's families only for a CM the exporter presents a certificate to.
ABSENT_WHEN_IDLE = {"cckm_listing_walk_started_timestamp_seconds", "cckm_exporter_shard_ordinal",
                    "cckm_exporter_total_shards", "cckm_exporter_targets",
                    "cckm_cm_client_certificate_expiry_timestamp_seconds",
                    "cckm_cm_client_certificate_rotation_refused"}
PROCESS_METRICS = (
    "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
    "process_open_fds", "process_max_fds", "process_start_time_seconds",
)
# Contract section 5: the exporter's flags.
CONTRACT_FLAGS = (
    "--config.file", "--cm.url", "--cm.name", "--cm.username", "--cm.domain", "--cm.auth-domain",
    "--cm.password-file", "--cm.refresh-token-file", "--cm.ca-file", "--cm.insecure-skip-verify",
    "--cm.clouds", "--cm.page-size", "--poll.interval", "--poll.timeout",
    "--web.listen-address", "--web.telemetry-path", "--web.config.file", "--log.level",
    "--log.format", "--demo", "--config.check", "--version",
)
# Contract section 1: listing names (the `cloud` label).
CONTRACT_CLOUDS = (
    "aws", "aws-custom-key-stores", "azure", "azure-certificates", "azure-secrets", "google",
    "oci", "sap", "sfdc-keys", "sfdc-certificates",
)
DEFAULT_PORT = 7256
EXPORTER_JOB = "cckm_exporter"

_SAMPLE_SUFFIXES = ("_bucket", "_sum", "_count")
_METRIC_TOKEN = re.compile(r"\b((?:cckm|process)_[a-z0-9_]+)\b(?!:)")  # not a recorded cckm_instance:…


def metric_family(sample_name: str) -> str:
    """`cckm_sync_job_duration_seconds_bucket` → `cckm_sync_job_duration_seconds`."""
    for suffix in _SAMPLE_SUFFIXES:
        base = sample_name[: -len(suffix)]
        if sample_name.endswith(suffix) and CONTRACT_METRICS.get(base, ("",))[0] == "histogram":
            return base
    return sample_name


def metric_names_in(expr: str) -> set:
    """Every cckm_* / process_* sample name an expression selects (label values left out)."""
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    return set(_METRIC_TOKEN.findall(without_strings))


# A series recorded by rules.yml: `cckm:…` per listing, `cckm_instance:…` per exporter.
_RECORDED_TOKEN = re.compile(r"\b(cckm(?:_instance)?:[a-z0-9_:]+)")


def recorded_names_in(expr: str) -> set:
    """Every recorded series (rules.yml's `record:` names) an expression selects."""
    return set(_RECORDED_TOKEN.findall(re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)))


def recorded_names() -> set:
    """The names rules.yml records."""
    return {rule["record"] for group in yaml.safe_load(RULES_FILE.read_text())["groups"]
            for rule in group["rules"]}


def known_sample_names() -> set:
    names = set(PROCESS_METRICS)
    for family, (kind, _) in (CONTRACT_METRICS | ADDED_METRICS).items():
        names.add(family)
        if kind == "histogram":
            names.update(family + s for s in _SAMPLE_SUFFIXES)
    return names


def flags_in(text: str) -> set:
    """The `--flag` names used in a command line, config or manifest (values dropped)."""
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*)", text))


def binary(env_name: str, name: str):
    """Path of a built binary: $env_name when set (then it must exist), else the first of the
    usual build folders that has it, else None."""
    explicit = os.environ.get(env_name)
    if explicit:
        path = pathlib.Path(explicit)
        if not path.is_file():
            raise FileNotFoundError(f"{env_name}={explicit} does not exist")
        return path
    for scratch in (".build", ".build-ops"):
        path = REPO / scratch / "debug" / name
        if path.is_file():
            return path
    return None


def exporter_binary():
    return binary("CCKM_EXPORTER_BIN", "cckm_exporter")


def simulator_binary():
    return binary("CCKM_SIMULATOR_BIN", "cckm-simulator")


def exporter_help_flags(path) -> set:
    """The flags the built exporter documents in --help."""
    out = subprocess.run([str(path), "--help"], capture_output=True, text=True, timeout=30)
    return flags_in(out.stdout + out.stderr)


def promql_errors(exprs, tmp_path) -> str:
    """promtool's complaint about any of `exprs` (parsed as recording rules, no server needed);
    empty when every one parses."""
    rules = [{"record": f"check:expr_{i}", "expr": expr} for i, expr in enumerate(exprs)]
    path = pathlib.Path(tmp_path) / "promql_check.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "promql_check", "rules": rules}]}))
    out = subprocess.run([require_tool("promtool"), "check", "rules", str(path)],
                         capture_output=True, text=True, timeout=60)
    return "" if out.returncode == 0 else out.stdout + out.stderr


def run_group_unit_tests(tmp_path, groups, test_file: pathlib.Path) -> subprocess.CompletedProcess:
    """promtool test rules: the shipped unit tests of `test_file` against `groups` (a mutated copy
    of the shipped rule groups)."""
    tmp_path = pathlib.Path(tmp_path)
    (tmp_path / "alerts.yml").write_text(yaml.safe_dump({"groups": groups}))
    tests = yaml.safe_load(test_file.read_text())
    tests["rule_files"] = ["alerts.yml"]
    (tmp_path / test_file.name).write_text(yaml.safe_dump(tests))
    return subprocess.run([require_tool("promtool"), "test", "rules", test_file.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def run_alert_unit_tests(tmp_path, rules, alertname=None) -> subprocess.CompletedProcess:
    """promtool test rules: the shipped unit tests (those of `alertname`, or all) against `rules`
    (a mutated or re-rendered copy of the shipped ones) in the cckm_exporter group."""
    tmp_path = pathlib.Path(tmp_path)
    (tmp_path / "alerts.yml").write_text(yaml.safe_dump({"groups": [{"name": "cckm_exporter", "rules": rules}]}))
    tests = yaml.safe_load(ALERTS_TEST_FILE.read_text())
    tests["rule_files"] = ["alerts.yml"]
    if alertname is not None:
        tests["tests"] = [test for test in tests["tests"]
                          if any(case["alertname"] == alertname for case in test["alert_rule_test"])]
    (tmp_path / "alerts.test.yml").write_text(yaml.safe_dump(tests))
    return subprocess.run([require_tool("promtool"), "test", "rules", "alerts.test.yml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def require_tool(name: str) -> str:
    """Absolute path of a command-line tool the checks need; scripts/test-ops.sh installs them."""
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: run scripts/test-ops.sh, which installs it")
    return found


def contract_file():
    """The design contract beside the repository, when it is there."""
    for candidate in (REPO.parent / "shared" / "design" / "CONTRACT.md",
                      pathlib.Path("/work/shared/design/CONTRACT.md")):
        if candidate.is_file():
            return candidate
    return None


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    slug = heading.strip().lower()
    slug = re.sub(r"[^\w\- ]", "", slug)
    return slug.replace(" ", "-")


def runbook_anchors() -> set:
    return {github_anchor(line.lstrip("#")) for line in RUNBOOK.read_text().splitlines()
            if line.startswith("#")}
