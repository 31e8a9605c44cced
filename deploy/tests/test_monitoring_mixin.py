"""The monitoring mixin (monitoring-mixin/): the committed dashboard and rule files are what it
renders, and its sources are jsonnetfmt-clean."""
import importlib.util
import subprocess
import sys

import pytest

from ops_contract import MIXIN, require_tool

_spec = importlib.util.spec_from_file_location("mixin_generate", MIXIN / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


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
