#!/usr/bin/env python3
"""Draws each panel of cckm_exporter.json to a PNG from a running Prometheus, with matplotlib
(Grafana does not run here). The queries are the dashboard's own, with the template variables
substituted as Grafana would for "All".

    # any Prometheus that scrapes cckm_exporter:
    python3 dashboards/render_panels.py --prometheus http://127.0.0.1:9090 --minutes 10
    # or bring up simulator, exporter, Prometheus and Alertmanager for a while, then draw:
    python3 dashboards/render_panels.py --demo-stack 420
    # only one row's panels, and the row as one picture (img/<row>-row.png):
    python3 dashboards/render_panels.py --demo-stack 420 --row "Service levels"

Needs `pip install matplotlib`. Writes dashboards/img/<panel>.png.
"""
import argparse
import json
import math
import pathlib
import sys
import time
import urllib.parse
import urllib.request

import dashboard_queries

HERE = pathlib.Path(__file__).resolve().parent
SCRAPE_SECONDS = 1.0
COLORS = {"green": "#56a64b", "red": "#e02f44", "orange": "#ff9830", "yellow": "#f2cc0c", "blue": "#3274d9"}


class Prometheus:
    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def _get(self, path: str, params: dict):
        with urllib.request.urlopen(f"{self.url}{path}?{urllib.parse.urlencode(params)}", timeout=30) as r:
            answer = json.loads(r.read())
        if answer["status"] != "success":
            raise ValueError(f"{params['query']}: {answer.get('error')}")
        return answer["data"]["result"]

    def range(self, expr: str, start: float, end: float, step: float):
        return self._get("/api/v1/query_range", {"query": expr, "start": start, "end": end, "step": step})

    def instant(self, expr: str, at: float):
        return self._get("/api/v1/query", {"query": expr, "time": at})


def legend(fmt: str, labels: dict) -> str:
    if fmt in ("", "__auto"):
        return ", ".join(f"{k}={v}" for k, v in sorted(labels.items()) if k != "__name__") or "value"
    text = fmt
    for key, value in labels.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def threshold_color(value: float, steps: list) -> str:
    color = steps[0]["color"]
    for step in steps[1:]:
        if step["value"] is not None and value >= step["value"]:
            color = step["color"]
    return COLORS.get(color, color)


def human_seconds(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if abs(value) >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:.1f} s"


def formatted(value: float, unit: str) -> str:
    if unit == "s":
        return human_seconds(value)
    if unit == "percentunit":
        if not math.isfinite(value):
            return "–"
        return f"{value * 100:.1f} %" if abs(value) < 1 else f"{value * 100:.0f} %"
    if unit == "bytes":
        return f"{value / 2**20:.1f} MiB"
    return f"{value:.3g}" if math.isfinite(value) else "–"


class Renderer:
    def __init__(self, prometheus: Prometheus, start: float, end: float, out: pathlib.Path):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.dates as mdates
        from cycler import cycler
        plt.rcParams["axes.prop_cycle"] = cycler(color=plt.get_cmap("tab20").colors)
        self.plt, self.mdates = plt, mdates
        self.prom, self.start, self.end, self.out = prometheus, start, end, out
        self.step = max(1.0, round((end - start) / 240))
        rate_interval = max(4 * SCRAPE_SECONDS, self.step + SCRAPE_SECONDS)
        self.variables = {"__interval": f"{int(self.step)}s", "__rate_interval": f"{int(rate_interval)}s",
                          "__range": f"{int(end - start)}s", "window": "1d"}

    def expr(self, target) -> str:
        return dashboard_queries.substitute(target["expr"], self.variables)

    def figure(self, panel, height=3.2):
        fig, ax = self.plt.subplots(figsize=(9, height), dpi=100)
        ax.set_title(panel["title"], loc="left", fontsize=11, fontweight="bold")
        return fig, ax

    def save(self, fig, panel) -> pathlib.Path:
        path = self.out / f"{dashboard_queries.slug(panel['title'])}.png"
        fig.tight_layout()
        fig.savefig(path)
        self.plt.close(fig)
        return path

    def series(self, target):
        """[(legend, [datetime], [value])] of a range query."""
        import datetime
        found = []
        for s in self.prom.range(self.expr(target), self.start, self.end, self.step):
            times = [datetime.datetime.fromtimestamp(float(t)) for t, _ in s["values"]]
            found.append((legend(target.get("legendFormat", ""), s["metric"]), times,
                          [float(v) for _, v in s["values"]]))
        return found

    def time_axis(self, ax):
        ax.xaxis.set_major_formatter(self.mdates.DateFormatter("%H:%M"))
        ax.grid(alpha=0.3)

    def timeseries(self, panel):
        fig, ax = self.figure(panel)
        unit = panel["fieldConfig"]["defaults"].get("unit", "short")
        right = None
        right_patterns = [o["matcher"]["options"] for o in panel["fieldConfig"].get("overrides", [])
                          if any(p["id"] == "custom.axisPlacement" and p["value"] == "right" for p in o["properties"])]
        stacked = panel["fieldConfig"]["defaults"].get("custom", {}).get("stacking", {}).get("mode") == "normal"
        import re
        lines = [s for t in panel["targets"] for s in self.series(t)]
        if stacked:
            # Grafana lists every series; a picture is clearer without the ones that stay at 0.
            lines = [line for line in lines if any(v != 0 for v in line[2])]
        if stacked and lines:
            by_time = {}
            for name, times, values in lines:
                for t, v in zip(times, values):
                    by_time.setdefault(t, {})[name] = v
            times = sorted(by_time)
            names = [name for name, _, _ in lines]
            ax.stackplot(times, [[by_time[t].get(n, 0.0) for t in times] for n in names], labels=names, alpha=0.7)
        else:
            for name, times, values in lines:
                target_ax = ax
                color = None
                if any(re.fullmatch(p, name) for p in right_patterns):
                    right = right or ax.twinx()
                    target_ax, color = right, "#e377c2"
                target_ax.plot(times, values, label=name, linewidth=1.4, color=color)
        steps = panel["fieldConfig"]["defaults"].get("thresholds", {}).get("steps", [])
        if panel["fieldConfig"]["defaults"].get("custom", {}).get("thresholdsStyle", {}).get("mode") == "line":
            for step in steps[1:]:
                ax.axhline(step["value"], color=COLORS.get(step["color"], step["color"]), linestyle="--", linewidth=1)
        if unit == "s":
            ax.yaxis.set_major_formatter(self.plt.FuncFormatter(lambda v, _: human_seconds(v)))
        elif unit == "percentunit":
            ax.yaxis.set_major_formatter(self.plt.FuncFormatter(lambda v, _: f"{v * 100:.0f} %"))
        elif unit == "reqps":
            ax.set_ylabel("per second")
        if right is not None:
            right.yaxis.set_major_formatter(self.plt.FuncFormatter(lambda v, _: f"{v / 2**20:.2f} MiB"))
        self.time_axis(ax)
        handles, labels = ax.get_legend_handles_labels()
        if right is not None:
            h2, l2 = right.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        if not handles and stacked:
            ax.text(0.5, 0.5, "all series 0", transform=ax.transAxes, ha="center")
        elif handles:
            ax.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.01 if right is None else 1.08, 1),
                      frameon=False)
        else:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center")
        return self.save(fig, panel)

    def stat(self, panel):
        fig, ax = self.figure(panel, height=1.8)
        ax.axis("off")
        values = []
        for target in panel["targets"]:
            for s in self.prom.instant(self.expr(target), self.end):
                values.append((legend(target.get("legendFormat", ""), s["metric"]), float(s["value"][1])))
        steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
        unit = panel["fieldConfig"]["defaults"].get("unit", "short")
        size = 22 if len(values) <= 3 else max(12, 22 - 2 * (len(values) - 3))  # many values: smaller
        for i, (name, value) in enumerate(values):
            x0, width = i / len(values), 1 / len(values)
            ax.add_patch(self.plt.Rectangle((x0 + 0.01, 0.05), width - 0.02, 0.9, color=threshold_color(value, steps),
                                            transform=ax.transAxes))
            ax.text(x0 + width / 2, 0.55, formatted(value, unit), ha="center", va="center", fontsize=size,
                    color="white", fontweight="bold", transform=ax.transAxes)
            ax.text(x0 + width / 2, 0.18, name, ha="center", va="center", fontsize=9 if len(values) <= 3 else 7,
                    color="white",
                    transform=ax.transAxes)
        return self.save(fig, panel)

    def table(self, panel):
        target = panel["targets"][0]
        organize = next(t["options"] for t in panel.get("transformations", []) if t["id"] == "organize")
        hidden, rename = organize["excludeByName"], organize["renameByName"]
        rows = [s["metric"] for s in self.prom.instant(self.expr(target), self.end)]
        columns = sorted({k for r in rows for k in r if not hidden.get(k)}, key=lambda c: list(rename).index(c)
                         if c in rename else 99)
        fig, ax = self.figure(panel, height=0.5 + 0.28 * (max(len(rows), 1) + 1))
        ax.axis("off")
        if rows:
            cells = [[r.get(c, "") for c in columns] for r in sorted(rows, key=lambda r: [r.get(c, "") for c in columns])]
            table = ax.table(cellText=cells, colLabels=[rename.get(c, c) for c in columns], loc="upper center",
                             cellLoc="left", bbox=[0, 0, 1, 1])
            table.auto_set_font_size(False)
            table.set_fontsize(9)
            table.auto_set_column_width(list(range(len(columns))))
        else:
            ax.text(0.5, 0.5, "no rows", transform=ax.transAxes, ha="center")
        return self.save(fig, panel)

    def heatmap(self, panel):
        import numpy as np
        target = panel["targets"][0]
        buckets = {}
        times = None
        for s in self.prom.range(self.expr(target), self.start, self.end, self.step):
            le = float(s["metric"]["le"])
            buckets[le] = {float(t): float(v) for t, v in s["values"]}
            times = sorted(set(times or []) | set(buckets[le]))
        fig, ax = self.figure(panel)
        if not buckets:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center")
            return self.save(fig, panel)
        les = sorted(buckets)
        cumulative = np.array([[buckets[le].get(t, 0.0) for t in times] for le in les])
        counts = np.diff(np.vstack([np.zeros(len(times)), cumulative]), axis=0).clip(min=0)
        import datetime
        x = self.mdates.date2num([datetime.datetime.fromtimestamp(t) for t in times])
        mesh = ax.pcolormesh(x, np.arange(len(les)), counts, cmap="Oranges", shading="nearest")
        ax.set_yticks(np.arange(len(les)))
        ax.set_yticklabels(["+Inf" if math.isinf(le) else human_seconds(le) for le in les], fontsize=7)
        ax.set_ylabel("job duration ≤")
        fig.colorbar(mesh, ax=ax, label="jobs finished")
        ax.xaxis_date()
        self.time_axis(ax)
        return self.save(fig, panel)

    def bargauge(self, panel):
        target = panel["targets"][0]
        values = sorted((legend(target["legendFormat"], s["metric"]), float(s["value"][1]))
                        for s in self.prom.instant(self.expr(target), self.end))
        fig, ax = self.figure(panel, height=0.8 + 0.45 * max(len(values), 1))
        steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
        unit = panel["fieldConfig"]["defaults"].get("unit", "short")
        for i, (name, value) in enumerate(values):
            ax.barh(i, value, color=threshold_color(value, steps))
            ax.text(value, i, " " + formatted(value, unit), va="center", fontsize=9)
        ax.set_yticks(range(len(values)))
        ax.set_yticklabels([n for n, _ in values], fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, max([v for _, v in values] + [1]) * 1.3)
        if unit == "s":
            ax.xaxis.set_major_formatter(self.plt.FuncFormatter(lambda v, _: human_seconds(v)))
        return self.save(fig, panel)

    def state_timeline(self, panel):
        lines = [s for t in panel["targets"] for s in self.series(t)]
        fig, ax = self.figure(panel, height=0.9 + 0.45 * max(len(lines), 1))
        steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
        for i, (name, times, values) in enumerate(sorted(lines)):
            x = self.mdates.date2num(times)
            width = self.step / 86400
            ax.barh([i] * len(x), [width] * len(x), left=x, height=0.8,
                    color=[threshold_color(v, steps) for v in values])
        ax.set_yticks(range(len(lines)))
        ax.set_yticklabels([n for n, _, _ in sorted(lines)], fontsize=9)
        ax.invert_yaxis()
        ax.xaxis_date()
        self.time_axis(ax)
        ax.legend(handles=[self.plt.Rectangle((0, 0), 1, 1, color=COLORS["green"], label="UP"),
                           self.plt.Rectangle((0, 0), 1, 1, color=COLORS["red"], label="DOWN")],
                  fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        return self.save(fig, panel)

    def render(self, panel) -> pathlib.Path:
        kind = panel["type"].replace("-", "_")
        return getattr(self, kind)(panel)


def row_panels(dashboard: dict, title: str) -> list:
    """The panels under the row header `title`, in layout order."""
    found, inside = [], False
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            inside = panel["title"] == title
        elif inside:
            found.append(panel)
    if not found:
        raise ValueError(f"no row {title!r} with panels")
    return found


def row_picture(paths: list, title: str, out: pathlib.Path) -> pathlib.Path:
    """The pictures of one row's panels side by side, two per line, as img/<row>-row.png."""
    from PIL import Image
    images = [Image.open(p).convert("RGB") for p in paths]
    width = max(i.width for i in images)
    lines = [images[k:k + 2] for k in range(0, len(images), 2)]
    heights = [max(i.height for i in line) for line in lines]
    sheet = Image.new("RGB", (2 * width, sum(heights)), "white")
    y = 0
    for line, height in zip(lines, heights):
        for column, image in enumerate(line):
            sheet.paste(image, (column * width, y))
        y += height
    path = out / f"{dashboard_queries.slug(title)}-row.png"
    sheet.save(path, optimize=True)
    return path


def render_all(prometheus_url: str, start: float, end: float, out: pathlib.Path, row=None) -> list:
    """Draws every panel (or those of `row`, then the row as one picture); a panel that fails
    is reported after the others are drawn."""
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(Prometheus(prometheus_url), start, end, out)
    paths, failures = [], []
    dashboard = dashboard_queries.load()
    for panel in row_panels(dashboard, row) if row else dashboard_queries.panels(dashboard):
        try:
            paths.append(renderer.render(panel))
        except Exception as error:  # noqa: BLE001 - report every broken panel at once
            failures.append(f"{panel['title']}: {type(error).__name__}: {error}")
    if failures:
        raise RuntimeError("panels not drawn:\n" + "\n".join(failures))
    return paths + ([row_picture(paths, row, out)] if row else [])


def chain_module():
    sys.path.insert(0, str(HERE.parent / "Tests" / "e2e"))
    sys.path.insert(0, str(HERE.parent / "deploy" / "tests"))
    import stack as chain
    return chain


def render_from_data(data_dir: pathlib.Path, out: pathlib.Path, row=None) -> list:
    """Starts Prometheus on the TSDB a --demo-stack run kept, and draws its whole time span."""
    chain = chain_module()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp, chain.started([]) as processes:
        workdir = pathlib.Path(tmp)
        (workdir / "prometheus.yml").write_text("global: {scrape_interval: 1s}\n")
        prom = chain.Process("prometheus", ["/usr/bin/prometheus", f"--config.file={workdir / 'prometheus.yml'}",
                                            f"--storage.tsdb.path={data_dir}",
                                            "--web.listen-address=127.0.0.1:0"], workdir)
        processes.append(prom)
        url = chain.listening_url(prom, chain.GO_LISTENING, 60)
        chain.wait_until("Prometheus's /-/ready", lambda: chain.http_get(url + "/-/ready")[0] == 200, 60)
        head = json.loads(chain.http_get(url + "/api/v1/status/tsdb")[1])["data"]["headStats"]
        return render_all(url, head["minTime"] / 1000 + 5, head["maxTime"] / 1000, out, row)


def run_demo_stack(seconds: int, out: pathlib.Path, keep_data=None, row=None) -> list:
    """Simulator (default failure and abort rates) → exporter → Prometheus → Alertmanager for
    `seconds`, with a stuck job, a burst of 5xx and a forced failure on the way, then draws.
    With `keep_data`, the run happens in that folder and Prometheus's TSDB stays there."""
    chain = chain_module()
    from ops_contract import exporter_binary, simulator_binary
    import tempfile
    with tempfile.TemporaryDirectory() as tmp, chain.started([]) as processes:
        workdir, receiver = pathlib.Path(keep_data or tmp), chain.WebhookReceiver()
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            _, sim = chain.start_simulator(simulator_binary(), workdir, processes, "demo-password",
                                           extra_args=["--new-job-interval", "8", "--region-seconds", "4",
                                                       "--failure-rate", "0.2", "--abort-rate", "0.1"])
            _, exporter = chain.start_exporter(exporter_binary(), workdir, processes, sim, "demo-password")
            _, am = chain.start_alertmanager(workdir, processes, receiver.url)
            _, prom = chain.start_prometheus(workdir, processes, exporter.split("//")[1], am.split("//")[1])
            script = [(0.1, "/sim/jobs", {"listing": "aws", "outcome": "running", "regions": ["us-east-1", "eu-west-1"]}),
                      (0.4, "/sim/faults", {"status": 503, "count": 12, "scope": "listings"}),
                      (0.6, "/sim/jobs", {"listing": "azure", "outcome": "failed", "duration_seconds": 20})]
            started_at = time.monotonic()
            for fraction, path, body in script:
                time.sleep(max(0.0, started_at + fraction * seconds - time.monotonic()))
                chain.http_post_json(sim + path, body)
            time.sleep(max(0.0, started_at + seconds - time.monotonic()))
            end = time.time()
            return render_all(prom, end - seconds + 5, end, out, row)
        finally:
            receiver.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", help="base URL of a Prometheus that scrapes cckm_exporter")
    parser.add_argument("--minutes", type=float, default=10, help="time range to draw (default 10)")
    parser.add_argument("--demo-stack", type=int, metavar="SECONDS",
                        help="run simulator, exporter, Prometheus and Alertmanager this long, then draw")
    parser.add_argument("--keep-data", type=pathlib.Path, metavar="DIR",
                        help="with --demo-stack: run in DIR and keep Prometheus's data there")
    parser.add_argument("--from-data", type=pathlib.Path, metavar="TSDB",
                        help="draw from a kept Prometheus data folder (DIR/prometheus/data)")
    parser.add_argument("--row", metavar="TITLE",
                        help="draw only the panels of this row (e.g. \"Service levels\"), and the row as one picture")
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "img")
    args = parser.parse_args()
    if args.demo_stack:
        paths = run_demo_stack(args.demo_stack, args.out, args.keep_data, args.row)
    elif args.from_data:
        paths = render_from_data(args.from_data, args.out, args.row)
    elif args.prometheus:
        end = time.time()
        paths = render_all(args.prometheus, end - args.minutes * 60, end, args.out, args.row)
    else:
        parser.error("give --prometheus URL or --demo-stack SECONDS")
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
