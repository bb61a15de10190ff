"""ftml.neural_network: backpropagation against the chain rule by hand, finite differences
and scikit-learn, and training against the theory of gradient descent.

Loss convention (``ftml.neural_network._one_hidden_layer``): the regression objective is
``F = (1/n) sum_i (1/2) ||f(x_i) - y_i||^2 + (alpha / (2 n)) (||W||^2 + ||theta||^2)``,
scikit-learn's ``MLPRegressor`` one. The lecture's closed forms are for
``L = (f(x) - y)^2`` without the 1/2, so on one sample without penalty ``gradients`` is
half of them.

- ``gradients`` equals the lecture's closed forms for ``d = m = n = 1`` and the chain rule
  written out by hand for ``d = m = 2``, to rounding (rtol 1e-13);
- on random networks of several widths, each activation, regression (one and three
  outputs) and classification (two and three classes), with and without penalty, it
  equals central finite differences of ``objective`` to a relative error of 1e-6 (measured
  below 1e-8);
- from the same initial weights and without shuffling, ``loss_curve_`` and the final
  weights equal scikit-learn's ``MLPRegressor`` / ``MLPClassifier`` (plain SGD, no momentum,
  constant step; its ``alpha`` rescaled to the minibatches, whose penalty it divides by
  their size where ftml keeps ``F``'s) to 1e-8 relatively (measured about 1e-15);
- the minibatch gradients are unbiased for ``grad F``, and a step schedule sets each
  step by the number of steps taken; ``objective_curve_`` is ``F`` after each epoch;
- with ``freeze_hidden=True`` ``W`` and ``b`` do not move, the objective is that of
  (ridge) least squares on the random features, and gradient descent with step ``1/L``
  never increases it and meets the ``L ||beta_0 - beta*||^2 / (2 t)`` bound;
- bad hyperparameters and data raise ValueErrors that name the problem, and a diverging
  step stops the fit with a ConvergenceWarning and ``diverged_``, never a NaN in
  ``loss_curve_``; scikit-learn's estimator checks pass.
"""

import warnings

import numpy as np
import pytest
import sklearn.metrics
from sklearn.neural_network import MLPClassifier, MLPRegressor

from ftml.exceptions import ConvergenceWarning, InvalidParameterError, NotFittedError
from ftml.neural_network import (
    ACTIVATIONS,
    NetworkParameters,
    OneHiddenLayerClassifier,
    OneHiddenLayerRegressor,
)

ACTIVATION_NAMES = list(ACTIVATIONS)
SKLEARN_ACTIVATION = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}

# sigma and sigma' written independently of ftml's table, for the closed forms.
SIGMA = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
}
SIGMA_PRIME = {
    "relu": lambda z: np.where(z > 0, 1.0, 0.0),
    "tanh": lambda z: 1.0 / np.cosh(z) ** 2,
    "sigmoid": lambda z: np.exp(-z) / (1.0 + np.exp(-z)) ** 2,
}


def _network(cls, X, y, params, **hyper):
    """A network fitted on ``(X, y)`` (to set classes_ and the shapes), then placed at
    ``params``: ``gradients`` and ``objective`` read ``coefs_`` and ``intercepts_``."""
    model = cls(params.W.shape[0], init_weights=params, max_iter=1, **hyper).fit(X, y)
    model.coefs_, model.intercepts_ = params.to_coefs()
    return model


def _random_parameters(rng, n_features, n_hidden, n_outputs, scale=0.8):
    return NetworkParameters(W=scale * rng.standard_normal((n_hidden, n_features)),
                             b=scale * rng.standard_normal(n_hidden),
                             theta=scale * rng.standard_normal((n_hidden, n_outputs)),
                             c=scale * rng.standard_normal(n_outputs))


def _flat(params):
    return np.concatenate([np.ravel(value) for value in params])


# --- 1. d = m = n = 1: the lecture's closed forms ----------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("x, y, w, b, theta, c", [
    (0.7, -0.4, 1.3, 0.2, -0.9, 0.3),
    (-1.5, 2.0, 0.6, 0.1, 1.7, -0.2),   # relu: w x + b < 0, so dL/dw = dL/db = 0
    (2.0, 0.5, -0.8, 3.0, 0.4, 0.0),
])
def test_one_unit_one_sample_gradients_are_the_lecture_s_closed_forms(activation, x, y, w,
                                                                      b, theta, c):
    """With ``L = (yhat - y)^2``: ``dL/dtheta = 2 (yhat - y) sigma(w x + b)``, ``dL/dw =
    2 (yhat - y) theta sigma'(w x + b) x``, ``dL/db = 2 (yhat - y) theta sigma'(w x + b)``
    and ``dL/dc = 2 (yhat - y)``. ftml's objective on one sample without penalty is
    ``L / 2`` (scikit-learn's half squared error), so its gradients are half of these."""
    X, Y = np.array([[x]]), np.array([y])
    params = NetworkParameters(np.array([[w]]), np.array([b]), np.array([[theta]]),
                               np.array([c]))
    model = _network(OneHiddenLayerRegressor, X, Y, params, activation=activation)
    z = w * x + b
    residual = theta * SIGMA[activation](z) + c - y
    closed = {"W": 2 * residual * theta * SIGMA_PRIME[activation](z) * x,
              "b": 2 * residual * theta * SIGMA_PRIME[activation](z),
              "theta": 2 * residual * SIGMA[activation](z),
              "c": 2 * residual}
    gradients = model.gradients(X, Y)
    assert gradients._fields == ("W", "b", "theta", "c")
    for name, value in closed.items():
        assert getattr(gradients, name).shape == getattr(params, name).shape
        np.testing.assert_allclose(getattr(gradients, name).item(), value / 2, rtol=1e-13,
                                   atol=0, err_msg=name)
    assert model.objective(X, Y) == pytest.approx(residual ** 2 / 2, rel=1e-13)


# --- 2. d = m = 2: the chain rule by hand ------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("alpha", [0.0, 0.3])
def test_two_by_two_gradients_are_the_chain_rule_by_hand(activation, alpha):
    """Two inputs, two hidden units, two samples: for sample ``i``, ``z_j = w_j1 x_1 +
    w_j2 x_2 + b_j``, ``yhat = theta_1 sigma(z_1) + theta_2 sigma(z_2) + c``, ``r = yhat -
    y``, and with ``L_i = r^2``: ``dL_i/dtheta_j = 2 r sigma(z_j)``, ``dL_i/dw_jk = 2 r
    theta_j sigma'(z_j) x_k``, ``dL_i/db_j = 2 r theta_j sigma'(z_j)``, ``dL_i/dc = 2 r``.
    ftml's objective is ``(1/n) sum_i L_i / 2 + (alpha / (2 n)) (sum w_jk^2 + sum
    theta_j^2)``: its gradient is the mean of the halves, plus ``alpha w_jk / n`` and
    ``alpha theta_j / n``."""
    X = np.array([[0.5, -1.2], [1.1, 0.4]])
    Y = np.array([0.3, -0.7])
    w = np.array([[0.9, -0.4], [0.3, 0.8]])
    b = np.array([0.15, -0.25])
    theta = np.array([1.2, -0.6])
    c = 0.05
    n = 2
    params = NetworkParameters(w, b, theta[:, None], np.array([c]))
    model = _network(OneHiddenLayerRegressor, X, Y, params, activation=activation,
                     alpha=alpha)
    sigma, sigma_prime = SIGMA[activation], SIGMA_PRIME[activation]
    dW, db, dtheta, dc = np.zeros((2, 2)), np.zeros(2), np.zeros(2), 0.0
    for i in range(n):
        x = X[i]
        z = [w[j, 0] * x[0] + w[j, 1] * x[1] + b[j] for j in range(2)]
        r = theta[0] * sigma(z[0]) + theta[1] * sigma(z[1]) + c - Y[i]
        for j in range(2):
            dtheta[j] += 2 * r * sigma(z[j]) / 2 / n
            db[j] += 2 * r * theta[j] * sigma_prime(z[j]) / 2 / n
            for k in range(2):
                dW[j, k] += 2 * r * theta[j] * sigma_prime(z[j]) * x[k] / 2 / n
        dc += 2 * r / 2 / n
    dW += alpha * w / n
    dtheta += alpha * theta / n
    gradients = model.gradients(X, Y)
    np.testing.assert_allclose(gradients.W, dW, rtol=1e-13)
    np.testing.assert_allclose(gradients.b, db, rtol=1e-13)
    np.testing.assert_allclose(gradients.theta[:, 0], dtheta, rtol=1e-13)
    np.testing.assert_allclose(gradients.c, [dc], rtol=1e-13)


# --- 3. Random networks: central finite differences --------------------------------------


def _task(kind, rng, n=12, n_features=3):
    X = rng.standard_normal((n, n_features))
    if kind == "regression":
        return OneHiddenLayerRegressor, X, rng.standard_normal(n), 1
    if kind == "regression-3-outputs":
        return OneHiddenLayerRegressor, X, rng.standard_normal((n, 3)), 3
    if kind == "binary":
        return OneHiddenLayerClassifier, X, np.arange(n) % 2, 1
    return OneHiddenLayerClassifier, X, np.arange(n) % 3, 3


def _away_from_kinks(rng, X, params, margin=1e-2):
    """Redraw ``b`` until every pre-activation is at least ``margin`` from the relu's kink,
    far beyond the finite-difference step (1e-6 times |x| <= 1e-5)."""
    while np.min(np.abs(X @ params.W.T + params.b)) < margin:
        params = params._replace(b=0.8 * rng.standard_normal(params.b.shape))
    return params


def _finite_differences(model, X, y, step=1e-6):
    """Central differences of ``objective`` in every entry of every parameter, in the
    layout of ``NetworkParameters``."""
    params = NetworkParameters.from_coefs(model.coefs_, model.intercepts_)  # views
    numerical = []
    for value in params:
        gradient = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            h = step * max(1.0, abs(original))
            value[index] = original + h
            up = model.objective(X, y)
            value[index] = original - h
            down = model.objective(X, y)
            value[index] = original
            gradient[index] = (up - down) / (2 * h)
        numerical.append(gradient)
    return NetworkParameters(*numerical)


@pytest.mark.parametrize("kind", ["regression", "regression-3-outputs", "binary", "3-classes"])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("n_hidden", [1, 4, 16])
@pytest.mark.parametrize("alpha", [0.0, 0.7])
def test_gradients_match_central_finite_differences(kind, activation, n_hidden, alpha):
    """Relative error ``||g - g_fd|| / max(||g||, ||g_fd||) <= 1e-6`` in float64 (measured
    below 1e-8: the central difference errs by O(h^2) + O(eps / h) with h = 1e-6). For the
    relu, the points are drawn with every pre-activation at least 1e-2 away from 0, so
    that no difference crosses the kink."""
    seed = [n_hidden, int(10 * alpha), ACTIVATION_NAMES.index(activation)]
    rng = np.random.default_rng(seed)
    cls, X, y, n_outputs = _task(kind, rng)
    params = _random_parameters(rng, X.shape[1], n_hidden, n_outputs)
    if activation == "relu":
        params = _away_from_kinks(rng, X, params)
    model = _network(cls, X, y, params, activation=activation, alpha=alpha)
    analytic = _flat(model.gradients(X, y))
    numerical = _flat(_finite_differences(model, X, y))
    error = np.linalg.norm(analytic - numerical) / max(np.linalg.norm(analytic),
                                                       np.linalg.norm(numerical))
    assert error <= 1e-6


def test_each_activation_knows_its_derivative():
    z = np.concatenate([np.linspace(-6, -0.1, 30), np.linspace(0.1, 6, 30)])  # no kink
    h = 1e-6
    for activation in ACTIVATIONS.values():
        numerical = (activation.value(z + h) - activation.value(z - h)) / (2 * h)
        np.testing.assert_allclose(activation.derivative(z), numerical, rtol=1e-7,
                                   atol=1e-10, err_msg=activation.name)
    # Far in the tails the sigmoid neither overflows nor loses its derivative.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sigmoid = ACTIVATIONS["sigmoid"]
        assert sigmoid.value(np.array([-800.0]))[0] == 0.0
        tail = sigmoid.derivative(np.array([-30.0]))[0]
        assert tail == pytest.approx(np.exp(-30), rel=1e-12)


# --- 4. Against scikit-learn --------------------------------------------------------------


def _sklearn_from(cls, X, y, params, *, activation, learning_rate, batch_size, alpha,
                  max_iter):
    """scikit-learn's network trained from ``params``: one warm-start fit allocates its
    weights, which are then replaced by ``params``; the second fit continues from them.
    Plain SGD (no momentum, constant step), no shuffling, no early stop (tol=0 and a
    patience beyond max_iter)."""
    coefs, intercepts = params.to_coefs()
    model = cls(hidden_layer_sizes=(params.W.shape[0],),
                activation=SKLEARN_ACTIVATION[activation], solver="sgd", momentum=0.0,
                nesterovs_momentum=False, learning_rate="constant",
                learning_rate_init=learning_rate, batch_size=batch_size, alpha=alpha,
                shuffle=False, tol=0.0, n_iter_no_change=10**9, warm_start=True,
                max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=Warning)  # its ConvergenceWarning
        model.fit(X, y)
        model.coefs_, model.intercepts_ = coefs, intercepts
        model.set_params(max_iter=max_iter).fit(X, y)
    return model


def _sklearn_task(kind, rng, n=50, n_features=3):
    X = rng.standard_normal((n, n_features))
    if kind == "regression":
        return OneHiddenLayerRegressor, MLPRegressor, X, np.sin(X[:, 0]) + X[:, 1], 1
    if kind == "regression-2-outputs":
        return (OneHiddenLayerRegressor, MLPRegressor, X,
                np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]]), 2)
    if kind == "binary":
        return (OneHiddenLayerClassifier, MLPClassifier, X,
                np.where(X[:, 0] + X[:, 1] ** 2 > 0.5, "yes", "no"), 1)
    return (OneHiddenLayerClassifier, MLPClassifier, X,
            np.digitize(X[:, 0] + X[:, 1] ** 2, [0.0, 1.0]), 3)


@pytest.mark.parametrize("kind", ["regression", "binary", "3-classes"])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("alpha", [0.0, 0.5])
@pytest.mark.parametrize("solver", ["sgd", "gd"])
def test_loss_curve_and_weights_match_sklearn(kind, activation, alpha, solver):
    """From the same initial weights, 20 epochs of minibatches of 16 samples, or of full
    batches (``"gd"``, scikit-learn's ``batch_size=n``): the same ``loss_curve_`` and
    weights to 1e-8 relatively (measured about 1e-15). Without a penalty, out of 50
    samples (a last minibatch of 2); with one, out of 48, and scikit-learn's ``alpha``
    ``alpha * 16 / 48`` for minibatches (it divides the penalty by the minibatch's size,
    ftml by the number of samples). scikit-learn clips probabilities to ``[eps, 1 - eps]``
    in its log-loss; no probability comes near that here."""
    rng = np.random.default_rng([ACTIVATION_NAMES.index(activation), int(alpha * 10)])
    ours_cls, sklearn_cls, X, y, n_outputs = _sklearn_task(kind, rng,
                                                           n=50 if alpha == 0 else 48)
    params = _random_parameters(rng, X.shape[1], 7, n_outputs, scale=0.5)
    batch_size = 16 if solver == "sgd" else X.shape[0]
    ours = ours_cls(7, activation=activation, solver=solver, batch_size=16,
                    learning_rate=0.05, max_iter=20, alpha=alpha, shuffle=False,
                    init_weights=params).fit(X, y)
    theirs = _sklearn_from(sklearn_cls, X, y, params, activation=activation,
                           learning_rate=0.05, batch_size=batch_size,
                           alpha=alpha * batch_size / X.shape[0], max_iter=20)
    # scikit-learn's warm start appends to the loss curve of its first (allocating) fit.
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_[1:], rtol=1e-8, atol=0)
    assert ours.n_iter_ == theirs.n_iter_ == 20
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-8)
    for mine, sklearn_s in zip(ours.coefs_ + ours.intercepts_,
                               theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(mine, sklearn_s, rtol=1e-8, atol=1e-12)
    assert ours.out_activation_ == theirs.out_activation_
    if ours_cls is OneHiddenLayerClassifier:
        np.testing.assert_array_equal(ours.classes_, theirs.classes_)
        np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X),
                                   rtol=1e-8, atol=1e-12)
    else:
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8,
                                   atol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_several_outputs_take_sklearn_s_steps_and_sum_the_loss_over_outputs(alpha):
    """For ``p`` outputs scikit-learn's reported squared loss averages over the outputs,
    ``0.5 mean_k mean_i (y_ik - f_ik)^2``, but its gradient (``delta = f - y``) is that of
    the sum over them. ftml's loss is the sum, so its gradient is its loss's: the steps,
    hence the weights, are scikit-learn's (to 1e-8), and without penalty ``loss_curve_``
    is ``p`` times scikit-learn's. With a penalty, which neither side divides by ``p``,
    the two curves differ by ``(p - 1)`` times the data term, which scikit-learn does not
    report separately; only the weights are compared."""
    rng = np.random.default_rng(7)
    ours_cls, sklearn_cls, X, y, n_outputs = _sklearn_task("regression-2-outputs", rng,
                                                           n=48)
    params = _random_parameters(rng, X.shape[1], 7, n_outputs, scale=0.5)
    ours = ours_cls(7, activation="tanh", batch_size=16, learning_rate=0.05, max_iter=20,
                    alpha=alpha, shuffle=False, init_weights=params).fit(X, y)
    theirs = _sklearn_from(sklearn_cls, X, y, params, activation="tanh", learning_rate=0.05,
                           batch_size=16, alpha=alpha * 16 / 48, max_iter=20)
    for mine, sklearn_s in zip(ours.coefs_ + ours.intercepts_,
                               theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(mine, sklearn_s, rtol=1e-8, atol=1e-12)
    if alpha == 0.0:
        np.testing.assert_allclose(ours.loss_curve_,
                                   n_outputs * np.array(theirs.loss_curve_[1:]),
                                   rtol=1e-8, atol=0)
    assert ours.predict(X).shape == (X.shape[0], 2)
    assert ours.score(X, y) == pytest.approx(
        sklearn.metrics.r2_score(y, ours.predict(X), multioutput="uniform_average"), rel=1e-12)


def test_gd_loss_curve_is_the_objective_at_each_iterate():
    """With ``"gd"`` an epoch is one step, and ``loss_curve_[t]`` is ``F`` on the training
    data at the ``t``-th iterate: the objective after ``t`` epochs."""
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((30, 2)), rng.standard_normal(30)
    hyper = dict(n_hidden=5, activation="tanh", solver="gd", learning_rate=0.1, alpha=0.2,
                 random_state=0)
    curve = OneHiddenLayerRegressor(max_iter=6, **hyper).fit(X, y).loss_curve_
    for t in range(1, 6):
        after = OneHiddenLayerRegressor(max_iter=t, **hyper).fit(X, y)
        assert after.objective(X, y) == pytest.approx(curve[t], rel=1e-12)
    # batch_size and shuffle do not apply to "gd".
    other = OneHiddenLayerRegressor(max_iter=6, batch_size=3, shuffle=False, **hyper)
    assert other.fit(X, y).loss_curve_ == curve


def _minibatch_direction(data_term, params, X_batch, y_batch, alpha, n_samples):
    """The gradient of a minibatch objective as the module defines it: the mean loss on
    the batch (``data_term``, a network without penalty, placed at ``params``) plus the
    full objective's penalty ``(alpha / (2 n)) (||W||^2 + ||theta||^2)``."""
    data_term.coefs_, data_term.intercepts_ = params.to_coefs()
    gradient = data_term.gradients(X_batch, y_batch)
    return gradient._replace(W=gradient.W + alpha / n_samples * params.W,
                             theta=gradient.theta + alpha / n_samples * params.theta)


def test_minibatch_gradients_are_unbiased_for_the_full_objective():
    """Over a partition of the samples, the minibatch gradients weighted by their sizes
    average to ``grad F`` (to rounding), for equal and unequal batches alike: a uniformly
    drawn minibatch's gradient is unbiased for ``grad F``, whatever its size."""
    rng = np.random.default_rng(11)
    X, y = rng.standard_normal((50, 3)), rng.standard_normal(50)
    params = _random_parameters(rng, 3, 6, 1)
    full = _flat(_network(OneHiddenLayerRegressor, X, y, params, activation="tanh",
                          alpha=2.0).gradients(X, y))
    data_term = _network(OneHiddenLayerRegressor, X, y, params, activation="tanh")
    for size in (10, 16):
        weighted = sum(len(X[start:start + size]) / 50 * _flat(_minibatch_direction(
            data_term, params, X[start:start + size], y[start:start + size], 2.0, 50))
            for start in range(0, 50, size))
        np.testing.assert_allclose(weighted, full, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("schedule, t0, steps", [
    ("constant", None, lambda t: 0.05),
    ("inverse_sqrt", None, lambda t: 0.05 / np.sqrt(t + 1)),
    ("inverse_time", 2.5, lambda t: 0.05 / (1 + t / 2.5)),
    ("inverse_time", None, lambda t: 0.05 / (1 + t / 4)),  # t0: the 4 steps of an epoch
])
def test_a_schedule_sets_the_step_by_the_steps_taken_across_epochs(schedule, t0, steps):
    """The fit is the loop written out: step ``t`` (0, 1, ... across epochs) moves every
    parameter by ``-gamma_t`` times the gradient of the minibatch objective (the mean loss
    on the minibatch plus ``F``'s penalty)."""
    rng = np.random.default_rng(9)
    X, y = rng.standard_normal((14, 2)), rng.standard_normal(14)
    params = _random_parameters(rng, 2, 4, 1)
    model = OneHiddenLayerRegressor(4, activation="tanh", learning_rate=0.05, batch_size=4,
                                    max_iter=3, alpha=0.3, schedule=schedule, t0=t0,
                                    shuffle=False, init_weights=params).fit(X, y)
    data_term = _network(OneHiddenLayerRegressor, X, y, params, activation="tanh")
    current, t = params, 0
    for _ in range(3):
        for start in range(0, 14, 4):
            direction = _minibatch_direction(data_term, current, X[start:start + 4],
                                             y[start:start + 4], 0.3, 14)
            current = NetworkParameters(*(value - steps(t) * step
                                          for value, step in zip(current, direction)))
            t += 1
    for value, expected in zip(model.coefs_ + model.intercepts_,
                               current.to_coefs()[0] + current.to_coefs()[1]):
        np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-15)


def test_sampling_with_replacement_draws_each_minibatch_uniformly():
    """``sampling="with_replacement"``: each step's minibatch is ``batch_size`` indices
    drawn uniformly with replacement from the seeded generator (the initial weights given,
    it draws nothing else), ``ceil(n / batch_size)`` steps an epoch."""
    rng = np.random.default_rng(12)
    X, y = rng.standard_normal((14, 2)), rng.standard_normal(14)
    params = _random_parameters(rng, 2, 4, 1)
    model = OneHiddenLayerRegressor(4, activation="tanh", learning_rate=0.05, batch_size=4,
                                    max_iter=3, alpha=0.3, sampling="with_replacement",
                                    init_weights=params, random_state=5).fit(X, y)
    data_term = _network(OneHiddenLayerRegressor, X, y, params, activation="tanh")
    draws, current = np.random.default_rng(5), params
    for _ in range(3):
        for start in range(0, 14, 4):
            batch = draws.integers(14, size=min(4, 14 - start))
            direction = _minibatch_direction(data_term, current, X[batch], y[batch], 0.3, 14)
            current = NetworkParameters(*(value - 0.05 * step
                                          for value, step in zip(current, direction)))
    for value, expected in zip(model.coefs_ + model.intercepts_,
                               current.to_coefs()[0] + current.to_coefs()[1]):
        np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("solver", ["sgd", "gd"])
def test_objective_curve_is_the_objective_at_the_start_and_after_each_epoch(solver):
    rng = np.random.default_rng(10)
    X, y = rng.standard_normal((30, 2)), rng.standard_normal(30)
    params = _random_parameters(rng, 2, 5, 1)
    hyper = dict(n_hidden=5, activation="tanh", solver=solver, batch_size=7,
                 learning_rate=0.1, alpha=0.2, schedule="inverse_sqrt", init_weights=params,
                 random_state=0)
    model = OneHiddenLayerRegressor(max_iter=5, record_objective=True, **hyper).fit(X, y)
    assert len(model.objective_curve_) == model.n_iter_ + 1 == 6
    plain = OneHiddenLayerRegressor(max_iter=5, **hyper).fit(X, y)
    assert not hasattr(plain, "objective_curve_")
    assert plain.loss_curve_ == model.loss_curve_  # recording changes no step
    start = _network(OneHiddenLayerRegressor, X, y, params, activation="tanh", alpha=0.2)
    assert model.objective_curve_[0] == pytest.approx(start.objective(X, y), rel=1e-12)
    for t in range(1, 6):
        after = OneHiddenLayerRegressor(max_iter=t, **hyper).fit(X, y)
        assert model.objective_curve_[t] == pytest.approx(after.objective(X, y), rel=1e-12)
    if solver == "gd":
        assert model.objective_curve_[:-1] == pytest.approx(model.loss_curve_, rel=1e-12)


# --- 5. Frozen hidden layer: least squares on random features ---------------------------


def _random_features(model, X):
    W, b = model.coefs_[0].T, model.intercepts_[0]
    return np.column_stack([np.tanh(X @ W.T + b), np.ones(X.shape[0])])


@pytest.mark.parametrize("solver", ["sgd", "gd"])
def test_freeze_hidden_trains_only_theta_and_c(solver):
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((40, 3)), rng.standard_normal(40)
    params = _random_parameters(rng, 3, 6, 1)
    model = OneHiddenLayerRegressor(6, solver=solver, learning_rate=0.05, max_iter=15,
                                    freeze_hidden=True, init_weights=params,
                                    random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.coefs_[0], params.W.T)
    np.testing.assert_array_equal(model.intercepts_[0], params.b)
    assert not np.array_equal(model.coefs_[1], params.theta)
    assert not np.array_equal(model.intercepts_[1], params.c)


@pytest.mark.parametrize("alpha", [0.0, 2.0])
def test_frozen_network_is_least_squares_on_random_features_and_gd_descends(alpha):
    """With ``W`` and ``b`` frozen, ``F`` is the (ridge) least-squares objective of
    ``beta = (theta, c)`` on the features ``H~ = [sigma(X W^T + b), 1]``:
    ``(1/2n) ||H~ beta - y||^2 + (alpha / 2n) ||theta||^2`` plus the constant
    ``(alpha / 2n) ||W||^2``, convex and ``L``-smooth with ``L`` the largest eigenvalue
    of ``(H~^T H~ + alpha diag(1, ..., 1, 0)) / n``. Gradient descent with step ``1/L``
    never increases it (checked to 1e-14 relatively, rounding), and after ``t`` steps
    ``F(beta_t) - F* <= L ||beta_0 - beta*||^2 / (2 t)`` (the course's rate for convex
    smooth functions), ``F*`` from ``numpy.linalg.lstsq``."""
    rng = np.random.default_rng(5)
    n, m = 60, 8
    X = rng.standard_normal((n, 2))
    y = np.sin(2 * X[:, 0]) + 0.1 * rng.standard_normal(n)
    params = _random_parameters(rng, 2, m, 1)
    probe = _network(OneHiddenLayerRegressor, X, y, params, activation="tanh", alpha=alpha)
    H = _random_features(probe, X)
    mask = np.append(np.ones(m), 0.0)  # c is not penalised
    L = np.linalg.eigvalsh((H.T @ H + alpha * np.diag(mask)) / n)[-1]
    constant = 0.5 * alpha * np.sum(params.W ** 2) / n

    def least_squares(beta):
        return (0.5 * np.sum((H @ beta - y) ** 2) / n
                + 0.5 * alpha * np.sum((mask * beta) ** 2) / n + constant)

    beta0 = np.append(params.theta[:, 0], params.c)
    assert probe.objective(X, y) == pytest.approx(least_squares(beta0), rel=1e-12)
    augmented = np.vstack([H, np.sqrt(alpha) * np.diag(mask)])
    best = np.linalg.lstsq(augmented, np.append(y, np.zeros(m + 1)), rcond=None)[0]
    optimum = least_squares(best)

    T = 300
    model = OneHiddenLayerRegressor(m, activation="tanh", solver="gd", learning_rate=1 / L,
                                    max_iter=T, alpha=alpha, freeze_hidden=True,
                                    init_weights=params).fit(X, y)
    curve = np.array(model.loss_curve_)
    assert curve[0] == pytest.approx(least_squares(beta0), rel=1e-12)
    assert np.all(np.diff(curve) <= 1e-14 * curve[1:])
    t = np.arange(1, T)
    bound = L * np.sum((beta0 - best) ** 2) / (2 * t)
    assert np.all(curve[1:] - optimum <= bound)
    beta_T = np.append(model.coefs_[1][:, 0], model.intercepts_[1])
    assert model.objective(X, y) == pytest.approx(least_squares(beta_T), rel=1e-12)
    assert model.objective(X, y) - optimum <= L * np.sum((beta0 - best) ** 2) / (2 * T)


# --- 6. Bad inputs and divergence ----------------------------------------------------------


@pytest.mark.parametrize("cls", [OneHiddenLayerRegressor, OneHiddenLayerClassifier])
@pytest.mark.parametrize("name, value", [
    ("n_hidden", 0), ("n_hidden", 2.5), ("activation", "softplus"), ("solver", "adam"),
    ("batch_size", 0), ("learning_rate", 0.0), ("learning_rate", -0.1), ("max_iter", 0),
    ("alpha", -1.0), ("alpha", float("nan")), ("freeze_hidden", "yes"), ("shuffle", 1),
    ("schedule", "invscaling"), ("t0", 0.0), ("t0", -2), ("record_objective", 1),
    ("sampling", "bootstrap"),
    ("init_weights", ([[1.0]], [0.0], [[1.0]], [0.0])), ("random_state", -1),
])
def test_bad_hyperparameters_are_refused_by_name(cls, name, value):
    X, y = np.random.default_rng(0).standard_normal((10, 2)), np.arange(10) % 2
    model = cls(**{name: value})
    with pytest.raises(InvalidParameterError,
                       match=f"The '{name}' parameter of {cls.__name__} must be"):
        model.fit(X, y)
    assert not [key for key in vars(model) if key.endswith("_")]


def test_bad_data_is_refused_naming_the_problem():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal(10)
    model = OneHiddenLayerRegressor(4, max_iter=2)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN at position \(3, 1\)"):
        model.fit(bad, y)
    with pytest.raises(ValueError, match="y contains infinity at position 2"):
        model.fit(X, np.where(np.arange(10) == 2, np.inf, y))
    with pytest.raises(ValueError, match="X must be 2-D"):
        model.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="Inconsistent numbers of samples: X has 10, y has 9"):
        model.fit(X, y[:9])
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        model.fit(X, np.column_stack([y, y])[:9])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.gradients(X, y)
    model.fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but OneHiddenLayerRegressor is "
                                         "expecting 3 features"):
        model.predict(X[:, :2])
    with pytest.raises(ValueError, match=r"y has 2 output\(s\), but OneHiddenLayerRegressor "
                                         "was fitted with 1"):
        model.gradients(X, np.column_stack([y, y]))
    classifier = OneHiddenLayerClassifier(4, max_iter=2).fit(X, np.arange(10) % 3)
    with pytest.raises(ValueError, match="y contains labels not seen in fit, such as 7"):
        classifier.objective(X, np.full(10, 7))
    with pytest.raises(ValueError, match="needs at least 2 classes in y, got 1 class"):
        OneHiddenLayerClassifier().fit(X, np.zeros(10))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        OneHiddenLayerClassifier().fit(X, y)


def test_init_weights_are_checked_against_the_data_and_not_modified():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal(10)
    params = _random_parameters(rng, 3, 5, 1)
    with pytest.raises(ValueError, match=r"init_weights.W has shape \(5, 3\), but n_hidden=4 "
                                         r".* need shape \(4, 3\)"):
        OneHiddenLayerRegressor(4, init_weights=params).fit(X, y)
    with pytest.raises(ValueError, match=r"init_weights.theta has shape \(5, 1\).* need "
                                         r"shape \(5, 3\)"):
        OneHiddenLayerClassifier(5, init_weights=params).fit(X, np.arange(10) % 3)
    nan = params._replace(c=np.array([np.nan]))
    with pytest.raises(ValueError, match="init_weights.c contains NaN"):
        OneHiddenLayerRegressor(5, init_weights=nan).fit(X, y)
    copies = [value.copy() for value in params]
    model = OneHiddenLayerRegressor(5, init_weights=params, learning_rate=0.1).fit(X, y)
    for value, copy in zip(params, copies):
        np.testing.assert_array_equal(value, copy)
    assert not np.array_equal(model.coefs_[0], params.W.T)
    with pytest.raises(ValueError, match="coefs must hold 2 arrays"):
        NetworkParameters.from_coefs([np.ones((3, 5))] * 3, [np.ones(5)] * 3)


def test_a_diverging_step_stops_the_fit_with_a_warning_and_no_nan():
    """A step too large overflows within a few epochs: the fit stops, warns naming the
    epoch and step, sets ``diverged_``, keeps only the finite entries of ``loss_curve_``
    (one per complete epoch, ``n_iter_`` of them) and the weights of the end of the last
    complete epoch: those of a fit with ``max_iter = n_iter_``."""
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((40, 3)), 10 * rng.standard_normal(40)
    hyper = dict(n_hidden=10, learning_rate=0.3, batch_size=8, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"diverged at epoch \d+, step \d+: the "
                                                r"minibatch objective is (inf|nan)"):
        model = OneHiddenLayerRegressor(max_iter=200, **hyper).fit(X, y)
    assert model.diverged_
    assert model.n_iter_ == 2 and len(model.loss_curve_) == model.n_iter_  # at epoch 3
    assert np.all(np.isfinite(model.loss_curve_)) and model.loss_ == model.loss_curve_[-1]
    assert all(np.isfinite(value).all() for value in model.coefs_ + model.intercepts_)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prefix = OneHiddenLayerRegressor(max_iter=model.n_iter_, **hyper).fit(X, y)
    assert not prefix.diverged_ and prefix.loss_curve_ == model.loss_curve_
    for value, reference in zip(model.coefs_ + model.intercepts_,
                                prefix.coefs_ + prefix.intercepts_):
        np.testing.assert_array_equal(value, reference)


def test_a_diverging_fit_records_only_finite_objectives():
    """With ``record_objective=True`` a diverging fit keeps ``objective_curve_`` to the
    start and the completed epochs, ``n_iter_ + 1`` finite values."""
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((40, 3)), 10 * rng.standard_normal(40)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        model = OneHiddenLayerRegressor(10, learning_rate=0.3, batch_size=8, max_iter=200,
                                        record_objective=True, random_state=0).fit(X, y)
    assert model.diverged_ and len(model.objective_curve_) == model.n_iter_ + 1
    assert np.all(np.isfinite(model.objective_curve_))


def test_divergence_in_the_first_epoch_keeps_the_initial_weights():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((40, 3)), 10 * rng.standard_normal(40)
    params = _random_parameters(rng, 3, 10, 1)
    with pytest.warns(ConvergenceWarning, match="diverged at epoch 1, step"):
        model = OneHiddenLayerRegressor(10, learning_rate=1e6, solver="sgd", batch_size=4,
                                        init_weights=params).fit(X, y)
    assert model.diverged_ and model.n_iter_ == 0
    assert model.loss_curve_ == [] and model.loss_ == np.inf
    for value, initial in zip(model.coefs_ + model.intercepts_,
                              params.to_coefs()[0] + params.to_coefs()[1]):
        np.testing.assert_array_equal(value, initial)


# --- The estimator contract ---------------------------------------------------------------


def test_random_state_seeds_the_weights_and_the_order_of_the_samples():
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((30, 2)), rng.standard_normal(30)

    def fit(**hyper):
        return OneHiddenLayerRegressor(5, batch_size=4, max_iter=3, **hyper).fit(X, y)

    first, again = fit(random_state=0), fit(random_state=0)
    assert first.loss_curve_ == again.loss_curve_
    assert not np.array_equal(fit(random_state=1).coefs_[0], first.coefs_[0])
    params = NetworkParameters.from_coefs(first.coefs_, first.intercepts_)
    shuffled = [fit(init_weights=params, random_state=seed).loss_curve_ for seed in (0, 1)]
    assert shuffled[0] != shuffled[1]  # only the order of the samples differs
    in_order = [fit(init_weights=params, shuffle=False, random_state=seed).loss_curve_
                for seed in (0, 1)]
    assert in_order[0] == in_order[1]  # the seed is then unused


def test_classifier_probabilities_and_predictions_agree():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((60, 2))
    for labels in (np.where(X[:, 0] > 0, "a", "b"), np.digitize(X[:, 0], [-0.5, 0.5])):
        model = OneHiddenLayerClassifier(8, learning_rate=0.1, max_iter=100,
                                         random_state=0).fit(X, labels)
        proba = model.predict_proba(X)
        assert proba.shape == (60, model.classes_.shape[0])
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
        np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(axis=1)])
        assert model.score(X, labels) > 0.9
    assert model.n_outputs_ == 3 and model.out_activation_ == "softmax"


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid"])
def test_a_derivative_from_the_kept_activation_is_the_same_number(name):
    """The backward pass gives each derivative the activation the forward pass kept (tanh
    saves recomputing tanh): the result must not change by a bit."""
    activation = ACTIVATIONS[name]
    z = np.random.default_rng(0).standard_normal(1000) * 5
    np.testing.assert_array_equal(activation.derivative(z, activation.value(z)),
                                  activation.derivative(z))
