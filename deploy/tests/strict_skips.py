"""Skips fail in CI: imported by the conftest.py of Tests/e2e and of deploy/tests, so it
covers every Python test of the repository.

With the environment variable CI set, a skipped test fails: a binary, a tool or a file that
is missing must make CI red, not let it pass without running the test. Local runs keep their
skips. README.md lists no tool as optional, so no skip is exempt (name one in
OPTIONAL_IN_CI, with the README saying so, to exempt its skips)."""
import os

import pytest

OPTIONAL_IN_CI: tuple = ()


def _strict() -> bool:
    return bool(os.environ.get("CI"))


def _reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def _exempt(reason: str) -> bool:
    return any(tool in reason for tool in OPTIONAL_IN_CI)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if _strict() and report.skipped and not hasattr(report, "wasxfail") and not _exempt(_reason(report)):
        report.outcome = "failed"
        report.longrepr = f"skipped while CI is set, which counts as a failure: {_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.importorskip) fails too."""
    report = (yield).get_result()
    if _strict() and report.skipped and not _exempt(_reason(report)):
        report.outcome = "failed"
        report.longrepr = f"skipped while CI is set, which counts as a failure: {_reason(report)}"
