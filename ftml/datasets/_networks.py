"""Laws for the neural-network chapter, whose targets are known: regression of a sine, of a
linear function or of a small ReLU "teacher" network, and binary labels split by a linear
boundary or by the XOR pattern, with a known rate of label noise.

As for the other generators, what defines the law (the teacher's weights, the linear
coefficients) is drawn from a ``structure_seed`` and the shape alone, not from the
pipeline's per-point seed, so that samples of different sizes come from one law.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_random_state, check_scalar

__all__ = ["FunctionTargetModel", "BoundaryLabelsModel", "REGRESSION_FUNCTIONS",
           "BOUNDARIES", "check_function_target_params", "make_function_target",
           "check_boundary_labels_params", "make_boundary_labels"]

#: The regression functions of :func:`make_function_target`.
REGRESSION_FUNCTIONS = ("sine", "linear", "teacher")

#: The class boundaries of :func:`make_boundary_labels`.
BOUNDARIES = ("linear", "xor")


@dataclass(frozen=True, eq=False, repr=False)
class FunctionTargetModel:
    """y = f*(x) + ε, ε ~ N(0, noise²), x uniform on [−1, 1]^d.

    Parameters
    ----------
    function : {"sine", "linear", "teacher"}
        ``sine``: f*(x) = sin(π frequency x_1); ``linear``: f*(x) = θᵀx; ``teacher``:
        f*(x) = Σ_j a_j relu(w_jᵀx + b_j), a one-hidden-layer ReLU network (the course's
        tp_10 target).
    n_samples, n_features : int
    noise : float
    frequency : float
        Of the sine.
    coefficients : ndarray of shape (n_features,) or None
        θ of the linear function.
    hidden_weights : ndarray of shape (n_units, n_features) or None
        The teacher's w_j.
    hidden_biases, output_weights : ndarray of shape (n_units,) or None
        The teacher's b_j and a_j.
    """

    function: str
    n_samples: int
    n_features: int
    noise: float = 0.0
    frequency: float = 2.0
    coefficients: np.ndarray | None = None
    hidden_weights: np.ndarray | None = None
    hidden_biases: np.ndarray | None = None
    output_weights: np.ndarray | None = None

    def __post_init__(self):
        if self.function not in REGRESSION_FUNCTIONS:
            raise ValueError(f"function must be one of {REGRESSION_FUNCTIONS}, got "
                             f"{self.function!r}.")
        for name in ("coefficients", "hidden_weights", "hidden_biases", "output_weights"):
            value = getattr(self, name)
            if value is not None:
                value = np.asarray(value, dtype=float)
                value.setflags(write=False)
                object.__setattr__(self, name, value)

    def target(self, X):
        """f*(x) for each row of ``X``."""
        X = np.asarray(X, dtype=float)
        if self.function == "sine":
            return np.sin(math.pi * self.frequency * X[:, 0])
        if self.function == "linear":
            return X @ self.coefficients
        hidden = np.maximum(X @ self.hidden_weights.T + self.hidden_biases, 0.0)
        return hidden @ self.output_weights

    def sample(self, random_state=None, n_samples=None):
        """Draw ``n_samples`` pairs (``self.n_samples`` when None)."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        X = rng.uniform(-1.0, 1.0, (n_samples, self.n_features))
        y = self.target(X)
        if self.noise > 0:
            y = y + self.noise * rng.standard_normal(n_samples)
        return X, y


def check_function_target_params(function, n_samples, n_features=1, noise=0.0, frequency=2.0,
                                 n_units=5, structure_seed=0):
    """Check the arguments of :func:`make_function_target` without drawing anything."""
    if function not in REGRESSION_FUNCTIONS:
        raise ValueError(f"function must be one of {REGRESSION_FUNCTIONS}, got {function!r}.")
    for name, value in (("n_samples", n_samples), ("n_features", n_features),
                        ("n_units", n_units)):
        check_scalar(value, name, numbers.Integral, min_val=1)
    for name, value in (("noise", noise), ("frequency", frequency)):
        check_scalar(value, name, numbers.Real, min_val=0.0)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    check_scalar(structure_seed, "structure_seed", numbers.Integral, min_val=0)


def make_function_target(function, n_samples, n_features=1, noise=0.0, frequency=2.0,
                         n_units=5, structure_seed=0, random_state=None):
    """Regression of a known function on x uniform on [−1, 1]^d.

    The linear coefficients θ (standard Gaussian, normalised to ‖θ‖ = 1) and the teacher
    network (the course's tp_10: w_j = cos φ_j, b_j = sin φ_j with φ_j uniform on [−π, π],
    a unit vector of (w, b) per unit for d = 1, a_j uniform on [−1/√M, 1/√M]; for d > 1 the
    direction of (w_j, b_j) is uniform on the sphere of R^(d+1)) are drawn from
    ``structure_seed`` and the shape alone; ``random_state`` is ignored (the law is fixed).

    References
    ----------
    nlehir/FTML, practical_sessions/tp_10_nn (the teacher network and its noise 0.04).
    """
    check_function_target_params(function, n_samples, n_features, noise, frequency, n_units,
                                 structure_seed)
    rng = np.random.default_rng([structure_seed, n_features, n_units,
                                 REGRESSION_FUNCTIONS.index(function)])
    fields = {}
    if function == "linear":
        theta = rng.standard_normal(n_features)
        fields["coefficients"] = theta / np.linalg.norm(theta)
    elif function == "teacher":
        directions = rng.standard_normal((n_units, n_features + 1))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        fields["hidden_weights"] = directions[:, :n_features]
        fields["hidden_biases"] = directions[:, n_features]
        scale = 1 / math.sqrt(n_units)
        fields["output_weights"] = rng.uniform(-scale, scale, n_units)
    return FunctionTargetModel(function, n_samples, n_features, float(noise),
                               float(frequency), **fields)


@dataclass(frozen=True, eq=False, repr=False)
class BoundaryLabelsModel:
    """Binary labels on x uniform on [−1, 1]²: y = 1 on one side of a boundary, flipped with
    probability ``label_noise`` < 1/2, so that the Bayes classifier is the boundary itself
    and the Bayes risk is ``label_noise``.

    Parameters
    ----------
    boundary : {"linear", "xor"}
        ``linear``: y = 1{x_1 + x_2 > 0}; ``xor``: y = 1{x_1 x_2 > 0}, which no linear
        classifier separates (the best one errs with probability about 1/2).
    n_samples : int
    label_noise : float
    """

    boundary: str
    n_samples: int
    label_noise: float = 0.0

    def __post_init__(self):
        if self.boundary not in BOUNDARIES:
            raise ValueError(f"boundary must be one of {BOUNDARIES}, got {self.boundary!r}.")

    n_features = 2

    def bayes_classifier(self, X):
        """The label of the boundary's side, 0 or 1."""
        X = np.asarray(X, dtype=float)
        side = X[:, 0] + X[:, 1] if self.boundary == "linear" else X[:, 0] * X[:, 1]
        return (side > 0).astype(float)

    @property
    def bayes_risk(self):
        """The probability of a flipped label."""
        return self.label_noise

    def sample(self, random_state=None, n_samples=None):
        """Draw ``n_samples`` labelled points (``self.n_samples`` when None)."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        X = rng.uniform(-1.0, 1.0, (n_samples, 2))
        labels = self.bayes_classifier(X)
        flipped = rng.random(n_samples) < self.label_noise
        return X, np.where(flipped, 1.0 - labels, labels)


def check_boundary_labels_params(boundary, n_samples, label_noise=0.0):
    """Check the arguments of :func:`make_boundary_labels` without drawing anything."""
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, got {boundary!r}.")
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(label_noise, "label_noise", numbers.Real, min_val=0.0, max_val=0.5,
                 include_boundaries="left")


def make_boundary_labels(boundary, n_samples, label_noise=0.0, random_state=None):
    """Binary labels split by a linear or an XOR boundary on [−1, 1]², flipped with
    probability ``label_noise``; ``random_state`` is ignored (the law is fixed)."""
    check_boundary_labels_params(boundary, n_samples, label_noise)
    return BoundaryLabelsModel(boundary, n_samples, float(label_noise))
