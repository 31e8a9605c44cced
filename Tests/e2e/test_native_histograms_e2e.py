"""End to end with two real Prometheus 2.42 servers scraping one exporter: one classic (it asks
for OpenMetrics), one with --enable-feature=native-histograms (it asks for protobuf first and
stores only the native histogram), both with exemplar storage. Checks that protobuf is
negotiated, that the native histogram reads the median of jobs of known duration within 5 %
where the classic buckets are 20 % off, that the failed jobs' ids come back as exemplars, that
the protobuf body (decoded by Google's protobuf package, metrics_proto.py) equals the text
exposition series by series, and that every dashboard query and rule works on both."""
import gzip
import json
import math
import secrets
import urllib.parse
import urllib.request

import pytest

import dashboard_queries
import metrics_proto
import stack as chain

prometheus_parser = pytest.importorskip("prometheus_client.parser")

PROTOBUF_ACCEPT = ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
                   "application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
JOB_SECONDS = 1000
FAILED_JOBS = 4


@pytest.fixture(scope="module")
def pair(tmp_path_factory, built_binaries):
    """Simulator → exporter → a classic and a native-histogram Prometheus. The exporter walks
    every listing completely on each poll, so backdated jobs (`started_seconds_ago`) are seen."""
    exporter_bin, simulator_bin = built_binaries
    workdir = tmp_path_factory.mktemp("e2e-native")
    password = secrets.token_urlsafe(12)
    with chain.started([]) as processes:
        _, sim_url = chain.start_simulator(simulator_bin, workdir, processes, password)
        _, exporter_url = chain.start_exporter(exporter_bin, workdir, processes, sim_url, password,
                                               extra_args=["--poll.full-resync-interval=0"])
        # No Alertmanager here (alerts are the other module's concern): port 9 (discard) refuses.
        target, no_alertmanager = exporter_url.split("//")[1], "127.0.0.1:9"
        _, classic = chain.start_prometheus(workdir, processes, target, no_alertmanager,
                                            features=["exemplar-storage"], name="prometheus-classic")
        _, native = chain.start_prometheus(workdir, processes, target, no_alertmanager,
                                           features=["native-histograms", "exemplar-storage"],
                                           name="prometheus-native")
        yield {"simulator": sim_url, "exporter": exporter_url, "classic": classic, "native": native,
               "processes": processes}


def scrape(url: str, accept: str = "", gzip_ok: bool = False) -> tuple:
    headers = {"Accept": accept} if accept else {}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    with urllib.request.urlopen(urllib.request.Request(url + "/metrics", headers=headers), timeout=5) as r:
        body = r.read()
        if r.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return r.headers["Content-Type"], body


def exemplar_ids(prometheus_url: str, query: str) -> set:
    """The sync_job_id of every exemplar Prometheus stored for `query`."""
    status, body = chain.http_get(prometheus_url + "/api/v1/query_exemplars?" + urllib.parse.urlencode(
        {"query": query, "start": "0", "end": "9999999999"}))
    if status != 200:
        raise ValueError(body)
    return {e["labels"]["sync_job_id"] for series in json.loads(body)["data"] for e in series["exemplars"]}


FAILED_COUNTER = 'cckm_sync_jobs_finished_total{cloud="azure",status="failed"}'
FAILED_DURATION = {"classic": 'cckm_sync_job_duration_seconds_bucket{cloud="azure",status="failed"}',
                   "native": 'cckm_sync_job_duration_seconds{cloud="azure",status="failed"}'}


@pytest.fixture(scope="module")
def failed_jobs(pair):
    """FAILED_JOBS Azure jobs that each took JOB_SECONDS and failed, one after another: each is
    the newest failed job (the exemplar) until both servers stored it, then the next comes."""
    for name in ("classic", "native"):
        chain.wait_until(f"the {name} Prometheus's first samples",
                         lambda: chain.prometheus_query(pair[name], FAILED_COUNTER), 60)
    ids = []
    for _ in range(FAILED_JOBS):
        status, body = chain.http_post_json(pair["simulator"] + "/sim/jobs", {
            "listing": "azure", "outcome": "failed", "regions": ["vault-1"],
            "duration_seconds": JOB_SECONDS, "started_seconds_ago": JOB_SECONDS})
        assert status == 201, body
        ids.append(json.loads(body)["id"])
        for name in ("classic", "native"):
            chain.wait_until(f"job {ids[-1]} as duration exemplar in the {name} Prometheus",
                             lambda: ids[-1] in exemplar_ids(pair[name], FAILED_DURATION[name]), 30)
    return ids


def test_native_prometheus_negotiates_protobuf_and_stores_only_the_native_histogram(pair, failed_jobs):
    content_type, body = scrape(pair["exporter"], PROTOBUF_ACCEPT)
    assert content_type == "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
    assert metrics_proto.read_delimited(body)
    # Only a protobuf scrape gives Prometheus a native histogram: a sample with "histogram".
    native = chain.prometheus_query(pair["native"], 'cckm_sync_job_duration_seconds{cloud="azure",status="failed"}')
    assert native and "histogram" in native[0], native
    assert chain.prometheus_query(pair["native"], "cckm_sync_job_duration_seconds_bucket") == []
    # The classic server read OpenMetrics: buckets, no native histogram.
    assert chain.prometheus_query(pair["classic"], 'cckm_sync_job_duration_seconds_bucket{cloud="azure",status="failed"}')
    assert chain.prometheus_query(pair["classic"], "cckm_sync_job_duration_seconds") == []


def test_native_median_is_within_5_percent_where_classic_buckets_are_20_percent_off(pair, failed_jobs):
    native_expr = 'histogram_quantile(0.5, rate(cckm_sync_job_duration_seconds{cloud="azure",status="failed"}[1m]))'
    classic_expr = ('histogram_quantile(0.5, rate(cckm_sync_job_duration_seconds_bucket'
                    '{cloud="azure",status="failed"}[1m]))')

    def value(url, expr):
        result = chain.prometheus_query(url, expr)
        return float(result[0]["value"][1]) if result and math.isfinite(float(result[0]["value"][1])) else None

    native = chain.wait_until("the native median", lambda: value(pair["native"], native_expr), 30)
    classic = chain.wait_until("the classic median", lambda: value(pair["classic"], classic_expr), 30)
    print(f"median of {FAILED_JOBS} jobs of {JOB_SECONDS} s: native {native:.1f} s, classic {classic:.1f} s")
    assert abs(native - JOB_SECONDS) / JOB_SECONDS < 0.05, native
    assert abs(classic - JOB_SECONDS) / JOB_SECONDS >= 0.19, classic  # 1200: middle of (600, 1800]


@pytest.mark.parametrize("server", ["classic", "native"])
def test_failed_jobs_ids_are_exemplars(pair, failed_jobs, server):
    assert set(failed_jobs) <= exemplar_ids(pair[server], FAILED_COUNTER)
    assert set(failed_jobs) <= exemplar_ids(pair[server], FAILED_DURATION[server])
    # Only the jobs that moved the series: none of the completed ones.
    assert exemplar_ids(pair[server], FAILED_DURATION[server]) <= set(failed_jobs)


def text_samples(text: str) -> dict:
    """{(name, sorted labels): value} of every cckm_* sample of the text format."""
    samples = {}
    for family in prometheus_parser.text_string_to_metric_families(text):
        for s in family.samples:
            if s.name.startswith("cckm_"):
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def protobuf_samples(families: list) -> dict:
    """The same from decoded MetricFamily messages: counters and gauges by value, histograms as
    the `_bucket` (classic bounds, `+Inf` = count), `_sum` and `_count` samples."""
    samples = {}
    for family in families:
        if not family.name.startswith("cckm_"):
            continue
        for metric in family.metric:
            labels = tuple(sorted((p.name, p.value) for p in metric.label))
            kind = metrics_proto.type_name(family)
            if kind == "histogram":
                h = metric.histogram
                for b in h.bucket:
                    le = ("le", go_float(b.upper_bound))
                    samples[(family.name + "_bucket", tuple(sorted(labels + (le,))))] = b.cumulative_count
                samples[(family.name + "_bucket", tuple(sorted(labels + (("le", "+Inf"),))))] = h.sample_count
                samples[(family.name + "_sum", labels)] = h.sample_sum
                samples[(family.name + "_count", labels)] = h.sample_count
            else:
                samples[(family.name, labels)] = metric.counter.value if kind == "counter" else metric.gauge.value
    return samples


def go_float(value: float) -> str:
    """An `le` as the text format writes it (`1`, `86400`, `0.5`)."""
    return str(int(value)) if value == int(value) else repr(value)


def test_protobuf_body_equals_the_text_exposition_series_by_series(pair, failed_jobs):
    def consistent_pair():
        _, before = scrape(pair["exporter"])
        _, proto = scrape(pair["exporter"], PROTOBUF_ACCEPT, gzip_ok=True)
        _, after = scrape(pair["exporter"])
        strip = lambda body: [l for l in body.decode().splitlines() if l.startswith("cckm_")]
        return (before, proto) if strip(before) == strip(after) else None  # no poll in between

    text, proto = chain.wait_until("two equal text scrapes around a protobuf scrape", consistent_pair, 30)
    families = metrics_proto.read_delimited(proto)
    text_families = {f.name for f in prometheus_parser.text_string_to_metric_families(text.decode())}
    # The text parser names counter families without _total.
    proto_names = {f.name[:-6] if f.name.endswith("_total") else f.name for f in families}
    assert proto_names == text_families
    expected, found = text_samples(text.decode()), protobuf_samples(families)
    assert set(found) == set(expected), set(found) ^ set(expected)
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, rel=1e-12), key
    # The native buckets hold every observation, and the newest failed job is the exemplar.
    duration = next(f for f in families if f.name == "cckm_sync_job_duration_seconds")
    for metric in duration.metric:
        h = metric.histogram
        assert h.schema == 3 and h.zero_threshold > 0
        running, total = 0, h.zero_count
        for delta in h.positive_delta:
            running += delta
            total += running
        assert total == h.sample_count
    azure_failed = next(m for m in duration.metric if {(p.name, p.value) for p in m.label} >= {
        ("cloud", "azure"), ("status", "failed")})
    assert [e.label[0].value for e in azure_failed.histogram.exemplars] == [failed_jobs[-1]]
    assert azure_failed.histogram.exemplars[0].value == JOB_SECONDS


@pytest.mark.parametrize("server", ["classic", "native"])
def test_every_duration_query_of_the_dashboard_returns_data_on_both_kinds(pair, failed_jobs, server):
    dashboard = dashboard_queries.load()
    queries = [(p["title"], expr) for p, _, expr in dashboard_queries.panel_queries(dashboard)
               if "cckm_sync_job_duration_seconds" in expr]
    assert len(queries) >= 2
    for title, expr in queries:
        values = chain.prometheus_query(pair[server], expr)
        assert values, f"{title}: {expr}"


@pytest.mark.parametrize("server", ["classic", "native"])
def test_every_rule_evaluates_without_error_on_both_kinds(pair, failed_jobs, server):
    def evaluated():
        _, body = chain.http_get(pair[server] + "/api/v1/rules")
        rules = [r for g in json.loads(body)["data"]["groups"] for r in g["rules"]]
        return rules if rules and all(not r["lastEvaluation"].startswith("0001") for r in rules) else None

    for rule in chain.wait_until("every rule evaluated", evaluated, 30):
        assert rule["health"] == "ok", f"{rule['name']}: {rule.get('lastError')}"


def test_an_exemplars_job_id_opens_its_job_page_on_the_exporter(pair, failed_jobs):
    newest = failed_jobs[-1]
    status, page = chain.http_get(pair["exporter"] + "/job?" + urllib.parse.urlencode({"id": newest}))
    assert status == 200, page
    assert f"<code>{newest}</code>" in page and ">failed</span>" in page and "vault-1" in page
    assert chain.http_get(pair["exporter"] + "/job?id=no-such-job")[0] == 404


def service_level_queries() -> list:
    """(title, expression) of every query of the dashboard's Service levels row."""
    dashboard = dashboard_queries.load()
    start = next(i for i, p in enumerate(dashboard["panels"]) if p["title"] == "Service levels")
    row = []
    for panel in dashboard["panels"][start + 1:]:
        if panel["type"] == "row":
            break
        row += [(panel["title"], dashboard_queries.substitute(t["expr"])) for t in panel["targets"]]
    return row


@pytest.mark.parametrize("server", ["classic", "native"])
def test_every_service_level_query_returns_data_on_both_kinds(pair, failed_jobs, server):
    """The SLIs come from the classic buckets on one server and from histogram_fraction on the
    native histogram on the other: every panel of the Service levels row has data on both."""
    queries = service_level_queries()
    assert len(queries) >= 10

    def empty():
        return [(title, expr) for title, expr in queries
                if not any(math.isfinite(float(r["value"][1])) for r in chain.prometheus_query(pair[server], expr))]

    try:
        chain.wait_until("every Service levels query to return data", lambda: not empty(), 60, interval=1)
    except TimeoutError:
        pytest.fail("queries without data:\n" + "\n".join(f"{t}: {e}" for t, e in empty()))
    # The latency SLI of the azure listing: its jobs of 1000 s are failed ones, the completed
    # jobs take seconds, so every completed job was within 30 minutes on both servers.
    latency = chain.prometheus_query(pair[server], 'cckm:sync_latency:ratio30d{cloud="azure"}')
    assert latency and float(latency[0]["value"][1]) == 1.0
    success = chain.prometheus_query(pair[server], 'cckm:sync_success:ratio30d{cloud="azure"}')
    assert success and 0 < float(success[0]["value"][1]) < 1  # the failed jobs count against it


def test_created_timestamps_and_units_reach_both_servers_and_agree_across_formats(pair, failed_jobs):
    """Prometheus 2.42 scrapes the OpenMetrics body (with `_created` samples and `# UNIT`) and
    the protobuf body (with `created_timestamp` and `unit`) without error, and both formats
    give every counter and histogram series the same start."""
    for name in ("classic", "native"):
        up = chain.prometheus_query(pair[name], 'up{job="cckm_exporter"}')
        assert up and float(up[0]["value"][1]) == 1, name
    _, proto = scrape(pair["exporter"], PROTOBUF_ACCEPT)
    _, openmetrics = scrape(pair["exporter"], "application/openmetrics-text;version=1.0.0")
    created = {}
    for line in openmetrics.decode().splitlines():
        name = line.split("{")[0].split(" ")[0]
        if name.endswith("_created") and name.startswith("cckm_"):
            created.setdefault(name[: -len("_created")], set()).add(float(line.rsplit(" ", 1)[1]))
    checked = 0
    for family in metrics_proto.read_delimited(proto):
        kind = metrics_proto.type_name(family)
        assert family.unit == ("seconds" if family.name.removesuffix("_total").endswith("_seconds") else ""), family.name
        if kind not in ("counter", "histogram") or not family.name.startswith("cckm_"):
            continue
        for metric in family.metric:
            stamp = (metric.counter if kind == "counter" else metric.histogram).created_timestamp
            assert stamp.seconds > 0, family.name
            assert stamp.seconds + stamp.nanos / 1e9 in created[family.name.removesuffix("_total")]
            checked += 1
    assert checked >= 20


def test_a_slow_completed_job_lowers_the_latency_sli_on_both_kinds(pair, failed_jobs):
    """A Google job that completed after 40 minutes is slow to the classic bucket le=1800 and
    to histogram_fraction on the native histogram alike (1800 s and 2400 s fall in different
    native buckets, so the fraction is exact here)."""
    status, body = chain.http_post_json(pair["simulator"] + "/sim/jobs", {
        "listing": "google", "outcome": "completed", "duration_seconds": 2400, "started_seconds_ago": 2400})
    assert status == 201, body

    # A job counts in full once it has been in every 5-minute piece (5 minutes): here, a share.
    def slow(name):
        result = chain.prometheus_query(pair[name], 'cckm:sync_jobs_slow:increase30d{cloud="google"}')
        return result and float(result[0]["value"][1]) > 0 and float(result[0]["value"][1])

    for name in ("classic", "native"):
        assert chain.wait_until(f"the slow job in the {name} Prometheus's latency SLI", lambda: slow(name), 60) < 1.5
        ratio = float(chain.prometheus_query(pair[name], 'cckm:sync_latency:ratio30d{cloud="google"}')[0]["value"][1])
        assert 0 < ratio < 1, (name, ratio)
