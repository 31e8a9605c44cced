"""The compose stack and the Kubernetes manifests, checked structurally (neither docker nor a
cluster runs here): files they reference exist, ports, paths, labels and names agree."""
import pathlib

import pytest
import yaml

from ops_contract import ALERTS_FILE, DEFAULT_PORT, DEPLOY, EXPORTER_JOB, REPO, RULES_FILE

COMPOSE_DIR = DEPLOY / "compose"
COMPOSE = yaml.safe_load((COMPOSE_DIR / "compose.yml").read_text())
SERVICES = COMPOSE["services"]
K8S = DEPLOY / "kubernetes"


def k8s_objects():
    objects = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects


OBJECTS = k8s_objects()
DEPLOYMENT = OBJECTS[("Deployment", "cckm-exporter")]
POD = DEPLOYMENT["spec"]["template"]["spec"]
CONTAINER = POD["containers"][0]
SERVICE = OBJECTS[("Service", "cckm-exporter")]


def test_every_yaml_file_in_deploy_parses():
    paths = sorted(DEPLOY.rglob("*.yml")) + sorted(DEPLOY.rglob("*.yaml"))
    assert len(paths) >= 12
    for path in paths:
        assert list(yaml.safe_load_all(path.read_text())), path


def test_compose_runs_exporter_prometheus_alertmanager_and_grafana():
    assert {"exporter", "prometheus", "alertmanager", "grafana"} <= set(SERVICES)
    exporter = SERVICES["exporter"]
    assert "--demo" in exporter["command"]
    assert f"--web.listen-address=:{DEFAULT_PORT}" in exporter["command"]
    assert f"{DEFAULT_PORT}:{DEFAULT_PORT}" in exporter["ports"]


def test_compose_builds_from_the_shipped_containerfile():
    build = SERVICES["exporter"]["build"]
    context = (COMPOSE_DIR / build["context"]).resolve()
    assert context == REPO
    assert (context / build["dockerfile"]).is_file()


@pytest.mark.parametrize("service", ["prometheus", "alertmanager", "grafana"])
def test_compose_bind_mounts_exist(service):
    for volume in SERVICES[service].get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            assert (COMPOSE_DIR / source).exists(), volume


def test_compose_prometheus_gets_the_shipped_rules_beside_its_config():
    mounts = dict(v.split(":")[:2] for v in SERVICES["prometheus"]["volumes"] if v.startswith("."))
    assert (COMPOSE_DIR / "../prometheus/alerts.yml").resolve() == ALERTS_FILE
    assert mounts["../prometheus/alerts.yml"] == "/etc/prometheus/alerts.yml"
    assert (COMPOSE_DIR / "../prometheus/rules.yml").resolve() == RULES_FILE
    assert mounts["../prometheus/rules.yml"] == "/etc/prometheus/rules.yml"
    assert mounts["./prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    assert "--config.file=/etc/prometheus/prometheus.yml" in SERVICES["prometheus"]["command"]
    config = yaml.safe_load((COMPOSE_DIR / "prometheus.yml").read_text())
    job = next(j for j in config["scrape_configs"] if j["job_name"] == EXPORTER_JOB)
    assert job["static_configs"][0]["targets"] == [f"exporter:{DEFAULT_PORT}"]
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]


def test_compose_grafana_provisions_the_datasource_and_the_dashboard():
    mounts = dict(v.split(":")[:2] for v in SERVICES["grafana"]["volumes"] if v.startswith("."))
    assert mounts["./grafana/provisioning"] == "/etc/grafana/provisioning"
    dashboards_target = mounts["../../dashboards"]
    assert (COMPOSE_DIR / "../../dashboards/cckm_exporter.json").is_file()
    provider = yaml.safe_load((COMPOSE_DIR / "grafana/provisioning/dashboards/cckm_exporter.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == dashboards_target
    sources = yaml.safe_load((COMPOSE_DIR / "grafana/provisioning/datasources/prometheus.yml").read_text())
    source = sources["datasources"][0]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    home = SERVICES["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home == dashboards_target + "/cckm_exporter.json"


def test_compose_grafana_links_job_exemplars_to_the_exporters_job_page():
    sources = yaml.safe_load((COMPOSE_DIR / "grafana/provisioning/datasources/prometheus.yml").read_text())
    links = sources["datasources"][0]["jsonData"]["exemplarTraceIdDestinations"]
    assert [(l["name"], l["url"]) for l in links] == [
        ("sync_job_id", "http://localhost:7256/job?id=$${__value.raw}")]
    exporter_ports = SERVICES["exporter"]["ports"]
    assert "7256:7256" in exporter_ports
    assert "--enable-feature=native-histograms,exemplar-storage" in SERVICES["prometheus"]["command"]


def test_compose_alertmanager_uses_the_shipped_config():
    mounts = dict(v.split(":")[:2] for v in SERVICES["alertmanager"]["volumes"])
    target = mounts["../alertmanager/alertmanager.yml"]
    assert f"--config.file={target}" in SERVICES["alertmanager"]["command"]


def test_k8s_objects_have_the_required_fields():
    assert {kind for kind, _ in OBJECTS} == {"Deployment", "Service", "Secret", "ServiceMonitor", "PrometheusRule"}
    for (kind, name), doc in OBJECTS.items():
        assert doc["apiVersion"] and doc["metadata"]["name"] == name
        assert kind == "Secret" or doc["spec"]


def test_k8s_kustomization_lists_existing_files_but_not_the_example_secret():
    resources = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert all((K8S / r).is_file() for r in resources)
    assert "secret.example.yaml" not in resources
    assert len(resources) == len(OBJECTS) - 1


def test_deployment_selector_matches_its_pods_and_the_service():
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    assert DEPLOYMENT["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert SERVICE["spec"]["selector"].items() <= labels.items()


def test_deployment_probes_ports_and_listen_address_agree():
    port = CONTAINER["ports"][0]
    assert port["containerPort"] == DEFAULT_PORT
    assert f"--web.listen-address=:{DEFAULT_PORT}" in CONTAINER["args"]
    assert CONTAINER["livenessProbe"]["httpGet"] == {"path": "/-/healthy", "port": port["name"]}
    assert CONTAINER["readinessProbe"]["httpGet"] == {"path": "/-/ready", "port": port["name"]}
    service_port = SERVICE["spec"]["ports"][0]
    assert service_port["targetPort"] == port["name"] and service_port["port"] == DEFAULT_PORT


def test_deployment_runs_non_root_read_only_without_privileges():
    pod, container = POD["securityContext"], CONTAINER["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0
    assert pod["seccompProfile"]["type"] == "RuntimeDefault"
    assert container["readOnlyRootFilesystem"] is True
    assert container["allowPrivilegeEscalation"] is False
    assert container["capabilities"]["drop"] == ["ALL"]
    assert POD["automountServiceAccountToken"] is False


def test_deployment_uid_is_the_image_user():
    containerfile = (DEPLOY / "container" / "Containerfile").read_text()
    assert f"USER {POD['securityContext']['runAsUser']}:{POD['securityContext']['runAsGroup']}" in containerfile


def test_deployment_reads_the_password_from_the_secret():
    secret = OBJECTS[("Secret", "cckm-exporter-credentials")]
    volume = next(v for v in POD["volumes"] if "secret" in v)
    assert volume["secret"]["secretName"] == secret["metadata"]["name"]
    item = volume["secret"]["items"][0]
    assert item["key"] in secret["stringData"]
    mount = next(m for m in CONTAINER["volumeMounts"] if m["name"] == volume["name"])
    assert mount["readOnly"] is True
    assert f"--cm.password-file={mount['mountPath']}/{item['path']}" in CONTAINER["args"]
    assert not any("password=" in arg and "password-file" not in arg for arg in CONTAINER["args"])
    assert all(e.get("name") != "CCKM_PASSWORD" or "valueFrom" in e for e in CONTAINER.get("env", []))


def test_service_monitor_scrapes_the_service_as_the_rules_job():
    monitor = OBJECTS[("ServiceMonitor", "cckm-exporter")]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= SERVICE["metadata"]["labels"].items()
    endpoint = monitor["spec"]["endpoints"][0]
    assert endpoint["port"] == SERVICE["spec"]["ports"][0]["name"]
    assert endpoint["path"] == "/metrics"
    assert {"action": "replace", "targetLabel": "job", "replacement": EXPORTER_JOB} in endpoint["relabelings"]


def test_prometheus_rule_embeds_exactly_the_shipped_rules():
    rule = OBJECTS[("PrometheusRule", "cckm-exporter")]
    shipped = yaml.safe_load(RULES_FILE.read_text())["groups"] + yaml.safe_load(ALERTS_FILE.read_text())["groups"]
    assert rule["spec"]["groups"] == shipped


def test_the_ha_pair_budget_keeps_one_exporter_of_the_deployment():
    budget = yaml.safe_load((K8S / "ha" / "poddisruptionbudget.yaml").read_text())
    assert budget["kind"] == "PodDisruptionBudget" and budget["spec"]["minAvailable"] == 1
    selector = budget["spec"]["selector"]["matchLabels"]
    assert selector.items() <= DEPLOYMENT["spec"]["template"]["metadata"]["labels"].items()
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert not any("ha/" in r for r in kustomization["resources"]), "one replica must stay evictable"
