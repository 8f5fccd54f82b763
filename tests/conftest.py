"""Shared test options: ``--update-golden`` regenerates tests/golden/*.txt (review the diff)."""

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from tests.browser import REFRESH_ENV

_TREE = pytest.StashKey[set[str] | None]()

settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden estimate files")


# --- the suite leaves the work tree as it found it ------------------------------------------------

def _tree_status(root: Path) -> set[str] | None:
    """``git status --porcelain`` lines of the work tree (None outside a git checkout)."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root,
                             capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return set(out.splitlines())


def pytest_sessionstart(session):
    session.config.stash[_TREE] = _tree_status(session.config.rootpath)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a test wrote into the work tree (screenshots, reports, notebooks...).

    Asked-for rewrites (``--update-golden``, ``ADVISOR_REFRESH_SCREENSHOTS=1``) are the exception.
    """
    before = session.config.stash.get(_TREE, None)
    if before is None or session.config.getoption("--update-golden") or os.environ.get(REFRESH_ENV) == "1":
        return
    after = _tree_status(session.config.rootpath)
    changed = sorted((after or set()) - before)
    if changed:
        session.config.get_terminal_writer().line(
            "error: the test suite changed the work tree (tests must write to tmp_path):\n  " + "\n  ".join(changed),
            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
