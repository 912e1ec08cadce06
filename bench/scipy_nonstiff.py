"""scipy's RK45 and DOP853 on the benchmark's Kepler orbit (ten revolutions, eccentricity 0.5), in Google
Benchmark's JSON format so bench/work_precision.mjs can put them beside the C++ solvers. Warm timings: the best of
several runs after one warm-up."""
import json
import math
import time

import numpy as np
from scipy.integrate import solve_ivp


def kepler(t, x):
    r3 = (x[0] * x[0] + x[1] * x[1]) ** 1.5
    return [x[2], x[3], -x[0] / r3, -x[1] / r3]


start = [0.5, 0.0, 0.0, math.sqrt(3.0)]
end = 20 * math.pi
results = []
for method in ("RK45", "DOP853"):
    for k in range(4, 13):
        tol = 10.0 ** -k
        solve_ivp(kepler, (0, end), start, method=method, rtol=tol, atol=tol)  # warm-up
        best = math.inf
        for _ in range(3):
            t0 = time.perf_counter()
            sol = solve_ivp(kepler, (0, end), start, method=method, rtol=tol, atol=tol)
            best = min(best, time.perf_counter() - t0)
        x = sol.y[:, -1]
        results.append({
            "name": f"nonstiff/Kepler/scipy{method}/{k}",
            "iterations": 3,
            "real_time": best * 1e6,
            "cpu_time": best * 1e6,
            "time_unit": "us",
            "error": float(math.hypot(x[0] - 0.5, x[1])),
            "steps": int(sol.t.size - 1),
            "f_evals": int(sol.nfev),
        })
print(json.dumps({"context": {"executable": "scipy " + __import__("scipy").__version__}, "benchmarks": results}, indent=1))
