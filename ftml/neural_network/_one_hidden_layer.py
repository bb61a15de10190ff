"""Neural networks with one hidden layer, trained by plain minibatch gradient descent.

The model is ``f(x) = theta^T sigma(W x + b) + c``, with ``W`` of shape
``(n_hidden, n_features)``, ``b`` of shape ``(n_hidden,)``, ``theta`` of shape
``(n_hidden, n_outputs)`` and ``c`` of shape ``(n_outputs,)`` (:class:`NetworkParameters`),
and ``sigma`` an activation of :data:`ftml.neural_network.ACTIVATIONS`. The training
objective on ``n`` samples is scikit-learn's (``MLPRegressor``, ``MLPClassifier``)::

    F(W, b, theta, c) = (1/n) sum_i ell(f(x_i), y_i)
                        + (alpha / (2 n)) (||W||_F^2 + ||theta||_F^2)

with the loss ``ell`` of the output layer:

- regression: ``(1/2) ||f(x) - y||^2``, half the squared error summed over the outputs;
  for one output this is scikit-learn's ``squared_error`` (``0.5 * mean((y - f)^2)``);
- binary classification: one output and the logistic loss ``log(1 + exp(-s f(x)))`` of the
  sign ``s = +1`` for ``classes_[1]``, ``-1`` for ``classes_[0]`` (scikit-learn's
  ``binary_log_loss`` of the sigmoid output);
- more classes: one output per class and the cross-entropy ``-log softmax(f(x))_y``.

The penalty is on the weights ``W`` and ``theta``, not on the intercepts, and is divided by
the number of samples, as scikit-learn's ``alpha`` is on full batches (on minibatches see
below): ``alpha`` is not ftml's ridge or logistic ``alpha`` (those add
``(alpha / 2) ||theta||^2``, the same penalty for ``alpha_ftml = alpha / n``).

Training is :func:`_gradient_descent`, beside the estimators: each epoch walks through the
samples (shuffled by ``random_state`` when ``shuffle=True``) in consecutive minibatches of
``batch_size`` samples (the last one smaller) and takes one step
``parameters -= gamma_t * grad F_batch`` per minibatch, where ``F_batch`` is the mean loss
on the minibatch plus ``F``'s penalty, and ``gamma_t`` is ``learning_rate``, constant or
decreasing with the step count ``t`` (``schedule``). The minibatch gradient is thus an
unbiased estimate of ``grad F`` (the course's SGD), whatever the batch size.
scikit-learn instead divides the penalty by the minibatch's size, so that its SGD minimises
a penalty ``alpha / (2 b)`` that grows as the batches ``b`` shrink; the two loops coincide
when ``alpha = 0``, for full batches, and for batches of equal size ``b`` when
scikit-learn's ``alpha`` is ``alpha * b / n``. With a constant step this is scikit-learn's
loop with ``solver="sgd"``, ``momentum=0``, ``nesterovs_momentum=False``,
``learning_rate="constant"``: where the penalties coincide, from the same initial weights
and without shuffling, both follow the same iterates to rounding
(``tests/test_neural_network.py``). ``solver="gd"`` is one step per epoch on all the
samples. ``loss_curve_[t]`` is as scikit-learn's: the mean over epoch ``t + 1`` of the
minibatch objectives ``F_batch``, each at the parameters before its step, weighted by the
minibatches' sizes; for ``"gd"`` it is ``F`` at the ``t``-th iterate.

A gradient is the chain rule, layer by layer (:func:`_forward` keeps the pre-activations
and activations, :func:`_backward` walks back through them), exposed as the estimators'
``gradients(X, y)``.

References
----------
The course, chapter "Neural networks" (one hidden layer, backpropagation, random features).
F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 9. X. Glorot
and Y. Bengio, "Understanding the difficulty of training deep feedforward neural networks",
AISTATS 2010. scikit-learn, ``sklearn/neural_network/_multilayer_perceptron.py``;
A. Karpathy, micrograd.
"""

import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from ftml.exceptions import ConvergenceWarning
from ftml.losses import logistic_derivative, logistic_value, square_derivative, square_value
from ftml.multiclass._base import _encode_classes
from ftml.multiclass._softmax import _log_softmax
from ftml.neural_network._activations import ACTIVATIONS
from ftml.validation import (
    Interval,
    Options,
    check_array,
    check_classification_targets,
    check_consistent_length,
    check_finite_squared_norm,
    check_is_fitted,
    check_random_state,
    validate_data,
)

__all__ = ["NetworkParameters", "OneHiddenLayerClassifier", "OneHiddenLayerRegressor"]


class NetworkParameters(NamedTuple):
    """The parameters of ``f(x) = theta^T sigma(W x + b) + c``, or gradients in them.

    The layout is the course's; scikit-learn's ``coefs_`` and ``intercepts_`` are
    ``[W.T, theta]`` and ``[b, c]`` (:meth:`from_coefs`, :meth:`to_coefs`).

    Attributes
    ----------
    W : ndarray of shape (n_hidden, n_features)
        The hidden layer's weights, ``coefs_[0].T``.
    b : ndarray of shape (n_hidden,)
        The hidden layer's intercepts, ``intercepts_[0]``.
    theta : ndarray of shape (n_hidden, n_outputs)
        The output layer's weights, ``coefs_[1]``.
    c : ndarray of shape (n_outputs,)
        The output layer's intercepts, ``intercepts_[1]``.

    Examples
    --------
    >>> params = NetworkParameters(W=np.ones((3, 2)), b=np.zeros(3), theta=np.ones((3, 1)),
    ...                            c=np.zeros(1))
    >>> coefs, intercepts = params.to_coefs()
    >>> [coef.shape for coef in coefs], [intercept.shape for intercept in intercepts]
    ([(2, 3), (3, 1)], [(3,), (1,)])
    >>> NetworkParameters.from_coefs(coefs, intercepts).W.shape
    (3, 2)
    """

    W: np.ndarray
    b: np.ndarray
    theta: np.ndarray
    c: np.ndarray

    @classmethod
    def from_coefs(cls, coefs, intercepts):
        """The parameters of scikit-learn's ``coefs_`` and ``intercepts_`` (views, no copy).

        Parameters
        ----------
        coefs : sequence of 2 arrays of shapes (n_features, n_hidden), (n_hidden, n_outputs)
        intercepts : sequence of 2 arrays of shapes (n_hidden,), (n_outputs,)

        Returns
        -------
        params : NetworkParameters

        Raises
        ------
        ValueError
            If ``coefs`` or ``intercepts`` does not hold two arrays (a network of another
            depth).
        """
        for name, layers in (("coefs", coefs), ("intercepts", intercepts)):
            if len(layers) != 2:
                raise ValueError(
                    f"{name} must hold 2 arrays, one per layer of a network with one hidden "
                    f"layer, got {len(layers)}."
                )
        return cls(np.asarray(coefs[0]).T, np.asarray(intercepts[0]), np.asarray(coefs[1]),
                   np.asarray(intercepts[1]))

    def to_coefs(self):
        """Copies of the parameters in scikit-learn's layout.

        Returns
        -------
        coefs : list of 2 ndarrays
            ``[W.T, theta]``, C-contiguous.
        intercepts : list of 2 ndarrays
            ``[b, c]``.
        """
        return ([np.ascontiguousarray(self.W.T).copy(), np.array(self.theta)],
                [np.array(self.b), np.array(self.c)])


# --- Output layers: each loss is ftml.losses' (or softmax's), applied per sample ---------


class _SquareOutput:
    """Identity output, loss ``(1/2) ||f - y||^2`` summed over the outputs."""

    name = "identity"

    @staticmethod
    def loss(scores, targets):
        return square_value(scores, targets).sum(axis=1)

    @staticmethod
    def derivative(scores, targets):
        return square_derivative(scores, targets)


class _LogisticOutput:
    """Sigmoid output, loss ``log(1 + exp(-s f))`` of the sign ``s``, shape (n, 1)."""

    name = "logistic"

    @staticmethod
    def loss(scores, signs):
        return logistic_value(scores, signs)[:, 0]

    @staticmethod
    def derivative(scores, signs):
        return logistic_derivative(scores, signs)  # -s sigma(-s f) = sigma(f) - [s = 1]


class _SoftmaxOutput:
    """Softmax output, loss ``-log softmax(f)_y`` of the one-hot targets."""

    name = "softmax"

    @staticmethod
    def loss(scores, one_hot):
        return -np.sum(_log_softmax(scores) * one_hot, axis=1)

    @staticmethod
    def derivative(scores, one_hot):
        return np.exp(_log_softmax(scores)) - one_hot


_OUTPUTS = {output.name: output for output in (_SquareOutput, _LogisticOutput, _SoftmaxOutput)}


# --- Forward pass, objective, backward pass ---------------------------------------------


class _Forward(NamedTuple):
    """What the forward pass computes, kept for the backward pass."""

    X: np.ndarray       # inputs, (n, n_features)
    pre: np.ndarray     # pre-activations z = W x + b, (n, n_hidden)
    hidden: np.ndarray  # activations h = sigma(z), (n, n_hidden)
    scores: np.ndarray  # outputs f(x) = theta^T h + c, (n, n_outputs)


def _forward(params, X, activation):
    """The forward pass of ``X`` through the network, layer by layer."""
    pre = X @ params.W.T + params.b
    hidden = activation.value(pre)
    scores = hidden @ params.theta + params.c
    return _Forward(X, pre, hidden, scores)


def _objective(params, forward, targets, output, penalty):
    """The mean loss of the forward pass plus ``(penalty / 2) (||W||^2 + ||theta||^2)``:
    ``F`` with ``penalty = alpha / n``, on the samples or on one minibatch of them."""
    squares = sum(float(np.dot(weights.ravel(), weights.ravel()))
                  for weights in (params.W, params.theta))
    mean_loss = float(np.mean(output.loss(forward.scores, targets)))
    return mean_loss + 0.5 * penalty * squares


def _backward(params, forward, targets, output, activation, penalty):
    """The gradient of :func:`_objective` in every parameter: the chain rule, from the
    output back.

    ``delta`` is the gradient of the summed loss in the current layer's outputs, one row
    per sample.
    """
    n_samples = forward.X.shape[0]
    # The loss in the scores f(x_i): for each output layer here (identity and square loss,
    # sigmoid and logistic loss, softmax and cross-entropy) it is the residual,
    # prediction minus target.
    delta = output.derivative(forward.scores, targets)
    # Output layer f = theta^T h + c: df/dtheta = h and df/dc = 1; the penalty adds
    # penalty * theta.
    theta = forward.hidden.T @ delta / n_samples + penalty * params.theta
    c = delta.sum(axis=0) / n_samples
    # Back through the output layer (df/dh = theta), then through sigma, elementwise
    # (dh/dz = sigma'(z)).
    delta = (delta @ params.theta.T) * activation.derivative(forward.pre, forward.hidden)
    # Hidden layer z = W x + b: dz/dW = x and dz/db = 1; the penalty adds penalty * W.
    W = delta.T @ forward.X / n_samples + penalty * params.W
    b = delta.sum(axis=0) / n_samples
    return NetworkParameters(W, b, theta, c)


# --- Training ---------------------------------------------------------------------------


def _glorot_parameters(n_features, n_hidden, n_outputs, activation, rng):
    """scikit-learn's initialisation (Glorot and Bengio's uniform one) drawn from ``rng``.

    Layer by layer, the weights then the intercepts are uniform in ``[-bound, bound]`` with
    ``bound = sqrt(factor / (fan_in + fan_out))``, the factor 2 for the sigmoid and 6
    otherwise. The weights are drawn in scikit-learn's layout ``(fan_in, fan_out)``.
    """
    layers = []
    for fan_in, fan_out in ((n_features, n_hidden), (n_hidden, n_outputs)):
        bound = np.sqrt(activation.glorot_factor / (fan_in + fan_out))
        layers.append((rng.uniform(-bound, bound, (fan_in, fan_out)),
                       rng.uniform(-bound, bound, fan_out)))
    (hidden, b), (theta, c) = layers
    return NetworkParameters(np.ascontiguousarray(hidden.T), b, theta, c)


def _check_init_weights(init_weights, n_features, n_hidden, n_outputs):
    """Copies of ``init_weights`` after checking that they are finite and fit the data."""
    expected = NetworkParameters(W=(n_hidden, n_features), b=(n_hidden,),
                                 theta=(n_hidden, n_outputs), c=(n_outputs,))
    checked = []
    for name, shape in zip(NetworkParameters._fields, expected):
        value = check_array(getattr(init_weights, name), name=f"init_weights.{name}",
                            ensure_2d=False)
        if value.shape != shape:
            raise ValueError(
                f"init_weights.{name} has shape {value.shape}, but n_hidden={n_hidden} and "
                f"the data (n_features={n_features}, n_outputs={n_outputs}) need shape "
                f"{shape}."
            )
        checked.append(value.copy())
    return NetworkParameters(*checked)


def _gradient_descent(params, X, targets, *, output, activation, alpha, learning_rate,
                      schedule, t0, batch_size, max_iter, shuffle, with_replacement,
                      freeze_hidden, record_objective, rng):
    """Minibatch gradient descent (see the module's docstring).

    Parameters
    ----------
    params : NetworkParameters
        The initial parameters, updated in place.
    X : ndarray of shape (n_samples, n_features)
    targets : ndarray of shape (n_samples, n_outputs)
        What ``output``'s loss compares the scores with.
    output, activation : the output layer and the hidden activation
    alpha : float
        The penalty of ``F``, ``(alpha / (2 n)) (||W||^2 + ||theta||^2)``, ``n`` the
        number of samples, in every minibatch objective.
    learning_rate : float
    schedule : {"constant", "inverse_sqrt", "inverse_time"}
        Step ``t`` (counted from 0 across epochs) is ``learning_rate`` times 1,
        ``1 / sqrt(t + 1)`` or ``1 / (1 + t / t0)``.
    t0 : float
        The time scale of ``"inverse_time"``, in steps.
    batch_size : int
        At most ``n_samples``.
    max_iter : int
        The number of epochs.
    shuffle : bool
        Draw a new order of the samples from ``rng`` at each epoch.
    with_replacement : bool
        Draw each minibatch's samples uniformly with replacement from ``rng`` instead
        (an epoch is then as many steps, ``shuffle`` unused).
    freeze_hidden : bool
        Step ``theta`` and ``c`` only.
    record_objective : bool
        Compute the objective ``F`` on all the samples at the start and after each epoch.
    rng : numpy.random.Generator

    Returns
    -------
    params : NetworkParameters
        At the end of the last epoch, or, if a step diverged, at the end of the last epoch
        before it (the initial parameters if it was in the first).
    loss_curve : list of float
        One finite entry per completed epoch.
    objective_curve : list of float
        With ``record_objective``, ``F`` at the start then after each completed epoch;
        otherwise empty.
    divergence : str or None
        Where the fit diverged, for the warning; None if all epochs completed.
    """
    n_samples = X.shape[0]
    order = np.arange(n_samples)
    trained = ("theta", "c") if freeze_hidden else NetworkParameters._fields
    loss_curve = []

    # Each minibatch objective has F's penalty: their gradients are unbiased for F's.
    penalty = alpha / n_samples

    def full_objective():
        return _objective(params, _forward(params, X, activation), targets, output, penalty)

    objective_curve = [full_objective()] if record_objective else []
    steps_per_epoch = -(-n_samples // batch_size)
    for epoch in range(1, max_iter + 1):
        if shuffle and not with_replacement:
            order = rng.permutation(n_samples)
        before = NetworkParameters(*(parameter.copy() for parameter in params))
        accumulated = 0.0
        for step, start in enumerate(range(0, n_samples, batch_size), start=1):
            stop = min(start + batch_size, n_samples)
            if with_replacement:
                batch = rng.integers(n_samples, size=stop - start)
            else:
                # Without shuffling a minibatch is a slice: a view, not a copy.
                batch = order[start:stop] if shuffle else slice(start, stop)
            forward = _forward(params, X[batch], activation)
            loss = _objective(params, forward, targets[batch], output, penalty)
            if not np.isfinite(loss):
                return before, loss_curve, objective_curve, (
                    f"at epoch {epoch}, step {step}: the minibatch objective is {loss}")
            gradients = _backward(params, forward, targets[batch], output, activation,
                                  penalty)
            rate = _step_size(learning_rate, schedule, t0,
                              (epoch - 1) * steps_per_epoch + step - 1)
            for name in trained:
                parameter = getattr(params, name)
                parameter -= rate * getattr(gradients, name)
            accumulated += loss * (stop - start)
        # A step can overflow the parameters and leave a finite loss (tanh saturates):
        # they are checked once per epoch.
        if not all(np.isfinite(parameter).all() for parameter in params):
            return before, loss_curve, objective_curve, (
                f"during epoch {epoch}: its steps overflowed the weights")
        if record_objective:
            objective = full_objective()
            if not np.isfinite(objective):
                return before, loss_curve, objective_curve, (
                    f"after epoch {epoch}: the objective is {objective}")
            objective_curve.append(objective)
        loss_curve.append(accumulated / n_samples)
    return params, loss_curve, objective_curve, None


def _step_size(learning_rate, schedule, t0, step):
    """The step size of step ``step`` (counted from 0 across epochs) of ``schedule``."""
    if schedule == "inverse_sqrt":
        return learning_rate / np.sqrt(step + 1.0)
    if schedule == "inverse_time":
        return learning_rate / (1.0 + step / t0)
    return learning_rate


# --- The estimators ---------------------------------------------------------------------


class _OneHiddenLayer(BaseEstimator):
    """What the regressor and the classifier share: parameters, training, gradients."""

    _parameter_constraints = {
        "n_hidden": [Interval(Integral, 1, None, closed="left")],
        "activation": [Options(str, tuple(ACTIVATIONS))],
        "solver": [Options(str, ("sgd", "gd"))],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "schedule": [Options(str, ("constant", "inverse_sqrt", "inverse_time"))],
        "t0": [None, Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "freeze_hidden": ["boolean"],
        "shuffle": ["boolean"],
        "sampling": [Options(str, ("without_replacement", "with_replacement"))],
        "record_objective": ["boolean"],
        "init_weights": [None, NetworkParameters],
        "random_state": ["random_state"],
    }

    def __init__(self, n_hidden=100, *, activation="relu", solver="sgd", batch_size=32,
                 learning_rate=0.001, schedule="constant", t0=None, max_iter=200, alpha=0.0,
                 freeze_hidden=False, shuffle=True, sampling="without_replacement",
                 record_objective=False,
                 init_weights=None, random_state=None):
        self.n_hidden = n_hidden
        self.activation = activation
        self.solver = solver
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.schedule = schedule
        self.t0 = t0
        self.max_iter = max_iter
        self.alpha = alpha
        self.freeze_hidden = freeze_hidden
        self.shuffle = shuffle
        self.sampling = sampling
        self.record_objective = record_objective
        self.init_weights = init_weights
        self.random_state = random_state

    def _train(self, X, targets, output):
        """Initialise and train the network on validated data; set the fitted attributes."""
        X = check_finite_squared_norm(X)
        activation = ACTIVATIONS[self.activation]
        rng = check_random_state(self.random_state)
        n_samples, n_features = X.shape
        n_outputs = targets.shape[1]
        if self.init_weights is None:
            params = _glorot_parameters(n_features, self.n_hidden, n_outputs, activation, rng)
        else:
            params = _check_init_weights(self.init_weights, n_features, self.n_hidden,
                                         n_outputs)
        full_batch = self.solver == "gd"
        batch_size = n_samples if full_batch else min(self.batch_size, n_samples)
        # Overflow and NaN are the divergence that the loop detects and reports; numpy's
        # warnings on the way would only repeat it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            params, loss_curve, objective_curve, divergence = _gradient_descent(
                params, X, targets, output=output, activation=activation,
                alpha=float(self.alpha), learning_rate=float(self.learning_rate),
                schedule=self.schedule,
                # By default the step of "inverse_time" has halved after one epoch.
                t0=float(-(-n_samples // batch_size) if self.t0 is None else self.t0),
                batch_size=batch_size, max_iter=self.max_iter,
                shuffle=bool(self.shuffle) and not full_batch,
                with_replacement=self.sampling == "with_replacement" and not full_batch,
                freeze_hidden=bool(self.freeze_hidden),
                record_objective=bool(self.record_objective), rng=rng,
            )
        self.coefs_, self.intercepts_ = params.to_coefs()
        self.n_outputs_ = n_outputs
        self.out_activation_ = output.name
        self.loss_curve_ = loss_curve
        if self.record_objective:
            self.objective_curve_ = objective_curve
        self.loss_ = loss_curve[-1] if loss_curve else float("inf")
        self.n_iter_ = len(loss_curve)
        self.diverged_ = divergence is not None
        if self.diverged_:
            warnings.warn(
                f"{type(self).__name__} diverged {divergence}, with "
                f"learning_rate={self.learning_rate}. The fit stopped and keeps the "
                f"parameters of the end of the last complete epoch (n_iter_={self.n_iter_}, "
                "diverged_=True); decrease learning_rate or standardise X.",
                ConvergenceWarning, stacklevel=3,
            )
        return self

    def _parameters(self):
        check_is_fitted(self, ["coefs_", "intercepts_"])
        return NetworkParameters.from_coefs(self.coefs_, self.intercepts_)

    def _scores(self, X):
        params = self._parameters()
        X = validate_data(self, X, reset=False)
        return _forward(params, X, ACTIVATIONS[self.activation]).scores

    def _forward_targets(self, X, y):
        params = self._parameters()
        X, targets = self._check_targets(X, y)
        return params, _forward(params, X, ACTIVATIONS[self.activation]), targets

    def objective(self, X, y):
        """The training objective ``F`` at the current parameters.

        ``F = (1/n) sum_i ell(f(x_i), y_i) + (alpha / (2 n)) (||W||_F^2 + ||theta||_F^2)``
        over the ``n`` samples given (see :mod:`ftml.neural_network`); with
        ``solver="gd"``, ``loss_curve_[t]`` is this on the training data at the ``t``-th
        iterate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs_)
            Targets as in ``fit``; a classifier's labels must be among ``classes_``.

        Returns
        -------
        objective : float

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` or ``y`` fails the checks of ``fit``, ``X`` has another number of
            features or ``y`` another number of outputs than in ``fit``, or ``y`` holds a
            label not in ``classes_``.
        """
        params, forward, targets = self._forward_targets(X, y)
        return _objective(params, forward, targets, _OUTPUTS[self.out_activation_],
                          float(self.alpha) / forward.X.shape[0])

    def gradients(self, X, y):
        """The gradient of the training objective ``F`` in every parameter, by backpropagation.

        The forward pass keeps the pre-activations ``z = W x + b`` and the activations
        ``h = sigma(z)``; the backward pass applies the chain rule from the loss back to
        ``W``: ``dF/dtheta = (1/n) sum_i h_i r_i^T + (alpha/n) theta``, ``dF/dc =
        (1/n) sum_i r_i``, ``dF/dW = (1/n) sum_i (sigma'(z_i) * (theta r_i)) x_i^T +
        (alpha/n) W`` and ``dF/db = (1/n) sum_i sigma'(z_i) * (theta r_i)``, where ``r_i``
        is the derivative of the loss in the scores, the residual ``f(x_i) - y_i`` (or the
        probabilities minus the one-hot labels) for the losses here. With
        ``freeze_hidden=True`` training uses ``theta`` and ``c`` only, but all four are
        returned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs_)
            Targets as in ``fit``; a classifier's labels must be among ``classes_``.

        Returns
        -------
        gradients : NetworkParameters
            ``W``, ``b``, ``theta`` and ``c``: the gradient in each, of its shape.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            As :meth:`objective`.
        """
        params, forward, targets = self._forward_targets(X, y)
        return _backward(params, forward, targets, _OUTPUTS[self.out_activation_],
                         ACTIVATIONS[self.activation], float(self.alpha) / forward.X.shape[0])


_PARAMETERS_DOC = """
    Parameters
    ----------
    n_hidden : int, default=100
        The number ``m`` of hidden units.
    activation : {"relu", "tanh", "sigmoid"}, default="relu"
        The hidden activation ``sigma`` (:data:`ftml.neural_network.ACTIVATIONS`).
    solver : {"sgd", "gd"}, default="sgd"
        ``"sgd"``: one step per minibatch of ``batch_size`` samples; ``"gd"``: one step per
        epoch on all the samples (``batch_size`` and ``shuffle`` are then ignored).
    batch_size : int, default=32
        The size of a minibatch of ``"sgd"``; clipped to the number of samples.
    learning_rate : float, default=0.001
        The (initial) step size: scikit-learn's ``learning_rate_init`` (and its default);
        no momentum. A step too large for the data diverges (see ``diverged_``).
    schedule : {"constant", "inverse_sqrt", "inverse_time"}, default="constant"
        Step ``t``, counted from 0 across epochs (one per minibatch, one per epoch for
        ``"gd"``), is ``learning_rate``, ``learning_rate / sqrt(t + 1)`` or
        ``learning_rate / (1 + t / t0)``, the schedules of :func:`ftml.optim.sgd`.
        ``"constant"`` is scikit-learn's ``learning_rate="constant"``; its
        ``"invscaling"`` decays per epoch with the number of samples seen, another rule.
    t0 : float, default=None
        The time scale of ``"inverse_time"``, in steps: the step has halved after ``t0``
        steps. By default the number of steps of one epoch; ignored by the other schedules.
    max_iter : int, default=200
        The number of epochs. All of them run: there is no tolerance and no early stopping.
    alpha : float, default=0.0
        The L2 penalty ``(alpha / (2 n)) (||W||^2 + ||theta||^2)`` of ``F``, ``n`` the
        number of training samples, in every minibatch step too (scikit-learn divides it
        by the minibatch's size instead: see :mod:`ftml.neural_network`).
    freeze_hidden : bool, default=False
        Train only ``theta`` and ``c``: ``W`` and ``b`` keep their initial values, and the
        network is a linear model on the random features ``sigma(W x + b)`` (the penalty
        on ``W`` is then a constant of the objective).
    shuffle : bool, default=True
        Draw a new order of the samples from ``random_state`` at each epoch of ``"sgd"``;
        otherwise the minibatches are the consecutive slices of the training data.
    sampling : {"without_replacement", "with_replacement"}, default="without_replacement"
        How ``"sgd"`` draws its minibatches: each epoch a partition of the samples
        (random reshuffling, scikit-learn's loop; see ``shuffle``), or each minibatch's
        samples uniformly with replacement from ``random_state`` (the SGD of the theory
        of :func:`ftml.optim.sgd`; an epoch is then the same number of steps, and
        ``shuffle`` is unused). At the end of an epoch of reshuffling the minibatch
        gradients at the optimum sum to zero, so its noise floor falls faster with the
        step than the ``O(step)`` floor of sampling with replacement.
    record_objective : bool, default=False
        Compute the training objective ``F`` at the start and after each epoch, on all the
        training samples, into ``objective_curve_``: one more forward pass per epoch.
        ``loss_curve_``, scikit-learn's, averages the minibatch objectives along the epoch
        instead, at parameters that change from one minibatch to the next.
    init_weights : NetworkParameters, default=None
        The initial parameters (copied, not modified), for instance scikit-learn's, through
        :meth:`NetworkParameters.from_coefs`. None draws them from ``random_state``:
        scikit-learn's scheme, Glorot and Bengio's uniform initialisation (each layer's
        weights then its intercepts uniform in ``[-bound, bound]``,
        ``bound = sqrt(factor / (fan_in + fan_out))``, ``factor`` 2 for the sigmoid and 6
        otherwise); numpy's Generator draws, so the same seed gives other weights than
        scikit-learn.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        Seeds the initial weights (when ``init_weights`` is None), then the order of the
        samples at each epoch.
"""

_ATTRIBUTES_DOC = """
    coefs_ : list of 2 ndarrays
        ``[W.T, theta]``, of shapes ``(n_features, n_hidden)`` and
        ``(n_hidden, n_outputs_)``, scikit-learn's layout.
    intercepts_ : list of 2 ndarrays
        ``[b, c]``, of shapes ``(n_hidden,)`` and ``(n_outputs_,)``.
    n_iter_ : int
        The number of epochs run: ``max_iter``, or fewer if the fit diverged.
    loss_curve_ : list of float
        One entry per epoch run, scikit-learn's ``loss_curve_``: the mean over the epoch of
        the minibatch objectives, each at the parameters before its step, weighted by the
        minibatches' sizes. Always finite.
    loss_ : float
        ``loss_curve_[-1]``; ``inf`` if the first epoch diverged.
    objective_curve_ : list of float
        With ``record_objective=True`` only: the training objective ``F`` at the initial
        parameters, then after each epoch run (``n_iter_ + 1`` entries). Always finite.
    diverged_ : bool
        Whether a step diverged: a minibatch objective that is not finite, or weights that
        overflowed. The fit then stops with a ``ConvergenceWarning`` naming the epoch and
        step, and keeps the parameters of the end of the last complete epoch.
    n_outputs_ : int
        The number of outputs of the network.
    out_activation_ : str
        The output layer, scikit-learn's name: ``"identity"``, ``"logistic"`` or
        ``"softmax"``.
    n_features_in_ : int
        Number of features seen in ``fit``.
"""


class OneHiddenLayerRegressor(RegressorMixin, _OneHiddenLayer):
    __doc__ = """Regression by a neural network with one hidden layer.

    Fits ``f(x) = theta^T sigma(W x + b) + c`` by minibatch gradient descent on
    ``F = (1/n) sum_i (1/2) ||f(x_i) - y_i||^2 + (alpha / (2 n)) (||W||_F^2 + ||theta||_F^2)``,
    scikit-learn's ``MLPRegressor`` objective (see :mod:`ftml.neural_network`). For several
    outputs the loss sums over them, while scikit-learn's reported loss averages over them
    (its gradient is that of the sum): the steps are the same, and with ``alpha = 0``
    ``loss_curve_`` is ``n_outputs_`` times scikit-learn's.
    """ + _PARAMETERS_DOC + """
    Attributes
    ----------""" + _ATTRIBUTES_DOC + """
    See Also
    --------
    OneHiddenLayerClassifier : The same network with a logistic or softmax output.
    sklearn.neural_network.MLPRegressor : The same model and loop with
        ``hidden_layer_sizes=(n_hidden,)``, ``solver="sgd"``, ``momentum=0``,
        ``learning_rate="constant"``.

    References
    ----------
    The course, chapter "Neural networks". F. Bach, *Learning Theory from First
    Principles*, MIT Press, 2024, Chapter 9.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, (200, 1))
    >>> y = np.sin(3 * X[:, 0])
    >>> model = OneHiddenLayerRegressor(20, activation="tanh", learning_rate=0.1,
    ...                                 max_iter=300, random_state=0).fit(X, y)
    >>> model.score(X, y) > 0.95, model.n_iter_, model.diverged_
    (True, 300, False)
    >>> model.loss_curve_[-1] < model.loss_curve_[0]
    True
    >>> model.gradients(X, y).W.shape  # (n_hidden, n_features)
    (20, 1)
    """

    def _check_targets(self, X, y, reset=False):
        """``X`` and ``y`` as a 2-D array of targets, for ``fit`` (``reset``) or later."""
        if _n_outputs(y) > 1:
            y = check_array(y, name="y")
            X = validate_data(self, X, reset=reset)
            check_consistent_length(X=X, y=y)
        else:
            X, y = validate_data(self, X, y, reset=reset)
            y = y[:, None]
        if not reset and y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} output(s), but {type(self).__name__} was fitted with "
                f"{self.n_outputs_} (n_outputs_ = {self.n_outputs_})."
            )
        return X, y

    def fit(self, X, y):
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The inputs.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The targets; a column vector ``(n_samples, 1)`` is raveled, with a warning.

        Returns
        -------
        self : OneHiddenLayerRegressor
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints``; it is both a ValueError
            and a TypeError.
        ValueError
            If ``X`` or ``y`` is empty, non-numeric or not finite, if their lengths differ,
            if the squared norm of ``X`` overflows float64, or if ``init_weights`` is not
            finite or its shapes do not fit ``n_hidden`` and the data (the message names
            the parameter and the shape expected).

        Warns
        -----
        ConvergenceWarning
            If a step diverged (``diverged_``).
        """
        self._validate_params()
        X, targets = self._check_targets(X, y, reset=True)
        return self._train(X, targets, _SquareOutput)

    def predict(self, X):
        """Predict ``f(x)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
            1-D when ``fit`` had a 1-D ``y``.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` is not finite or has another number of features than in ``fit``.
        """
        scores = self._scores(X)
        return scores[:, 0] if self.n_outputs_ == 1 else scores

    def score(self, X, y):
        """Return the coefficient of determination R^2, averaged over the outputs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs_)

        Returns
        -------
        score : float
            :func:`ftml.metrics.r2_score`, or the mean of its value on each output
            (scikit-learn's ``multioutput="uniform_average"``).
        """
        if _n_outputs(y) == 1:
            return super().score(X, y)
        from ftml.metrics import r2_score

        y = check_array(y, name="y")
        prediction = self.predict(X).reshape(y.shape[0], -1)
        return float(np.mean([r2_score(y[:, k], prediction[:, k])
                              for k in range(y.shape[1])]))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class OneHiddenLayerClassifier(ClassifierMixin, _OneHiddenLayer):
    __doc__ = """Classification by a neural network with one hidden layer.

    Fits ``f(x) = theta^T sigma(W x + b) + c`` by minibatch gradient descent on
    ``F = (1/n) sum_i ell(f(x_i), y_i) + (alpha / (2 n)) (||W||_F^2 + ||theta||_F^2)``,
    scikit-learn's ``MLPClassifier`` objective (see :mod:`ftml.neural_network`): for two
    classes one output and the logistic loss ``log(1 + exp(-s f(x)))``, ``s = +1`` for
    ``classes_[1]``; for more, one output per class and the cross-entropy
    ``-log softmax(f(x))_y``. The losses are computed from the scores, exactly
    (scikit-learn clips the probabilities to ``[eps, 1 - eps]``, which changes its loss
    only where a probability is within ``2.2e-16`` of 0 or 1).
    """ + _PARAMETERS_DOC + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted.""" + _ATTRIBUTES_DOC + """
    See Also
    --------
    OneHiddenLayerRegressor : The same network with the square loss.
    sklearn.neural_network.MLPClassifier : The same model and loop with
        ``hidden_layer_sizes=(n_hidden,)``, ``solver="sgd"``, ``momentum=0``,
        ``learning_rate="constant"``.

    References
    ----------
    The course, chapter "Neural networks". F. Bach, *Learning Theory from First
    Principles*, MIT Press, 2024, Chapter 9.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = np.where(X[:, 0] * X[:, 1] > 0, "same", "opposite")  # not linearly separable
    >>> model = OneHiddenLayerClassifier(16, learning_rate=0.1, max_iter=200,
    ...                                  random_state=0).fit(X, y)
    >>> model.classes_, model.n_outputs_, model.out_activation_
    (array(['opposite', 'same'], dtype='<U8'), 1, 'logistic')
    >>> model.score(X, y) > 0.9
    True
    >>> model.predict_proba(X[:1]).sum()
    np.float64(1.0)
    """

    def _check_targets(self, X, y, reset=False):
        """``X`` and the targets of the output layer: signs, or one-hot labels."""
        X, y = validate_data(self, X, y, reset=reset, y_numeric=False)
        if reset:
            self.classes_, encoded = _encode_classes(y, self)
        else:
            check_classification_targets(y)
            unknown = ~np.isin(y, self.classes_)
            if unknown.any():
                raise ValueError(
                    f"y contains labels not seen in fit, such as {y[unknown].tolist()[0]!r}; "
                    f"{type(self).__name__} knows classes_ = {self.classes_.tolist()}."
                )
            encoded = np.searchsorted(self.classes_, y)
        if self.classes_.shape[0] == 2:
            return X, np.where(encoded == 1, 1.0, -1.0)[:, None]
        return X, np.eye(self.classes_.shape[0])[encoded]

    def fit(self, X, y):
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The inputs.
        y : array-like of shape (n_samples,)
            Labels of at least two classes, of any type numpy can sort.

        Returns
        -------
        self : OneHiddenLayerClassifier
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints``; it is both a ValueError
            and a TypeError.
        ValueError
            If ``X`` is empty, non-numeric or not finite, or its squared norm overflows
            float64; if ``y`` is not 1-D, holds NaN or continuous values, or a single class;
            if their lengths differ; or if ``init_weights`` is not finite or its shapes do
            not fit ``n_hidden`` and the data (one output for two classes, one per class
            otherwise).

        Warns
        -----
        ConvergenceWarning
            If a step diverged (``diverged_``).
        """
        self._validate_params()
        X, targets = self._check_targets(X, y, reset=True)
        output = _LogisticOutput if self.classes_.shape[0] == 2 else _SoftmaxOutput
        return self._train(X, targets, output)

    def predict_proba(self, X):
        """The probability of each class: the sigmoid, or softmax, of the scores.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; each row sums to 1. For two classes
            ``[sigma(-f), sigma(f)]``, each computed without overflow.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` is not finite or has another number of features than in ``fit``.
        """
        scores = self._scores(X)
        if self.out_activation_ == "logistic":
            return np.exp(-np.logaddexp(0.0, np.hstack([scores, -scores])))
        return np.exp(_log_softmax(scores))

    def predict(self, X):
        """Predict the most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of ``classes_``; for two classes ``classes_[1]`` where ``f(x) > 0``.
        """
        scores = self._scores(X)
        if self.out_activation_ == "logistic":
            return self.classes_[(scores[:, 0] > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


def _n_outputs(y):
    """The number of columns of a 2-D ``y``, otherwise 1 (including input that is no
    array, which :func:`ftml.validation.validate_data` then explains)."""
    try:
        y = np.asarray(y)
    except ValueError:  # ragged
        return 1
    return y.shape[1] if y.ndim == 2 else 1
