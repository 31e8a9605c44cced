"""cckm-simulator's living modes (issue 20) as a script uses them: the flags start a CM that
lives, /sim/truth gives the ground truth, /sim/outage and /sim/deletions act on it, and a bad
flag exits non-zero with one line naming the field."""
import json
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from ops_contract import simulator_binary


def simulator():
    binary = simulator_binary()
    if binary is None:
        pytest.skip("simulator not built (set CCKM_SIMULATOR_BIN)")
    return binary


def request(url, method="GET", body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=headers,
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            text = answer.read().decode()
            return answer.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_living_flags_truth_outage_and_deletions():
    process = subprocess.Popen(
        [str(simulator()), "--listen-address", "127.0.0.1:0", "--listings", "aws", "--history", "200",
         "--stuck-jobs", "5", "--new-job-interval", "0.2", "--burst-interval", "1", "--burst-size", "40",
         "--cluster-nodes", "2", "--lagging-nodes", "1", "--lag-seconds", "30",
         "--unknown-job-status", "500", "--empty-pages", "absent", "--seed", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = re.search(r"listening on (\S+)", process.stdout.readline()).group(1)
        status, life = request(url + "/sim/life")
        assert status == 200 and life["burst_size"] == 40
        status, login = request(url + "/api/v1/auth/tokens", "POST",
                                {"grant_type": "password", "username": "admin", "password": "admin"})
        token = login["jwt"]
        listing = url + "/api/v1/cckm/aws/synchronization-jobs"
        # Round robin: the lagging node answers from 30 s ago, without the jobs created since.
        totals = [request(listing + "?limit=1", token=token)[1]["total"] for _ in range(2)]
        status, truth = request(url + "/sim/truth?listing=aws")
        assert status == 200
        assert sum(truth["jobs_by_status"].values()) >= 200
        assert min(totals) < max(totals) <= sum(truth["jobs_by_status"].values()), totals
        assert truth["finished"]["completed"]["count"] > 0
        status, deleted = request(url + "/sim/deletions", "POST", {"listing": "aws", "count": 1})
        assert status == 200 and len(deleted["deleted"]) == 1
        answers = {request(f"{listing}/{deleted['deleted'][0]}", token=token)[0] for _ in range(2)}
        assert 500 in answers, answers
        # An empty page has neither resources nor total.
        status, empty = request(listing + "?skip=100000", token=token)
        assert status == 200 and "resources" not in empty and "total" not in empty
        assert request(url + "/sim/outage", "POST", {"status": 503, "seconds": 60})[0] == 204
        assert request(listing, token=token)[0] == 503
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("flag, field", [
    (["--server-error-rate", "2"], "server_error_rate"),
    (["--lagging-nodes", "2", "--cluster-nodes", "2"], "lagging nodes"),
    (["--empty-pages", "none"], "--empty-pages"),
    (["--unknown-job-status", "200"], "unknownJobStatus"),
])
def test_bad_living_flag_names_the_field(flag, field):
    out = subprocess.run([str(simulator()), "--listen-address", "127.0.0.1:0", *flag],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0
    assert field in out.stderr.splitlines()[0], out.stderr
