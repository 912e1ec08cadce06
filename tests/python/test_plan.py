"""numen.Plan: points run from Python merge into the CLI's results; parts cross between Python and the CLI."""

import json
import pickle

import pytest

import numen
from conftest import REPO, cli, cli_results

PLAN = "models/plans/linear_msd.plan.yaml"


def test_points_run_in_any_order_merge_into_the_clis_results(tmp_path):
    plan = numen.Plan.load(PLAN)
    assert plan.point_count == 36 and plan.test_names[0] == "linearized"
    points = [None] * plan.point_count
    for i in reversed(range(plan.point_count)):
        points[i] = plan.run_point(i)
    assert plan.merge(points) + "\n" == cli_results(PLAN, tmp_path)
    merger = plan.merger()
    for i in range(plan.point_count - 1, -1, -1):
        merger.add(i, points[i])
        assert merger.remaining == i
    assert merger.finish() == plan.merge(points)


def test_a_seed_given_to_the_plan_equals_the_clis_seed(tmp_path):
    plan = numen.Plan.load(PLAN, seed=5)
    assert plan.seed == 5
    assert plan.merge([plan.run_point(i) for i in range(plan.point_count)]) + "\n" == \
        cli_results(PLAN, tmp_path, "--seed", "5")


def test_parts_cross_between_python_and_the_cli(tmp_path):
    reference = cli_results(PLAN, tmp_path)
    plan = numen.Plan.load(PLAN)
    # Python writes the parts, `numen merge` merges them.
    paths = []
    for i in (1, 2, 3):
        indices, selection = plan.select(shard=f"{i}/3")
        cli_part = tmp_path / f"cli-{i}.json"
        cli("characterize", PLAN, "-q", "--shard", f"{i}/3", "-o", cli_part)
        assert [p[0] for p in json.loads(cli_part.read_text())["points"]] == indices  # the CLI's selection
        path = tmp_path / f"py-{i}.json"
        path.write_text(plan.part(indices, [plan.run_point(k) for k in indices], selection))
        paths.append(path)
    cli("merge", *paths, "-o", tmp_path / "merged.json")
    assert (tmp_path / "merged.json").read_text() == reference
    # The CLI writes them, Python merges them.
    assert numen.merge_parts([tmp_path / f"cli-{i}.json" for i in (3, 1, 2)]) + "\n" == reference
    assert plan.select(points="0:2,30:")[0] == [0, 1] + list(range(30, 36))


def test_merge_errors_name_the_part_files(tmp_path):
    cli("characterize", PLAN, "-q", "--shard", "1/2", "-o", tmp_path / "p1.json")
    with pytest.raises(numen.Error) as caught:
        numen.merge_parts([tmp_path / "p1.json"])
    d = caught.value.diagnostics[0]
    assert d.file == str(tmp_path / "p1.json")
    assert "shard 2/2 of `models/plans/linear_msd.plan.yaml` is missing" in d.message


def test_a_plan_pickles_as_its_sources():
    plan = numen.Plan.load(PLAN)
    copy = pickle.loads(pickle.dumps(plan))
    assert copy.fingerprint == plan.fingerprint and copy.file_name == PLAN
    assert sorted(copy.files) == ["../linear_msd.yaml"]
    assert copy.run_point(7) == plan.run_point(7)
    with pytest.raises(numen.Error, match="cannot read the model `../linear_msd.yaml`"):
        numen.Plan.from_sources(plan.text, PLAN, {})


def test_bad_plans_raise_with_file_line_and_column(tmp_path):
    path = tmp_path / "bad.plan.yaml"
    path.write_text(f"model: {{ file: {REPO}/models/linear_msd.yaml }}\n"
                    "excitation: { entity: mass, component: body, port: force, output: mass.body.x }\n"
                    "tests:\n  - { name: s, type: discrete_frequency_sweep, frequencies: [1], amplitud: 2 }\n")
    with pytest.raises(numen.Error) as caught:
        numen.Plan.load(path)
    d = caught.value.diagnostics[0]
    assert (d.file, d.line) == (str(path), 4)
    assert "did you mean `amplitude`" in d.message
    with pytest.raises(FileNotFoundError):
        numen.Plan.load(tmp_path / "missing.plan.yaml")
    plan = numen.Plan.load(PLAN)
    with pytest.raises(IndexError):
        plan.run_point(plan.point_count)
    with pytest.raises(ValueError, match="shards count from 1"):
        plan.select(shard="0/3")
