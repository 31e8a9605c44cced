"""strict_skips.py, in a pytest run of its own: with CI set a skip fails; without, it skips."""
import pathlib

import pytest

pytest_plugins = ["pytester"]

PLUGIN = pathlib.Path(__file__).with_name("strict_skips.py").read_text()

TESTS = """
import pytest

def test_skipped():
    pytest.skip("some tool is missing")

@pytest.mark.skipif(True, reason="marked")
def test_marked():
    pass

@pytest.mark.xfail(reason="an expected failure is not a skip")
def test_expected_failure():
    assert False

def test_passing():
    pass
"""


@pytest.fixture
def project(pytester):
    pytester.makeconftest(PLUGIN)
    pytester.makepyfile(test_sample=TESTS)
    return pytester


def test_a_skip_fails_when_ci_is_set(project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, errors=1, xfailed=1)
    result.stdout.fnmatch_lines(["*skipped while CI is set*some tool is missing*"])


def test_a_skip_skips_without_ci(project, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)


def test_a_module_skipped_at_import_fails_when_ci_is_set(pytester, monkeypatch):
    pytester.makeconftest(PLUGIN)
    pytester.makepyfile(test_module='import pytest\npytest.importorskip("no_such_module")\n')
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
