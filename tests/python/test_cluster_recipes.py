"""The batch-scheduler recipes of examples/cluster/, run for real with local processes: each runs its shards as
the scheduler would (the same script or command, the same environment variables), then `numen merge`, and the
merged document must equal a single `numen characterize` run byte for byte."""

import os
import re
import subprocess

import pytest
import yaml

from conftest import CLI, REPO, cli, cli_results

PLAN = "models/plans/linear_msd.plan.yaml"
RECIPES = REPO / "examples" / "cluster"


@pytest.fixture
def work(tmp_path):
    """A job's working directory: the plans and models as the cluster's shared file system would hold them."""
    w = tmp_path / "work"
    w.mkdir()
    (w / "models").symlink_to(REPO / "models")
    return w


def environment(**extra):
    """The environment of a job on a node where `numen` is on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{CLI.parent}{os.pathsep}{env['PATH']}"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_all(commands):
    """Starts every (argv, env, cwd) at once, like the tasks of an array job, and waits for them all."""
    running = [subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for argv, env, cwd in commands]
    for p, (argv, _, _) in zip(running, commands):
        out, err = p.communicate()
        assert p.returncode == 0, f"{argv} exited {p.returncode}:\n{err}"


def merged(work, n):
    parts = sorted(work.glob("parts/part-*.json"))
    assert len(parts) == n
    cli("merge", *parts, "-o", work / "results.json", cwd=work)
    return (work / "results.json").read_text()


def sbatch_option(script, name):
    return re.search(rf"^#SBATCH --{name}=(\S+)", script, re.M).group(1)


@pytest.mark.parametrize("first", [None, 0])
def test_slurm_array_job(work, tmp_path, first):
    script = RECIPES / "slurm.sbatch"
    text = script.read_text()
    lo, hi = map(int, sbatch_option(text, "array").split("-"))
    if first is not None:  # the same script under --array=0-(n-1)
        lo, hi = first, first + hi - lo
    cpus = sbatch_option(text, "cpus-per-task")
    n = hi - lo + 1
    run_all([(["bash", str(script)],
              environment(PLAN=PLAN, SLURM_ARRAY_JOB_ID=4242, SLURM_ARRAY_TASK_ID=task, SLURM_ARRAY_TASK_MIN=lo,
                          SLURM_ARRAY_TASK_MAX=hi, SLURM_ARRAY_TASK_COUNT=n, SLURM_CPUS_PER_TASK=cpus,
                          SLURM_JOB_ID=4242 + task), work)
             for task in range(lo, hi + 1)])
    assert merged(work, n) == cli_results(PLAN, tmp_path)


def test_kubernetes_indexed_job(work, tmp_path):
    job = yaml.safe_load((RECIPES / "k8s-indexed-job.yaml").read_text())
    assert job["kind"] == "Job" and job["spec"]["completionMode"] == "Indexed"
    n = job["spec"]["completions"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == n and env["PLAN"] == PLAN
    mount = container["volumeMounts"][0]["mountPath"]
    assert container["workingDir"] == mount  # the volume is the working directory: here, `work`
    argv = container["command"] + container["args"]
    run_all([(argv, environment(**env, JOB_COMPLETION_INDEX=index), work) for index in range(n)])
    assert merged(work, n) == cli_results(PLAN, tmp_path)


def test_gnu_parallel(work, tmp_path):
    done = subprocess.run(["bash", str(RECIPES / "parallel.sh")], env=environment(PLAN=PLAN), cwd=work,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(list(work.glob("parts/part-*.json"))) == 4
    assert (work / "results.json").read_text() == cli_results(PLAN, tmp_path)
