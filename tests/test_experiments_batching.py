"""Jobs follow the work, not the grid: cost-sized batches, dataset files, bounded DAGs.

What a point computes never depends on how points are grouped (tested in
test_experiments_config and test_experiments_runner); here, how they are grouped.
"""

import numpy as np
import pytest

from ftml.experiments.config import load_config
from ftml.experiments.config._batching import (
    MAX_DATA_FILES,
    MAX_TRAINING_JOBS,
    TARGET_JOB_SECONDS,
    pack,
    point_costs,
)
from ftml.experiments.data import build_dataset, load_data_files, load_datasets, save_datasets


def ols_grid(n_values, d_values, replicates=10, **experiment):
    """One OLS Monte-Carlo experiment over an (n_samples, n_features) grid."""
    return {
        "seed": 3,
        "datasets": {"g": {"generator": "linear_gaussian",
                           "params": {"design": "fixed", "noise": 1.0}}},
        "experiments": {"ols": {
            "chapter": "Least squares", "title": "OLS", "description": "a grid",
            "dataset": "g", "estimator": "OLS", "estimator_params": {"fit_intercept": False},
            "grid": {"n_samples": list(n_values), "n_features": list(d_values)},
            "evaluation": {"protocol": "monte_carlo", "replicates": replicates},
            "metrics": ["excess_risk"],
            "checks": [{"check": "matches_theory", "metric": "excess_risk",
                        "theory": "ols_fixed_design_excess_risk"}],
            "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "n_features"}],
            **experiment,
        }},
    }


# --- pack ---------------------------------------------------------------------------------


def test_pack_covers_every_item_once_in_order():
    rng = np.random.default_rng(0)
    costs = rng.exponential(size=500).tolist()
    groups = pack(costs, target=3.0, max_groups=1000)
    assert [index for group in groups for index in group] == list(range(500))
    # Every group but the last, and those closed before a heavy item, reaches the target.
    for group, following in zip(groups, groups[1:]):
        total = sum(costs[index] for index in group)
        assert total >= 3.0 or costs[following.start] >= 3.0


def test_pack_gives_a_heavy_item_its_own_group():
    groups = pack([1.0, 1.0, 10.0, 1.0, 1.0, 1.0], target=2.5, max_groups=100)
    assert range(2, 3) in groups
    assert groups == [range(0, 2), range(2, 3), range(3, 6)]


@pytest.mark.parametrize("max_groups", [1, 7, 100])
def test_pack_bounds_the_number_of_groups_whatever_the_costs(max_groups):
    rng = np.random.default_rng(1)
    for costs in (np.full(10_000, 1.0), rng.lognormal(sigma=3.0, size=10_000)):
        groups = pack(costs.tolist(), target=1e-9, max_groups=max_groups)
        # Closed groups reach total / max_groups, except those before a heavy item.
        assert len(groups) <= 2 * max_groups + 1


# --- cost-sized batches ---------------------------------------------------------------


def test_cheap_points_share_jobs_and_costly_ones_keep_their_own():
    config = load_config(ols_grid([50, 100, 200, 3000], [1, 2, 3, 40], replicates=2000))
    experiment = config.experiments["ols"]
    costs = point_costs(experiment, config.datasets)
    by_point = dict(zip((point.id for point in experiment.points), costs))
    heavy = [point_id for point_id, cost in by_point.items() if cost >= TARGET_JOB_SECONDS]
    assert heavy  # 2000 replicates of 3000 x 40 cost seconds each
    batches = experiment.batches
    assert len(batches) < len(experiment.points)
    for batch in batches:
        if any(point.id in heavy for point in batch.points):
            assert len(batch.points) == 1
    assert [point for batch in batches for point in batch.points] == list(experiment.points)
    assert sum(batch.cost for batch in batches) == pytest.approx(sum(costs))


def test_an_explicit_points_per_job_wins():
    config = load_config(ols_grid([50, 100, 200, 3000], [1, 2, 3, 40], replicates=2000,
                                  points_per_job=5))
    assert [len(batch.points) for batch in config.experiments["ols"].batches] == [5, 5, 5, 1]


def test_a_large_grid_stays_a_bounded_number_of_jobs():
    """10,000 points: a few hundred jobs at most, whatever the grid's shape."""
    n_values = np.unique(np.geomspace(50, 2000, 400).round().astype(int))[:250]
    assert len(n_values) == 250
    config = load_config(ols_grid(n_values.tolist(), range(1, 41)))
    experiment = config.experiments["ols"]
    assert len(experiment.points) == 10_000
    training = len(experiment.batches)
    files = len(config.dataset_files())
    assert training <= 2 * MAX_TRAINING_JOBS + 1
    assert files <= 2 * MAX_DATA_FILES + 1
    # dataset files, training batches, and evaluate, collect_verdicts, report, all
    assert files + training + 4 < 300
    # every data point in exactly one file
    held = [data_id for file in config.dataset_files() for data_id in file.data_ids]
    assert sorted(held) == sorted({point.data_id for point in experiment.points})


# --- dataset files -------------------------------------------------------------------


def test_a_dataset_file_holds_many_points_and_a_reader_gets_exactly_what_it_asks(tmp_path):
    config = load_config(ols_grid([20, 30, 40], [1, 2]))
    (file,) = config.dataset_files()
    assert file.id == "ols-1-6" and len(file.data_ids) == 6
    models = {data_id: build_dataset(config.dataset_job("g", data_id))
              for data_id in file.data_ids}
    path = tmp_path / "g" / f"{file.id}.npz"
    save_datasets("g", models, path)
    name, back = load_datasets(path)
    assert name == "g" and list(back) == list(models)
    for data_id, model in models.items():
        np.testing.assert_array_equal(back[data_id].design, model.design)
        np.testing.assert_array_equal(back[data_id].theta, model.theta)
    wanted = {("g", file.data_ids[1])}
    assert set(load_data_files([path], wanted)) == wanted
    # A point that no file holds is an error, never a smaller result.
    with pytest.raises(KeyError, match="holds"):
        load_data_files([path], {("g", "n_samples~99__n_features~1")})
    with pytest.raises(KeyError, match="does not hold"):
        load_datasets(path, ["n_samples~99__n_features~1"])
