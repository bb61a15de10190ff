"""The activation functions of a hidden layer, each with its derivative.

An :class:`Activation` is a function ``sigma`` applied elementwise to the pre-activations
``z = W x + b``, together with its derivative ``sigma'``: the backward pass multiplies the
gradient arriving at ``sigma(z)`` by ``sigma'(z)``, the local derivative, as each operation
of micrograd knows its own. :data:`ACTIVATIONS` is the table from names to activations that
the estimators' ``activation`` parameter accepts.

Both functions take the pre-activation ``z``, not the activation ``sigma(z)``
(scikit-learn writes ``sigma'`` in terms of ``sigma(z)``, which hides the chain rule). The
derivative may also be given the activation ``sigma(z)`` that the forward pass kept, where
it saves a transcendental function: ``tanh'(z) = 1 - tanh(z)^2`` from the kept ``tanh(z)``
is the same number as from ``z`` (a tenth of an epoch's time on a wide layer); the
sigmoid's stays in log space from ``z``, for its relative accuracy in the tails. Neither
overflows: the sigmoid is computed as ``exp(-logaddexp(0, -z))``, as
:func:`ftml.losses.logistic_value` is.
"""

import numpy as np

__all__ = ["ACTIVATIONS", "Activation"]


class Activation:
    """An elementwise activation ``sigma`` with its derivative ``sigma'``.

    Parameters
    ----------
    name : str
        The name the estimators' ``activation`` parameter accepts.
    value : callable
        ``sigma``, elementwise over an array of pre-activations.
    derivative : callable
        ``sigma'(z, value=None)``, elementwise over the same array; ``value`` is
        ``sigma(z)`` when the caller has it.
    glorot_factor : float
        The factor of Glorot and Bengio's uniform initialisation, whose bound is
        ``sqrt(glorot_factor / (fan_in + fan_out))``: 2 for the sigmoid, 6 otherwise, as in
        scikit-learn's ``MLPRegressor``.

    Examples
    --------
    >>> relu = ACTIVATIONS["relu"]
    >>> z = np.array([-1.0, 0.0, 2.0])
    >>> relu.value(z), relu.derivative(z)
    (array([0., 0., 2.]), array([0., 0., 1.]))
    >>> float(ACTIVATIONS["sigmoid"].derivative(0.0))
    0.25
    """

    def __init__(self, name, value, derivative, glorot_factor):
        self.name = name
        self.value = value
        self.derivative = derivative
        self.glorot_factor = glorot_factor

    def __repr__(self):
        return f"Activation({self.name!r})"


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_derivative(z, value=None):
    # At the kink z = 0 the derivative is taken as 0, scikit-learn's choice (a subgradient).
    return np.where(z > 0, 1.0, 0.0)


def _tanh_derivative(z, value=None):
    value = np.tanh(z) if value is None else value
    return 1.0 - value * value


def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _sigmoid_derivative(z, value=None):
    # sigma(z) sigma(-z) = sigma(z) (1 - sigma(z)), in log space: 1 - sigma(z) is never
    # formed, so the derivative keeps its relative accuracy in the tails.
    return np.exp(-np.logaddexp(0.0, z) - np.logaddexp(0.0, -z))


ACTIVATIONS = {
    activation.name: activation
    for activation in (
        Activation("relu", _relu, _relu_derivative, glorot_factor=6.0),
        Activation("tanh", np.tanh, _tanh_derivative, glorot_factor=6.0),
        Activation("sigmoid", _sigmoid, _sigmoid_derivative, glorot_factor=2.0),
    )
}
"""The activations by name: ``"relu"`` ``max(z, 0)``, ``"tanh"`` and ``"sigmoid"``
``1 / (1 + exp(-z))`` (scikit-learn's ``"logistic"``)."""
