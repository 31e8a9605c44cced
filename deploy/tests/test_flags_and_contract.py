"""Flags used anywhere in the deploy files exist (in the contract, and in the built exporter's
--help); the tables copied in ops_contract.py still match the contract; the example config has
the contract's shape and, with the binary built, passes --config.check."""
import re
import subprocess

import pytest
import yaml

from ops_contract import (CONTRACT_CLOUDS, CONTRACT_FLAGS, CONTRACT_METRICS, DEPLOY,
                          contract_file, exporter_binary, exporter_help_flags, flags_in)

COMMAND_LINE_FILES = {
    "systemd unit": DEPLOY / "systemd" / "cckm_exporter.service",
    "systemd defaults": DEPLOY / "systemd" / "cckm_exporter.default",
}
EXAMPLE_CONFIG = DEPLOY / "config" / "cckm_exporter.yml"


def without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def exporter_flags_in_deploy_files() -> dict:
    """Where → exporter flags it passes."""
    found = {name: flags_in(without_comments(path.read_text())) for name, path in COMMAND_LINE_FILES.items()}
    compose = yaml.safe_load((DEPLOY / "compose" / "compose.yml").read_text())
    found["compose exporter"] = flags_in(" ".join(compose["services"]["exporter"]["command"]))
    deployment = yaml.safe_load((DEPLOY / "kubernetes" / "deployment.yaml").read_text())
    found["kubernetes deployment"] = flags_in(" ".join(deployment["spec"]["template"]["spec"]["containers"][0]["args"]))
    containerfile = (DEPLOY / "container" / "Containerfile").read_text()
    found["Containerfile CMD"] = flags_in(" ".join(re.findall(r"^CMD .*$", containerfile, re.M)))
    return found


def test_deploy_files_use_only_contract_flags():
    for where, flags in exporter_flags_in_deploy_files().items():
        assert flags, f"{where}: no flags found"
        assert flags <= set(CONTRACT_FLAGS), f"{where}: {flags - set(CONTRACT_FLAGS)}"


def built_exporter_flags():
    binary = exporter_binary()
    if binary is None:
        pytest.skip("exporter not built (set CCKM_EXPORTER_BIN)")
    flags = exporter_help_flags(binary)
    if "--web.listen-address" not in flags:
        pytest.fail(f"{binary} --help documents no --web.listen-address: not the exporter")
    return flags


def test_deploy_files_use_only_flags_the_built_exporter_documents():
    documented = built_exporter_flags()
    for where, flags in exporter_flags_in_deploy_files().items():
        assert flags <= documented, f"{where}: {flags - documented} not in cckm_exporter --help"


def test_built_exporter_documents_every_contract_flag():
    assert set(CONTRACT_FLAGS) <= built_exporter_flags()


def test_example_config_has_the_contract_shape():
    config = yaml.safe_load(EXAMPLE_CONFIG.read_text())
    assert set(config) <= {"poll_interval", "targets"}
    names = [t["name"] for t in config["targets"]]
    assert len(names) == len(set(names)) >= 2
    for target in config["targets"]:
        assert set(target) <= {"name", "url", "clouds", "auth", "tls"}
        assert target["url"].startswith("https://")
        assert set(target["clouds"]) <= set(CONTRACT_CLOUDS)
        assert set(target["auth"]) <= {"username", "password_file", "domain", "auth_domain", "refresh_token_file"}
        assert "password" not in target["auth"]


def test_example_config_passes_config_check(tmp_path):
    built_exporter_flags()
    text = EXAMPLE_CONFIG.read_text()
    # Point the files it names at real ones, as an installation would have them.
    for path in sorted(set(re.findall(r"/etc/cckm_exporter/[\w.-]+", text))):
        local = tmp_path / path.rsplit("/", 1)[1]
        local.write_text("secret\n")
        text = text.replace(path, str(local))
    config = tmp_path / "cckm_exporter.yml"
    config.write_text(text)
    out = subprocess.run([str(exporter_binary()), f"--config.file={config}", "--config.check"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr


def contract_text():
    path = contract_file()
    if path is None:
        pytest.skip("design contract not beside the repository")
    return path.read_text()


def test_metric_table_copy_matches_the_contract():
    rows = re.findall(r"^\| `(cckm_[a-z_]+)` \| (\w+) \| ([\w, ]+) \|", contract_text(), re.M)
    table = {name: (kind, tuple(l.strip() for l in labels.split(","))) for name, kind, labels in rows}
    assert table == CONTRACT_METRICS


def test_flag_list_copy_matches_the_contract():
    section = contract_text().split("## 5.")[1].split("```")[1]
    # Each line starts with a flag; a second one on the line follows two spaces.
    flags = set(re.findall(r"(?:^|\s{2})(--[\w.-]+?)(?==|\s|$)", section, re.M))
    assert flags == set(CONTRACT_FLAGS)


def test_cloud_list_copy_matches_the_contract():
    section = contract_text().split("## 2.")[0]
    assert set(re.findall(r"^\s*\| `([a-z-]+)` \| `", section, re.M)) == set(CONTRACT_CLOUDS)
