#!/usr/bin/env python3
"""Renders the monitoring mixin into the files this repository ships:

    dashboards/cckm_exporter.json          grafanaDashboards (dashboards.jsonnet)
    deploy/prometheus/alerts.yml           prometheusAlerts (alerts.jsonnet)
    deploy/prometheus/rules.yml            prometheusRules, the recording rules (rules.jsonnet)
    deploy/kubernetes/prometheusrule.yaml  both as a PrometheusRule (prometheusrule.jsonnet)

    python3 monitoring-mixin/generate.py          # rewrite them
    python3 monitoring-mixin/generate.py --check  # exit 1 if one differs from what the mixin renders

jsonnet emits JSON; the rule files are written as YAML with PyYAML (rule fields in their usual
order, descriptions folded, a blank line between rules) and read back to check nothing changed.
Edit the mixin, never the outputs.
"""
import json
import pathlib
import re
import subprocess
import sys

import yaml

MIXIN = pathlib.Path(__file__).resolve().parent
REPO = MIXIN.parent

_GENERATED = "# GENERATED from monitoring-mixin/ ({entry}) by monitoring-mixin/generate.py: do not edit.\n"
ALERTS_HEADER = (
    "# Alerting rules for cckm_exporter (CipherTrust Manager CCKM synchronization jobs).\n"
    "# Load with `rule_files: [alerts.yml]` in prometheus.yml; the exporter's scrape job is\n"
    "# job=\"cckm_exporter\" (prometheus.yml, the Kubernetes ServiceMonitor). Thresholds, selectors\n"
    "# and the runbook URL are the mixin's _config (monitoring-mixin/config.libsonnet).\n"
)
RULES_HEADER = (
    "# Recording rules for cckm_exporter: the service-level indicators the burn-rate alerts of\n"
    "# alerts.yml and the dashboard's SLO row read. Load with `rule_files: [rules.yml, alerts.yml]`;\n"
    "# objectives, windows and selectors are the mixin's _config (monitoring-mixin/config.libsonnet).\n"
)
PROMETHEUS_RULE_HEADER = (
    "# Your Prometheus's ruleSelector may require an extra label (e.g. release: kube-prometheus-stack).\n"
)
# Keys written first, in this order, wherever they appear; the others follow sorted.
_KEY_ORDER = ["apiVersion", "kind", "metadata", "spec", "groups", "name", "interval", "alert", "record", "expr",
              "for", "keep_firing_for", "labels", "annotations", "rules", "summary", "description",
              "runbook_url"]
_FOLD_WIDTH = 88  # characters of a folded description's line, after its indentation


def jsonnet(*args: str):
    """What `jsonnet` evaluates (a file or `-e CODE`) with the mixin on the library path."""
    out = subprocess.run(["jsonnet", "-J", str(MIXIN), *args], capture_output=True, text=True,
                         timeout=60, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"jsonnet {' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def render_mixin(config: dict) -> dict:
    """The mixin's prometheusRules, prometheusAlerts and grafanaDashboards with `config` merged
    into _config, as a kube-prometheus user would import it."""
    code = (f"local mixin = (import 'mixin.libsonnet') + {{ _config+:: {json.dumps(config)} }};"
            " { prometheusRules: mixin.prometheusRules, prometheusAlerts: mixin.prometheusAlerts,"
            " grafanaDashboards: mixin.grafanaDashboards }")
    return jsonnet("-e", code)


class _Folded(str):
    """A string written as a YAML folded block (`>-`)."""


class _Literal(str):
    """A string written as a YAML literal block (`|`): a multi-line expression."""


def _fold(text: str, width: int) -> list:
    """`text` in lines of at most `width` characters where it can, broken at spaces outside
    `{{ … }}` templates (YAML's folding turns each break back into one space)."""
    words, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += text.startswith("{{", i) - text.startswith("}}", i)
        if ch == " " and depth == 0:
            words.append(text[start:i])
            start = i + 1
    words.append(text[start:])
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return lines


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # list items indented under their key

    def write_folded(self, text):
        """One-line texts folded at spaces outside templates; PyYAML's own folding otherwise."""
        if "\n" in text or "  " in text or text != text.strip():
            return super().write_folded(text)
        self.write_indicator(">" + self.determine_block_hints(text), True)
        self.write_line_break()
        for line in _fold(text, _FOLD_WIDTH):
            self.write_indent()
            self.stream.write(line)
            self.column += len(line)
        self.write_line_break()


_Dumper.add_representer(_Folded, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style=">"))
_Dumper.add_representer(_Literal, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|"))


def _readable(value):
    """`value` with keys in _KEY_ORDER, descriptions folded, multi-line expressions as blocks."""
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if not isinstance(value, dict):
        return value
    rank = {key: i for i, key in enumerate(_KEY_ORDER)}
    ordered = {}
    for key in sorted(value, key=lambda k: (rank.get(k, len(rank)), k)):
        v = _readable(value[key])
        if key == "description" and isinstance(v, str):
            v = _Folded(v)
        elif key == "expr" and isinstance(v, str) and "\n" in v:
            v = _Literal(v)
        ordered[key] = v
    return ordered


def rules_yaml(data, header: str) -> str:
    """`data` (a rule file or a PrometheusRule) as YAML after `header`."""
    text = yaml.dump(_readable(data), Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)
    text = re.sub(r"(?<!rules:)\n(?=\s+- (?:alert|record): )", "\n\n", text)
    if yaml.safe_load(text) != data:
        raise AssertionError("the YAML does not read back as what the mixin rendered")
    return header + text


def render() -> dict:
    """Repository path → the text the mixin renders for it (one jsonnet run for all of them)."""
    entry = {"alerts": "alerts.jsonnet", "rules": "rules.jsonnet", "dashboards": "dashboards.jsonnet",
             "rule": "prometheusrule.jsonnet"}
    out = jsonnet("-e", "{ %s }" % ", ".join(f"{key}: import '{path}'" for key, path in entry.items()))
    files = {f"dashboards/{name}": json.dumps(board, indent=2, ensure_ascii=False) + "\n"
             for name, board in out["dashboards"].items()}
    files["deploy/prometheus/alerts.yml"] = rules_yaml(
        out["alerts"], _GENERATED.format(entry=entry["alerts"]) + ALERTS_HEADER)
    files["deploy/prometheus/rules.yml"] = rules_yaml(
        out["rules"], _GENERATED.format(entry=entry["rules"]) + RULES_HEADER)
    files["deploy/kubernetes/prometheusrule.yaml"] = rules_yaml(
        out["rule"], _GENERATED.format(entry=entry["rule"]) + PROMETHEUS_RULE_HEADER)
    return files


def differing(files: dict, root: pathlib.Path = REPO) -> list:
    """The paths of `files` (path → text) whose copy under `root` is missing or differs."""
    return [path for path, text in files.items()
            if not (root / path).is_file() or (root / path).read_text() != text]


def main(argv, root: pathlib.Path = REPO) -> int:
    if "--check" in argv:
        stale = differing(render(), root)
        for path in stale:
            print(f"{path} differs from the mixin: run monitoring-mixin/generate.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in render().items():
        (root / path).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
