"""numen.dask.characterize on a LocalCluster of two worker processes: the CLI's results, streamed in bounded
batches, and complete when a worker process is killed mid-run."""

import json
import os
import signal

import pytest

distributed = pytest.importorskip("distributed")
from distributed import Client, LocalCluster  # noqa: E402

import numen  # noqa: E402
import numen.dask  # noqa: E402
from conftest import REPO, cli_results  # noqa: E402

PLAN = "models/plans/linear_msd.plan.yaml"


def local_cluster():
    return LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0")


@pytest.fixture(scope="module")
def client():
    with local_cluster() as cluster, Client(cluster) as c:
        yield c


def sweep_plan(tmp_path, n_samples=40):
    """A plan of many small points: stepped sines of the mass-spring-damper over a design of stiffnesses."""
    path = tmp_path / "sweep.plan.yaml"
    path.write_text(f"""model: {{ file: {REPO}/models/linear_msd.yaml }}
solver: {{ method: Tsit5, rtol: 1e-9, atol: 1e-12 }}
excitation: {{ entity: mass, component: body, port: force, output: mass.body.x, scale_by: mass.body.m }}
seed: 3
tests:
  - {{ name: sine, type: discrete_frequency_sweep, frequencies: [2, 4, 6, 8], enabled: false }}
  - name: doe
    type: doe_sweep
    design: latin_hypercube
    n_samples: {n_samples}
    params: {{ mass.body.k: {{ min: 500, max: 2000 }} }}
    sub_test: sine
""")
    return path


def test_results_equal_the_clis(client, tmp_path):
    reference = cli_results(PLAN, tmp_path)
    results = numen.dask.characterize(PLAN, client)
    assert results == json.loads(reference)
    out = tmp_path / "dask.json"
    text = numen.dask.characterize(PLAN, client, as_text=True, output=out, chunk_size=5)
    assert text + "\n" == reference and out.read_text() == reference
    # A Plan object and a seed, as `numen characterize --seed`.
    plan = numen.Plan.load(PLAN)
    assert numen.dask.characterize(plan, client, seed=11, as_text=True) + "\n" == \
        cli_results(PLAN, tmp_path, "--seed", "11")


def test_points_stream_back_in_bounded_batches(client, tmp_path):
    plan = sweep_plan(tmp_path)
    seen, stats = [], {}
    results = numen.dask.characterize(str(plan), client, chunk_size=4, max_in_flight=3, stats=stats,
                                      progress=lambda done, total: seen.append((done, total)))
    total = 160
    assert seen == [(done, total) for done in range(4, total + 1, 4)]  # every task's points, as they came back
    assert stats["tasks"] == total // 4 and stats["resubmitted"] == 0
    assert stats["peak_in_flight"] == 3  # the plan was never submitted at once
    assert 0 < stats["core_seconds"] and 0 < stats["wall_seconds"]
    assert results == json.loads(cli_results(plan, tmp_path))


def test_points_of_a_killed_worker_are_run_again_elsewhere(tmp_path):
    plan = sweep_plan(tmp_path, n_samples=60)
    reference = json.loads(cli_results(plan, tmp_path))
    with local_cluster() as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        killed = []

        def progress(done, total):
            if killed or done < 40:
                return
            # Kill a worker process while the scheduler has points running on it.
            busy = [(address, len(keys)) for address, keys in client.processing().items() if keys]
            if busy:
                killed.append(busy[0])
                os.kill(pids[busy[0][0]], signal.SIGKILL)

        results = numen.dask.characterize(str(plan), client, chunk_size=1, max_in_flight=6, progress=progress)
        assert killed, "no worker was busy when the run was two-thirds through"
        assert killed[0][1] >= 1
        assert pids[killed[0][0]] not in client.run(os.getpid).values()  # that process is gone
    # The points the scheduler had on that worker when it died could only come back from another process (a result
    # kept on the dead worker is lost with it, and Dask computes it again): complete results mean they were rerun.
    assert results == reference


def test_tasks_dask_gives_up_on_are_split_and_resubmitted_then_reported(tmp_path):
    # With allowed-failures 0, Dask gives up on a task the first time its worker dies (KilledWorker), which is what
    # a point that crashes its worker every time leads to: numen.dask then takes over.
    import dask

    plan = sweep_plan(tmp_path, n_samples=30)
    reference = json.loads(cli_results(plan, tmp_path))
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), local_cluster() as cluster, \
            Client(cluster) as client:

        def killer(after):
            state = {"killed": False}

            def progress(done, total):
                if state["killed"] or done < after:
                    return
                pids = client.run(os.getpid)
                busy = [address for address, keys in client.processing().items() if keys and address in pids]
                if busy:
                    state["killed"] = True
                    os.kill(pids[busy[0]], signal.SIGKILL)
            return progress, state

        # Tasks of several points are split into single points, and those are submitted again.
        progress, state = killer(40)
        stats = {}
        results = numen.dask.characterize(str(plan), client, chunk_size=2, max_in_flight=4, progress=progress,
                                          stats=stats)
        assert state["killed"]
        assert stats["resubmitted"] >= 1
        assert results == reference
        # A single point that killed its worker more often than `retries` allows is named.
        progress, state = killer(20)
        with pytest.raises(numen.dask.PointError, match=r"point \d+ \(doe \[mass.body.k = .*\] sine .*\) killed "
                                                        r"every worker that ran it") as caught:
            numen.dask.characterize(str(plan), client, chunk_size=1, max_in_flight=4, retries=0, progress=progress)
        assert state["killed"] and len(caught.value.indices) == 1
