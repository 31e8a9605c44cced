"""The end-to-end stack, started once for the module's tests (see stack.py)."""
import dataclasses
import pathlib
import secrets
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy" / "tests"))
sys.path.insert(0, str(REPO / "dashboards"))

from ops_contract import exporter_binary, exporter_help_flags, simulator_binary  # noqa: E402
from strict_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402,F401
import stack as chain  # noqa: E402


@dataclasses.dataclass
class Stack:
    simulator_url: str
    exporter_url: str
    prometheus_url: str
    alertmanager_url: str
    receiver: chain.WebhookReceiver
    processes: list

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.output()[-2000:]}" for p in self.processes)


def binaries():
    """The exporter and simulator to test, or a skip when they are not built (a failure when
    CI is set, see the repository's conftest.py; CI sets CCKM_EXPORTER_BIN and
    CCKM_SIMULATOR_BIN, and then they must exist)."""
    exporter, simulator = exporter_binary(), simulator_binary()
    if exporter is None or simulator is None:
        pytest.skip("exporter or simulator not built (set CCKM_EXPORTER_BIN, CCKM_SIMULATOR_BIN)")
    if "--web.listen-address" not in exporter_help_flags(exporter):
        pytest.fail(f"{exporter} --help documents no --web.listen-address: not the exporter")
    return exporter, simulator


@pytest.fixture(scope="module")
def built_binaries():
    """(exporter, simulator) for modules that start their own chain (see binaries())."""
    return binaries()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    exporter_bin, simulator_bin = binaries()
    workdir = tmp_path_factory.mktemp("e2e")
    password = secrets.token_urlsafe(12)
    receiver = chain.WebhookReceiver()
    try:
        with chain.started([]) as processes:
            _, sim_url = chain.start_simulator(simulator_bin, workdir, processes, password)
            _, exporter_url = chain.start_exporter(exporter_bin, workdir, processes, sim_url, password)
            _, am_url = chain.start_alertmanager(workdir, processes, receiver.url)
            _, prom_url = chain.start_prometheus(workdir, processes, exporter_url.split("//")[1],
                                                 am_url.split("//")[1])
            yield Stack(sim_url, exporter_url, prom_url, am_url, receiver, processes)
    finally:
        receiver.stop()
