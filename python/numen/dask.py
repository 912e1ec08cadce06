"""A plan's points on a Dask cluster (dask.distributed).

    from distributed import Client, LocalCluster
    import numen.dask
    client = Client(LocalCluster(n_workers=2))       # or Client("tcp://scheduler:8786")
    results = numen.dask.characterize("models/plans/linear_msd.plan.yaml", client, progress=True)

The results are the document `numen characterize` writes for the same plan (equal number for number, and byte for
byte with ``as_text=True`` or ``output=``): every point's result depends on the plan and the point's index alone,
never on which worker ran it or when.

How it runs. The plan travels to the workers as its sources (plan text, model and data files, seed), compiled once
per worker process and kept. Points go out in tasks of ``chunk_size`` points (by default sized from the measured
cost of a point, so that a task takes about ``task_seconds``: long enough that Dask's per-task cost does not
matter, short enough that the work stays balanced at the end). At most ``max_in_flight`` tasks are submitted at a
time, and each task's results are merged into a PlanMerger as they come back (a test is merged, and its points'
texts freed, as soon as its last point is in), so the scheduler and this process hold a bounded amount whatever the
plan's size. A worker that dies takes its running tasks with it: Dask runs them again elsewhere; a task that keeps
killing workers is split into single points, and a point that still does is reported by its index and label.
"""

import itertools
import json
import math
import sys
import threading
import time

from distributed import as_completed
from distributed.scheduler import KilledWorker

import numen

__all__ = ["characterize", "PointError"]


class PointError(RuntimeError):
    """A point that could not be computed: its worker died every time it ran (a crash in the core)."""

    def __init__(self, message, indices):
        super().__init__(message)
        self.indices = indices


# ---- on the workers -----------------------------------------------------------------------------------------------

_plans = {}
_plans_lock = threading.Lock()


def _worker_plan(spec):
    """The compiled plan of ``spec`` (text, file name, files, seed, fingerprint), compiled once per process."""
    text, file_name, files, seed, fingerprint = spec
    with _plans_lock:
        plan = _plans.get(fingerprint)
        if plan is None:
            plan = numen.Plan.from_sources(text, file_name, files, seed)
            if len(_plans) >= 4:
                _plans.pop(next(iter(_plans)))
            _plans[fingerprint] = plan
    return plan


def _run_points(spec, indices):
    """Runs points of the plan; returns (indices, their results as JSON text, seconds spent in the core)."""
    plan = _worker_plan(spec)
    start = time.perf_counter()
    results = [plan.run_point(i) for i in indices]
    return indices, results, time.perf_counter() - start


# ---- on the client ------------------------------------------------------------------------------------------------

class _Bar:
    """A progress line on stderr: redrawn on a terminal, every 10 % otherwise."""

    def __init__(self, total, label):
        self.total, self.label, self.start = total, label, time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done, total):
        elapsed = time.perf_counter() - self.start
        eta = elapsed / done * (total - done) if done else 0.0
        if self.tty:
            filled = 30 * done // max(total, 1)
            print(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} points  {elapsed:.1f} s  ETA {eta:.1f} s",
                  end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done * 10 // max(total, 1) != self.shown:
            self.shown = done * 10 // max(total, 1)
            print(f"{self.label}: {done}/{total} points, {elapsed:.1f} s, ETA {eta:.1f} s", file=sys.stderr, flush=True)


class _Chunks:
    """Task sizes: one point per task until a point's cost is known, then about `task_seconds` of work per task,
    and smaller towards the end so that every worker has work until the last point."""

    def __init__(self, total, threads, chunk_size, task_seconds):
        self.total, self.threads, self.fixed, self.target = total, threads, chunk_size, task_seconds
        self.next_index = 0
        self.point_seconds = None

    def observe(self, points, seconds):
        if points > 0:
            per_point = seconds / points
            self.point_seconds = per_point if self.point_seconds is None else 0.8 * self.point_seconds + 0.2 * per_point

    def take(self):
        left = self.total - self.next_index
        if left <= 0:
            return None
        if self.fixed:
            size = self.fixed
        elif self.point_seconds is None:
            size = 1
        else:
            size = max(1, int(self.target / max(self.point_seconds, 1e-6)))
            size = min(size, max(1, math.ceil(left / (2 * self.threads))))
        size = min(size, left)
        indices = list(range(self.next_index, self.next_index + size))
        self.next_index += size
        return indices


def _plan_of(plan, seed):
    if isinstance(plan, numen.Plan):
        if seed is not None and seed != plan.seed:
            return numen.Plan.from_sources(plan.text, plan.file_name, plan.files, seed)
        return plan
    return numen.Plan.load(plan, seed=seed)


def characterize(plan, client, *, seed=None, chunk_size=None, task_seconds=0.5, max_in_flight=None,
                 progress=None, output=None, as_text=False, retries=2, stats=None):
    """Runs every point of a plan on the Dask ``client``'s workers and returns the merged results: a dict (the
    JSON document `numen characterize` writes, parsed), or its text with ``as_text=True``.

    plan:          a plan file's path, or a numen.Plan.
    seed:          replaces the plan's seed, as ``numen characterize --seed``.
    chunk_size:    points per task (default: sized from the measured cost of a point, see task_seconds).
    task_seconds:  the work a task gets when chunk_size is not given.
    max_in_flight: tasks submitted at a time (default: twice the cluster's threads, at least 4); bounds the memory
                   the scheduler and this process use.
    progress:      a callable progress(done_points, total_points), called as results come back, or True for a
                   progress line on stderr.
    output:        also write the results document to this path (the bytes `numen characterize -o` writes).
    retries:       how often a task whose worker died is submitted again once Dask gives up on it
                   (distributed.scheduler.allowed-failures), after splitting it into single points.
    stats:         a dict to fill with what the run did: points, tasks (submitted, resubmissions included),
                   resubmitted, peak_in_flight (most tasks submitted at once), core_seconds (time the workers
                   spent in the core's run_point, summed), wall_seconds.
    """
    start = time.perf_counter()
    plan = _plan_of(plan, seed)
    total = plan.point_count
    threads = max(1, sum(client.nthreads().values()))
    if max_in_flight is None:
        max_in_flight = max(4, 2 * threads)
    if progress is True:
        progress = _Bar(total, plan.file_name)
    spec = (plan.text, plan.file_name, plan.files, plan.seed, plan.fingerprint)
    chunks = _Chunks(total, threads, chunk_size, task_seconds)
    merger = plan.merger()
    tag = plan.fingerprint.split(":")[-1][:8]
    serial = itertools.count()
    in_flight = {}  # key -> (future, indices, attempts)
    waiting = []    # (indices, attempts) to submit again
    done = 0
    counts = dict(points=total, tasks=0, resubmitted=0, peak_in_flight=0, core_seconds=0.0, wall_seconds=0.0)
    completed = as_completed(with_results=True, raise_errors=False)

    def submit(indices, attempts):
        key = f"numen-{tag}-{indices[0]}-{len(indices)}-{next(serial)}"
        future = client.submit(_run_points, spec, indices, key=key, pure=False)
        in_flight[key] = (future, indices, attempts)
        completed.add(future)
        counts["tasks"] += 1
        counts["peak_in_flight"] = max(counts["peak_in_flight"], len(in_flight))

    def top_up():
        while len(in_flight) < max_in_flight:
            if waiting:
                submit(*waiting.pop())
                continue
            indices = chunks.take()
            if indices is None:
                return
            submit(indices, 0)

    try:
        top_up()
        for future, result in completed:
            _, indices, attempts = in_flight.pop(future.key)
            if future.status == "error":
                error = future.exception()
                if not isinstance(error, KilledWorker):
                    raise error
                counts["resubmitted"] += 1
                if len(indices) > 1:
                    waiting.extend(([i], attempts) for i in reversed(indices))
                elif attempts < retries:
                    waiting.append((indices, attempts + 1))
                else:
                    i = indices[0]
                    raise PointError(f"{plan.file_name}: point {i} ({plan.point_label(i)}) killed every worker that "
                                     f"ran it ({error}); run it alone with `numen characterize {plan.file_name} "
                                     f"--points {i}` to see the crash", [i])
            else:
                got, results, seconds = result
                for i, text in zip(got, results):
                    merger.add(i, text)
                done += len(got)
                counts["core_seconds"] += seconds
                chunks.observe(len(got), seconds)
                if progress:
                    progress(done, total)
            future.release()
            del future, result
            top_up()
    finally:
        for future, _, _ in in_flight.values():
            future.cancel()
    text = merger.finish()
    counts["wall_seconds"] = time.perf_counter() - start
    if stats is not None:
        stats.update(counts)
    if output is not None:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return text if as_text else json.loads(text)
