"""I.i.d. samples of one bounded variable, whose mean, variance and range are known: the
law of large numbers and the concentration inequalities are statements about their mean;
and binary labels on [0, 1] with a step regression function, on which the risk of a
threshold classifier is known exactly (the finite-class bound of empirical risk
minimisation), or with a smooth known regression function (convex surrogates).

:class:`ScalarLawModel` draws ``y_1, ..., y_n`` i.i.d. and a constant feature column (there
is nothing to regress on: an estimator of the mean, such as a ``DummyRegressor``, reads
``y``), and knows the moments and the range that the bounds of Chebyshev, Hoeffding and
Bernstein take.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_random_state, check_scalar

__all__ = ["ETA_LAWS", "SCALAR_LAWS", "BinaryEtaModel", "ScalarLawModel", "ThresholdLawModel",
           "check_binary_eta_params", "check_scalar_law_params", "check_threshold_law_params",
           "make_binary_eta", "make_scalar_law", "make_threshold_law"]

# Names use hyphens: a law is a grid value, and grid values name files with underscores.
SCALAR_LAWS = ("bernoulli", "uniform", "squared-uniform")


@dataclass(frozen=True, eq=False, repr=False)
class ScalarLawModel:
    """A bounded real variable Y with known moments; samples are ``(ones, y)``.

    Parameters
    ----------
    law : {"bernoulli", "uniform", "squared-uniform"}
        Bernoulli(p); uniform on [low, high]; U² for U uniform on [low, high], 0 <= low.
    n_samples : int
        The draws a sample holds.
    p : float
        The Bernoulli parameter, in [0, 1] (other laws ignore it).
    low, high : float
        The uniform's interval, low < high (the Bernoulli ignores them).

    Attributes
    ----------
    mean, variance : float
        E[Y] and Var(Y), exact.
    lower, upper : float
        The range [a, b] of Y, which Hoeffding's inequality takes.
    deviation_bound : float
        max(μ − a, b − μ), the bound on |Y − μ| that Bernstein's inequality takes.

    Examples
    --------
    >>> model = ScalarLawModel("squared-uniform", n_samples=4, low=1.0, high=2.0)
    >>> round(model.mean, 12), round(model.variance, 12)
    (2.333333333333, 0.755555555556)
    """

    law: str
    n_samples: int
    p: float = 0.5
    low: float = 0.0
    high: float = 1.0

    def __post_init__(self):
        check_scalar_law_params(self.law, self.n_samples, self.p, self.low, self.high)

    @property
    def mean(self):
        if self.law == "bernoulli":
            return float(self.p)
        if self.law == "uniform":
            return (self.low + self.high) / 2
        return _power_mean(self.low, self.high, 2)

    @property
    def variance(self):
        if self.law == "bernoulli":
            return float(self.p * (1 - self.p))
        if self.law == "uniform":
            return (self.high - self.low) ** 2 / 12
        return _power_mean(self.low, self.high, 4) - self.mean**2

    @property
    def lower(self):
        return 0.0 if self.law == "bernoulli" else float(self.low) ** (
            2 if self.law == "squared-uniform" else 1)

    @property
    def upper(self):
        return 1.0 if self.law == "bernoulli" else float(self.high) ** (
            2 if self.law == "squared-uniform" else 1)

    @property
    def deviation_bound(self):
        return max(self.mean - self.lower, self.upper - self.mean)

    def sample(self, random_state=None, n_samples=None):
        """Draw ``n_samples`` values (``self.n_samples`` when None).

        Returns
        -------
        X : ndarray of shape (n_samples, 1)
            Ones: the variable has no covariates.
        y : ndarray of shape (n_samples,)
        """
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        if self.law == "bernoulli":
            y = (rng.random(n_samples) < self.p).astype(float)
        else:
            y = rng.uniform(self.low, self.high, n_samples)
            if self.law == "squared-uniform":
                y = y**2
        return np.ones((n_samples, 1)), y


def _power_mean(low, high, power):
    """E[U^power] for U uniform on [low, high]."""
    return (high ** (power + 1) - low ** (power + 1)) / ((power + 1) * (high - low))


def check_scalar_law_params(law, n_samples, p=0.5, low=0.0, high=1.0):
    """Check the arguments of :func:`make_scalar_law` without drawing anything.

    Raises
    ------
    ValueError
        If ``law`` is unknown, ``n_samples`` < 1, ``p`` outside [0, 1], ``low >= high``, or
        ``low < 0`` for ``squared-uniform`` (U² would not be monotone in U).
    """
    if law not in SCALAR_LAWS:
        raise ValueError(f"law must be one of {SCALAR_LAWS}, got {law!r}.")
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(p, "p", numbers.Real, min_val=0.0, max_val=1.0)
    for name, value in (("low", low), ("high", high)):
        check_scalar(value, name, numbers.Real)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    if law != "bernoulli" and not low < high:
        raise ValueError(f"low must be below high, got low={low!r}, high={high!r}.")
    if law == "squared-uniform" and low < 0:
        raise ValueError(f"squared-uniform needs low >= 0, got {low!r}.")


def make_scalar_law(law, n_samples, p=0.5, low=0.0, high=1.0, random_state=None):
    """Build a :class:`ScalarLawModel` (``random_state`` is ignored: the law is fixed).

    References
    ----------
    .. [1] nlehir/FTML, practical_sessions/tp_01_train_test_overfitting, "law of large
       numbers" (the mean of U² for U ~ U[1, 2] tends to 7/3), and tp_12 "Statistical
       learning" (Hoeffding's inequality on Bernoulli(1/2) means).
    """
    return ScalarLawModel(law, n_samples, p, low, high)


@dataclass(frozen=True, eq=False, repr=False)
class ThresholdLawModel:
    """Binary labels on X uniform on [0, 1] with a step regression function:
    P(Y = 1 | X = x) = eta_low for x < boundary, eta_high above.

    It gives the exact risk of any classifier that thresholds x, so that the excess risk of
    empirical risk minimisation over a finite class of them is known exactly.

    Parameters
    ----------
    n_samples : int
    boundary : float
        In [0, 1].
    eta_low, eta_high : float
        In [0, 1].

    Examples
    --------
    >>> model = ThresholdLawModel(n_samples=5, boundary=0.3, eta_low=0.2, eta_high=0.9)
    >>> round(model.threshold_risk(0.3, 0, 1), 12), round(model.bayes_risk, 12)
    (0.13, 0.13)
    """

    n_samples: int
    boundary: float = 0.3
    eta_low: float = 0.2
    eta_high: float = 0.9

    def __post_init__(self):
        check_threshold_law_params(self.n_samples, self.boundary, self.eta_low, self.eta_high)

    def eta(self, x):
        """P(Y = 1 | X = x)."""
        return np.where(np.asarray(x, dtype=float) < self.boundary, self.eta_low,
                        self.eta_high)

    def sample(self, random_state=None, n_samples=None):
        """``X`` uniform on [0, 1] of shape (n, 1), ``y`` in {0, 1}."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        x = rng.random(n_samples)
        y = (rng.random(n_samples) < self.eta(x)).astype(float)
        return x[:, None], y

    def threshold_risk(self, threshold, below, above):
        """The exact 0-1 risk of x ↦ below if x < threshold else above (labels in {0, 1}),
        for one threshold or an array of them.

        With H_1(t) = ∫_0^t η the probability of a label 1 below t and H_0(t) = t − H_1(t)
        that of a label 0, predicting a below t errs with probability H_{1−a}(t) and
        predicting b above with H_{1−b}(1) − H_{1−b}(t).
        """
        t = np.clip(np.asarray(threshold, dtype=float), 0.0, 1.0)

        def ones_below(u):
            return (self.eta_low * np.minimum(u, self.boundary)
                    + self.eta_high * np.maximum(u - self.boundary, 0.0))

        def errors_below(u, label):  # P(X < u, Y != label)
            return ones_below(u) if label == 0 else u - ones_below(u)

        risk = errors_below(t, below) + errors_below(1.0, above) - errors_below(t, above)
        return float(risk) if risk.ndim == 0 else risk

    @property
    def bayes_risk(self):
        """E[min(η(X), 1 − η(X))]."""
        return (self.boundary * min(self.eta_low, 1 - self.eta_low)
                + (1 - self.boundary) * min(self.eta_high, 1 - self.eta_high))


def check_threshold_law_params(n_samples, boundary=0.3, eta_low=0.2, eta_high=0.9):
    """Check the arguments of :func:`make_threshold_law` without drawing anything."""
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    for name, value in (("boundary", boundary), ("eta_low", eta_low), ("eta_high", eta_high)):
        check_scalar(value, name, numbers.Real, min_val=0.0, max_val=1.0)


def make_threshold_law(n_samples, boundary=0.3, eta_low=0.2, eta_high=0.9, random_state=None):
    """Build a :class:`ThresholdLawModel` (``random_state`` is ignored: the law is fixed)."""
    return ThresholdLawModel(n_samples, boundary, eta_low, eta_high)


# The regression functions of :class:`BinaryEtaModel`: a logistic one (a well-specified
# logistic regression) and a non-monotone one (no linear score is Bayes).
ETA_LAWS = ("logistic", "sine")


@dataclass(frozen=True, eq=False, repr=False)
class BinaryEtaModel:
    """Binary labels on X uniform on [−1, 1] with a smooth known regression function η.

    ``logistic``: η(x) = 1 / (1 + exp(−slope x)); ``sine``: η(x) = 1/2 + 0.45 sin(slope x).
    Labels are 0 and 1 (1 where the score is positive, as for scikit-learn's binary
    classifiers), and the risks of any score function g are integrals over [−1, 1] of
    the conditional risks of η(x) and g(x), computed by quadrature
    (:func:`ftml.theory.binary_risks`).

    Parameters
    ----------
    law : {"logistic", "sine"}
    n_samples : int
    slope : float
        Positive.
    """

    law: str
    n_samples: int
    slope: float = 4.0

    def __post_init__(self):
        check_binary_eta_params(self.law, self.n_samples, self.slope)

    low, high = -1.0, 1.0

    def eta(self, x):
        """P(Y = 1 | X = x)."""
        x = np.asarray(x, dtype=float)
        if self.law == "logistic":
            return 1.0 / (1.0 + np.exp(-self.slope * x))
        return 0.5 + 0.45 * np.sin(self.slope * x)

    def sample(self, random_state=None, n_samples=None):
        """``X`` uniform on [−1, 1] of shape (n, 1), ``y`` in {0, 1}."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        x = rng.uniform(self.low, self.high, n_samples)
        y = (rng.random(n_samples) < self.eta(x)).astype(float)
        return x[:, None], y


def check_binary_eta_params(law, n_samples, slope=4.0):
    """Check the arguments of :func:`make_binary_eta` without drawing anything."""
    if law not in ETA_LAWS:
        raise ValueError(f"law must be one of {ETA_LAWS}, got {law!r}.")
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(slope, "slope", numbers.Real, min_val=0.0, include_boundaries="neither")
    if not math.isfinite(slope):
        raise ValueError(f"slope must be finite, got {slope!r}.")


def make_binary_eta(law, n_samples, slope=4.0, random_state=None):
    """Build a :class:`BinaryEtaModel` (``random_state`` is ignored: the law is fixed)."""
    return BinaryEtaModel(law, n_samples, slope)
