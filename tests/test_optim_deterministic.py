"""Deterministic optimisers against closed forms, the course's rates and scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression

from ftml.exceptions import ConvergenceWarning
from ftml.linear_model import Ridge
from ftml.losses import LinearObjective
from ftml.optim import HistoryRecorder, OptimizeResult, finish, minimize
from ftml.optim._result import DIVERGENCE_FACTOR
from ftml.optim.gd import gradient_descent
from ftml.optim.lbfgs import lbfgs
from ftml.optim.momentum import heavy_ball, nesterov


def _least_squares(n, d, seed=0, noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X, X @ rng.standard_normal(d) + noise * rng.standard_normal(n)


def _quadratic_with_condition_number(kappa, n=200, d=20, seed=0):
    """Least squares whose Hessian X^T X / n has eigenvalues geomspace(1, kappa)."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = np.sqrt(n) * (U * np.sqrt(np.geomspace(1.0, kappa, d))) @ V.T
    y = X @ rng.standard_normal(d) + rng.standard_normal(n)
    return LinearObjective(X, y, "square")


def _classification(n, d, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.3
    y = np.where(X @ rng.standard_normal(d) + rng.standard_normal(n) > 0, 1.0, -1.0)
    return X, y


def _assert_clean_history(result):
    lengths = {len(column) for column in result.history.values()}
    assert len(lengths) == 1
    for name, column in result.history.items():
        if name == "gradient_cosine":  # undefined (None) at the start only
            assert column[0] is None
            column = column[1:]
        assert np.all(np.isfinite(np.asarray(column, dtype=float)))


def test_exact_line_search_makes_successive_gradients_orthogonal_in_the_history():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((40, 8)), rng.standard_normal(40)
    result = gradient_descent(LinearObjective(X, y, "square"), line_search="exact", tol=1e-6)
    cosines = np.asarray(result.history["gradient_cosine"][1:], dtype=float)
    assert cosines.size > 5 and np.max(np.abs(cosines)) < 1e-8
    constant = gradient_descent(LinearObjective(X, y, "square"), tol=1e-6)
    # with a constant step 1/L successive gradients stay strongly aligned
    assert np.max(np.asarray(constant.history["gradient_cosine"][1:], dtype=float)) > 0.5


# --- The objective's alpha is the course Ridge's alpha ------------------------------------


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_gradient_descent_reaches_the_closed_form_ridge(fit_intercept):
    # (1/2n)||X t - y||^2 + (alpha/2)||t||^2 is half of Ridge's (1/n)||X t - y||^2 +
    # alpha ||t||^2, so the same alpha gives the same minimiser.
    X, y = _least_squares(50, 8)
    alpha = 0.7
    objective = LinearObjective(X, y, "square", alpha, fit_intercept=fit_intercept)
    result = gradient_descent(objective, tol=1e-12)
    ridge = Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
    expected = np.append(ridge.coef_, ridge.intercept_) if fit_intercept else ridge.coef_
    assert result.converged and not result.diverged
    np.testing.assert_allclose(result.coef, expected, rtol=1e-10, atol=1e-11)
    _assert_clean_history(result)
    assert result.history["passes"] == [float(k) for k in result.history["iteration"]]


# --- The course's rates for gradient descent with step 1/L ---------------------------------


def test_gd_sublinear_bound_holds_at_every_iteration_when_d_exceeds_n():
    X, y = _least_squares(30, 60)
    objective = LinearObjective(X, y, "square")
    theta_star = np.linalg.pinv(X) @ y  # minimum-norm minimiser, F* = 0 (interpolation)
    f_star = objective.value(theta_star)
    assert objective.strong_convexity() == 0.0 and f_star < 1e-25
    L = objective.smoothness()
    with pytest.warns(ConvergenceWarning, match="max_iter=300"):
        result = gradient_descent(objective, max_iter=300, tol=0.0, f_star=f_star,
                                  theta_star=theta_star)
    t = np.array(result.history["iteration"][1:], dtype=float)
    gap = np.array(result.history["suboptimality"][1:])
    bound = L * float(theta_star @ theta_star) / (2 * t)
    assert np.all(gap <= bound)
    # GD from 0 stays in the row space of X: it converges to the minimum-norm solution.
    assert result.history["distance"][-1] < 1e-3 * result.history["distance"][0]


def test_gd_linear_rate_when_strongly_convex():
    X, y = _least_squares(100, 10)
    objective = LinearObjective(X, y, "square", alpha=0.01)
    L, mu = objective.smoothness(), objective.strong_convexity()
    theta_star = np.linalg.solve(objective.hessian(np.zeros(10)), X.T @ y / 100)
    result = gradient_descent(objective, tol=1e-13, theta_star=theta_star)
    assert result.converged
    t = np.array(result.history["iteration"], dtype=float)
    distance = np.array(result.history["distance"])
    contraction = (1 - mu / L) ** (2 * t) * distance[0]
    # ||theta_t - theta*||^2 <= (1 - mu/L)^(2t) ||theta_0 - theta*||^2
    #                        <= exp(-2 t mu / L) ||theta_0 - theta*||^2,
    # up to the rounding floor of the distance (~ eps^2 ||theta*||^2 kappa).
    floor = 1e-24 * distance[0]
    assert np.all(distance <= contraction + floor)
    assert np.all(contraction <= np.exp(-2 * t * mu / L) * distance[0] * (1 + 1e-12))


def test_exact_line_search_gives_orthogonal_gradients_and_beats_the_best_constant_step():
    objective = _quadratic_with_condition_number(100.0, seed=1)
    L, mu = objective.smoothness(), objective.strong_convexity()
    gradients = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for k in range(1, 9):
            coef = gradient_descent(objective, line_search="exact", max_iter=k, tol=0).coef
            gradients.append(objective.gradient(coef))
    for previous, current in zip(gradients, gradients[1:]):
        cosine = previous @ current / (np.linalg.norm(previous) * np.linalg.norm(current))
        assert abs(cosine) < 1e-8
    exact = gradient_descent(objective, line_search="exact", tol=1e-8, max_iter=10_000)
    best = gradient_descent(objective, step=2 / (L + mu), tol=1e-8, max_iter=10_000)
    assert exact.converged and best.converged
    assert exact.n_iter < best.n_iter
    # One gradient and one Hessian-vector product per iteration.
    assert exact.history["passes"][-1] == 2 * exact.n_iter


def test_exact_line_search_needs_a_quadratic():
    X, y = _classification(20, 3)
    with pytest.raises(ValueError, match="needs a quadratic objective .*'logistic' loss"):
        gradient_descent(LinearObjective(X, y, "logistic"), line_search="exact")


def test_armijo_decreases_the_objective_and_converges_on_logistic():
    X, y = _classification(80, 5)
    objective = LinearObjective(X, y, "logistic", alpha=0.05, fit_intercept=True)
    reference = lbfgs(objective)
    result = gradient_descent(objective, line_search="armijo", tol=1e-10, max_iter=5000)
    assert result.converged
    assert np.all(np.diff(result.history["objective"]) <= 1e-15)
    assert result.history["passes"][-1] > result.n_iter  # trial evaluations count
    np.testing.assert_allclose(result.coef, reference.coef, rtol=1e-7, atol=1e-8)


def test_step_below_two_over_L_converges_and_above_diverges_without_nan():
    objective = _quadratic_with_condition_number(10.0)
    L = objective.smoothness()
    assert gradient_descent(objective, step=1.9 / L, tol=1e-8, max_iter=5000).converged
    with pytest.warns(ConvergenceWarning, match="gradient_descent diverged"):
        result = gradient_descent(objective, step=3.0 / L, max_iter=5000)
    assert result.diverged and not result.converged
    assert np.all(np.isfinite(result.coef)) and result.n_iter < 5000
    _assert_clean_history(result)


@pytest.mark.parametrize("kappa", [10.0, 1e3])
def test_a_step_of_3_over_L_is_flagged_within_a_few_iterations_while_finite(kappa):
    """(1 - 3) = -2 along the top eigenvector: the objective grows fourfold per iteration
    and crosses 1e6 times its start after about log(1e6) / log(4) = 10 iterations, some
    500 iterations before it would overflow."""
    objective = _quadratic_with_condition_number(kappa)
    start = objective.value(np.zeros(20))
    with pytest.warns(ConvergenceWarning, match=r"gradient_descent diverged at iteration "
                      r"\d+: the objective rose from .* by more than 1e\+06 times"):
        result = gradient_descent(objective, step=3.0 / objective.smoothness(), max_iter=5000)
    assert result.diverged and not result.converged and result.n_iter <= 15
    assert result.message.startswith(f"Diverged at iteration {result.n_iter}: the objective "
                                     "rose from")
    objectives = result.history["objective"]
    # the diverging iterate is not recorded; the last one is, and it is the result
    assert len(objectives) == result.n_iter
    assert start * 1e4 < objectives[-1] <= start * (1 + DIVERGENCE_FACTOR)
    assert objective.value(result.coef) == objectives[-1]


KAPPA = 1e3


@pytest.fixture(scope="module")
def ill_conditioned_gd():
    """A kappa = 1e3 quadratic and gradient descent's run on it (shared: ~13000 steps)."""
    objective = _quadratic_with_condition_number(KAPPA)
    return objective, gradient_descent(objective, tol=1e-6, max_iter=100_000)


@pytest.mark.parametrize("method", [heavy_ball, nesterov])
def test_momentum_needs_about_sqrt_kappa_iterations(method, ill_conditioned_gd):
    kappa = KAPPA
    objective, gd = ill_conditioned_gd
    fast = method(objective, tol=1e-6, max_iter=100_000)
    assert gd.converged and fast.converged
    # GD needs ~ kappa log(1/eps) iterations, the accelerated methods ~ sqrt(kappa) log(1/eps).
    assert gd.n_iter / fast.n_iter > np.sqrt(kappa) / 3
    np.testing.assert_allclose(fast.coef, gd.coef, rtol=1e-5, atol=1e-6)


def test_nesterov_convex_bound_when_d_exceeds_n():
    X, y = _least_squares(30, 60, seed=3)
    objective = LinearObjective(X, y, "square")
    theta_star = np.linalg.pinv(X) @ y
    L = objective.smoothness()
    with pytest.warns(ConvergenceWarning):
        result = nesterov(objective, max_iter=300, tol=0.0, f_star=0.0)
    t = np.array(result.history["iteration"][1:], dtype=float)
    gap = np.array(result.history["suboptimality"][1:])
    # F(theta_k) - F* <= 2 L ||theta_0 - theta*||^2 / (k + 1)^2.
    assert np.all(gap <= 2 * L * float(theta_star @ theta_star) / (t + 1) ** 2)


def test_heavy_ball_defaults_need_strong_convexity():
    X, y = _least_squares(10, 30)
    with pytest.raises(ValueError, match="strong_convexity\\(\\) == 0.0"):
        heavy_ball(LinearObjective(X, y, "square"))
    with pytest.raises(ValueError, match="momentum='strongly_convex'"):
        nesterov(LinearObjective(X, y, "square"), momentum="strongly_convex")


@pytest.mark.parametrize("solver", [gradient_descent, heavy_ball, nesterov, lbfgs],
                         ids=lambda f: f.__name__)
def test_convergence_warning_at_max_iter(solver):
    objective = _quadratic_with_condition_number(100.0)
    name = "gradient_descent" if solver is gradient_descent else solver.__name__
    with pytest.warns(ConvergenceWarning,
                      match=f"{name} did not converge: it reached max_iter=2 .*gradient"):
        result = solver(objective, max_iter=2, tol=1e-12)
    assert result.n_iter == 2 and not result.converged and not result.diverged
    assert isinstance(result, OptimizeResult) and result.coef.shape == (20,)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_lbfgs_matches_sklearn_logistic_regression(fit_intercept):
    X, y = _classification(120, 6)
    alpha = 0.05
    n = X.shape[0]
    objective = LinearObjective(X, y, "logistic", alpha, fit_intercept=fit_intercept)
    result = lbfgs(objective)
    assert result.converged
    # scikit-learn minimises ||w||^2 / 2 + C sum_i log(1 + exp(-y_i (x_i^T w + b))): our
    # objective times 1 / alpha when C = 1 / (alpha n).
    sklearn_model = SklearnLogisticRegression(C=1 / (alpha * n), solver="lbfgs", tol=1e-12,
                                              max_iter=10_000, fit_intercept=fit_intercept)
    sklearn_model.fit(X, y)
    theta = sklearn_model.coef_.ravel()
    if fit_intercept:
        theta = np.append(theta, sklearn_model.intercept_)
    assert objective.value(result.coef) == pytest.approx(objective.value(theta), rel=1e-8)
    assert objective.value(result.coef) <= objective.value(theta) * (1 + 1e-14)
    np.testing.assert_allclose(result.coef, theta, rtol=1e-6, atol=1e-7)


def test_gd_and_nesterov_reach_the_lbfgs_optimum_of_logistic():
    X, y = _classification(100, 4, seed=5)
    objective = LinearObjective(X, y, "logistic", 0.1, fit_intercept=True)
    reference = lbfgs(objective)
    f_star = objective.value(reference.coef)
    for method in (gradient_descent, nesterov):
        result = method(objective, tol=1e-10, max_iter=20_000, f_star=f_star)
        assert result.converged
        np.testing.assert_allclose(result.coef, reference.coef, rtol=1e-8, atol=1e-9)
        assert min(result.history["suboptimality"]) > -1e-15


def test_solver_parameters_are_checked():
    objective = _quadratic_with_condition_number(10.0)
    with pytest.raises(ValueError, match="step == -1.0, must be > 0.0"):
        gradient_descent(objective, step=-1.0)
    with pytest.raises(ValueError, match="max_iter == 0, must be >= 1"):
        nesterov(objective, max_iter=0)
    with pytest.raises(TypeError, match="max_iter must be of type Integral"):
        lbfgs(objective, max_iter=10.5)
    with pytest.raises(ValueError, match="line_search must be None, 'exact' or 'armijo', "
                                         "got 'wolfe'"):
        gradient_descent(objective, line_search="wolfe")
    with pytest.raises(ValueError, match="momentum == 1.5, must be < 1.0"):
        heavy_ball(objective, step=0.1, momentum=1.5)
    with pytest.raises(ValueError, match="momentum must be 'auto'"):
        nesterov(objective, momentum="fast")
    with pytest.raises(ValueError, match=r"coef0 must have shape \(20,\), got shape \(3,\)"):
        gradient_descent(objective, coef0=np.zeros(3))
    with pytest.raises(ValueError, match="solver must be one of 'gd', .*got 'newton'"):
        minimize(objective, "newton", max_iter=10, tol=1e-6)


def test_history_recorder_and_finish():
    objective = _quadratic_with_condition_number(10.0)
    start = objective.value(np.zeros(20))
    for theta, why in [(np.full(20, np.nan), "the objective became infinite or NaN"),
                       (np.full(20, 1e300), "the objective became infinite or NaN"),  # overflow
                       (np.full(20, 1e5), "the objective rose from")]:
        recorder = HistoryRecorder(objective, theta_star=np.ones(20))
        assert recorder.record(0, 0.0, np.zeros(20)) and recorder.divergence is None
        assert not recorder.record(1, 1.0, theta)
        assert recorder.divergence.startswith(why)
        assert not recorder.record(2, 2.0, np.zeros(20))  # a diverged run records no more
        assert recorder.history == {"iteration": [0], "passes": [0.0], "objective": [start],
                                    "distance": [20.0]}
    result = OptimizeResult(coef=np.zeros(20), n_iter=5, converged=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert finish(result, 5, solver="x") is result  # converged: no warning
    with pytest.warns(ConvergenceWarning, match="sag did not converge: it reached "
                                                "max_iter=5 .*1.000e-03"):
        finish(OptimizeResult(coef=np.zeros(2), n_iter=5), 5, solver="sag", grad_norm=1e-3)


@pytest.mark.parametrize(
    "fields, unit, message, warning",
    [
        ({"converged": True}, "iteration", "Converged: gradient norm 1.000e-03 <= tol=0.01.",
         None),
        ({"diverged": True}, "epoch",
         "Diverged at epoch 3: the objective became infinite or NaN.",
         "x diverged at epoch 3: the objective became infinite or NaN. Decrease the step "
         "size."),
        ({"n_iter": 5}, "epoch", "Reached max_epochs=5.",
         "x did not converge: it reached max_epochs=5 before its tolerance (gradient norm "
         "1.000e-03, tol=0.01). Increase max_epochs or the step size."),
        ({"message": "Line search failed."}, "iteration", "Line search failed.",
         "x stopped before its tolerance (gradient norm 1.000e-03, tol=0.01): Line search "
         "failed."),
    ],
)
def test_finish_words_every_end_of_run_in_one_place(fields, unit, message, warning):
    result = OptimizeResult(coef=np.zeros(2), **{"n_iter": 3, **fields})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert finish(result, 5, solver="x", grad_norm=1e-3, tol=0.01, unit=unit) is result
    assert result.message == message
    assert [str(w.message) for w in caught] == ([] if warning is None else [warning])
    assert all(w.category is ConvergenceWarning for w in caught)


def test_finish_quotes_why_a_run_diverged():
    result = OptimizeResult(coef=np.zeros(2), n_iter=12, diverged=True)
    why = "the objective rose from 1 to 2e+06, by more than 1e+06 times |F(θ₀)|"
    with pytest.warns(ConvergenceWarning) as caught:
        finish(result, 50, solver="x", divergence=why)
    assert result.message == f"Diverged at iteration 12: {why}."
    assert str(caught[0].message) == (f"x diverged at iteration 12: {why}. Decrease the step "
                                      "size.")


def test_the_divergence_factor_leaves_every_converging_method_far_below_it():
    """Momentum is the one converging method whose objective rises above its start: by a
    factor that grows with the condition number, 248 for heavy ball at kappa = 3000 here (99
    on the shipped momentum experiment's problem), far below 1e6."""
    objective = _quadratic_with_condition_number(3000.0)
    start = objective.value(np.zeros(20))
    for method in (heavy_ball, nesterov):
        result = method(objective, max_iter=20000, tol=1e-8)
        assert result.converged and not result.diverged
        assert max(result.history["objective"]) < DIVERGENCE_FACTOR / 1e3 * start


def test_no_solver_warns_on_its_own():
    """Every solver ends through finish: none builds a ConvergenceWarning itself."""
    import pathlib

    import ftml.optim

    for path in pathlib.Path(ftml.optim.__file__).parent.glob("*.py"):
        if path.name != "_result.py":
            assert "warnings.warn" not in path.read_text(), path.name
