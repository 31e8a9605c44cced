"""Runs the real chain on loopback for the end-to-end tests: cckm-simulator → cckm_exporter →
Prometheus (the shipped rules, with short `for:`) → Alertmanager (the shipped routing) → a
webhook receiver in this process. Every process is started by pid and stopped by pid; every
wait is bounded."""
import contextlib
import copy
import http.server
import json
import os
import pathlib
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
ALERTS_FILE = REPO / "deploy" / "prometheus" / "alerts.yml"
RULES_FILE = REPO / "deploy" / "prometheus" / "rules.yml"  # the SLIs the burn-rate alerts read
PROMETHEUS_YML = REPO / "deploy" / "prometheus" / "prometheus.yml"
ALERTMANAGER_YML = REPO / "deploy" / "alertmanager" / "alertmanager.yml"
TEST_FOR = "2s"  # every alert's `for:` in the test copy of the rules


# Every process listens on port 0 (the kernel picks a free port as it binds, so nothing can
# take it between choosing and binding) and logs the port it got: these find it in the log.
EXPORTER_LISTENING = r"msg=listening address=\S*:(\d+)"
GO_LISTENING = r'msg="Listening on" address=\S*:(\d+)'  # Prometheus, Alertmanager


def listening_url(process, pattern: str, timeout: float) -> str:
    """http://127.0.0.1:<port> of `process`, started on port 0, once its log names the port."""
    def port():
        process.assert_running()
        found = re.search(pattern, process.output())
        return found and found.group(1)

    return f"http://127.0.0.1:{wait_until(f'the port {process.name} listens on', port, timeout)}"


def wait_until(what: str, check, timeout: float, interval: float = 0.25):
    """Calls check() until it returns something truthy; fails after `timeout` seconds."""
    deadline, last_error = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError, urllib.error.URLError) as error:
            last_error = error
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last_error})")


def http_get(url: str, timeout: float = 5.0) -> tuple:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def http_post_json(url: str, body, method: str = "POST", timeout: float = 5.0) -> tuple:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Process:
    """A child process with its output in files; stop() ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, name: str, args: list, workdir: pathlib.Path, env=None):
        self.name, self.args = name, args
        self.stdout_path = workdir / f"{name}.stdout"
        self.stderr_path = workdir / f"{name}.stderr"
        self.popen = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                      stdout=self.stdout_path.open("wb"), stderr=self.stderr_path.open("wb"),
                                      env=dict(os.environ, **(env or {})), cwd=workdir)

    def output(self) -> str:
        return self.stdout_path.read_text(errors="replace") + self.stderr_path.read_text(errors="replace")

    def assert_running(self):
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{self.output()[-3000:]}")

    def stop(self, timeout: float = 10.0) -> int:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)
        return self.popen.returncode


class WebhookReceiver:
    """Alertmanager's webhook target: keeps every notification it receives."""

    def __init__(self):
        self.notifications, self._lock = [], threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.notifications.append((self.path, json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def alerts(self) -> list:
        """(path, alert) for every alert of every notification so far."""
        with self._lock:
            return [(path, alert) for path, n in self.notifications for alert in n["alerts"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_rules(for_duration: str = TEST_FOR) -> dict:
    """The shipped rules with every `for:` shortened, so alerts fire within the test's time."""
    rules = yaml.safe_load(ALERTS_FILE.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = for_duration
    return rules


def test_recording_rules() -> dict:
    """The shipped recording rules with every group evaluated at the test's evaluation
    interval (the long SLO windows' group has one of minutes of its own)."""
    rules = yaml.safe_load(RULES_FILE.read_text())
    for group in rules["groups"]:
        group.pop("interval", None)
    return rules


def prometheus_config(exporter_address, alertmanager_address: str) -> dict:
    """The shipped prometheus.yml, scraping and evaluating every second, aimed at the test's
    exporter (or list of exporters: an HA pair) and Alertmanager."""
    config = copy.deepcopy(yaml.safe_load(PROMETHEUS_YML.read_text()))
    config["global"].update(scrape_interval="1s", evaluation_interval="1s", scrape_timeout="1s")
    config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [alertmanager_address]
    config["scrape_configs"] = [job for job in config["scrape_configs"] if job["job_name"] == "cckm_exporter"]
    targets = exporter_address if isinstance(exporter_address, list) else [exporter_address]
    config["scrape_configs"][0]["static_configs"][0]["targets"] = targets
    return config


def alertmanager_config(webhook_url: str) -> dict:
    """The shipped alertmanager.yml with its webhooks aimed at the test's receiver and no waits."""
    config = yaml.safe_load(ALERTMANAGER_YML.read_text())
    config["route"].update(group_wait="1s", group_interval="1s", repeat_interval="1m")
    for receiver in config["receivers"]:
        for hook in receiver.get("webhook_configs", []):
            hook["url"] = webhook_url + urllib.parse.urlparse(hook["url"]).path
    return config


@contextlib.contextmanager
def started(processes: list):
    """Stops every process in `processes` (appended to while running) at the end."""
    try:
        yield processes
    finally:
        for p in reversed(processes):
            p.stop()


# Jobs start and finish every second or so; none fails or aborts unless a test says so.
QUIET_SIMULATOR = ["--new-job-interval", "1", "--region-seconds", "1", "--failure-rate", "0", "--abort-rate", "0"]


def start_simulator(binary, workdir, processes, password: str, extra_args=QUIET_SIMULATOR,
                    name: str = "simulator") -> tuple:
    """A simulator (`extra_args` may repeat an option to override it: the last one counts)."""
    (workdir / "sim-password").write_text(password + "\n")
    sim = Process(name, [str(binary), "--listen-address", "127.0.0.1:0", "--username", "admin",
                                "--password-file", str(workdir / "sim-password"),
                                "--listings", "aws,azure,google", "--token-lifetime", "30", *extra_args],
                  workdir)
    processes.append(sim)

    def base_url():
        sim.assert_running()
        found = re.search(r"listening on (https?://\S+)", sim.stdout_path.read_text())
        return found and found.group(1)

    return sim, wait_until("the simulator's URL", base_url, 30)


def start_exporter(binary, workdir, processes, cm_url: str, password: str, extra_args=()) -> tuple:
    exporter = Process("exporter", [str(binary), f"--cm.url={cm_url}", "--cm.name=sim",
                                    "--cm.username=admin", "--cm.clouds=aws,azure,google",
                                    "--poll.interval=2s", "--poll.timeout=2s",
                                    "--web.listen-address=127.0.0.1:0", "--log.level=debug", *extra_args],
                       workdir, env={"CCKM_PASSWORD": password})
    processes.append(exporter)
    url = listening_url(exporter, EXPORTER_LISTENING, 60)

    def ready():
        exporter.assert_running()
        return http_get(url + "/-/ready")[0] == 200

    wait_until("the exporter's /-/ready", ready, 60)
    return exporter, url


def start_alertmanager(workdir, processes, webhook_url: str) -> tuple:
    (workdir / "alertmanager.yml").write_text(yaml.safe_dump(alertmanager_config(webhook_url)))
    am = Process("alertmanager", ["/usr/bin/prometheus-alertmanager",
                                  f"--config.file={workdir / 'alertmanager.yml'}",
                                  f"--storage.path={workdir / 'alertmanager-data'}",
                                  "--web.listen-address=127.0.0.1:0",
                                  "--cluster.listen-address="], workdir)
    processes.append(am)
    url = listening_url(am, GO_LISTENING, 30)

    def ready():
        am.assert_running()
        return http_get(url + "/-/ready")[0] == 200

    wait_until("Alertmanager's /-/ready", ready, 30)
    return am, url


def start_prometheus(workdir, processes, exporter_address: str, alertmanager_address: str,
                     features=(), name: str = "prometheus") -> tuple:
    """Prometheus in `workdir / name`, with `--enable-feature` for each of `features`
    (e.g. native-histograms: it then asks for protobuf first and stores native histograms)."""
    home = workdir / name
    home.mkdir(exist_ok=True)
    (home / "alerts.yml").write_text(yaml.safe_dump(test_rules(), sort_keys=False))
    (home / "rules.yml").write_text(yaml.safe_dump(test_recording_rules(), sort_keys=False))
    (home / "prometheus.yml").write_text(
        yaml.safe_dump(prometheus_config(exporter_address, alertmanager_address), sort_keys=False))
    prom = Process(name, ["/usr/bin/prometheus", f"--config.file={home / 'prometheus.yml'}",
                          f"--storage.tsdb.path={home / 'data'}",
                          "--web.listen-address=127.0.0.1:0",
                          *[f"--enable-feature={feature}" for feature in features]], workdir)
    processes.append(prom)
    url = listening_url(prom, GO_LISTENING, 60)

    def ready():
        prom.assert_running()
        return http_get(url + "/-/ready")[0] == 200

    wait_until("Prometheus's /-/ready", ready, 60)
    return prom, url


def prometheus_query(url: str, expr: str) -> list:
    status, body = http_get(f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    answer = json.loads(body)
    if status != 200 or answer["status"] != "success":
        raise ValueError(f"{expr}: {answer.get('errorType')}: {answer.get('error')}")
    return answer["data"]["result"]


def prometheus_alerts(url: str) -> list:
    return json.loads(http_get(url + "/api/v1/alerts")[1])["data"]["alerts"]
