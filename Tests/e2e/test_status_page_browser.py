"""The status page in a real headless browser (Debian's chromium): it renders, shows the demo
simulator's CMs, running jobs, failed jobs with their detailed_status and the recent polls with
their log lines, and a screenshot can be taken (UPDATE_SCREENSHOT=1 refreshes
docs/img/status-page.png).

Starts `cckm_exporter --demo` itself (CCKM_EXPORTER_BIN, default .build/debug/cckm_exporter) on a
loopback port it picks itself (port 0). Skips with a reason when chromium is missing and cannot be installed."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest

import stack

REPO = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "img" / "status-page.png"


def chromium() -> str:
    """The chromium binary, installed with apt-get when missing and allowed (root or sudo -n)."""
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and subprocess.run(sudo + ["true"], capture_output=True).returncode != 0:
        pytest.skip("chromium is not installed and apt-get needs root (apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "chromium"],
                             capture_output=True, text=True, env=env, timeout=900)
    if install.returncode != 0 or not shutil.which("chromium"):
        pytest.skip(f"chromium cannot be installed: {install.stderr.strip()[-300:]}")
    return shutil.which("chromium")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def demo_exporter(tmp_path_factory):
    binary = pathlib.Path(os.environ.get("CCKM_EXPORTER_BIN", REPO / ".build/debug/cckm_exporter"))
    if not binary.exists():
        if "CCKM_EXPORTER_BIN" in os.environ:
            pytest.fail(f"CCKM_EXPORTER_BIN={binary} does not exist")
        pytest.skip(f"{binary} not built (swift build)")
    process = stack.Process(
        "exporter", [str(binary), "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s",
                     "--poll.timeout=1s"], tmp_path_factory.mktemp("browser"))
    try:
        base = stack.listening_url(process, stack.EXPORTER_LISTENING, 30)
        yield base, wait_for_interesting_state(base, process)
    finally:
        process.stop()


def wait_for_interesting_state(base: str, process) -> str:
    """Waits until the demo has a running job and a failed one; returns /debug's text."""
    deadline = time.monotonic() + 90
    text = ""
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(f"exporter exited: {process.output()[-2000:]}")
        try:
            text = fetch(base + "/debug")
        except OSError:
            time.sleep(0.2)
            continue
        running = [int(n) for n in re.findall(r"^running_jobs: (\d+)", text, re.M)]
        failed = [int(n) for n in re.findall(r"^recent_failed_jobs: (\d+)", text, re.M)]
        if running and max(running) > 0 and max(failed) > 0:
            return text
        time.sleep(0.5)
    pytest.fail(f"the demo showed no running and failed job within 90 s:\n{text[-2000:]}")


def browser(*arguments: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", f"--user-data-dir={profile}", *arguments],
            capture_output=True, text=False, timeout=120)


def test_status_page_renders_the_demo_data(demo_exporter):
    base, debug_text = demo_exporter
    failed_ids = re.findall(r"^  id=(\S+) status=(?:failed|aborted)", debug_text, re.M)
    result = browser("--dump-dom", base + "/")
    dom = result.stdout.decode()
    assert result.returncode == 0 and "<h1>cckm_exporter</h1>" in dom, result.stderr[-2000:]
    for text in ("<td>demo</td><td>aws</td>", "Running jobs (", "Recent failed, aborted or cancelled jobs (",
                 "Recent polls", "msg=\"poll finished\" cm=demo cloud=", '<a href="/metrics">Metrics</a>',
                 "/debug?cm=demo&amp;cloud=aws"):
        assert text in dom, f"{text!r} not on the rendered page"
    assert re.search(r"failed to sync|Forbidden|AccessDenied", dom), "no detailed_status error text"
    assert any(job in dom for job in failed_ids), "none of the failed jobs /debug lists"
    assert "<script" not in dom


def test_debug_page_is_plain_text(demo_exporter):
    base, _ = demo_exporter
    with urllib.request.urlopen(base + "/debug?cm=demo&cloud=aws", timeout=5) as response:
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        text = response.read().decode()
    assert text.count("# cm=demo cloud=") == 1 and "# cm=demo cloud=aws state=up" in text


def test_screenshot(demo_exporter, tmp_path):
    base, _ = demo_exporter
    shot = tmp_path / "status-page.png"
    result = browser(f"--screenshot={shot}", "--window-size=1280,1600", base + "/")
    assert shot.exists(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.exists(), "no docs/img/status-page.png: run with UPDATE_SCREENSHOT=1"
