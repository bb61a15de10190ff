"""Tests for ftml.experiments.tables and ftml.experiments.checks on hand-made tables.

The tables are built here with known answers; the experiments come from load_config, so
that the checks see the same objects as in the workflow.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ftml.experiments.checks import VERDICT_COLUMNS, verdicts
from ftml.experiments.config import load_config
from ftml.experiments.tables import (
    SUMMARY_COLUMNS,
    long_table,
    summary_table,
    theory_names,
    theory_table,
    write_csv,
)


def experiment(grid, checks, *, dataset_params=None, estimator="OLS", replicates=5):
    """One validated experiment named ``e`` on a fixed-design generator."""
    params = {"design": "fixed", **(dataset_params or {})}
    metrics = sorted({check["metric"] for check in checks})
    names = list(grid)
    panel = {"metric": metrics[0], "x": names[-1]}
    if len(names) > 1:
        panel["hue"] = names[0]
    raw = {
        "seed": 1,
        "datasets": {"g": {"generator": "linear_gaussian", "params": params}},
        "experiments": {
            "e": {
                "chapter": "c",
                "title": "t",
                "description": "d",
                "dataset": "g",
                "estimator": estimator,
                "estimator_params": {"fit_intercept": False},
                "grid": grid,
                "evaluation": {"protocol": "monte_carlo", "replicates": replicates},
                "metrics": metrics,
                "checks": checks,
                "figure": [panel],
            }
        },
    }
    return load_config(raw).experiments["e"]


def matches(level=None):
    check = {"check": "matches_theory", "metric": "excess_risk",
             "theory": "ols_fixed_design_excess_risk"}
    return check if level is None else {**check, "level": level}


def long_from(experiment, values, metric="excess_risk"):
    """A long table with ``values[i]`` the replicates of grid point i."""
    rows = []
    for point, point_values in zip(experiment.points, values):
        rows += [[*point.params.values(), r, v] for r, v in enumerate(point_values)]
    return pd.DataFrame(rows, columns=[*experiment.grid_names, "replicate", metric])


def tables(experiment, values, metric="excess_risk"):
    long = long_from(experiment, values, metric)
    summary = summary_table(long, experiment.grid_names, [metric])
    return long, summary, theory_table(experiment, {})


# --- summary_table --------------------------------------------------------------------------


def test_summary_statistics_against_numpy_and_scipy():
    values = {(50, 2): [1.0, 2.0, 4.0, 7.0], (10, 2): [0.5, 0.25, 3.0], (10, 5): [2.0, 2.5]}
    rows = [[n, d, r, v, -v] for (n, d), vs in values.items() for r, v in enumerate(vs)]
    long = pd.DataFrame(rows, columns=["n", "d", "replicate", "risk", "score"])
    summary = summary_table(long, ["n", "d"], ["risk", "score"])
    assert list(summary.columns) == ["n", "d", *SUMMARY_COLUMNS]
    # Grid order of first appearance, not sorted; metrics in the order asked.
    assert list(zip(summary["n"], summary["d"], summary["metric"])) == [
        (50, 2, "risk"), (50, 2, "score"), (10, 2, "risk"), (10, 2, "score"),
        (10, 5, "risk"), (10, 5, "score"),
    ]
    for (n, d), vs in values.items():
        x = np.array(vs)
        row = summary[(summary["n"] == n) & (summary["d"] == d) & (summary["metric"] == "risk")]
        row = row.iloc[0]
        sem = x.std(ddof=1) / np.sqrt(x.size)
        assert row["count"] == x.size
        assert row["mean"] == pytest.approx(x.mean(), rel=1e-14)
        assert row["std"] == pytest.approx(x.std(ddof=1), rel=1e-14)
        assert row["sem"] == pytest.approx(sem, rel=1e-14)
        low, high = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=sem)
        assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((low, high), rel=1e-12)
        negated = summary[(summary["n"] == n) & (summary["d"] == d)
                          & (summary["metric"] == "score")].iloc[0]
        assert negated["mean"] == pytest.approx(-x.mean()) and negated["std"] == row["std"]


def test_summary_of_a_constant_point_has_zero_spread():
    long = pd.DataFrame({"alpha": [1.0] * 3, "replicate": [0, 1, 2], "risk": [2.5] * 3})
    row = summary_table(long, ["alpha"], ["risk"]).iloc[0]
    assert (row["mean"], row["std"], row["sem"], row["ci95_low"], row["ci95_high"]) == (
        2.5, 0.0, 0.0, 2.5, 2.5)


def test_summary_of_one_replicate_has_no_spread():
    long = pd.DataFrame({"alpha": [0.1, 1.0], "replicate": [0, 0], "risk": [3.0, 4.0]})
    summary = summary_table(long, ["alpha"], ["risk"])
    assert list(summary["count"]) == [1, 1]
    assert list(summary["mean"]) == [3.0, 4.0]
    for column in ("std", "sem", "ci95_low", "ci95_high"):
        assert summary[column].isna().all(), column


def test_summary_counts_folds_as_rows():
    long = pd.DataFrame({"alpha": [1.0] * 6, "replicate": [0, 0, 0, 1, 1, 1],
                         "fold": [0, 1, 2] * 2, "mse": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    row = summary_table(long, ["alpha"], ["mse"]).iloc[0]
    assert row["count"] == 6 and row["mean"] == 3.5


def test_csv_round_trip_keeps_every_digit(tmp_path):
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"alpha": [1e-5, 0.1, 1 / 3], "risk": rng.standard_normal(3) / 7})
    write_csv(table, tmp_path / "t.csv")
    back = long_table([tmp_path / "t.csv", tmp_path / "t.csv"])
    np.testing.assert_array_equal(back["risk"].to_numpy(), np.tile(table["risk"].to_numpy(), 2))
    np.testing.assert_array_equal(back["alpha"].to_numpy()[:3], table["alpha"].to_numpy())
    first = (tmp_path / "t.csv").read_bytes()
    write_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == first


def test_theory_table_evaluates_each_point():
    e = experiment({"n_samples": [20, 40], "n_features": [2, 5]}, [matches()])
    theory = theory_table(e, {})
    assert theory_names(e.spec) == ["ols_fixed_design_excess_risk"]
    assert list(theory.columns) == ["n_samples", "n_features", "ols_fixed_design_excess_risk"]
    expected = [d / n for n, d in [(20, 2), (20, 5), (40, 2), (40, 5)]]  # sigma = 1
    np.testing.assert_allclose(theory["ols_fixed_design_excess_risk"], expected, rtol=1e-15)


# --- matches_theory -------------------------------------------------------------------------

# Replicates with mean 0 and known spread: std = sqrt(2.5), sem = sqrt(2.5 / 5).
OFFSETS = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
SEM = np.sqrt(2.5 / 5)


def test_matches_theory_holds_when_the_mean_is_the_theory():
    e = experiment({"n_samples": [20, 40], "n_features": [2, 5]}, [matches()])
    predicted = theory_table(e, {})["ols_fixed_design_excess_risk"]
    result = verdicts(e, *tables(e, [p + OFFSETS for p in predicted]))
    assert list(result.columns) == VERDICT_COLUMNS
    assert len(result) == 4 and result["holds"].all()
    assert result["holds"].dtype == bool
    np.testing.assert_allclose(result["measured"], predicted, rtol=1e-12)
    assert result["claim"][0].startswith(
        "mean excess_risk = σ² d / n at n_samples=20, n_features=2"
    )


def test_matches_theory_fails_ten_standard_errors_off_without_raising():
    e = experiment({"n_samples": [20, 40], "n_features": [2, 5]}, [matches()])
    predicted = theory_table(e, {})["ols_fixed_design_excess_risk"].to_numpy()
    shifted = [p + OFFSETS for p in predicted]
    shifted[2] = shifted[2] + 10 * SEM  # one point, ten standard errors above
    result = verdicts(e, *tables(e, shifted))
    assert list(result["holds"]) == [True, True, False, True]
    assert result["measured"][2] == pytest.approx(predicted[2] + 10 * SEM)


@pytest.mark.parametrize("m_grid", [[20], [20, 40], [20, 40, 80, 160]])
def test_matches_theory_band_is_bonferroni_corrected(m_grid):
    m, count, level = len(m_grid), OFFSETS.size, 0.01
    e = experiment({"n_samples": m_grid, "n_features": [2]}, [matches()])
    predicted = theory_table(e, {})["ols_fixed_design_excess_risk"].to_numpy()
    result = verdicts(e, *tables(e, [p + OFFSETS for p in predicted]))
    # The standard error is estimated from `count` values: Student's t, count - 1 d.o.f.
    z = stats.t.ppf(1 - level / (2 * m), count - 1)
    np.testing.assert_allclose(result["tolerance"], z * SEM, rtol=1e-12)
    # Just inside the band holds, just outside fails.
    for factor, holds in [(0.99, True), (1.01, False)]:
        values = [p + OFFSETS + factor * z * SEM for p in predicted]
        assert verdicts(e, *tables(e, values))["holds"].tolist() == [holds] * m


def test_matches_theory_band_tends_to_the_normal_bonferroni_z():
    # With many replicates, Student's t is the normal: z = Phi^-1(1 - level / (2 m)).
    from statistics import NormalDist

    e = experiment({"n_samples": [20, 40, 80], "n_features": [2]}, [matches()])
    theory = theory_table(e, {})
    summary = theory.rename(columns={"ols_fixed_design_excess_risk": "mean"})
    summary = summary.assign(metric="excess_risk", count=10**7, std=1.0, sem=1.0)
    result = verdicts(e, None, summary, theory)
    expected = NormalDist().inv_cdf(1 - 0.01 / (2 * 3))
    np.testing.assert_allclose(result["tolerance"], expected, rtol=1e-5)
    assert result["holds"].all()


def test_matches_theory_band_has_a_rounding_floor():
    # A deterministic metric (sem 0) equal to the theory up to rounding still matches.
    e = experiment({"n_samples": [20, 40], "n_features": [2]}, [matches()], replicates=2)
    predicted = theory_table(e, {})["ols_fixed_design_excess_risk"].to_numpy()
    result = verdicts(e, *tables(e, [[p * (1 + 1e-15)] * 2 for p in predicted]))
    assert result["holds"].all()
    result = verdicts(e, *tables(e, [[p * (1 + 1e-6)] * 2 for p in predicted]))
    assert not result["holds"].any()


def test_matches_theory_errs_at_its_level_when_the_theory_is_exact():
    """200 simulated experiments, 10 points, 5 normal replicates each, level 0.05.

    Bonferroni bounds the chance that an exact theory fails anywhere by 1 - (1 - 0.005)^10
    = 4.9%, so the number of failing experiments is at most Binomial(200, 0.049): mean 9.8,
    standard deviation 3.1. Accepted: 1 to 18 failures (at most 9%, 2.7 SD above the mean;
    at least one, or the band would be vacuous). With the normal quantile instead of
    Student's t (the code before this test), 72 of these 200 failed. As a power check,
    shifting one point by 4 replicate SDs (about 9 SE) must fail in at least 45 of 50 experiments.
    """
    grid = {"n_samples": [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "n_features": [2]}
    e = experiment(grid, [matches(level=0.05)])
    theory = theory_table(e, {})
    predicted = theory["ols_fixed_design_excess_risk"].to_numpy()
    rng = np.random.default_rng(20260101)
    simulations, replicates = 200, 5
    noise = rng.standard_normal((simulations, len(predicted), replicates))
    values = predicted[None, :, None] + noise

    def failures(values):
        # One summary for all simulations, with the simulation as an extra key, then one
        # verdict per simulation.
        longs = []
        for index, draw in enumerate(values):
            longs.append(long_from(e, draw).assign(simulation=index))
        summary = summary_table(pd.concat(longs), ["simulation", *e.grid_names], ["excess_risk"])
        count = 0
        for index, one in summary.groupby("simulation", sort=False):
            count += not verdicts(e, None, one.drop(columns="simulation"), theory)["holds"].all()
        return count

    assert 1 <= failures(values) <= 18
    shifted = values[:50].copy()
    shifted[:, 4] += 4.0
    assert failures(shifted) >= 45


# --- below_theory ---------------------------------------------------------------------------


def below(level=None):
    check = {"check": "below_theory", "metric": "excess_risk",
             "theory": "ols_fixed_design_excess_risk"}
    return check if level is None else {**check, "level": level}


def ridge_experiment(checks):
    return experiment({"alpha": [0.01, 0.1, 1.0]}, checks, estimator="Ridge",
                      dataset_params={"n_samples": 30, "n_features": 3})


def test_below_theory_judges_the_best_point_one_sided():
    e = ridge_experiment([below()])
    ols = 3 / 30  # sigma^2 d / n, the same at every alpha
    z = stats.t.ppf(1 - 0.01, OFFSETS.size - 1)
    # The best point (alpha = 0.1) is 2 bands below the theory: holds.
    means = [ols + 0.5, ols - 2 * z * SEM, ols + 1.0]
    result = verdicts(e, *tables(e, [m + OFFSETS for m in means]))
    assert len(result) == 1
    row = result.iloc[0]
    assert bool(row["holds"]) and row["predicted"] == pytest.approx(ols)
    assert row["measured"] == pytest.approx(means[1])
    assert row["tolerance"] == pytest.approx(z * SEM)
    assert "best at alpha=0.1" in row["claim"]
    # Below the theory, but by less than the band: fails.
    means[1] = ols - 0.5 * z * SEM
    assert not verdicts(e, *tables(e, [m + OFFSETS for m in means]))["holds"][0]
    # Above the theory everywhere: fails.
    assert not verdicts(e, *tables(e, [ols + 1 + OFFSETS] * 3))["holds"][0]


# --- selects_near_theory --------------------------------------------------------------------

ORACLE = "ridge_oracle_alpha"


def selects(factor=None):
    check = {"check": "selects_near_theory", "metric": "cv_mean_squared_error",
             "parameter": "alpha", "theory": ORACLE}
    return check if factor is None else {**check, "factor": factor}


def ridge_selection(grid):
    return experiment(grid, [selects()], estimator="Ridge",
                      dataset_params={"n_samples": 30, "n_features": 3}, replicates=3)


def test_selects_near_theory_takes_the_median_of_per_replicate_argmins():
    e = ridge_selection({"alpha": [0.1, 1.0, 10.0]})
    # Rows (alpha, replicate, metric): replicate 0 and 1 pick alpha = 1, replicate 2 picks 10.
    metric = {0: [3.0, 1.0, 2.0], 1: [5.0, 4.0, 4.5], 2: [9.0, 8.0, 0.5]}
    rows = [[alpha, r, metric[r][i]] for i, alpha in enumerate([0.1, 1.0, 10.0]) for r in metric]
    long = pd.DataFrame(rows, columns=["alpha", "replicate", "cv_mean_squared_error"])
    for predicted, holds in [(1.0, True), (3.0, True), (1 / 3, True), (3.1, False), (0.32, False)]:
        theory = pd.DataFrame({"alpha": [0.1, 1.0, 10.0], ORACLE: [predicted] * 3})
        result = verdicts(e, long, None, theory)
        assert len(result) == 1
        row = result.iloc[0]
        assert row["measured"] == 1.0 and row["predicted"] == predicted
        assert row["tolerance"] == 3.0  # the default factor
        assert bool(row["holds"]) is holds, predicted
    assert "median over 3 replicates" in row["claim"]


def test_selects_near_theory_uses_its_factor():
    e = ridge_selection({"alpha": [0.1, 1.0, 10.0]})
    e.spec["checks"][0]["factor"] = 12.0
    long = pd.DataFrame({"alpha": [0.1, 1.0, 10.0], "replicate": [0, 0, 0],
                         "cv_mean_squared_error": [0.0, 1.0, 2.0]})
    theory = pd.DataFrame({"alpha": [0.1, 1.0, 10.0], ORACLE: [1.0] * 3})
    assert bool(verdicts(e, long, None, theory)["holds"][0])  # 10x off, factor 12
    e.spec["checks"][0]["factor"] = 9.0
    assert not verdicts(e, long, None, theory)["holds"][0]


def test_selects_near_theory_averages_folds_before_selecting():
    e = ridge_selection({"alpha": [0.1, 1.0]})
    # Fold 0 alone would pick alpha = 0.1; the fold means (5 vs 3) pick alpha = 1.
    rows = [[0.1, 0, 0, 0.0], [0.1, 0, 1, 10.0], [1.0, 0, 0, 3.0], [1.0, 0, 1, 3.0],
            [0.1, 1, 0, 1.0], [0.1, 1, 1, 1.0], [1.0, 1, 0, 0.0], [1.0, 1, 1, 4.0]]
    long = pd.DataFrame(rows, columns=["alpha", "replicate", "fold", "cv_mean_squared_error"])
    theory = pd.DataFrame({"alpha": [0.1, 1.0], ORACLE: [1.0, 1.0]})
    row = verdicts(e, long, None, theory).iloc[0]
    # Replicate 0 picks 1.0 (means 5 vs 3), replicate 1 picks 0.1 (means 1 vs 2).
    assert row["measured"] == pytest.approx(np.median([1.0, 0.1]))
    assert "median over 2 replicates" in row["claim"]


def test_selects_near_theory_groups_by_the_other_grid_parameters():
    e = ridge_selection({"n_features": [2, 3], "alpha": [0.1, 1.0, 10.0]})
    alphas = [0.1, 1.0, 10.0]
    best = {2: 0.1, 3: 10.0}  # for every replicate
    rows = [[d, a, r, 0.0 if a == best[d] else 1.0 + r]
            for d in (2, 3) for a in alphas for r in range(3)]
    long = pd.DataFrame(rows, columns=["n_features", "alpha", "replicate",
                                       "cv_mean_squared_error"])
    theory = pd.DataFrame({"n_features": [2] * 3 + [3] * 3, "alpha": alphas * 2,
                           ORACLE: [0.2] * 3 + [1.0] * 3})
    result = verdicts(e, long, None, theory)
    assert len(result) == 2
    assert list(result["measured"]) == [0.1, 10.0]
    assert list(result["predicted"]) == [0.2, 1.0]
    assert list(result["holds"]) == [True, False]  # 2x off holds, 10x off fails
    assert "at n_features=2" in result["claim"][0] and "at n_features=3" in result["claim"][1]


def test_selects_near_theory_at_alpha_zero_is_a_verdict_not_an_error():
    e = ridge_selection({"alpha": [0.0, 1.0]})
    long = pd.DataFrame({"alpha": [0.0, 1.0], "replicate": [0, 0],
                         "cv_mean_squared_error": [0.5, 1.0]})
    theory = pd.DataFrame({"alpha": [0.0, 1.0], ORACLE: [1.0, 1.0]})
    row = verdicts(e, long, None, theory).iloc[0]
    assert row["measured"] == 0.0 and not row["holds"]
    theory[ORACLE] = 0.0  # both zero: the selection is exact
    assert bool(verdicts(e, long, None, theory)["holds"][0])


@pytest.mark.parametrize("criterion, curve, selected", [
    ("minimum", [5.0, 1.0, 2.0, 3.0, 4.0], 2.0),
    ("maximum", [5.0, 1.0, 2.0, 3.0, 4.0], 1.0),
    # Falls by x10 twice, then by x1.25: log second differences 0, log 8, 0.
    ("elbow", [1000.0, 100.0, 10.0, 8.0, 6.4], 3.0),
    # On the linear scale the largest second difference would be the first (900 - 90).
])
def test_selects_near_theory_by_each_criterion(criterion, curve, selected):
    e = ridge_selection({"alpha": [1.0, 2.0, 3.0, 4.0, 5.0]})
    e.spec["checks"][0].update(criterion=criterion, factor=1.0)
    alphas = [1.0, 2.0, 3.0, 4.0, 5.0]
    # Listed out of order: a curve is sorted along the parameter before selecting.
    order = [4, 0, 3, 1, 2]
    long = pd.DataFrame({"alpha": [alphas[i] for i in order], "replicate": 0,
                         "cv_mean_squared_error": [curve[i] for i in order]})
    for predicted in alphas:
        theory = pd.DataFrame({"alpha": alphas, ORACLE: [predicted] * 5})
        row = verdicts(e, long, None, theory).iloc[0]
        assert row["measured"] == selected
        assert bool(row["holds"]) is (predicted == selected)  # factor 1: exactly
    assert f"at the {criterion} of" in row["claim"] and "equal to" in row["claim"]


def test_an_elbow_needs_positive_values():
    e = ridge_selection({"alpha": [1.0, 2.0, 3.0]})
    e.spec["checks"][0]["criterion"] = "elbow"
    long = pd.DataFrame({"alpha": [1.0, 2.0, 3.0], "replicate": 0,
                         "cv_mean_squared_error": [2.0, 1.0, 0.0]})
    theory = pd.DataFrame({"alpha": [1.0, 2.0, 3.0], ORACLE: [1.0] * 3})
    row = verdicts(e, long, None, theory).iloc[0]
    assert not row["holds"] and "positive values" in row["claim"]


def test_an_elbow_needs_three_values():
    e = ridge_selection({"alpha": [1.0, 2.0]})
    e.spec["checks"][0]["criterion"] = "elbow"
    long = pd.DataFrame({"alpha": [1.0, 2.0], "replicate": 0,
                         "cv_mean_squared_error": [1.0, 0.0]})
    theory = pd.DataFrame({"alpha": [1.0, 2.0], ORACLE: [1.0, 1.0]})
    row = verdicts(e, long, None, theory).iloc[0]
    assert not row["holds"] and "at least 3 values" in row["claim"]


def test_identity_holds_to_its_tolerance_in_every_row():
    e = experiment({"n_features": [2], "n_samples": [20, 40]},
                   [{"check": "identity", "metric": "excess_risk", "tolerance": 1e-12}])
    long = pd.DataFrame({"n_features": 2, "n_samples": [20, 20, 40, 40],
                         "replicate": [0, 1, 0, 1],
                         "excess_risk": [1e-15, -3e-13, 2e-16, -2e-12]})
    result = verdicts(e, long, None, None)
    assert list(result["holds"]) == [True, False]  # one row of 40 is off by 2e-12
    assert list(result["measured"]) == [3e-13, 2e-12]
    assert "each of the 2 rows at n_features=2, n_samples=20" in result["claim"][0]


def test_verdicts_of_several_checks_in_config_order():
    e = experiment({"n_samples": [20, 40], "n_features": [2]}, [matches(), below()])
    predicted = theory_table(e, {})["ols_fixed_design_excess_risk"]
    result = verdicts(e, *tables(e, [p + OFFSETS for p in predicted]))
    assert list(result["experiment"]) == ["e"] * 3
    assert list(result["holds"]) == [True, True, False]
    assert result["claim"][2].startswith("min over the grid")


def test_ordered_with_a_negative_margin_allows_that_much_above():
    e = experiment({"n_features": [2], "n_samples": [20, 40]},
                   [{"check": "ordered", "metric": "excess_risk", "parameter": "n_samples",
                     "lower": 20, "higher": 40, "margin": -0.1}])
    long = pd.DataFrame({"n_features": 2, "n_samples": [20, 20, 40, 40], "replicate": [0, 1] * 2,
                         "excess_risk": [1.05, 1.05, 1.0, 1.0]})
    summary = summary_table(long, e.grid_names, ["excess_risk"])
    row = verdicts(e, long, summary, None).iloc[0]
    assert row["holds"] and "above it by at most 0.1" in row["claim"]
    long["excess_risk"] = [1.2, 1.2, 1.0, 1.0]
    summary = summary_table(long, e.grid_names, ["excess_risk"])
    assert not verdicts(e, long, summary, None)["holds"].iloc[0]


def test_a_negative_margin_of_a_monotone_claim_is_refused():
    from ftml.experiments.config import ConfigError

    with pytest.raises(ConfigError) as info:
        experiment({"n_features": [2], "n_samples": [20, 40]},
                   [{"check": "monotone", "metric": "excess_risk", "parameter": "n_samples",
                     "direction": "decreasing", "margin": -1}])
    assert any(path.endswith("margin") for path, _ in info.value.problems)
