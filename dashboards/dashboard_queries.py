"""The PromQL of the dashboard, as Grafana would send it: used by render_panels.py and by the
tests (structural checks, and the end-to-end test that runs every query on a real Prometheus)."""
import json
import pathlib
import re

DASHBOARD_FILE = pathlib.Path(__file__).resolve().parent / "cckm_exporter.json"

# What Grafana substitutes when every CM and cloud is selected ("All" is allValue ".*").
DEFAULT_VARIABLES = {
    "cm": ".*",
    "cloud": ".*",
    "window": "1d",
    "__rate_interval": "1m",
    "__interval": "15s",
    "__range": "5m",
}
_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")


def load(path=DASHBOARD_FILE) -> dict:
    return json.loads(pathlib.Path(path).read_text())


def panels(dashboard: dict) -> list:
    """The panels that query Prometheus (rows left out), in layout order."""
    found = []
    for p in dashboard["panels"]:
        if p["type"] == "row":
            found.extend(p.get("panels", []))
        else:
            found.append(p)
    return found


def substitute(expr: str, variables=None) -> str:
    """`expr` with Grafana's template variables replaced; an unknown variable is an error."""
    values = dict(DEFAULT_VARIABLES, **(variables or {}))

    def replace(match):
        name = next(g for g in match.groups() if g)
        if name not in values:
            raise KeyError(f"unknown template variable ${name} in {expr!r}")
        return values[name]

    return _VARIABLE.sub(replace, expr)


def panel_queries(dashboard: dict, variables=None):
    """(panel, target, expression with variables substituted) for every panel target."""
    for p in panels(dashboard):
        for t in p.get("targets", []):
            yield p, t, substitute(t["expr"], variables)


def annotation_queries(dashboard: dict, variables=None):
    """(annotation, expression) for the Prometheus annotations."""
    for a in dashboard["annotations"]["list"]:
        if "expr" in a:
            yield a, substitute(a["expr"], variables)


def slug(title: str) -> str:
    """File name for a panel's picture: `Poll result (cckm_up)` → `poll-result-cckm_up`."""
    return re.sub(r"[^a-z0-9_]+", "-", title.lower()).strip("-")
