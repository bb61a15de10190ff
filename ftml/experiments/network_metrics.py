"""Metrics of the neural-network chapter: backpropagation against finite differences and
against the lecture's closed forms, and the least-squares fit of a network's hidden
features (random features when the hidden layer is frozen).

Each is a truth metric (see :mod:`ftml.experiments.truth_metrics`): it takes the fitted
network, its sample and the Monte-Carlo context, and returns a float.
"""

import copy

import numpy as np

from ftml.neural_network import NetworkParameters
from ftml.neural_network._activations import ACTIVATIONS

__all__ = ["GRADIENT_SAMPLES", "finite_difference_gradient_error",
           "closed_form_gradient_gap", "hidden_features", "random_features_training_error",
           "random_features_rank", "interpolation_error_at_full_rank", "best_training_loss",
           "excess_classification_risk", "nn_loss_curve", "frozen_suboptimality",
           "frozen_gd_rate_ratio"]

#: The samples on which a gradient is checked: enough to mix many activation patterns,
#: few enough that a central difference in each of a wide network's parameters stays cheap.
GRADIENT_SAMPLES = 20

# The relative step of the central differences: the error of a difference, O(h²) from the
# third derivative plus O(eps / h) from rounding, is smallest near eps^(1/3) ≈ 6e-6.
_RELATIVE_STEP = 1e-6


def _gradient_sample(X, y):
    return X[:GRADIENT_SAMPLES], y[:GRADIENT_SAMPLES]


def _flatten(parameters):
    return np.concatenate([np.ravel(part) for part in parameters])


def _pattern(probe, X):
    """Which pre-activations are positive: where a kinked activation (ReLU) switches."""
    parameters = NetworkParameters.from_coefs(probe.coefs_, probe.intercepts_)
    return X @ parameters.W.T + parameters.b > 0


def finite_difference_gradient_error(estimator, X, y, context):
    """‖g − g_fd‖ / ‖g‖ on the first samples: ``g`` the backpropagated gradient of the
    training objective (``estimator.gradients``), ``g_fd`` its central differences, one
    parameter at a time, step 1e-6 × max(1, |parameter|).

    A ReLU network's objective is not differentiable where a pre-activation is 0: a
    difference whose two steps put a pre-activation on both sides of 0 measures a mean of
    two slopes, not the derivative, and such coordinates (rare: a pre-activation within
    about 1e-6 of 0) are left out of both vectors.
    """
    X, y = _gradient_sample(X, y)
    gradient = _flatten(estimator.gradients(X, y))
    probe = copy.deepcopy(estimator)
    kinked = estimator.activation == "relu"
    arrays = [*probe.coefs_, *probe.intercepts_]
    differences, smooth = [], []
    for array in arrays:
        flat = array.reshape(-1)  # a view: the probe's parameters move with it
        for index in range(flat.shape[0]):
            value = flat[index]
            step = _RELATIVE_STEP * max(1.0, abs(value))
            flat[index] = value + step
            above = probe.objective(X, y)
            pattern = _pattern(probe, X) if kinked else None
            flat[index] = value - step
            below = probe.objective(X, y)
            smooth.append(not kinked or np.array_equal(pattern, _pattern(probe, X)))
            flat[index] = value
            differences.append((above - below) / (2 * step))
    numeric = _in_gradient_order(np.asarray(differences), probe)
    keep = _in_gradient_order(np.asarray(smooth, dtype=float), probe) > 0
    return float(np.linalg.norm((gradient - numeric)[keep])
                 / max(np.linalg.norm(gradient[keep]), 1e-300))


def _in_gradient_order(values, estimator):
    """Values listed per entry of ``coefs_`` then ``intercepts_`` (W.T, θ, b, c), in the
    order of the gradient's fields (W, b, θ, c), flattened."""
    shapes = [part.shape for part in (*estimator.coefs_, *estimator.intercepts_)]
    parts = np.split(values, np.cumsum([int(np.prod(shape)) for shape in shapes])[:-1])
    W_t, theta, b, c = (part.reshape(shape) for part, shape in zip(parts, shapes))
    return _flatten(NetworkParameters.from_coefs([W_t, theta], [b, c]))


def closed_form_gradient_gap(estimator, X, y, context):
    """‖g − g_lecture‖ / ‖g‖ on the first samples, for a network with one output: the
    lecture's closed forms for one sample, with r = ŷ − y the residual (the loss is
    r² / 2, half the lecture's (ŷ − y)²),

        ∂/∂θ_j = r σ(w_jᵀx + b_j),  ∂/∂w_j = r θ_j σ'(w_jᵀx + b_j) x,
        ∂/∂b_j = r θ_j σ'(w_jᵀx + b_j),  ∂/∂c = r,

    written unit by unit and sample by sample (no matrix product), averaged over the
    samples, plus the penalty's (α / n)(W, θ)."""
    X, y = _gradient_sample(X, y)
    gradient = estimator.gradients(X, y)
    parameters = NetworkParameters.from_coefs(estimator.coefs_, estimator.intercepts_)
    activation = ACTIVATIONS[estimator.activation]
    n_samples = X.shape[0]
    W, b = parameters.W, parameters.b
    theta, c = parameters.theta[:, 0], parameters.c[0]
    lecture = NetworkParameters(np.zeros_like(W), np.zeros_like(b),
                                np.zeros_like(parameters.theta), np.zeros_like(parameters.c))
    for x, target in zip(X, np.asarray(y, dtype=float).reshape(n_samples, -1)[:, 0]):
        pre = np.array([W[j] @ x + b[j] for j in range(W.shape[0])])
        hidden = activation.value(pre)
        residual = float(np.dot(theta, hidden) + c - target)
        slope = activation.derivative(pre)
        for j in range(W.shape[0]):
            lecture.theta[j, 0] += residual * hidden[j] / n_samples
            lecture.W[j] += residual * theta[j] * slope[j] * x / n_samples
            lecture.b[j] += residual * theta[j] * slope[j] / n_samples
        lecture.c[0] += residual / n_samples
    alpha = float(estimator.alpha)
    lecture.W[...] += alpha * W / n_samples
    lecture.theta[...] += alpha * parameters.theta / n_samples
    computed = _flatten(gradient)
    return float(np.linalg.norm(computed - _flatten(lecture))
                 / max(np.linalg.norm(computed), 1e-300))


def hidden_features(estimator, X):
    """``[σ(XWᵀ + b), 1]``: the network's hidden features and a constant column."""
    parameters = NetworkParameters.from_coefs(estimator.coefs_, estimator.intercepts_)
    hidden = ACTIVATIONS[estimator.activation].value(X @ parameters.W.T + parameters.b)
    return np.column_stack([hidden, np.ones(X.shape[0])])


def _least_squares_residual(estimator, X, y):
    features = hidden_features(estimator, X)
    coefficients, *_ = np.linalg.lstsq(features, y, rcond=None)
    return features, features @ coefficients - y


def random_features_training_error(estimator, X, y, context):
    """The training error of least squares on the network's hidden features (its output
    layer solved exactly), relative to the variance of y: 0 when the features interpolate."""
    _, residual = _least_squares_residual(estimator, X, y)
    return float(np.mean(residual**2) / np.var(y))


def random_features_rank(estimator, X, y, context):
    """The numerical rank of ``[σ(XWᵀ + b), 1]`` (``numpy.linalg.matrix_rank``): the
    dimension of the functions the output layer can fit on the sample."""
    return float(np.linalg.matrix_rank(hidden_features(estimator, X)))


def interpolation_error_at_full_rank(estimator, X, y, context):
    """The relative training error of least squares on the hidden features where they
    have rank n (0 elsewhere): an n × (m + 1) matrix of rank n maps onto R^n, so every
    target is fitted exactly, and this is 0 to rounding whenever it is defined."""
    features, residual = _least_squares_residual(estimator, X, y)
    if np.linalg.matrix_rank(features) < X.shape[0]:
        return 0.0
    return float(np.mean(residual**2) / np.var(y))


def best_training_loss(estimator, X, y, context):
    """The smallest training objective of the fit's epochs, ``min(loss_curve_)``."""
    return float(np.min(estimator.loss_curve_))


def excess_classification_risk(estimator, X, y, context):
    """R(f̂) − R* for labels flipped with probability η off a known boundary: exactly
    (1 − 2η) P(f̂(x) ≠ f*(x)), estimated on ``test_samples`` fresh inputs (no label noise
    in the estimate: only where the classifier and the Bayes classifier disagree)."""
    model = context.model
    X_test, _ = model.sample(np.random.default_rng(context.test_seed),
                             n_samples=context.settings["test_samples"])
    disagree = np.mean(estimator.predict(X_test) != model.bayes_classifier(X_test))
    return float((1 - 2 * model.label_noise) * disagree)


def nn_loss_curve(estimator, X, y=None):
    """The training objective after each epoch (``loss_curve_``; for full-batch gradient
    descent, entry t is the objective at the t-th iterate, the start first)."""
    return np.asarray(estimator.loss_curve_, dtype=float)


def nn_objective_curve(estimator, X, y=None):
    """The training objective F on all the samples at the start and after each epoch
    (``objective_curve_``, which ``record_objective=True`` records)."""
    return np.asarray(_objective_history(estimator), dtype=float)


def _objective_history(estimator):
    """F at each iterate of the fit, the start first: ``objective_curve_``, or for
    full-batch gradient descent ``loss_curve_``, which is F at each iterate but the last."""
    if estimator.record_objective:
        return estimator.objective_curve_
    if estimator.solver == "gd":
        return estimator.loss_curve_
    raise ValueError("the objective along an SGD fit needs record_objective=True: its "
                     "loss_curve_ averages the minibatch objectives over each epoch")


def _frozen_problem(estimator, X, y):
    """The convex problem of a frozen network: its objective is quadratic in β = (θ, c),
    F(β) = ½ mean((Aβ − y)²) + (α / 2n)(‖W‖² + ‖θ‖²) with A = [σ(XWᵀ + b), 1]; returns
    F*, the Hessian's extreme eigenvalues μ and L."""
    if not estimator.freeze_hidden:
        raise ValueError("the convex bounds apply to freeze_hidden=True (got "
                         f"freeze_hidden={estimator.freeze_hidden})")
    y = np.asarray(y, dtype=float)
    if y.ndim != 1:
        raise ValueError("the convex bounds are computed for one output")
    features = hidden_features(estimator, X)
    n_samples = X.shape[0]
    alpha = float(estimator.alpha)
    penalty = np.full(features.shape[1], alpha / n_samples)
    penalty[-1] = 0.0  # the intercept is not penalised
    hessian = features.T @ features / n_samples + np.diag(penalty)
    # lstsq, not solve: without a penalty, features of small weights are nearly collinear.
    optimum = np.linalg.lstsq(hessian, features.T @ y / n_samples, rcond=None)[0]
    W = NetworkParameters.from_coefs(estimator.coefs_, estimator.intercepts_).W
    f_star = (0.5 * np.mean((features @ optimum - y) ** 2)
              + 0.5 * alpha / n_samples * (np.sum(W**2) + np.sum(optimum[:-1] ** 2)))
    eigenvalues = np.linalg.eigvalsh(hessian)
    return float(f_star), float(eigenvalues[0]), float(eigenvalues[-1])


def frozen_suboptimality(estimator, X, y, context=None):
    """F(β_t) − F* along the fit of a frozen network, at each iterate of gradient descent
    or after each epoch of SGD (``record_objective=True``)."""
    f_star, _, _ = _frozen_problem(estimator, X, y)
    return np.asarray(_objective_history(estimator), dtype=float) - f_star


def frozen_gd_rate_ratio(estimator, X, y, context=None):
    """(F(β_t) − F*) / ((1 − γμ)^t (F(β_0) − F*)): at most 1 at every iteration for gradient
    descent with a step γ ≤ 1/L on a μ-strongly convex, L-smooth objective (the
    optimisation chapter's linear rate); a step above 1/L is refused, the bound not
    applying."""
    if estimator.solver != "gd" or estimator.schedule != "constant":
        raise ValueError("the linear rate is that of gradient descent with a constant step "
                         f"(got solver={estimator.solver!r}, schedule="
                         f"{estimator.schedule!r})")
    f_star, mu, smoothness = _frozen_problem(estimator, X, y)
    step = float(estimator.learning_rate)
    if step > 1.0 / smoothness:
        raise ValueError(f"the step {step:g} exceeds 1/L = {1 / smoothness:.4g}: the linear "
                         "rate's bound does not apply")
    gaps = np.asarray(_objective_history(estimator), dtype=float) - f_star
    bound = (1.0 - step * mu) ** np.arange(gaps.shape[0]) * gaps[0]
    return gaps / bound
