"""End to end with shards: 12 simulated CipherTrust Managers (one cckm-simulator process each, so
each counts its own logins and requests), 3 exporters with total_shards 3 reading one file, and a
real Prometheus (the shipped rules, every `for:` shortened to 10 s) scraping them through file
service discovery. Every CM is polled by exactly one exporter, the union of the three /metrics is
one unsharded exporter's job metrics, and no alert fires. Then the file says total_shards 4, a
fourth exporter starts (shard from its pod name) and the three reload: the CMs that move all go
to the new one, none between old ones, none is unpolled for longer than a poll interval plus
the new owner's walk, and still no alert fires. The figures are printed for docs/PERFORMANCE.md.
"""
import json
import re
import threading
import time

import pytest
import yaml

import stack as chain

CMS = [f"cm-{i:02d}" for i in range(12)]
POLL_INTERVAL = 1.0
TEST_FOR = "10s"  # every alert's `for:`: longer than this test's handover, shorter than its phases
# One aws listing of 30 finished jobs, nothing new, no failure; one login for the whole test.
SIMULATOR_ARGS = [*chain.QUIET_SIMULATOR, "--listings", "aws", "--history", "30", "--new-job-interval", "0",
                  "--token-lifetime", "300"]
# The job metrics the union must reproduce: everything that comes from CM's jobs.
JOB_FAMILIES = re.compile(r"^(cckm_sync_\w+|cckm_jobs_invalid_total|cckm_up)\{")


def config_yaml(urls: dict, total_shards=None) -> str:
    lines = ["poll_interval: 1s", "poll_timeout: 1s"]
    if total_shards is not None:
        lines.append(f"total_shards: {total_shards}")
    lines.append("targets:")
    for name, url in urls.items():
        lines += [f"  - name: {name}", f"    url: {url}", "    clouds: [aws]",
                  '    auth: {username: admin, password_file: "${SIM_PASSWORD_FILE}"}']
    return "\n".join(lines) + "\n"


def job_lines(url: str) -> set:
    status, body = chain.http_get(url + "/metrics")
    assert status == 200
    return {line for line in body.splitlines() if JOB_FAMILIES.match(line)}


def polled_cms(url: str) -> set:
    return {re.search(r'cm="([^"]+)"', line).group(1) for line in job_lines(url) if line.startswith("cckm_up{")}


def simulator_stats(url: str) -> dict:
    return json.loads(chain.http_get(url + "/sim/stats")[1])


class ListingRequestWatch:
    """Samples every simulator's listing requests every 50 ms on a thread: the longest stretch
    during which a CM's count did not move is how long nobody polled it."""

    def __init__(self, simulators: dict):
        self.simulators, self.samples, self.running = simulators, {cm: [] for cm in simulators}, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            for cm, url in self.simulators.items():
                try:
                    count = simulator_stats(url)["requests"].get("list:aws", 0)
                except (OSError, ValueError):
                    continue
                self.samples[cm].append((time.monotonic(), count))
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join(10)

    def longest_gap(self, cm: str) -> float:
        """Seconds between two consecutive increases of the CM's listing requests, at most."""
        changes = [t for (t, c), (_, previous) in zip(self.samples[cm][1:], self.samples[cm]) if c != previous]
        return max((b - a for a, b in zip(changes, changes[1:])), default=float("inf"))


def start_exporter(binary, workdir, processes, name: str, config, password_file, flags) -> tuple:
    exporter = chain.Process(name, [str(binary), f"--config.file={config}", "--web.listen-address=127.0.0.1:0",
                                    "--log.level=info", *flags], workdir, env={"SIM_PASSWORD_FILE": str(password_file)})
    processes.append(exporter)
    url = chain.listening_url(exporter, chain.EXPORTER_LISTENING, 60)
    chain.wait_until(f"{name}'s /-/ready", lambda: exporter.assert_running() or chain.http_get(url + "/-/ready")[0] == 200, 60)
    return exporter, url


def write_targets(path, urls):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([{"targets": [u.split("//")[1] for u in urls]}]))
    tmp.replace(path)


def start_prometheus(workdir, processes, targets_file) -> str:
    home = workdir / "prometheus"
    home.mkdir()
    (home / "alerts.yml").write_text(yaml.safe_dump(chain.test_rules(TEST_FOR), sort_keys=False))
    config = chain.prometheus_config("127.0.0.1:1", "127.0.0.1:1")
    config.pop("alerting")
    job = config["scrape_configs"][0]
    job.pop("static_configs")
    job["file_sd_configs"] = [{"files": [str(targets_file)], "refresh_interval": "1s"}]
    (home / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    prom = chain.Process("prometheus", ["/usr/bin/prometheus", f"--config.file={home / 'prometheus.yml'}",
                                        f"--storage.tsdb.path={home / 'data'}", "--web.listen-address=127.0.0.1:0"],
                         workdir)
    processes.append(prom)
    url = chain.listening_url(prom, chain.GO_LISTENING, 60)
    chain.wait_until("Prometheus's /-/ready", lambda: prom.assert_running() or chain.http_get(url + "/-/ready")[0] == 200, 60)
    return url


class AlertWatch:
    """Every alert Prometheus reports firing, sampled every 250 ms on a thread."""

    def __init__(self, prometheus: str):
        self.prometheus, self.firing, self.running = prometheus, [], True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                self.firing += [a["labels"] for a in chain.prometheus_alerts(self.prometheus) if a["state"] == "firing"]
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.25)

    def stop(self):
        self.running = False
        self.thread.join(10)


def query_value(prometheus: str, expr: str):
    result = chain.prometheus_query(prometheus, expr)
    return float(result[0]["value"][1]) if result else None


@pytest.fixture(scope="module")
def estate(tmp_path_factory, built_binaries):
    exporter_bin, simulator_bin = built_binaries
    workdir = tmp_path_factory.mktemp("e2e-sharding")
    password = "sharding-e2e-pw"
    with chain.started([]) as processes:
        urls = {name: chain.start_simulator(simulator_bin, workdir, processes, password, SIMULATOR_ARGS,
                                            name=f"sim-{name}")[1] for name in CMS}
        password_file = workdir / "sim-password"
        sharded, unsharded = workdir / "sharded.yml", workdir / "unsharded.yml"
        sharded.write_text(config_yaml(urls, total_shards=3))
        unsharded.write_text(config_yaml(urls))
        targets_file = workdir / "targets.json"
        started = [start_exporter(exporter_bin, workdir, processes, f"exporter-{i}", sharded, password_file,
                                  [f"--shard={i}"]) for i in range(3)]
        exporters = [url for _, url in started]
        write_targets(targets_file, exporters)
        prometheus = start_prometheus(workdir, processes, targets_file)
        yield {"bin": exporter_bin, "workdir": workdir, "processes": processes, "simulators": urls,
               "sharded": sharded, "unsharded": unsharded, "password": password_file, "targets": targets_file,
               "exporters": exporters, "pids": [p.popen.pid for p, _ in started], "prometheus": prometheus}


def test_three_shards_then_four(estate):
    simulators, exporters, prometheus = estate["simulators"], estate["exporters"], estate["prometheus"]
    started = time.monotonic()
    alerts = AlertWatch(prometheus)
    try:
        chain.wait_until("Prometheus scraping the three shards", lambda: query_value(
            prometheus, 'count(cckm_exporter_shard_ordinal{job="cckm_exporter"})') == 3, 30)
        owners = [polled_cms(url) for url in exporters]
        # Every CM polled by exactly one exporter, as the exporters say …
        assert sorted(cm for cms in owners for cm in cms) == CMS, owners
        # … and as the simulators count: one login each, from the one exporter that polls it.
        for cm, url in simulators.items():
            assert simulator_stats(url)["logins"] == {"password": 1}, cm

        # The union of the three /metrics is one unsharded exporter's job metrics.
        process, reference = start_exporter(estate["bin"], estate["workdir"], estate["processes"], "unsharded",
                                            estate["unsharded"], estate["password"], [])
        union = [line for url in exporters for line in job_lines(url)]
        assert len(union) == len(set(union)), "a series shown by two shards"
        # Ready means every listing was tried once; a first poll that failed under load is retried.
        try:
            chain.wait_until("the unsharded exporter's job metrics", lambda: job_lines(reference) == set(union), 20)
        except TimeoutError:
            pass
        assert set(union) == job_lines(reference)
        assert len(union) > 12 * 10
        assert process.stop() == 0  # it polled every CM: gone before the handover is measured
        logins = {cm: simulator_stats(url)["logins"]["password"] for cm, url in simulators.items()}

        # Quiet for longer than every alert's `for:`: the sharding alerts stay silent. What it
        # costs meanwhile: threads per exporter, requests per second at the simulators.
        requests_before = sum(simulator_stats(url)["api_requests"] for url in simulators.values())
        time.sleep(11)
        requests_per_second = (sum(simulator_stats(url)["api_requests"] for url in simulators.values())
                               - requests_before) / 11
        threads = [int(re.search(r"^Threads:\s+(\d+)", open(f"/proc/{pid}/status").read(), re.M).group(1))
                   for pid in estate["pids"]]
        assert query_value(prometheus, 'max(cckm_exporter_total_shards) - min(cckm_exporter_total_shards)') == 0
        assert query_value(prometheus, 'max(sum by (instance) (cckm_exporter_targets))'
                                       ' - sum(max by (shard) (cckm_exporter_targets{state="owned"}))') == 0

        # Reshard: the file says 4, the fourth replica starts (its ordinal from its pod name),
        # then the three reload.
        watch = ListingRequestWatch(simulators)
        estate["sharded"].write_text(estate["sharded"].read_text().replace("total_shards: 3", "total_shards: 4"))
        _, fourth = start_exporter(estate["bin"], estate["workdir"], estate["processes"], "exporter-3",
                                estate["sharded"], estate["password"], ["--shard.from-pod-name=cckm-exporter-3"])
        write_targets(estate["targets"], exporters + [fourth])
        handover = time.monotonic()
        for url in exporters:
            status, body = chain.http_post_json(url + "/-/reload", None)
            assert status == 200, body
        reloaded = time.monotonic()
        time.sleep(3 * POLL_INTERVAL)
        watch.stop()

        after = [polled_cms(url) for url in exporters + [fourth]]
        moved = {cm for old, new in zip(owners, after) for cm in old - new}
        # Every CM still polled by exactly one exporter; the ones that moved all went to the fourth.
        assert sorted(cm for cms in after for cm in cms) == CMS, after
        assert moved == after[3], (moved, after)
        assert all(new <= old for old, new in zip(owners, after)), "a CM moved between old shards"
        assert 1 <= len(moved) <= 6, f"{len(moved)} of 12 moved: not about a quarter"
        for cm, url in simulators.items():
            assert simulator_stats(url)["logins"] == {"password": logins[cm] + (cm in moved)}, cm
        walk = max(float(value) for value in re.findall(
            r"^cckm_poll_duration_seconds\{.*\} (\S+)$", chain.http_get(fourth + "/metrics")[1], re.M))
        gaps = {cm: watch.longest_gap(cm) for cm in CMS}
        assert max(gaps.values()) <= POLL_INTERVAL + walk + 1.0, gaps

        chain.wait_until("Prometheus scraping the four shards", lambda: query_value(
            prometheus, 'count(max by (shard) (cckm_exporter_shard_ordinal))') == 4, 30)
        time.sleep(11)
        assert query_value(prometheus, 'max(cckm_exporter_total_shards) - min(cckm_exporter_total_shards)') == 0
        rules = json.loads(chain.http_get(prometheus + "/api/v1/rules")[1])["data"]["groups"]
        sharding = next(g for g in rules if g["name"] == "cckm_exporter_sharding")
        assert all(r["health"] == "ok" for r in sharding["rules"]), sharding
    finally:
        alerts.stop()
    assert alerts.firing == [], alerts.firing
    print(f"\nsharding e2e: {len(moved)} of {len(CMS)} CMs moved going 3 -> 4 shards ({sorted(moved)}), all to "
          f"shard 3; longest unpolled stretch {max(gaps.values()):.2f} s (poll interval {POLL_INTERVAL:.0f} s, "
          f"new owner's walk {walk:.3f} s); reloads took {reloaded - handover:.2f} s; "
          f"test ran {time.monotonic() - started:.0f} s")
    print("threads by CMs owned: " + ", ".join(f"{len(o)} CMs: {t} threads" for o, t in zip(owners, threads))
          + f"; {requests_per_second:.1f} requests/s to the 12 CMs at a 1 s poll interval, 1 listing each")
