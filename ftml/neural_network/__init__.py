"""Neural networks with one hidden layer, ``f(x) = theta^T sigma(W x + b) + c``.

:class:`OneHiddenLayerRegressor` (square loss) and :class:`OneHiddenLayerClassifier`
(logistic loss for two classes, softmax cross-entropy for more) are trained by plain
minibatch gradient descent with a constant step, scikit-learn's ``MLPRegressor`` and
``MLPClassifier`` loop with ``solver="sgd"``, ``momentum=0`` and
``learning_rate="constant"``, on scikit-learn's objective (the mean loss plus
``alpha / (2 n)`` times the squared norm of the weights). Their ``gradients(X, y)`` is
backpropagation written as the chain rule, layer by layer, from the activations of
:data:`ACTIVATIONS`, each of which knows its derivative; :class:`NetworkParameters` names
the four parameters ``W``, ``b``, ``theta``, ``c`` (and their gradients), and sets the
initial weights through ``init_weights``. With ``freeze_hidden=True`` only ``theta`` and
``c`` are trained: a linear model on random features. See
:mod:`ftml.neural_network._one_hidden_layer` for the conventions.

References
----------
The course, chapter "Neural networks". F. Bach, *Learning Theory from First Principles*,
MIT Press, 2024, Chapter 9. scikit-learn, ``sklearn/neural_network/``; A. Karpathy,
micrograd.
"""

from ftml.neural_network._activations import ACTIVATIONS, Activation
from ftml.neural_network._one_hidden_layer import (
    NetworkParameters,
    OneHiddenLayerClassifier,
    OneHiddenLayerRegressor,
)

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "NetworkParameters",
    "OneHiddenLayerClassifier",
    "OneHiddenLayerRegressor",
]
