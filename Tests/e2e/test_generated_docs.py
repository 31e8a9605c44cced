"""The man page and shell completions under deploy/ match what the argument parser generates
(scripts/generate-docs.sh --check builds swift-argument-parser's generate-manual and diffs)."""
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_man_page_and_completions_are_up_to_date():
    if shutil.which("swift") is None:
        pytest.skip("swift toolchain not installed")
    binary = pathlib.Path(os.environ.get("CCKM_EXPORTER_BIN", REPO / ".build/debug/cckm_exporter"))
    # <scratch>/debug/cckm_exporter → <scratch> (debug is a symlink: do not resolve it).
    scratch = binary.absolute().parent.parent
    result = subprocess.run(
        [str(REPO / "scripts/generate-docs.sh"), "--check"],
        cwd=REPO, env={**os.environ, "SCRATCH_PATH": str(scratch)},
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
