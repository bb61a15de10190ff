"""The checks of a mean against a bound (at_most_theory), of a ranking by paired differences
(lowest) and of a power law (power_law): each holds on data built to satisfy it and fails on
data built to violate it (a negative control), and the measurement settings a metric reads
are refused when missing or unread."""

import numpy as np
import pandas as pd
import pytest

from ftml.experiments.checks import verdicts
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.tables import summary_table, theory_table

REPLICATES = 400


def experiment(grid, checks, *, evaluation=None, metrics=("excess_risk",)):
    raw = {
        "seed": 1,
        "datasets": {"g": {"generator": "linear_gaussian", "params": {"design": "fixed"}}},
        "experiments": {"e": {
            "chapter": "c", "title": "t", "description": "d", "dataset": "g",
            "estimator": "OLS", "estimator_params": {"fit_intercept": False},
            "grid": grid,
            "evaluation": {"protocol": "monte_carlo", "replicates": REPLICATES,
                           **(evaluation or {})},
            "metrics": list(metrics), "checks": checks,
            "figure": [{"metric": metrics[0], "x": list(grid)[0],
                        **({"hue": list(grid)[1]} if len(grid) > 1 else {})}],
        }},
    }
    return load_config(raw).experiments["e"]


def run_checks(e, values):
    """Verdicts of ``e`` on a long table whose point i has the replicates ``values[i]``."""
    rows = []
    for point, point_values in zip(e.points, values):
        rows += [[*point.params.values(), r, v] for r, v in enumerate(point_values)]
    long = pd.DataFrame(rows, columns=[*e.grid_names, "replicate", "excess_risk"])
    summary = summary_table(long, e.grid_names, ["excess_risk"])
    return verdicts(e, long, summary, theory_table(e, {}))


def noise(seed, scale=1.0):
    return np.random.default_rng(seed).normal(0.0, scale, REPLICATES)


# --- at_most_theory ----------------------------------------------------------------------

AT_MOST = {"check": "at_most_theory", "metric": "excess_risk",
           "theory": "ols_fixed_design_excess_risk"}
GRID = {"n_samples": [20, 40, 80, 160], "n_features": [2]}


def predicted(e):
    return theory_table(e, {})["ols_fixed_design_excess_risk"].to_numpy()


def test_at_most_theory_holds_below_the_bound():
    e = experiment(GRID, [AT_MOST])
    result = run_checks(e, [0.5 * p + 0.01 * noise(i) for i, p in enumerate(predicted(e))])
    assert result["holds"].all()


def test_at_most_theory_holds_just_above_within_its_one_sided_band():
    e = experiment(GRID, [AT_MOST])
    sem = 0.01 / np.sqrt(REPLICATES)
    values = [p + sem * 0.5 + 0.01 * (noise(i) - noise(i).mean()) / noise(i).std(ddof=1)
              for i, p in enumerate(predicted(e))]
    assert run_checks(e, values)["holds"].all()


def test_at_most_theory_fails_ten_standard_errors_above_the_bound():
    e = experiment(GRID, [AT_MOST])
    sem = 0.01 / np.sqrt(REPLICATES)
    values = [p + 0.01 * noise(i) for i, p in enumerate(predicted(e))]
    values[2] = predicted(e)[2] + 10 * sem + 0.01 * (noise(9) - noise(9).mean()) / noise(
        9).std(ddof=1)
    assert list(run_checks(e, values)["holds"]) == [True, True, False, True]


# --- power_law ----------------------------------------------------------------------------


def power_law(exponent, **extra):
    return {"check": "power_law", "metric": "excess_risk", "parameter": "n_samples",
            "exponent": exponent, **extra}


def test_power_law_recovers_the_exponent_of_noisy_power_means():
    e = experiment(GRID, [power_law(-1.0)])
    # Means 3 / n with a 5% relative noise: the slope of log mean in log n is -1.
    values = [3 / n * (1 + 0.05 * noise(i)) for i, n in enumerate(GRID["n_samples"])]
    result = run_checks(e, values)
    assert result["holds"].all()
    assert result["measured"][0] == pytest.approx(-1.0, abs=0.02)


def test_power_law_fails_on_the_wrong_exponent():
    e = experiment(GRID, [power_law(-0.5)])
    values = [3 / n * (1 + 0.05 * noise(i)) for i, n in enumerate(GRID["n_samples"])]
    assert not run_checks(e, values)["holds"].any()


def test_power_law_tolerance_widens_the_band():
    e = experiment(GRID, [power_law(-0.9, tolerance=0.2)])
    values = [3 / n * (1 + 0.05 * noise(i)) for i, n in enumerate(GRID["n_samples"])]
    assert run_checks(e, values)["holds"].all()


def test_power_law_with_a_nonpositive_mean_is_a_failed_claim():
    e = experiment(GRID, [power_law(-1.0)])
    values = [np.full(REPLICATES, -1.0)] + [3 / n + 0 * noise(i)
                                           for i, n in enumerate(GRID["n_samples"][1:])]
    result = run_checks(e, values)
    assert not result["holds"].any() and "not positive" in result["claim"][0]


# --- lowest --------------------------------------------------------------------------------

LOWEST = {"check": "lowest", "metric": "excess_risk", "parameter": "n_features",
          "lowest": 2}
RANKED = {"n_samples": [50], "n_features": [2, 5, 10]}


def test_lowest_resolves_a_small_gap_under_shared_noise_by_pairing():
    e = experiment(RANKED, [LOWEST])
    shared = noise(0, scale=10.0)  # each replicate's common part, far larger than the gap
    values = [shared, shared + 0.1 + 0.01 * noise(1), shared + 0.2 + 0.01 * noise(2)]
    result = run_checks(e, values)
    assert len(result) == 2 and result["holds"].all()
    # Unpaired, the standard error of the gap would be about 10 * sqrt(2 / 400) = 0.7.
    assert result["tolerance"].max() < 0.01


def test_lowest_fails_when_another_value_ties_or_is_below():
    e = experiment(RANKED, [{**LOWEST, "than": [5, 10]}])
    base = noise(0)
    values = [base, base + 0.01 * noise(1), base - 0.5]
    assert list(run_checks(e, values)["holds"]) == [False, False]


def test_lowest_compares_with_every_other_value_when_than_is_omitted():
    e = experiment(RANKED, [{**LOWEST, "lowest": 5}])
    base = noise(0)
    result = run_checks(e, [base + 1, base, base + 2])
    assert list(result["holds"]) == [True, True]
    assert "n_features=2" in result["claim"][0] and "n_features=10" in result["claim"][1]


def test_lowest_refuses_values_the_parameter_does_not_take():
    with pytest.raises(ConfigError, match=r"checks\[0\]\.than.*7 is not a value"):
        experiment(RANKED, [{**LOWEST, "than": [5, 7]}])


# --- measurement settings -----------------------------------------------------------------


def conditional_experiment(evaluation, grid=None):
    raw = {
        "seed": 1,
        "datasets": {"law": {"generator": "conditional_law",
                             "params": {"law": "bernoulli", "n_samples": 20}}},
        "experiments": {"e": {
            "chapter": "c", "title": "t", "description": "d", "dataset": "law",
            "estimator": "KNeighborsRegressor",
            "grid": grid or {"predictor": ["bayes", "random"]},
            "evaluation": {"protocol": "monte_carlo", "replicates": 3, **evaluation},
            "metrics": ["prediction_risk"],
            "figure": [{"metric": "prediction_risk", "x": "predictor"}],
        }},
    }
    return load_config(raw)


def test_a_setting_a_metric_reads_must_be_set():
    with pytest.raises(ConfigError, match=r"metrics\[0\]: prediction_risk reads the setting "
                                          r"'test_samples'"):
        conditional_experiment({})


def test_a_setting_no_metric_reads_is_refused():
    with pytest.raises(ConfigError, match=r"evaluation\.threshold: no metric of this "
                                          "experiment reads 'threshold'"):
        conditional_experiment({"test_samples": 10, "threshold": 0.1})


def test_a_setting_of_another_protocol_is_refused():
    raw = conditional_experiment({"test_samples": 10}).experiments["e"].spec
    assert raw["evaluation"]["test_samples"] == 10
    with pytest.raises(ConfigError, match=r"evaluation\.test_samples: only the monte_carlo"):
        load_config({
            "seed": 1, "datasets": {"d": {"bundled": "diabetes"}},
            "experiments": {"e": {
                "chapter": "c", "title": "t", "description": "d", "dataset": "d",
                "estimator": "OLS", "grid": {"fit_intercept": [True]},
                "evaluation": {"protocol": "cross_validation", "test_samples": 10},
                "metrics": ["mean_squared_error"],
                "figure": [{"metric": "mean_squared_error", "x": "fit_intercept"}]}},
        })


def test_an_unknown_predictor_is_refused_before_any_job():
    with pytest.raises(ConfigError, match="unknown predictor 'oracle'"):
        conditional_experiment({"test_samples": 10}, grid={"predictor": ["bayes", "oracle"]})


def test_every_predictor_of_a_replicate_is_scored_on_the_same_test_sample():
    from ftml.experiments.protocols.monte_carlo import run_point

    config = conditional_experiment({"test_samples": 50},
                                    grid={"predictor": ["bayes", "median", "mode"]})
    e = config.experiments["e"]
    model = __import__("ftml").datasets.make_conditional_law("bernoulli", n_samples=20)
    rows = [run_point(e.protocol.training_job(config, e, point), model)[1]
            for point in e.points]
    # For a Bernoulli law the median and the mode are the Bayes classifier: on a shared
    # test sample their Monte-Carlo risks are equal replicate by replicate.
    assert rows[0] == [[name, *row[1:]] for name, row in zip(["bayes"] * 3, rows[1])]
    assert [row[2] for row in rows[0]] == [row[2] for row in rows[2]]


# --- bounded_by ----------------------------------------------------------------------------


def bounded_experiment():
    raw = {"seed": 1,
           "datasets": {"g": {"generator": "linear_gaussian", "params": {"design": "fixed"}}},
           "experiments": {"e": {
               "chapter": "c", "title": "t", "description": "d", "dataset": "g",
               "estimator": "OLS", "grid": {"n_samples": [20, 40], "n_features": [2]},
               "evaluation": {"protocol": "monte_carlo", "replicates": 5},
               "metrics": ["excess_risk", "empirical_risk"],
               "checks": [{"check": "bounded_by", "metric": "excess_risk",
                           "bound": "empirical_risk"}],
               "figure": [{"metric": "excess_risk", "x": "n_samples"}]}}}
    return load_config(raw).experiments["e"]


def bounded_verdicts(e, values, bounds):
    rows = []
    for point, point_values, point_bounds in zip(e.points, values, bounds):
        rows += [[*point.params.values(), r, v, b]
                 for r, (v, b) in enumerate(zip(point_values, point_bounds))]
    long = pd.DataFrame(rows, columns=[*e.grid_names, "replicate", "excess_risk",
                                       "empirical_risk"])
    summary = summary_table(long, e.grid_names, ["excess_risk", "empirical_risk"])
    return verdicts(e, long, summary, theory_table(e, {}))


def test_bounded_by_holds_row_by_row_and_reports_the_worst_ratio():
    e = bounded_experiment()
    result = bounded_verdicts(e, [[0.1, 0.2, 0.0, 0.5, 0.3]] * 2, [[1.0, 0.4, 0.0, 0.5, 1.0]] * 2)
    assert result["holds"].all() and result["measured"].tolist() == [1.0, 1.0]


def test_bounded_by_fails_when_one_row_exceeds_even_if_the_means_do_not():
    e = bounded_experiment()
    values = [[0.1, 0.2, 0.3, 0.4, 0.9], [0.1] * 5]
    bounds = [[1.0, 1.0, 1.0, 1.0, 0.8], [1.0] * 5]  # the mean bound 0.96 > mean 0.38
    result = bounded_verdicts(e, values, bounds)
    assert list(result["holds"]) == [False, True]
    assert result["measured"][0] == pytest.approx(0.9 / 0.8)


def test_bounded_by_negative_bounds_report_the_largest_difference():
    e = bounded_experiment()
    values = [[-5.0, -3.0, -2.5, -4.0, -9.0], [-1.0] * 5]
    bounds = [[-4.0, -2.0, -2.0, -1.0, -8.0], [-2.0] * 5]  # a log-likelihood: ratios mislead
    result = bounded_verdicts(e, values, bounds)
    assert list(result["holds"]) == [True, False]
    assert result["measured"].tolist() == [-0.5, 1.0]
    assert "largest difference -0.5" in result["claim"][0]


def test_bounded_by_a_zero_bound_admits_only_zero():
    e = bounded_experiment()
    result = bounded_verdicts(e, [[0.0] * 5, [0.0, 0.0, 1e-6, 0.0, 0.0]], [[0.0] * 5] * 2)
    assert list(result["holds"]) == [True, False]
