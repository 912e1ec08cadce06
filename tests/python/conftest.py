"""The Python package's tests, run by `npm test` (scripts/test.sh) with Debian's interpreter:
    PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/python
They follow a user's path and compare against an independent reference: the analytic solution, or the `numen`
CLI on the same files (built in build/native)."""

import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CLI = pathlib.Path(os.environ.get("NUMEN_CLI", REPO / "build" / "native" / "cli" / "numen"))

try:
    import numen  # noqa: F401
except ImportError as e:  # pragma: no cover
    raise pytest.UsageError(f"numen is not importable ({e}): build it (scripts/build.sh native) and run with "
                            f"PYTHONPATH={REPO / 'build' / 'python'}")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    """Paths as a user at the checkout's root writes them (results record the plan's path as given)."""
    monkeypatch.chdir(REPO)


def cli(*args, check=True, cwd=None):
    """Runs the numen CLI; returns the CompletedProcess (text)."""
    done = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, cwd=cwd or REPO)
    if check and done.returncode != 0:
        raise AssertionError(f"numen {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
    return done


def cli_results(plan, tmp_path, *args):
    """The results document `numen characterize PLAN` writes (text)."""
    out = tmp_path / f"cli-{abs(hash((str(plan),) + args))}.json"
    cli("characterize", plan, "-q", "-o", out, *args)
    return out.read_text()
