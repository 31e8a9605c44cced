"""deploy/kubernetes/sharded: the StatefulSet of shards, checked structurally (no cluster runs
here) and against the Kubernetes API schemas (kubernetes-validate, from PyPI, bundles them;
scripts/test-ops.sh installs it): names, labels, ports and paths agree; the ordinal comes from the
pod name; replicas equal the ConfigMap's total_shards; the ConfigMap passes --config.check."""
import re
import subprocess

import pytest
import yaml

from ops_contract import CONTRACT_FLAGS, DEFAULT_PORT, DEPLOY, EXPORTER_JOB, exporter_binary, exporter_help_flags, flags_in

SHARDED = DEPLOY / "kubernetes" / "sharded"
# The flags sharding adds to the contract's (docs/CONTRACT-NOTES.md).
SHARD_FLAGS = {"--shard", "--total-shards", "--shard.from-pod-name"}


def objects():
    found = {}
    for path in sorted(SHARDED.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            doc = yaml.safe_load(path.read_text())
            found[doc["kind"]] = doc
    return found


OBJECTS = objects()
STATEFULSET = OBJECTS["StatefulSet"]
POD = STATEFULSET["spec"]["template"]["spec"]
EXPORTER = next(c for c in POD["containers"] if c["name"] == "cckm-exporter")
RELOADER = next(c for c in POD["containers"] if c["name"] == "config-reloader")
LABELS = STATEFULSET["spec"]["template"]["metadata"]["labels"]
CONFIG = yaml.safe_load(OBJECTS["ConfigMap"]["data"]["cckm_exporter.yml"])


def arg(container, flag):
    return next(a.split("=", 1)[1] for a in container["args"] if a.startswith(flag + "="))


def test_the_kustomization_lists_every_manifest():
    resources = yaml.safe_load((SHARDED / "kustomization.yaml").read_text())["resources"]
    assert sorted(resources) == sorted(p.name for p in SHARDED.glob("*.yaml") if p.name != "kustomization.yaml")
    assert set(OBJECTS) == {"ConfigMap", "StatefulSet", "Service", "PodMonitor", "PodDisruptionBudget"}


@pytest.mark.parametrize("kind", ["ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget"])
def test_core_objects_are_valid_for_the_kubernetes_api(kind):
    try:
        import kubernetes_validate
    except ImportError as error:
        raise RuntimeError("kubernetes-validate is not installed: run scripts/test-ops.sh") from error
    kubernetes_validate.validate(OBJECTS[kind], kubernetes_validate.latest_version(), strict=True)


def test_the_validator_refuses_a_broken_statefulset():
    import kubernetes_validate
    broken = yaml.safe_load(yaml.safe_dump(STATEFULSET))
    broken["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


def test_the_ordinal_comes_from_the_pod_name():
    assert arg(EXPORTER, "--shard.from-pod-name") == "$(POD_NAME)"
    env = {e["name"]: e for e in EXPORTER["env"]}
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert not any(a.startswith(("--shard=", "--total-shards")) for a in EXPORTER["args"]), "the file says it"


def test_replicas_equal_the_configured_shard_count_and_every_replica_reads_all_cms():
    assert STATEFULSET["spec"]["replicas"] == CONFIG["total_shards"] >= 2
    assert len(CONFIG["targets"]) > CONFIG["total_shards"]
    mount = next(m for m in EXPORTER["volumeMounts"] if m["name"] == "config")
    volume = next(v for v in POD["volumes"] if v["name"] == "config")
    assert volume["configMap"]["name"] == OBJECTS["ConfigMap"]["metadata"]["name"]
    assert arg(EXPORTER, "--config.file") == mount["mountPath"] + "/cckm_exporter.yml"


def test_the_headless_service_governs_the_statefulset_and_the_pod_monitor_scrapes_each_pod():
    service, monitor = OBJECTS["Service"], OBJECTS["PodMonitor"]
    assert STATEFULSET["spec"]["serviceName"] == service["metadata"]["name"]
    assert service["spec"]["clusterIP"] == "None"
    assert STATEFULSET["spec"]["selector"]["matchLabels"].items() <= LABELS.items()
    assert service["spec"]["selector"].items() <= LABELS.items()
    assert monitor["spec"]["selector"]["matchLabels"].items() <= LABELS.items()
    # Not the Deployment's pods: the two are alternatives, their selectors do not overlap.
    assert LABELS["app.kubernetes.io/component"] == "shard"
    endpoint = monitor["spec"]["podMetricsEndpoints"][0]
    port = EXPORTER["ports"][0]
    assert endpoint["port"] == port["name"] == service["spec"]["ports"][0]["targetPort"]
    assert port["containerPort"] == DEFAULT_PORT and arg(EXPORTER, "--web.listen-address") == f":{DEFAULT_PORT}"
    assert endpoint["path"] == "/metrics"
    assert {"action": "replace", "targetLabel": "job", "replacement": EXPORTER_JOB} in endpoint["relabelings"]
    assert EXPORTER["readinessProbe"]["httpGet"] == {"path": "/-/ready", "port": port["name"]}


def test_the_disruption_budget_evicts_one_shard_at_a_time():
    budget = OBJECTS["PodDisruptionBudget"]
    assert budget["spec"]["maxUnavailable"] == 1
    assert budget["spec"]["selector"]["matchLabels"].items() <= LABELS.items()


def test_the_reloader_posts_to_the_exporters_reload_endpoint_on_a_config_change():
    assert arg(RELOADER, "--webhook-url") == f"http://127.0.0.1:{DEFAULT_PORT}/-/reload"
    mount = next(m for m in RELOADER["volumeMounts"] if m["name"] == "config")
    assert arg(RELOADER, "--volume-dir") == mount["mountPath"]


def test_every_container_runs_non_root_read_only_without_privileges():
    assert POD["securityContext"]["runAsNonRoot"] is True and POD["automountServiceAccountToken"] is False
    for container in POD["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True and context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert container["resources"]["limits"]["memory"]


def test_the_exporter_uses_contract_flags_and_the_documented_shard_flags():
    flags = flags_in(" ".join(EXPORTER["args"]))
    assert flags <= set(CONTRACT_FLAGS) | SHARD_FLAGS
    binary = exporter_binary()
    if binary is None:
        pytest.skip("exporter not built (set CCKM_EXPORTER_BIN)")
    assert flags <= exporter_help_flags(binary)


def test_the_configmap_passes_config_check_for_each_pod(tmp_path):
    binary = exporter_binary()
    if binary is None:
        pytest.skip("exporter not built (set CCKM_EXPORTER_BIN)")
    text = OBJECTS["ConfigMap"]["data"]["cckm_exporter.yml"]
    secret_dir = next(m for m in EXPORTER["volumeMounts"] if m["name"] == "credentials")["mountPath"]
    (tmp_path / "password").write_text("secret\n")
    config = tmp_path / "cckm_exporter.yml"
    config.write_text(text.replace(secret_dir, str(tmp_path)))
    owned = {}
    for ordinal in range(STATEFULSET["spec"]["replicas"]):
        out = subprocess.run([str(binary), f"--config.file={config}", "--config.check",
                              f"--shard.from-pod-name={STATEFULSET['metadata']['name']}-{ordinal}"],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stdout + out.stderr
        line = re.search(rf"^shard {ordinal} of {CONFIG['total_shards']} polls \d+ of \d+ target\(s\): (.*)$",
                         out.stdout, re.M)
        assert line, out.stdout
        owned[ordinal] = [] if line.group(1) == "none" else line.group(1).split(",")
    assert sorted(name for names in owned.values() for name in names) == sorted(t["name"] for t in CONFIG["targets"])
