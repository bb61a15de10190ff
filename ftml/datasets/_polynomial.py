"""A one-dimensional regression with a known polynomial target, in fixed design: the
course's setting of overfitting by polynomial degree.

:class:`PolynomialTargetModel` draws noise on frozen inputs x_1, ..., x_n and knows the
target f*, so that the risk of a fitted predictor splits exactly into an approximation error
(the distance from f* to the polynomials of degree at most k, at the inputs) and an
estimation error (the distance from the fit to that projection).
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import legendre, polynomial

from ftml.validation import check_array, check_random_state, check_scalar

__all__ = ["COURSE_TARGET", "PolynomialTargetModel", "check_polynomial_target_params",
           "make_polynomial_target"]

# The course's target (nlehir/FTML tp_01, polynomial regression), in increasing powers of x:
# f*(x) = 500 - 3 x - (x / 2)^2 on [-5, 35], observed with noise N(0, 10^2).
COURSE_TARGET = (500.0, -3.0, -0.25)


@dataclass(frozen=True, eq=False, repr=False)
class PolynomialTargetModel:
    """y_i = f*(x_i) + eps_i at fixed inputs, with f* a polynomial and eps ~ N(0, sigma^2).

    Parameters
    ----------
    coefficients : array-like of shape (degree + 1,)
        f* in increasing powers of x.
    noise : float
        sigma >= 0.
    design : array-like of shape (n_samples, 1)
        The fixed inputs.
    low, high : float
        The interval the inputs were drawn from (uniformly).

    Notes
    -----
    In fixed design the risk of a predictor f is E[(1/n) sum_i (y_i' - f(x_i))^2] for new
    noise at the same inputs, sigma^2 plus the excess risk (1/n) ||f(X) - f*(X)||^2. For the
    least-squares fit on the polynomials of degree at most k, whose values at the inputs are
    the projection P_k y onto a space of dimension k + 1, the excess risk is
    ||(I - P_k) f*(X)||^2 / n (approximation) plus ||P_k eps||^2 / n (estimation), whose
    expectation is sigma^2 (k + 1) / n when the k + 1 powers are independent at the inputs
    (k < number of distinct inputs).

    Examples
    --------
    >>> model = make_polynomial_target(n_samples=50, random_state=0)
    >>> round(model.approximation_error(2), 9), model.approximation_error(1) > 1
    (0.0, True)
    """

    coefficients: np.ndarray
    noise: float
    design: np.ndarray
    low: float
    high: float

    def __post_init__(self):
        coefficients = check_array(self.coefficients, name="coefficients", ensure_2d=False,
                                   allow_1d=True)
        design = check_array(self.design, name="design")
        if design.shape[1] != 1:
            raise ValueError(f"design must have one column, got {design.shape[1]}.")
        check_scalar(self.noise, "noise", numbers.Real, min_val=0.0)
        for name, value in (("coefficients", coefficients), ("design", design)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    @property
    def n_samples(self):
        return self.design.shape[0]

    def target(self, X):
        """f*(x) at the inputs ``X`` of shape (n, 1)."""
        return polynomial.polyval(np.asarray(X, dtype=float)[:, 0], self.coefficients)

    def sample(self, random_state=None):
        """New noise at the fixed inputs: ``(design, f*(design) + eps)``."""
        rng = check_random_state(random_state)
        y = self.target(self.design) + self.noise * rng.standard_normal(self.n_samples)
        return np.array(self.design), y

    def projection(self, degree):
        """The values at the inputs of the least-squares projection of f* onto the
        polynomials of degree at most ``degree`` (the best predictor of that class)."""
        check_scalar(degree, "degree", numbers.Integral, min_val=0)
        x = self.design[:, 0]
        # Legendre polynomials on the inputs' interval keep the projection well conditioned
        # where powers of x up to 40 on [-5, 35] would not be.
        scaled = (2 * x - (self.low + self.high)) / (self.high - self.low)
        basis = legendre.legvander(scaled, degree)
        values = self.target(self.design)
        coefficients, *_ = np.linalg.lstsq(basis, values, rcond=None)
        return basis @ coefficients

    def approximation_error(self, degree):
        """||(I - P_k) f*(X)||^2 / n: the excess risk of the best polynomial of degree at
        most k, exact (0 once k reaches f*'s degree, up to rounding)."""
        residual = self.target(self.design) - self.projection(degree)
        return float(residual @ residual / self.n_samples)

    def estimation_error(self, degree):
        """The expected estimation error sigma^2 (k + 1) / n of least squares on the
        polynomials of degree at most k (requires k + 1 <= the distinct inputs)."""
        distinct = np.unique(self.design[:, 0]).shape[0]
        if degree + 1 > distinct:
            raise ValueError(f"degree {degree} needs at least {degree + 1} distinct inputs, "
                             f"the design has {distinct}")
        return self.noise**2 * (degree + 1) / self.n_samples

    def prediction_excess_risk(self, predict):
        """(1/n) ||f(X) - f*(X)||^2 for a predictor ``predict`` of inputs of shape (n, 1)."""
        residual = np.asarray(predict(self.design), dtype=float) - self.target(self.design)
        return float(residual @ residual / self.n_samples)


def check_polynomial_target_params(n_samples, noise=10.0, low=-5.0, high=35.0):
    """Check the arguments of :func:`make_polynomial_target` without drawing anything."""
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(noise, "noise", numbers.Real, min_val=0.0)
    for name, value in (("noise", noise), ("low", low), ("high", high)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    if not low < high:
        raise ValueError(f"low must be below high, got low={low!r}, high={high!r}.")


def make_polynomial_target(n_samples, noise=10.0, low=-5.0, high=35.0, random_state=None):
    """Draw the course's polynomial regression in fixed design: x_i uniform on [low, high]
    (drawn once, from ``random_state``), f*(x) = 500 − 3x − (x/2)², noise N(0, noise²).

    References
    ----------
    .. [1] nlehir/FTML, practical_sessions/tp_01_train_test_overfitting, polynomial
       regression (x ~ U[−5, 35], noise of standard deviation 10).
    """
    check_polynomial_target_params(n_samples, noise, low, high)
    rng = check_random_state(random_state)
    design = rng.uniform(low, high, size=(n_samples, 1))
    return PolynomialTargetModel(np.array(COURSE_TARGET), float(noise), design, float(low),
                                 float(high))
