"""numen.Model and numen.Solution: solves against the analytic solution and the CLI, units, and errors."""

import json
import math

import numpy as np
import pytest

import numen
from conftest import cli


def oscillator_x(t, zeta, omega, x0=1.0):
    """x(t) of x'' + 2 zeta omega x' + omega^2 x = 0 from x(0) = x0, x'(0) = 0."""
    wd = omega * math.sqrt(1 - zeta**2)
    return x0 * np.exp(-zeta * omega * t) * (np.cos(wd * t) + zeta / math.sqrt(1 - zeta**2) * np.sin(wd * t))


def field(info, kind, key):
    return next(v for v in info[kind] if v["key"] == key)


def test_oscillator_solve_matches_the_analytic_solution_with_the_models_values():
    model = numen.Model.load("models/oscillator.yaml")
    info = model.info
    omega = field(info, "parameters", "osc.oscillator.omega")["value"]
    zeta = field(info, "parameters", "osc.oscillator.zeta")["value"]
    x0 = field(info, "states", "osc.oscillator.x")["value"]
    assert field(info, "states", "osc.oscillator.v")["value"] == 0  # the formula starts at rest
    assert field(info, "parameters", "osc.oscillator.omega")["unit"] == "rad/s"
    assert model.time_unit == "s"
    assert numen.Model.load("models/predator_prey.yaml").time_unit == "yr"  # t and tspan count years there
    sol = model.solve(rtol=1e-10, atol=1e-12)
    assert sol.ok and sol.status == "success"
    assert isinstance(sol.t, np.ndarray) and sol.t[0] == 0 and sol.t[-1] == model.simulate["tspan"][1]
    assert len(sol.t) == model.simulate["n_save_points"] == 501
    x = sol["osc.oscillator.x"]
    assert np.max(np.abs(x - oscillator_x(sol.t, zeta, omega, x0))) < 1e-8
    assert sol.x.shape == (2, 501) and np.array_equal(sol.x[0], x)
    assert sol.y.shape == (1, 501)
    v = sol["osc.oscillator.v"]
    energy = 0.5 * v**2 + 0.5 * omega**2 * x**2
    assert np.allclose(sol["osc.oscillator.energy"], energy, rtol=1e-12, atol=0)
    assert sol.units["osc.oscillator.x"] == "m" and sol.units["osc.oscillator.energy"] == "J/kg"
    assert sol.stats["accepted_steps"] > 0 and sol.method == "Tsit5"


def test_settings_take_display_numbers_and_text_with_units():
    model = numen.Model.load("models/oscillator.yaml")
    omega = field(model.info, "parameters", "osc.oscillator.omega")["value"]
    sol = model.solve(rtol=1e-10, atol=1e-12, tspan=(0, 2), n_save_points=5,
                      set={"osc.oscillator.zeta": 0.5, "osc.oscillator.x": "200 cm"})
    assert list(sol.t) == [0, 0.5, 1, 1.5, 2]
    assert np.max(np.abs(sol["osc.oscillator.x"] - oscillator_x(sol.t, 0.5, omega, 2.0))) < 1e-8
    assert model.setting("osc.oscillator.zeta", "1/4 + 0.25") == 0.5


def test_arrays_are_in_display_units_and_equal_the_clis():
    # The cruise control model is written in drivers' units: km/h, km, t, kN.
    model = numen.Model.load("models/cruise_control.yaml")
    v_set = field(model.info, "parameters", "car.cruise.v_set")
    assert (v_set["unit"], v_set["value"]) == ("km/h", 100)
    assert model.setting("car.cruise.v_set", 36) == pytest.approx(10.0)        # a number is in the field's unit
    assert model.setting("car.cruise.v_set", "36 km/h") == pytest.approx(10.0)  # so is text with a unit
    assert model.setting("car.cruise.v_set", "10 m/s") == pytest.approx(10.0)   # and another unit is converted
    sol = model.solve(set={"car.cruise.v_set": "80 km/h"})
    done = cli("run", "models/cruise_control.yaml", "--set", "car.cruise.v_set=80 km/h", "--format", "json")
    reference = json.loads(done.stdout)
    assert np.array_equal(sol.t, reference["t"])
    for key in model.states + model.outputs:
        assert np.array_equal(sol[key], reference["states" if key in model.states else "outputs"][key]), key
        assert sol.units[key] == reference["units"][key]
    assert sol.units["car.car.v"] == "km/h"
    assert sol["car.car.v"][-1] == pytest.approx(80, abs=0.5)                  # display: km/h
    assert np.allclose(sol.coherent("car.car.v"), sol["car.car.v"] / 3.6, rtol=1e-15)  # coherent: m/s
    assert np.allclose(sol.x_coherent[model.states.index("car.car.s")], sol["car.car.s"] * 1000, rtol=1e-15)


def test_bad_models_raise_with_file_line_and_column():
    text = "model: broken\ncomponents:\n  a:\n    states: { x: 0 }\nsystems:\n  s:\n    slots: [p: a]\n" \
           "    equations: [\"der(p.x) += p.y\"]\nentities: { e: { a: {} } }\nworld: { s: auto }\n"
    with pytest.raises(numen.Error) as caught:
        numen.Model.from_string(text, "broken.yaml")
    e = caught.value
    assert isinstance(e, ValueError)
    d = e.diagnostics[0]
    assert (d.file, d.line, d.severity) == ("broken.yaml", 8, "error")
    assert d.column > 0 and "has no field `y`" in d.message
    assert str(e).startswith(f"broken.yaml:8:{d.column}: error: ")
    assert str(d) == f"broken.yaml:8:{d.column}: error: {d.message}"
    with pytest.raises(FileNotFoundError, match="no_such_model.yaml"):
        numen.Model.load("models/no_such_model.yaml")


def test_models_are_checked_against_the_schema_first_with_the_clis_message():
    # A description given as a list: the schema (schemas/model.schema.json) catches it before the model is read,
    # where it is, and the package reports what the CLI reports.
    path = "tests/bad_models/105_description_not_text.yaml"
    with pytest.raises(numen.Error) as caught:
        numen.Model.load(path)
    expected = cli("validate", path, check=False).stderr.splitlines()[0]
    assert expected.startswith(f"{path}:5:18: error: `description` of component `mass` must be text, got a list")
    assert str(caught.value.diagnostics[0]) == expected


def test_a_failed_solve_raises_with_the_cores_message_and_the_partial_solution():
    model = numen.Model.load("models/oscillator.yaml")
    with pytest.raises(numen.SolveError) as caught:
        model.solve(max_steps=10)
    e = caught.value
    assert e.status == "max_steps"
    assert 1 < len(e.solution.t) < 501 and e.solution.t[-1] < 5
    done = cli("run", "models/oscillator.yaml", "--max-steps", "10", check=False)
    assert done.returncode == 1
    assert f"models/oscillator.yaml: error: {e.message}" in done.stderr  # the same message as the CLI's
    assert str(e) == e.message


def test_bad_options_and_settings_are_errors_that_say_why():
    model = numen.Model.load("models/oscillator.yaml")
    with pytest.raises(numen.Error, match="`rtol`: expected a number"):
        model.solve(rtol="tight")
    with pytest.raises(numen.Error, match="unknown method"):
        model.solve(method="Nope")
    with pytest.raises(TypeError, match="unknown option 'rtoll'"):
        model.solve(rtoll=1e-6)
    with pytest.raises(numen.Error, match=r"`N` is a force .* but the field is in `m`"):
        model.solve(set={"osc.oscillator.x": "2 N"})
    with pytest.raises(numen.Error, match="osc.oscillator.zeta"):  # an unknown key: the valid ones are listed
        model.solve(set={"osc.oscillator.zetta": 0.1})
    with pytest.raises(TypeError):
        model.solve(set={"osc.oscillator.zeta": True})
    with pytest.raises(ValueError, match="not a finite number"):
        model.solve(set={"osc.oscillator.zeta": float("nan")})
    sol = model.solve(n_save_points=3)
    with pytest.raises(KeyError, match="'osc.oscillator.q' is not a state or output"):
        sol["osc.oscillator.q"]


def test_methods_and_version():
    names = [m["name"] for m in numen.methods()]
    assert "Tsit5" in names and "Rodas5P" in names
    assert cli("--version").stdout.strip() == f"numen {numen.__version__}"


def test_libraries_come_from_the_core_from_disk_and_from_given_texts(tmp_path):
    # The standard library is built in; a model file's own libraries are read next to it.
    poppet = numen.Model.load("models/fluid_poppet.yaml")
    assert poppet.info["states"][4]["key"] == "valve.poppet.x"
    parts = "library: parts\ncomponents:\n  cell: { description: c, states: { q: 1 }, params: { k: 2 } }\n" \
            "systems:\n  decay: { slots: [c: cell], equations: ['der(c.q) += -c.k * c.q'] }\n"
    (tmp_path / "parts.yaml").write_text(parts)
    (tmp_path / "m.yaml").write_text("model: m\nuse: [./parts.yaml]\nentities:\n  a: { cell: {} }\n")
    sol = numen.Model.load(tmp_path / "m.yaml").solve(tspan=(0, 1), rtol=1e-10, atol=1e-12)
    assert sol["a.cell.q"][-1] == pytest.approx(math.exp(-2), rel=1e-7)
    given = numen.Model.from_string("model: m\nuse: [./parts.yaml]\nentities:\n  a: { cell: {} }\n", "d/m.yaml",
                                    files={"d/parts.yaml": parts})
    assert given.info["states"][0]["key"] == "a.cell.q"
    # An error in a library system the model applies is reported in the library's file (systems the model does not
    # apply are checked by the library's own example models, not by each model that uses the library).
    with pytest.raises(numen.Error) as e:
        numen.Model.from_string("model: m\nuse: [./parts.yaml]\nentities:\n  a: { cell: {} }\n", "d/m.yaml",
                                files={"d/parts.yaml": parts.replace("-c.k", "-c.kk")})
    assert e.value.diagnostics[0].file == "d/parts.yaml"
