"""Numen: simulate and characterize engineering dynamics. The same C++ core as the ``numen`` CLI and the browser
workbench, with numpy arrays.

    import numen
    model = numen.Model.load("models/oscillator.yaml")
    sol = model.solve(rtol=1e-10, set={"osc.oscillator.zeta": 0.1})
    sol.t, sol["osc.oscillator.x"]          # numpy arrays

    plan = numen.Plan.load("models/plans/linear_msd.plan.yaml")
    points = [plan.run_point(i) for i in range(plan.point_count)]   # in any order, on any process
    results = plan.merge(points)             # the results document, as `numen characterize` writes it

Units. Every field has a declared (display) unit, the one its model file gives (``km/h``, ``degC``, ``kN``); the
solver works in the model's coherent system (SI, with time in the model's time unit). Everything this package
hands out is in display units unless its name says ``coherent``, as the CLI prints it: ``model.info`` values,
``sol[key]``, ``sol.x`` and ``sol.y``; ``sol.units[key]`` names the unit. ``sol.coherent(key)`` gives the solver's
numbers. Times (``sol.t``, ``tspan``) are in ``model.time_unit``, the model's ``time_unit`` (seconds unless the model
says otherwise). ``set={key: value}`` takes a number in the field's display unit, or text with a unit, read like a model
file's values (``"36 km/h"``, ``"20 N/mm"``, ``"2*pi"``) and converted.

Errors. Bad input (a model, plan or option with a mistake) raises ``numen.Error``, a ValueError whose
``diagnostics`` give each problem's file, line, column and message, as the CLI prints them. A solve that fails
part-way raises ``numen.SolveError`` with the core's message and the partial solution.
"""

import json as _json
import math as _math
import numbers as _numbers
import os as _os

import numpy as _np

from . import _core

__version__ = _core.__version__
__all__ = ["Model", "Solution", "Plan", "PlanMerger", "Error", "SolveError", "Diagnostic", "merge_parts",
           "methods", "__version__"]

Error = _core.Error
Diagnostic = _core.Diagnostic


class SolveError(RuntimeError):
    """A solve that stopped before the end of its time span: ``status`` (``max_steps``, ``step_size_underflow``,
    ...), the core's ``message`` (where and why, and what to try) and the ``solution`` computed up to there."""

    def __init__(self, message, status, solution):
        super().__init__(message)
        self.status = status
        self.message = message
        self.solution = solution


_OPTIONS = ("method", "rtol", "atol", "tspan", "n_save_points", "dtsave", "t_eval", "dt", "dt0", "dtmax",
            "max_steps", "tstops", "max_order")


def _plain(value):
    """numpy scalars and arrays, tuples -> what json.dumps takes."""
    if isinstance(value, _np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, _np.generic):
        return value.item()
    return value


class Model:
    """A compiled model: its layout keyed ``entity.component.field``, the defaults of its ``simulate`` block, and
    ``solve()``. Immutable; one model serves any number of solves (from any thread: solves release the GIL)."""

    def __init__(self, core):
        self._core = core
        self._info = _json.loads(core.info_json())
        self._fields = {}
        for kind in ("states", "parameters", "discretes", "outputs", "inputs"):
            for v in self._info[kind]:
                self._fields[v["key"]] = v

    @classmethod
    def load(cls, path):
        """Compiles the model file at ``path`` (diagnostics name it as given) and the library files it uses."""
        path = _os.fspath(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls(_core.Model.compile(text, path))

    @classmethod
    def from_string(cls, text, name="model.yaml", files=None):
        """Compiles model text; ``name`` is the file name diagnostics give. Library files the model uses
        (``use: [./parts.yaml]``) are read from disk next to ``name``, or from ``files`` ({path: text}, paths joined
        to the folder of ``name``) when given; the standard library (``use: [pneumatic]``) is built in."""
        return cls(_core.Model.compile(text, name, files))

    @property
    def name(self):
        return self._info["name"]

    @property
    def description(self):
        return self._info["description"]

    @property
    def file_name(self):
        return self._info["file"]

    @property
    def time_unit(self):
        """The unit of t, tspan and every time of the model ("s" unless its file says `time_unit:`)."""
        return self._info.get("time_unit", "s")

    @property
    def info(self):
        """Everything about the model as a dict: name, description, file, time_unit; states, parameters, discretes,
        outputs, inputs as lists of {key, kind, unit, description, value, scale, offset} (``value`` in the display unit
        ``unit``; a coherent number c reads (c - offset) / scale in it); features, stats, simulate, warnings."""
        return _json.loads(_json.dumps(self._info))

    @property
    def states(self):
        """State keys in layout order (the rows of ``Solution.x``)."""
        return [v["key"] for v in self._info["states"]]

    @property
    def parameters(self):
        return [v["key"] for v in self._info["parameters"]]

    @property
    def outputs(self):
        """Output keys (the rows of ``Solution.y``)."""
        return [v["key"] for v in self._info["outputs"]]

    @property
    def inputs(self):
        return [v["key"] for v in self._info["inputs"]]

    @property
    def units(self):
        """{key: display unit} of every field ("" when the model gives none, "1" when dimensionless)."""
        return {key: v["unit"] for key, v in self._fields.items()}

    @property
    def simulate(self):
        """The model's ``simulate`` block, with the options it leaves out at their defaults."""
        return _json.loads(self._core.simulate_json())

    def setting(self, key, value):
        """``value`` for parameter or initial value ``key`` in the coherent system: a number in the field's display
        unit, or text with a unit (``"36 km/h"``) converted from it."""
        if isinstance(value, str):
            return self._core.read_setting(key, value)
        if isinstance(value, bool) or not isinstance(value, _numbers.Real):
            raise TypeError(f"set[{key!r}]: expected a number (in the field's unit) or text with a unit such as "
                            f"'36 km/h', got {type(value).__name__}")
        value = float(value)
        if not _math.isfinite(value):
            raise ValueError(f"set[{key!r}]: {value} is not a finite number")
        field = self._fields.get(key)
        if field is None:
            return value  # an unknown key: solve() reports it with the valid ones
        return value * field["scale"] + field["offset"]

    def solve(self, method=None, rtol=None, atol=None, tspan=None, n_save_points=None, dtsave=None, t_eval=None,
              set=None, **options):
        """Solves the model. Options not given keep the model's ``simulate`` block; a saving option (n_save_points,
        dtsave, t_eval) replaces its saving rule. Further options: dt, dt0, dtmax, max_steps, tstops, max_order.
        ``set`` maps parameter and initial-value keys to numbers in their display unit, or to text with a unit.
        Returns a Solution; raises SolveError when the solve fails part-way, numen.Error for bad options."""
        given = dict(method=method, rtol=rtol, atol=atol, tspan=tspan, n_save_points=n_save_points, dtsave=dtsave,
                     t_eval=t_eval)
        for key in options:
            if key not in _OPTIONS:
                raise TypeError(f"solve() got an unknown option {key!r}; options: {', '.join(_OPTIONS)}")
        given.update(options)
        opts = {k: _plain(v) for k, v in given.items() if v is not None}
        settings = [(k, self.setting(k, v)) for k, v in (set or {}).items()]
        core = _core.solve(self._core, _json.dumps(opts), settings)
        sol = Solution(self, core)
        if not sol.ok:
            raise SolveError(sol.message, sol.status, sol)
        return sol

    def __repr__(self):
        return (f"<numen.Model {self.name!r} from {self.file_name!r}: {len(self._info['states'])} states, "
                f"{len(self._info['parameters'])} parameters>")


class Solution:
    """A solve's result. ``t`` (in ``model.time_unit``); ``sol[key]`` a state's or output's series in its display unit;
    ``x`` (states x times) and ``y`` (outputs x times) in display units, rows in ``model.states`` /
    ``model.outputs`` order; ``coherent(key)``, ``x_coherent``, ``y_coherent`` in the solver's units;
    ``units``; ``status``, ``ok``, ``message``, ``method``, ``stats`` (steps, rejections, evaluations, wall_ms),
    ``events``."""

    def __init__(self, model, core):
        info = _json.loads(core.info_json())
        self.model = model
        self.status = info["status"]
        self.ok = info["ok"]
        self.message = info["message"]
        self.method = info["method"]
        self.stats = info["stats"]
        self.events = info["events"]
        self.t = core.t
        self.x_coherent = core.x
        self.y_coherent = core.y
        states, outputs = model._info["states"], model._info["outputs"]
        self._rows = {v["key"]: ("x", i) for i, v in enumerate(states)}
        self._rows.update({v["key"]: ("y", i) for i, v in enumerate(outputs)})
        self.units = {v["key"]: v["unit"] for v in states + outputs}

        def display(values, fields):
            scale = _np.array([v["scale"] for v in fields], dtype=float).reshape(-1, 1)
            offset = _np.array([v["offset"] for v in fields], dtype=float).reshape(-1, 1)
            return (values - offset) / scale

        self.x = display(self.x_coherent, states)
        self.y = display(self.y_coherent, outputs)

    def keys(self):
        """State keys, then output keys."""
        return list(self._rows)

    def __contains__(self, key):
        return key in self._rows

    def _row(self, key):
        try:
            return self._rows[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a state or output of model {self.model.name!r}; keys: "
                           f"{', '.join(self._rows)}") from None

    def __getitem__(self, key):
        """The series of state or output ``key`` in its display unit (``units[key]``)."""
        which, i = self._row(key)
        return (self.x if which == "x" else self.y)[i]

    def coherent(self, key):
        """The series of ``key`` in the coherent system the solver works in (SI)."""
        which, i = self._row(key)
        return (self.x_coherent if which == "x" else self.y_coherent)[i]

    def __len__(self):
        return len(self.t)

    def __repr__(self):
        return f"<numen.Solution {self.status} by {self.method}: {len(self.t)} points, {len(self._rows)} series>"


class Plan:
    """A compiled test plan, split into independent points (one solve each, mostly): run them in any order, on any
    thread or process (``run_point`` releases the GIL), then merge. A Plan pickles as its sources (plan text,
    model and data files, seed), so it travels to other processes and compiles again there to the same points.
    ``run_point(i)`` returns the point's result as JSON text, ``merge(points)`` the results document as JSON text
    (what ``numen characterize`` writes); ``numen.dask.characterize`` runs a plan on a Dask cluster."""

    def __init__(self, core):
        self._core = core

    @classmethod
    def load(cls, path, seed=None):
        """Compiles the plan file at ``path``; the files it names are read relative to it. ``seed`` replaces the
        plan's seed (as ``numen characterize --seed``)."""
        path = _os.fspath(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls(_core.Plan.compile(text, path, seed))

    @classmethod
    def from_sources(cls, text, file_name, files, seed=None):
        """Compiles plan text whose model and data files are given as {path as the plan writes it: text}."""
        return cls(_core.Plan.from_sources(text, file_name, dict(files), seed))

    def __reduce__(self):
        return (Plan.from_sources, (self.text, self.file_name, self.files, self.seed))

    point_count = property(lambda self: self._core.point_count, doc="The number of independent points.")
    test_names = property(lambda self: self._core.test_names, doc="The enabled tests, in plan order.")
    text = property(lambda self: self._core.text, doc="The plan file's text.")
    file_name = property(lambda self: self._core.file_name, doc="The plan's path, as results record it.")
    files = property(lambda self: self._core.files, doc="{path: text} of the files the plan read.")
    seed = property(lambda self: self._core.seed, doc="The plan's seed (after any override).")
    fingerprint = property(lambda self: self._core.fingerprint,
                           doc="A hash of the plan's sources and seed: equal fingerprints, equal points.")
    output = property(lambda self: self._core.output, doc="The plan's `output` (relative to the plan), or ''.")

    @property
    def model(self):
        return Model(self._core.model)

    def point_label(self, i):
        """What point i computes ("stepped_sine 12.3 Hz"), for progress displays."""
        return self._core.point_label(i)

    def point_test(self, i):
        """Which enabled test point i belongs to (an index into ``test_names``)."""
        return self._core.point_test(i)

    def run_point(self, i):
        """Runs point i; returns its result as JSON text. A failing solve does not raise: the point records it."""
        if not 0 <= i < self.point_count:
            raise IndexError(f"point {i} of a plan with {self.point_count} points")
        return self._core.run_point(i)

    def merge(self, points):
        """The results document (JSON text) from every point's result, points[i] from run_point(i)."""
        return self._core.merge([p if isinstance(p, str) else _json.dumps(p) for p in points])

    def merger(self):
        """A PlanMerger: takes point results one by one, in any order, merging each test once its points are in."""
        return PlanMerger(self)

    def select(self, shard=None, points=None):
        """The indices ``numen characterize --shard I/N`` or ``--points A:B`` runs, and how a part names them."""
        if shard is not None and points is not None:
            raise ValueError("give shard or points, not both")
        return _core.select_points(self.point_count, shard or "", points or "")

    def part(self, indices, results, selection):
        """A part document (JSON text), as ``numen characterize --shard`` writes: ``numen merge`` takes it."""
        return self._core.part(list(indices), list(results), selection)

    def __repr__(self):
        return f"<numen.Plan {self.file_name!r}: {len(self.test_names)} tests, {self.point_count} points>"


class PlanMerger:
    """Merges point results as they arrive (``add(i, result)``), in any order. A test is merged as soon as its last
    point is in and its points are released, so memory holds only unfinished tests. ``finish()`` returns what
    ``Plan.merge`` returns for the same results."""

    def __init__(self, plan):
        self._core = _core.PlanMerger(plan._core)

    def add(self, i, result):
        self._core.add(i, result)

    def has(self, i):
        return self._core.has(i)

    @property
    def remaining(self):
        return self._core.remaining

    def missing(self):
        return self._core.missing()

    def finish(self):
        return self._core.finish()


def merge_parts(paths):
    """Merges part files (``numen characterize --shard``) into the results document (JSON text), as ``numen merge``
    does; raises numen.Error naming the files that do not merge."""
    return _core.merge_parts([_os.fspath(p) for p in paths])


def methods():
    """The integration methods: [{name, aliases, family, order, adaptive, stiff, ...}]."""
    return _json.loads(_core.methods_json())
