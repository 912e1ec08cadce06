"""`pip install .` from the checkout, the way a user installs the package: into a virtual environment (Debian's
pip refuses the system one) that sees Debian's numpy, with no package index at all."""

import subprocess
import sys

from conftest import REPO


def test_pip_install_from_the_checkout_without_network(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
                          "--no-cache-dir", "--disable-pip-version-check", str(REPO)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert "Successfully installed numen-" in pip.stdout
    # Imported from elsewhere than the checkout: the installed copy, not build/python.
    program = ("import numen, sys; sol = numen.Model.load(sys.argv[1]).solve(); "
               "print(numen.__file__); print(sol.status, len(sol.t))")
    env = {"PATH": "/usr/bin:/bin"}
    run = subprocess.run([str(venv / "bin" / "python"), "-c", program, str(REPO / "models" / "oscillator.yaml")],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    where, result = run.stdout.splitlines()
    assert where.startswith(str(venv)), where
    assert result == "success 501"
