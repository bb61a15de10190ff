"""Losses and the linear objective, against closed forms, finite differences and numpy."""

import warnings

import numba
import numpy as np
import pytest

from ftml.losses import (
    LOSSES,
    AbsoluteLoss,
    HingeLoss,
    LinearObjective,
    LogisticLoss,
    SquareLoss,
    ZeroOneLoss,
    get_loss,
    logistic_derivative,
    logistic_value,
    square_derivative,
    square_value,
)

Z = np.linspace(-6.0, 6.0, 49)
LABELS = (-1.0, 1.0)
# Central differences with h = 1e-5 have truncation error ~h^2 |f'''| / 6 and rounding
# error ~eps |f| / h; both are below 1e-8 for these smooth losses at |z| <= 6.
H = 1e-5
FD_TOL = 1e-8


def _central_difference(function, z, y):
    return (function(z + H, y) - function(z - H, y)) / (2 * H)


@pytest.mark.parametrize("loss", [SquareLoss(), LogisticLoss()], ids=lambda l: l.name)
@pytest.mark.parametrize("y", LABELS + (0.3,))
def test_derivatives_match_finite_differences(loss, y):
    if loss.name == "logistic" and y == 0.3:
        return
    np.testing.assert_allclose(loss.derivative(Z, y), _central_difference(loss.value, Z, y),
                               rtol=0, atol=FD_TOL)
    np.testing.assert_allclose(loss.second_derivative(Z, y),
                               _central_difference(loss.derivative, Z, y),
                               rtol=0, atol=FD_TOL)


@pytest.mark.parametrize("y", LABELS)
def test_closed_forms(y):
    np.testing.assert_array_equal(SquareLoss().value(Z, y), 0.5 * (Z - y) ** 2)
    np.testing.assert_array_equal(SquareLoss().derivative(Z, y), Z - y)
    np.testing.assert_allclose(LogisticLoss().value(Z, y), np.log1p(np.exp(-y * Z)),
                               rtol=1e-14)
    np.testing.assert_allclose(LogisticLoss().derivative(Z, y), -y / (1 + np.exp(y * Z)),
                               rtol=1e-14)
    sigma = 1 / (1 + np.exp(-y * Z))
    np.testing.assert_allclose(LogisticLoss().second_derivative(Z, y), sigma * (1 - sigma),
                               rtol=1e-12)
    np.testing.assert_array_equal(HingeLoss().value(Z, y), np.maximum(0, 1 - y * Z))
    np.testing.assert_array_equal(AbsoluteLoss().value(Z, y), np.abs(Z - y))
    np.testing.assert_array_equal(ZeroOneLoss().value(Z, y), (y * Z <= 0).astype(float))


def test_logistic_is_stable_for_large_margins():
    big = np.array([-1e4, -800.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning
        values = logistic_value(big, 1.0)
        derivatives = logistic_derivative(big, 1.0)
        second = LogisticLoss().second_derivative(big, 1.0)
    np.testing.assert_allclose(values, [1e4, 800.0, 0.0, 0.0], atol=1e-300)
    np.testing.assert_array_equal(derivatives, [-1.0, -1.0, -0.0, -0.0])
    np.testing.assert_array_equal(second, [0.0, 0.0, 0.0, 0.0])
    # Tiny losses keep their relative precision: log(1 + e^-40) = e^-40 to first order.
    assert logistic_value(40.0, 1.0) == pytest.approx(np.exp(-40.0), rel=1e-15)
    assert logistic_derivative(40.0, 1.0) == pytest.approx(-np.exp(-40.0), rel=1e-13)


def test_curvature_bounds_the_second_derivative():
    assert SquareLoss().curvature == 1.0 and LogisticLoss().curvature == 0.25
    for y in LABELS:
        second = LogisticLoss().second_derivative(Z, y)
        assert second.max() <= 0.25 and LogisticLoss().second_derivative(0.0, y) == 0.25
    np.testing.assert_array_equal(SquareLoss().second_derivative(Z, 1.0), 1.0)


def test_scalars_and_arrays():
    assert square_value(3.0, 1.0) == 2.0 and square_derivative(3.0, 1.0) == 2.0
    assert np.ndim(logistic_value(0.5, -1.0)) == 0
    assert LogisticLoss().value(Z, np.ones_like(Z)).shape == Z.shape


@pytest.mark.parametrize("function", [square_value, square_derivative, logistic_value,
                                      logistic_derivative])
def test_scalar_functions_compile_with_numba(function):
    compiled = numba.njit(function)
    for z, y in [(3.0, -1.0), (-2.5, 1.0), (0.0, 1.0), (50.0, -1.0)]:
        assert compiled(z, y) == pytest.approx(function(z, y), rel=1e-15, abs=1e-300)
    assert numba.njit(logistic_derivative)(3.0, -1.0) == logistic_derivative(3.0, -1.0)


@pytest.mark.parametrize("loss", [HingeLoss(), AbsoluteLoss(), ZeroOneLoss()],
                         ids=lambda l: l.name)
def test_evaluation_only_losses_have_no_derivative(loss):
    assert loss.curvature is None and not loss.differentiable
    with pytest.raises(NotImplementedError, match=repr(loss.name)):
        loss.derivative(0.0, 1.0)
    with pytest.raises(ValueError, match=f"loss {loss.name!r} is for evaluation only"):
        LinearObjective([[1.0]], [1.0], loss)


def test_get_loss():
    assert LOSSES == ("square", "logistic", "hinge", "absolute", "zero_one")
    for name in LOSSES:
        assert get_loss(name).name == name
    loss = LogisticLoss()
    assert get_loss(loss) is loss
    with pytest.raises(ValueError, match="Unknown loss 'cubic'. Known losses are: square, "
                                         "logistic, hinge, absolute, zero_one"):
        get_loss("cubic")
    with pytest.raises(TypeError, match="loss must be a str or a Loss"):
        get_loss(3)


# --- LinearObjective ---------------------------------------------------------------------


def _problem(loss, n=40, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.5
    if loss == "square":
        y = X @ rng.standard_normal(d) + rng.standard_normal(n)
    else:
        y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    return X, y


CASES = [(loss, alpha, intercept) for loss in ("square", "logistic")
         for alpha in (0.0, 0.3) for intercept in (False, True)]


def _case_id(case):
    return f"{case[0]}-alpha{case[1]}-{'intercept' if case[2] else 'nointercept'}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_gradient_and_hessian_match_finite_differences(case):
    loss, alpha, fit_intercept = case
    X, y = _problem(loss)
    objective = LinearObjective(X, y, loss, alpha, fit_intercept=fit_intercept)
    theta = np.random.default_rng(1).standard_normal(objective.n_params)
    basis = np.eye(objective.n_params)
    fd_gradient = np.array([
        (objective.value(theta + H * e) - objective.value(theta - H * e)) / (2 * H)
        for e in basis
    ])
    fd_hessian = np.array([
        (objective.gradient(theta + H * e) - objective.gradient(theta - H * e)) / (2 * H)
        for e in basis
    ])
    gradient = objective.gradient(theta)
    # Relative to the scale of F (about 10 here): rounding ~ eps * F / h ~ 1e-10.
    np.testing.assert_allclose(gradient, fd_gradient, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(objective.hessian(theta), fd_hessian, rtol=1e-7, atol=1e-7)
    value, same_gradient = objective.value_and_gradient(theta)
    assert value == pytest.approx(objective.value(theta), rel=1e-14)
    np.testing.assert_allclose(same_gradient, gradient, rtol=1e-14, atol=1e-15)
    vector = np.arange(objective.n_params, dtype=float)
    np.testing.assert_allclose(objective.hessian_vector_product(theta, vector),
                               objective.hessian(theta) @ vector, rtol=1e-12, atol=1e-12)
    # grad F = mean_i grad f_i with grad f_i = d_i x_i + alpha * mask * theta.
    d = objective.sample_derivatives(theta)
    per_sample = d[:, None] * objective.X_ + alpha * objective.penalty_mask_ * theta
    np.testing.assert_allclose(per_sample.mean(axis=0), gradient, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_smoothness_and_strong_convexity_against_eigvalsh(case):
    loss, alpha, fit_intercept = case
    X, y = _problem(loss)
    objective = LinearObjective(X, y, loss, alpha, fit_intercept=fit_intercept)
    n = X.shape[0]
    curvature = get_loss(loss).curvature
    XtX = objective.X_.T @ objective.X_ / n
    bound = curvature * XtX + alpha * np.diag(objective.penalty_mask_)
    L = objective.smoothness()
    assert L == pytest.approx(np.linalg.eigvalsh(bound)[-1], rel=1e-12)
    assert L <= curvature * np.linalg.eigvalsh(XtX)[-1] + alpha + 1e-12
    if not fit_intercept:
        raw = curvature * np.linalg.eigvalsh(X.T @ X / n)[-1] + alpha
        assert L == pytest.approx(raw, rel=1e-12)
    mu = objective.strong_convexity()
    if loss == "square":
        assert mu == pytest.approx(np.linalg.eigvalsh(bound)[0], rel=1e-12)
    else:
        assert mu == (0.0 if fit_intercept else alpha)
    # Every Hessian lies between mu I and L I.
    rng = np.random.default_rng(2)
    for _ in range(5):
        eigenvalues = np.linalg.eigvalsh(objective.hessian(3 * rng.standard_normal(
            objective.n_params)))
        assert eigenvalues[-1] <= L * (1 + 1e-12) and eigenvalues[0] >= mu - 1e-12 * L
    # Per-sample constants: L_i = curvature ||x_i||^2 + alpha (augmented rows).
    np.testing.assert_allclose(
        objective.sample_smoothness(),
        curvature * np.sum(objective.X_**2, axis=1) + alpha, rtol=1e-14)
    assert objective.condition_number() == (L / mu if mu > 0 else np.inf)


def test_strong_convexity_is_zero_when_n_features_exceed_n_samples():
    X, y = _problem("square", n=10, d=30)
    assert LinearObjective(X, y, "square").strong_convexity() == 0.0
    assert LinearObjective(X, y, "square", 0.5).strong_convexity() == pytest.approx(0.5)


def test_intercept_is_an_unpenalised_last_parameter():
    X, y = _problem("square", n=6, d=2)
    objective = LinearObjective(X, y, "square", alpha=10.0, fit_intercept=True)
    assert objective.n_params == 3 and objective.n_samples == 6
    np.testing.assert_array_equal(objective.penalty_mask_, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(objective.X_[:, -1], 1.0)
    np.testing.assert_array_equal(objective.X_[:, :2], X)
    theta = np.array([0.0, 0.0, 2.0])
    assert objective.value(theta) == pytest.approx(np.mean(0.5 * (2.0 - y) ** 2))


def test_objective_matches_the_formula():
    X, y = _problem("logistic")
    theta = np.linspace(-1, 1, 5)
    objective = LinearObjective(X, y, "logistic", alpha=0.2)
    expected = np.mean(np.log1p(np.exp(-y * (X @ theta)))) + 0.1 * theta @ theta
    assert objective.value(theta) == pytest.approx(expected, rel=1e-14)


def test_objective_validation():
    X, y = _problem("logistic")
    with pytest.raises(ValueError, match="y must hold only -1 and \\+1, got the value 0.0"):
        LinearObjective(X, (y + 1) / 2, "logistic")
    with pytest.raises(ValueError, match="alpha == -1.0, must be >= 0.0"):
        LinearObjective(X, y, "square", -1.0)
    with pytest.raises(TypeError, match="fit_intercept"):
        LinearObjective(X, y, "square", fit_intercept=1)
    with pytest.raises(ValueError, match="Unknown loss 'hinge2'"):
        LinearObjective(X, y, "hinge2")
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        LinearObjective(X, y[:-1], "square")
    # Finite but huge: X^T X, hence the smoothness constant and the solvers' steps, overflow.
    for scale in (1e300, 1e160):
        with pytest.raises(ValueError, match="X's squared norm overflows float64"):
            LinearObjective(X * scale, y, "logistic")
    assert np.isfinite(LinearObjective(X * 1e150, y, "logistic").smoothness())
    objective = LinearObjective(X, y, "square", fit_intercept=True)
    with pytest.raises(ValueError, match=r"theta must have shape \(6,\), got shape \(5,\)"):
        objective.value(np.zeros(5))
