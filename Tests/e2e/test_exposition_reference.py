"""The exporter's real output, in both formats, read by the reference Python parsers
(prometheus_client's text and OpenMetrics parsers) — an implementation independent of ours."""
import gzip
import os
import pathlib
import urllib.request

import pytest

import stack

prometheus_client = pytest.importorskip("prometheus_client")
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families as parse_text  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
EXPORTER = pathlib.Path(os.environ.get("CCKM_EXPORTER_BIN", REPO / ".build/debug/cckm_exporter"))
CONTRACT_FAMILIES = {
    "cckm_sync_jobs", "cckm_sync_jobs_finished", "cckm_sync_job_duration_seconds",
    "cckm_up", "cckm_last_poll_success_timestamp_seconds", "cckm_poll_duration_seconds",
    "cckm_poll_errors", "cckm_api_requests", "cckm_jobs_invalid", "cckm_exporter_build_info",
    "cckm_sync_last_finished_timestamp_seconds", "cckm_sync_latest_job_status",
    "process_cpu_seconds", "process_resident_memory_bytes", "process_open_fds",
}


@pytest.fixture(scope="module")
def exporter_url(tmp_path_factory):
    if not EXPORTER.exists():
        pytest.skip(f"{EXPORTER} is not built")
    process = stack.Process(
        "exporter", [str(EXPORTER), "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s",
                     "--poll.timeout=1s"], tmp_path_factory.mktemp("reference"))
    try:
        url = stack.listening_url(process, stack.EXPORTER_LISTENING, 20)
        stack.wait_until("the exporter's /-/ready", lambda: stack.http_get(url + "/-/ready")[0] == 200, 20)
        yield url
    finally:
        process.stop()


def fetch(url: str, **headers) -> tuple[str, str]:
    request = urllib.request.Request(url + "/metrics", headers={k.replace("_", "-"): v for k, v in headers.items()})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.headers["Content-Type"], body.decode()


def test_text_format_parses_with_the_reference_parser(exporter_url):
    content_type, body = fetch(exporter_url)
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    families = {family.name: family for family in parse_text(body)}
    # The text parser names counter families without _total, like OpenMetrics.
    assert CONTRACT_FAMILIES <= set(families), CONTRACT_FAMILIES - set(families)
    up = [s for s in families["cckm_up"].samples if s.labels["cloud"] == "aws"]
    assert up and up[0].value == 1


def test_openmetrics_parses_with_the_reference_parser(exporter_url):
    content_type, body = fetch(exporter_url, Accept="application/openmetrics-text;version=1.0.0")
    assert content_type.startswith("application/openmetrics-text; version=1.0.0")
    families = {family.name: family for family in parse_openmetrics(body)}
    assert CONTRACT_FAMILIES <= set(families), CONTRACT_FAMILIES - set(families)
    histogram = families["cckm_sync_job_duration_seconds"]
    assert histogram.type == "histogram"
    buckets = {s.labels["le"] for s in histogram.samples if s.name.endswith("_bucket")}
    assert {"1.0", "86400.0", "+Inf"} <= buckets


def test_openmetrics_has_created_samples_and_units_the_reference_parser_accepts(exporter_url):
    """Every counter and histogram series carries `_created` (the exporter's start, or the
    process's for process_cpu_seconds_total), every `*_seconds` family `# UNIT seconds`; the
    strict parser reads them as the families' own samples and metadata."""
    _, body = fetch(exporter_url, Accept="application/openmetrics-text;version=1.0.0")
    _, start = fetch(exporter_url)
    process_start = next(float(l.split()[1]) for l in start.splitlines() if l.startswith("process_start_time_seconds "))
    families = list(parse_openmetrics(body))
    counting = [f for f in families if f.type in ("counter", "histogram")]
    assert len(counting) >= 8
    for family in counting:
        owner = family.name + ("_total" if family.type == "counter" else "_count")
        series = [s.labels for s in family.samples if s.name == owner]
        created = [s for s in family.samples if s.name == family.name + "_created"]
        assert series and [s.labels for s in created] == series, family.name
        # Created when the exporter started: within a few seconds of the process's start.
        assert all(abs(s.value - process_start) < 5 for s in created), family.name
    for family in families:
        assert family.unit == ("seconds" if family.name.endswith("_seconds") else ""), family.name
    # The text format 0.0.4 carries neither.
    assert "_created{" not in start and "_created " not in start and "# UNIT" not in start


def test_gzip_body_equals_plain_body_in_content(exporter_url):
    _, plain = fetch(exporter_url)
    _, unzipped = fetch(exporter_url, Accept_Encoding="gzip")
    names = lambda text: {line.split(" ")[2] for line in text.splitlines() if line.startswith("# TYPE")}
    assert names(plain) == names(unzipped)
