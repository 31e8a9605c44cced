"""With CI set, a skip fails (see strict_skips.py)."""
from strict_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401
