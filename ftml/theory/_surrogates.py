"""Binary classification with convex surrogates: exact conditional and integrated risks, and
the comparison inequalities between excess surrogate risk and excess 0-1 risk.

Labels are y in {-1, +1}, eta(x) = P(Y = 1 | X = x), and a score function g predicts
sign(g(x)). A margin-based surrogate phi scores g at (x, y) by phi(y g(x)):

* hinge, phi(u) = max(0, 1 - u);
* logistic, phi(u) = log(1 + exp(-u)), in nats;
* square, phi(u) = (1 - u)^2 = (y - g)^2, twice :class:`ftml.losses.SquareLoss` (which
  carries a factor 1/2 so that its derivative is the residual).

Each phi is evaluated through the single definition in :mod:`ftml.losses`. The surrogates are
declared once, in ``_SURROGATES`` below; :data:`SURROGATE_LOSSES`, the error messages and the
dictionaries of :class:`BinaryRisks` are derived from that table.

A score of exactly 0 is a tie, broken by a fair coin: it costs 1/2 whatever the label, as in
Bach's margin-based 0-1 loss (eq. (4.1) of [1]). This differs from
:class:`ftml.losses.ZeroOneLoss`, which counts ``y z <= 0`` as an error. That convention
would break the comparison inequalities: at eta = 1/2 and g = 0 every surrogate is at its
minimum while the 0-1 risk would exceed the Bayes risk by 1/2.

References
----------
.. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 4
   "Empirical risk minimization", Section 4.1 "Convexification of the risk" (4.1.1 convex
   surrogates, 4.1.3 conditional Phi-risk and classification calibration, 4.1.4 relationship
   between risk and Phi-risk).
.. [2] P. L. Bartlett, M. I. Jordan and J. D. McAuliffe, "Convexity, classification, and
   risk bounds", Journal of the American Statistical Association, 101(473):138-156, 2006.
"""

import functools
import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.losses import HingeLoss, logistic_value, square_value
from ftml.validation import check_array, check_scalar

__all__ = [
    "SURROGATE_LOSSES",
    "BinaryRisks",
    "binary_risks",
    "calibration_bound",
    "conditional_bayes_surrogate_risk",
    "conditional_bayes_zero_one_risk",
    "conditional_excess_surrogate_risk",
    "conditional_surrogate_risk",
    "conditional_zero_one_risk",
    "psi_transform",
    "psi_transform_bound",
]


# --- The surrogates: each one declared once, with its closed forms -----------------------


class _Surrogate:
    """A margin-based surrogate phi and the closed forms derived from it.

    ``value(u)`` is phi(u); ``bayes_risk(eta)`` is H(eta) = min_g eta phi(g) + (1 - eta)
    phi(-g); ``excess(eta, g)`` is eta phi(g) + (1 - eta) phi(-g) - H(eta), written so that
    it does not cancel near the minimiser; ``psi(theta)``, for theta in [0, 1], is the
    psi-transform of [2], which for these convex calibrated losses is phi(0) - H((1 + theta)
    / 2) (already convex, so equal to its convex closure); ``inverse_psi(t)`` is
    sup {theta in [0, 1] : psi(theta) <= t}; ``bach_bound(t)`` is the bound on the excess 0-1
    risk that [1] states for an excess surrogate risk t.
    """

    name = None

    def value(self, u):
        raise NotImplementedError

    def bayes_risk(self, eta):
        raise NotImplementedError

    def excess(self, eta, score):
        raise NotImplementedError

    def psi(self, theta):
        raise NotImplementedError

    def inverse_psi(self, excess):
        raise NotImplementedError

    def bach_bound(self, excess):
        raise NotImplementedError


class _Hinge(_Surrogate):
    name = "hinge"
    _loss = HingeLoss()

    def value(self, u):
        return self._loss.value(u, 1.0)

    def bayes_risk(self, eta):
        # The conditional risk is piecewise linear in g, least at g = sign(2 eta - 1).
        return 1.0 - np.abs(2.0 * eta - 1.0)

    def excess(self, eta, score):
        # With s = sign(2 eta - 1) (+1 at eta = 1/2), u = s g the score seen from the Bayes
        # side, p = max(eta, 1 - eta), q = 1 - p and theta = p - q, the excess is piecewise
        # linear in u: theta (1 - u) on [-1, 1], plus p (-1 - u) below -1, and q (u - 1)
        # above 1. As a sum of nonnegative terms it has no cancellation.
        side = np.where(eta >= 0.5, 1.0, -1.0)
        u = side * score
        p = np.maximum(eta, 1.0 - eta)
        q = np.minimum(eta, 1.0 - eta)
        return (
            np.abs(2.0 * eta - 1.0) * np.clip(1.0 - u, 0.0, 2.0)
            + p * np.maximum(-1.0 - u, 0.0)
            + q * np.maximum(u - 1.0, 0.0)
        )

    def psi(self, theta):
        return np.abs(theta)

    def inverse_psi(self, excess):
        return np.minimum(excess, 1.0)

    def bach_bound(self, excess):
        return excess


class _Logistic(_Surrogate):
    name = "logistic"

    def value(self, u):
        return logistic_value(u, 1.0)

    def bayes_risk(self, eta):
        # The binary entropy in nats; entr(p) = -p log p is 0 at p = 0, where the infimum over
        # g is approached as g -> +-inf rather than attained.
        from scipy.special import entr  # scipy costs every importer of ftml.theory 0.4 s

        return entr(eta) + entr(1.0 - eta)

    def excess(self, eta, score):
        # The excess is KL(Bernoulli(eta) || Bernoulli(sigmoid(g))). Near the minimiser
        # g* = logit(eta), with d = g - g*, phi(g) - phi(g*) = log1p((1 - eta) expm1(-d)) and
        # phi(-g) - phi(-g*) = log1p(eta expm1(d)): their eta-weighted sum is exact to a
        # relative error ~eps / |d|, where eta phi(g) + (1 - eta) phi(-g) - H(eta) would
        # carry an absolute error ~eps. Away from g* (|d| > 1), or at eta in {0, 1} where g*
        # is infinite, the difference loses a few bits at most and expm1 could overflow.
        interior = (eta > 0.0) & (eta < 1.0)
        safe_eta = np.where(interior, eta, 0.5)
        from scipy.special import logit

        d = np.where(interior, score - logit(safe_eta), 0.0)
        near = interior & (np.abs(d) <= 1.0)
        d = np.where(near, d, 0.0)
        close = safe_eta * np.log1p((1.0 - safe_eta) * np.expm1(-d)) + (
            1.0 - safe_eta
        ) * np.log1p(safe_eta * np.expm1(d))
        direct = _conditional_surrogate(eta, score, self) - self.bayes_risk(eta)
        return np.maximum(np.where(near, close, direct), 0.0)

    def psi(self, theta):
        # ((1 + t)/2) log(1 + t) + ((1 - t)/2) log(1 - t) = t artanh(t) + log(1 - t^2) / 2.
        # The second form adds two terms of size ~t^2 and opposite sign whose sum is ~t^2/2,
        # so it loses one bit at most, where the first would cancel catastrophically for small
        # t. Near t = 1, 1 - t^2 would inherit the rounding of t^2 (relative error eps / (1 -
        # t^2)), so there log(1 - t^2) is log1p(-t) + log1p(t), with 1 - t exact for t >= 1/2.
        # At |t| = 1 the form is inf - inf; the limit there is log 2.
        theta = np.abs(np.asarray(theta, dtype=np.float64))
        interior = theta < 1.0
        safe = np.where(interior, theta, 0.0)
        log_one_minus_square = np.where(
            safe < 0.5, np.log1p(-(safe**2)), np.log1p(-safe) + np.log1p(safe)
        )
        inner = safe * np.arctanh(safe) + 0.5 * log_one_minus_square
        return np.where(interior, inner, math.log(2.0))

    def inverse_psi(self, excess):
        # psi is convex and increasing on [0, 1] with psi'(t) = artanh(t), so Newton's method
        # started to the right of the root descends monotonically onto it. Pinsker's
        # inequality psi(t) >= t^2 / 2 puts sqrt(2 excess) to the right of the root; the
        # start is capped at the float below 1, where artanh is finite (a root above it is
        # within an ulp of it, and the iteration, which never steps right, stays there).
        excess = np.asarray(excess, dtype=np.float64)
        capped = excess >= math.log(2.0)
        start = np.sqrt(2.0 * np.where(capped, 0.0, excess))
        theta = np.minimum(start, np.nextafter(1.0, 0.0))
        for _ in range(100):
            active = (theta > 0.0) & ~capped
            if not active.any():
                break
            slope = np.arctanh(np.where(active, theta, 0.5))
            step = np.where(active, (self.psi(theta) - excess) / slope, 0.0)
            # Rounding can leave psi(theta) a hair below the target; never step right.
            step = np.maximum(step, 0.0)
            theta = theta - step
            if (step <= 4.0 * np.finfo(np.float64).eps * theta).all():
                break
        return np.where(capped, 1.0, theta)

    def bach_bound(self, excess):
        return np.sqrt(2.0 * excess)


class _Square(_Surrogate):
    name = "square"

    def value(self, u):
        # (1 - u)^2 is twice ftml.losses' square loss (u - 1)^2 / 2, the scaling of [1].
        return 2.0 * square_value(u, 1.0)

    def bayes_risk(self, eta):
        # Minimiser g = 2 eta - 1, where the conditional risk is 1 - (2 eta - 1)^2.
        return 4.0 * eta * (1.0 - eta)

    def excess(self, eta, score):
        # eta (1 - g)^2 + (1 - eta) (1 + g)^2 - 4 eta (1 - eta) = (g - (2 eta - 1))^2.
        return (score - (2.0 * eta - 1.0)) ** 2

    def psi(self, theta):
        return np.asarray(theta, dtype=np.float64) ** 2

    def inverse_psi(self, excess):
        return np.minimum(np.sqrt(excess), 1.0)

    def bach_bound(self, excess):
        return np.sqrt(excess)


_SURROGATES = {cls.name: cls() for cls in (_Hinge, _Logistic, _Square)}
SURROGATE_LOSSES = tuple(_SURROGATES)
"""Names of the surrogate losses accepted as ``loss`` throughout this module."""


# --- Validation ----------------------------------------------------------------------------


def _get_surrogate(loss):
    if not isinstance(loss, str):
        raise TypeError(
            f"loss must be a str, one of {', '.join(SURROGATE_LOSSES)}; got {loss!r} of type "
            f"{type(loss).__name__}."
        )
    try:
        return _SURROGATES[loss]
    except KeyError:
        raise ValueError(
            f"Unknown surrogate loss {loss!r}. Known surrogate losses are: "
            f"{', '.join(SURROGATE_LOSSES)}."
        ) from None


def _check_real(value, name):
    """``value`` as a float64 array of its own shape, every entry finite."""
    if isinstance(value, (str, bytes)):
        check_array(value, name=name)  # raises, with the house message for strings
    array = np.asarray(value)
    check_array(array.reshape(-1), name=name, ensure_2d=False, ensure_min_samples=0)
    return array.astype(np.float64)


def _first_outside(array, name, low, high, interval):
    """Raise if an entry of ``array`` lies outside [low, high]; the message names it."""
    outside = (array < low) | (array > high)
    if outside.any():
        index = np.unravel_index(np.argmax(outside), array.shape)
        where = f"{name}[{', '.join(str(int(i)) for i in index)}]" if array.ndim else name
        value = float(array[index])
        raise ValueError(f"{name} must lie in {interval}, got {where} == {value!r}.")


def _check_eta(eta, name="eta"):
    eta = _check_real(eta, name)
    _first_outside(eta, name, 0.0, 1.0, "[0, 1]")
    return eta


def _check_excess(excess):
    excess = _check_real(excess, "excess_surrogate_risk")
    negative = excess < 0
    if negative.any():
        # A comparison inequality bounds a nonnegative quantity; a negative excess risk
        # means the caller subtracted the wrong Bayes risk (or a rounded one).
        index = np.unravel_index(np.argmax(negative), excess.shape)
        where = f"[{', '.join(str(int(i)) for i in index)}]" if excess.ndim else ""
        raise ValueError(
            f"excess_surrogate_risk must be >= 0, got excess_surrogate_risk{where} == "
            f"{float(excess[index])!r}."
        )
    return excess


def _as_output(values):
    values = np.asarray(values, dtype=np.float64)
    return float(values) if values.ndim == 0 else values


# --- Conditional risks -------------------------------------------------------------------


def _conditional_surrogate(eta, score, surrogate):
    return eta * surrogate.value(score) + (1.0 - eta) * surrogate.value(-score)


def _conditional_zero_one(eta, score):
    # Predict sign(g): wrong with probability eta when g < 0, 1 - eta when g > 0; a tie
    # g = 0 is broken by a fair coin and costs 1/2.
    return np.where(score > 0, 1.0 - eta, np.where(score < 0, eta, 0.5))


def conditional_surrogate_risk(eta, score, loss):
    """Conditional surrogate risk ``eta phi(g) + (1 - eta) phi(-g)``.

    The expected surrogate loss E[phi(Y g) | X = x] of the score g = g(x) when
    P(Y = 1 | X = x) = eta, for labels Y in {-1, +1}. ``eta`` and ``score`` broadcast
    against each other.

    Parameters
    ----------
    eta : float or array-like
        Conditional probabilities P(Y = 1 | X = x), each in [0, 1].
    score : float or array-like
        Scores g(x), finite reals; broadcast against ``eta``.
    loss : {"hinge", "logistic", "square"}
        The surrogate phi(u): ``max(0, 1 - u)``, ``log(1 + exp(-u))`` or ``(1 - u)^2``.

    Returns
    -------
    risk : float or ndarray
        A float when both inputs are scalars, else an array of their broadcast shape.

    Raises
    ------
    ValueError
        If ``eta`` lies outside [0, 1], an input holds NaN or infinity, the shapes do not
        broadcast, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1.3
       (conditional Phi-risk).

    Examples
    --------
    >>> conditional_surrogate_risk(0.75, 0.5, "hinge")  # 0.75 * 0.5 + 0.25 * 1.5
    0.75
    >>> conditional_surrogate_risk([0.0, 1.0], 1.0, "square")
    array([4., 0.])
    """
    surrogate = _get_surrogate(loss)
    eta = _check_eta(eta)
    score = _check_real(score, "score")
    return _as_output(_conditional_surrogate(*np.broadcast_arrays(eta, score), surrogate))


def conditional_bayes_surrogate_risk(eta, loss):
    """Minimum over the score g of the conditional surrogate risk, in closed form.

    H(eta) = inf_g eta phi(g) + (1 - eta) phi(-g) is

    * hinge: ``1 - |2 eta - 1|``, attained at g = sign(2 eta - 1);
    * logistic: the binary entropy in nats ``-eta log(eta) - (1 - eta) log(1 - eta)``, with
      0 log 0 = 0, attained at g = log(eta / (1 - eta)) when 0 < eta < 1 and approached as
      g -> +-inf when eta is 0 or 1;
    * square: ``4 eta (1 - eta)``, attained at g = 2 eta - 1.

    Parameters
    ----------
    eta : float or array-like
        Conditional probabilities, each in [0, 1].
    loss : {"hinge", "logistic", "square"}
        The surrogate.

    Returns
    -------
    risk : float or ndarray
        A float for a scalar ``eta``, else an array of its shape.

    Raises
    ------
    ValueError
        If ``eta`` lies outside [0, 1] or holds NaN, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1.3.

    Examples
    --------
    >>> conditional_bayes_surrogate_risk([0.0, 0.25, 0.5], "square")
    array([0.  , 0.75, 1.  ])
    >>> round(conditional_bayes_surrogate_risk(0.5, "logistic"), 12)  # log 2
    0.69314718056
    """
    surrogate = _get_surrogate(loss)
    return _as_output(surrogate.bayes_risk(_check_eta(eta)))


def conditional_excess_surrogate_risk(eta, score, loss):
    """Conditional excess surrogate risk ``eta phi(g) + (1 - eta) phi(-g) - H(eta)``.

    The difference between :func:`conditional_surrogate_risk` and
    :func:`conditional_bayes_surrogate_risk`, computed without their cancellation near the
    minimiser, which would leave an absolute error of about 1e-16 and, through the square
    roots of :func:`calibration_bound`, an error of about 1e-8 in a bound:

    * hinge: with u = s g, s = sign(2 eta - 1), p = max(eta, 1 - eta), q = 1 - p,
      ``|2 eta - 1| clip(1 - u, 0, 2) + p max(0, -1 - u) + q max(0, u - 1)``;
    * logistic: the divergence KL(Bernoulli(eta) || Bernoulli(sigmoid(g))), through
      log1p and expm1 of g - logit(eta) near the minimiser;
    * square: ``(g - (2 eta - 1))^2``.

    Parameters
    ----------
    eta : float or array-like
        Conditional probabilities, each in [0, 1].
    score : float or array-like
        Scores g(x), finite reals; broadcast against ``eta``.
    loss : {"hinge", "logistic", "square"}
        The surrogate.

    Returns
    -------
    excess : float or ndarray
        Nonnegative; a float when both inputs are scalars, else an array of their broadcast
        shape.

    Raises
    ------
    ValueError
        If ``eta`` lies outside [0, 1], an input holds NaN or infinity, the shapes do not
        broadcast, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1.3.

    Examples
    --------
    >>> conditional_excess_surrogate_risk(0.75, [-1.0, 0.0, 0.5], "square")
    array([2.25, 0.25, 0.  ])
    >>> excess = conditional_excess_surrogate_risk(0.5 + 1e-9, -1e-9, "square")
    >>> round(excess / 9e-18, 6)  # (3e-9)^2 to full precision, where R - H would give 0
    1.0
    """
    surrogate = _get_surrogate(loss)
    eta = _check_eta(eta)
    score = _check_real(score, "score")
    return _as_output(surrogate.excess(*np.broadcast_arrays(eta, score)))


def conditional_zero_one_risk(eta, score):
    """Conditional 0-1 risk of predicting sign(g): P(sign(g) != Y | X = x).

    It is ``1 - eta`` when g > 0 and ``eta`` when g < 0. A tie g = 0 is broken by a fair
    coin and costs 1/2, Bach's convention (eq. (4.1) of [1]); see the module docstring for why
    this, rather than :class:`ftml.losses.ZeroOneLoss`'s ``y z <= 0``, is the convention under
    which the comparison inequalities hold.

    Parameters
    ----------
    eta : float or array-like
        Conditional probabilities P(Y = 1 | X = x), each in [0, 1].
    score : float or array-like
        Scores g(x), finite reals; broadcast against ``eta``.

    Returns
    -------
    risk : float or ndarray
        A float when both inputs are scalars, else an array of their broadcast shape.

    Raises
    ------
    ValueError
        If ``eta`` lies outside [0, 1], an input holds NaN or infinity, or the shapes do not
        broadcast.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1,
       eq. (4.1) (margin-based 0-1 loss).

    Examples
    --------
    >>> conditional_zero_one_risk(0.75, [-2.0, 0.0, 3.0])
    array([0.75, 0.5 , 0.25])
    """
    eta = _check_eta(eta)
    score = _check_real(score, "score")
    return _as_output(_conditional_zero_one(*np.broadcast_arrays(eta, score)))


def conditional_bayes_zero_one_risk(eta):
    """Conditional Bayes 0-1 risk ``min(eta, 1 - eta)``, reached by any g with the sign of
    2 eta - 1.

    Parameters
    ----------
    eta : float or array-like
        Conditional probabilities, each in [0, 1].

    Returns
    -------
    risk : float or ndarray
        A float for a scalar ``eta``, else an array of its shape.

    Raises
    ------
    ValueError
        If ``eta`` lies outside [0, 1] or holds NaN.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 2
       (Bayes predictor for the 0-1 loss) and Section 4.1.

    Examples
    --------
    >>> conditional_bayes_zero_one_risk([0.1, 0.5, 0.75])
    array([0.1 , 0.5 , 0.25])
    """
    eta = _check_eta(eta)
    return _as_output(np.minimum(eta, 1.0 - eta))


# --- Comparison inequalities ---------------------------------------------------------------


def calibration_bound(excess_surrogate_risk, loss):
    """Bound on the excess 0-1 risk implied by an excess surrogate risk, with Bach's constants.

    For any score function g, with R the 0-1 risk of sign(g), R_phi the surrogate risk and
    R*, R_phi* their minima over all measurable g,

    * hinge: R(g) - R* <= R_phi(g) - R_phi*;
    * square: R(g) - R* <= sqrt(R_phi(g) - R_phi*);
    * logistic: R(g) - R* <= sqrt(2 (R_phi(g) - R_phi*)).

    The bound is returned as stated, so it can exceed 1 (where it is vacuous: the excess 0-1
    risk never does). :func:`psi_transform_bound` gives the exact, tighter bound.

    Parameters
    ----------
    excess_surrogate_risk : float or array-like
        R_phi(g) - R_phi*, each >= 0. A conditional excess
        (:func:`conditional_excess_surrogate_risk`) bounds the conditional excess 0-1 risk in
        the same way.
    loss : {"hinge", "logistic", "square"}
        The surrogate.

    Returns
    -------
    bound : float or ndarray
        A float for a scalar input, else an array of its shape.

    Raises
    ------
    ValueError
        If an excess risk is negative, NaN or infinite, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    Notes
    -----
    Write C(g) = eta phi(g) + (1 - eta) phi(-g), H(eta) = min_g C(g) and theta = |2 eta - 1|.
    The conditional excess 0-1 risk of sign(g) is theta when g has the wrong sign (g (2 eta
    - 1) < 0), theta / 2 at a tie g = 0 and 0 otherwise. Each C is convex with its minimum
    on the side of sign(2 eta - 1), so a wrong-signed or zero g has C(g) >= C(0) = phi(0),
    and the conditional excess surrogate risk is then at least

        psi(theta) = phi(0) - H((1 + theta) / 2),

    the psi-transform of Bartlett, Jordan and McAuliffe [2]: |theta| for the hinge (phi(0) = 1,
    H = 1 - |2 eta - 1|), theta^2 for the square loss (phi(0) = 1, H = 1 - (2 eta - 1)^2), and
    for the logistic loss (phi(0) = log 2, H the binary entropy)

        psi(theta) = ((1 + theta)/2) log(1 + theta) + ((1 - theta)/2) log(1 - theta),

    the Kullback-Leibler divergence from Bernoulli(1/2) to Bernoulli((1 + theta)/2), which
    Pinsker's inequality bounds below by theta^2 / 2. psi is convex, increasing on [0, 1] and
    psi(0) = 0, so psi(conditional excess 0-1 risk) <= conditional excess surrogate risk at
    every x, and Jensen's inequality carries this to the expectations:
    psi(R(g) - R*) <= R_phi(g) - R_phi*. Inverting psi (or its lower bound theta^2 / 2) gives
    the three bounds above. The same constants follow from the smoothness route: when phi''
    <= beta, phi(0) - H(eta) >= phi'(0)^2 (2 eta - 1)^2 / (2 beta), a constant
    sqrt(2 beta) / |phi'(0)|, which is sqrt(4) / 2 = 1 for the square loss (beta = 2,
    phi'(0) = -2) and sqrt(1/2) / (1/2) = sqrt(2) for the logistic loss (beta = 1/4,
    phi'(0) = -1/2).

    The hinge bound is tight: for a constant eta and a constant score g = -epsilon on the
    wrong side, the excess 0-1 risk is theta and the excess hinge risk theta (1 + epsilon).
    The square bound is tight the same way, and the logistic constant sqrt(2) is approached as
    eta -> 1/2 (psi(theta) = theta^2 / 2 + O(theta^4)).

    What was checked against [1], through the excerpts and notes of the LTFP-Lean project's
    concept wiki (github.com/allenhaozhu/LTFP-Lean, pages wiki/concepts/phi-hinge,
    phi-logistic, phi-zero-one and phi-zero-one-le-hinge) rather than the book itself: the
    chapter and section (Chapter 4, Section 4.1.4 "Relationship between risk and Phi-risk",
    about pp. 76-82), the tie convention Phi_0-1(0) = 1/2 (eq. (4.1)), the hinge bound with
    constant 1 (its "calibration function" the identity, p. 82) and the logistic bound
    sqrt(2 (R_phi - R_phi*)). The square-loss constant 1 is derived above, not read in [1].
    In [2], the numbering (Definition 1 classification calibration, Definition 2 the
    psi-transform) was confirmed through a paper citing it; the statement of Theorem 1 is
    recalled, not read, and each psi above is derived from the definition.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1.4.
    .. [2] P. L. Bartlett, M. I. Jordan and J. D. McAuliffe, "Convexity, classification, and
       risk bounds", JASA, 101(473):138-156, 2006, Theorem 1 and Definition 2 (the
       psi-transform).

    Examples
    --------
    >>> calibration_bound(0.04, "hinge"), calibration_bound(0.04, "square")
    (0.04, 0.2)
    >>> round(calibration_bound(0.02, "logistic"), 12)
    0.2
    """
    surrogate = _get_surrogate(loss)
    return _as_output(surrogate.bach_bound(_check_excess(excess_surrogate_risk)))


def psi_transform(theta, loss):
    """The psi-transform of Bartlett, Jordan and McAuliffe, phi(0) - H((1 + theta) / 2).

    It is the least conditional excess surrogate risk of a score with the wrong sign when
    |2 eta - 1| = theta, and it satisfies psi(R(g) - R*) <= R_phi(g) - R_phi* (see
    :func:`calibration_bound`): |theta| for the hinge, theta^2 for the square loss, and
    ((1 + theta)/2) log(1 + theta) + ((1 - theta)/2) log(1 - theta) for the logistic loss.
    Each is even in theta.

    Parameters
    ----------
    theta : float or array-like
        Values in [-1, 1].
    loss : {"hinge", "logistic", "square"}
        The surrogate.

    Returns
    -------
    psi : float or ndarray
        A float for a scalar ``theta``, else an array of its shape.

    Raises
    ------
    ValueError
        If ``theta`` lies outside [-1, 1] or holds NaN, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    References
    ----------
    .. [1] P. L. Bartlett, M. I. Jordan and J. D. McAuliffe, "Convexity, classification, and
       risk bounds", JASA, 101(473):138-156, 2006, Definition 2.

    Examples
    --------
    >>> psi_transform([-0.5, 0.5], "hinge"), psi_transform(0.5, "square")
    (array([0.5, 0.5]), 0.25)
    >>> round(psi_transform(1.0, "logistic"), 12)  # log 2
    0.69314718056
    """
    surrogate = _get_surrogate(loss)
    theta = _check_real(theta, "theta")
    _first_outside(theta, "theta", -1.0, 1.0, "[-1, 1]")
    return _as_output(surrogate.psi(theta))


def psi_transform_bound(excess_surrogate_risk, loss):
    """The exact comparison bound: the largest theta in [0, 1] with psi(theta) <= the excess.

    Since psi(R(g) - R*) <= R_phi(g) - R_phi* and psi is increasing on [0, 1], this inverse
    bounds the excess 0-1 risk, and it is attained for a constant eta and a score on the wrong
    side approaching 0. It equals min(:func:`calibration_bound`, 1) for the hinge and square
    losses, and is smaller than sqrt(2 excess) for the logistic loss (computed by Newton's
    method to a relative precision of a few ulps).

    Parameters
    ----------
    excess_surrogate_risk : float or array-like
        R_phi(g) - R_phi*, each >= 0.
    loss : {"hinge", "logistic", "square"}
        The surrogate.

    Returns
    -------
    bound : float or ndarray
        In [0, 1]; a float for a scalar input, else an array of its shape.

    Raises
    ------
    ValueError
        If an excess risk is negative, NaN or infinite, or ``loss`` is unknown.
    TypeError
        If ``loss`` is not a string.

    References
    ----------
    .. [1] P. L. Bartlett, M. I. Jordan and J. D. McAuliffe, "Convexity, classification, and
       risk bounds", JASA, 101(473):138-156, 2006, Theorem 1.

    Examples
    --------
    >>> psi_transform_bound([0.25, 4.0], "square")
    array([0.5, 1. ])
    >>> theta = psi_transform_bound(0.02, "logistic")  # below sqrt(2 * 0.02) = 0.2
    >>> round(theta, 4), round(psi_transform(theta, "logistic"), 12)
    (0.1993, 0.02)
    """
    surrogate = _get_surrogate(loss)
    return _as_output(surrogate.inverse_psi(_check_excess(excess_surrogate_risk)))


# --- Integrated risks for X uniform on an interval ---------------------------------------


@dataclass(frozen=True)
class BinaryRisks:
    """Risks of the classifier sign(g) for X uniform on [low, high], from :func:`binary_risks`.

    Each excess is integrated from its pointwise value (for the surrogates,
    :func:`conditional_excess_surrogate_risk`) rather than taken as a difference of two
    integrals: it is never negative, keeps its relative precision when it is small, and can
    be passed to :func:`calibration_bound` as it is.

    Attributes
    ----------
    zero_one : float
        R(g) = P(sign(g(X)) != Y), a tie g = 0 costing 1/2.
    bayes_zero_one : float
        R* = E[min(eta(X), 1 - eta(X))].
    excess_zero_one : float
        R(g) - R*.
    surrogate : dict of str to float
        R_phi(g) for each name of :data:`SURROGATE_LOSSES`.
    bayes_surrogate : dict of str to float
        R_phi* = E[H(eta(X))] for each surrogate.
    excess_surrogate : dict of str to float
        R_phi(g) - R_phi* for each surrogate.
    breakpoints : tuple of float
        The interior points where [low, high] was cut: the given breakpoints and the level
        crossings found (g = -1, 0, 1 and eta = 1/2), sorted.
    """

    zero_one: float
    bayes_zero_one: float
    excess_zero_one: float
    surrogate: dict
    bayes_surrogate: dict
    excess_surrogate: dict
    breakpoints: tuple


@functools.lru_cache(maxsize=16)
def _gauss_legendre(n_nodes):
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


def _as_function(value, name):
    """A vectorised function of x: ``value`` itself if callable, else the constant."""
    if callable(value):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a callable of x or a real constant, got {value!r} of type "
            f"{type(value).__name__}."
        )
    return lambda x: np.full(np.shape(x), float(value))


def _evaluate(function, x, name):
    """``function(x)`` as a finite float array of x's shape; the message names the x."""
    values = np.asarray(function(x), dtype=np.float64)
    try:
        values = np.broadcast_to(values, x.shape)
    except ValueError:
        raise ValueError(
            f"{name}(x) must return an array of x's shape {x.shape}, got shape {values.shape}."
        ) from None
    bad = ~np.isfinite(values)
    if bad.any():
        index = np.unravel_index(np.argmax(bad), x.shape)
        raise ValueError(
            f"{name}(x) must be finite, got {float(values[index])!r} at x == "
            f"{float(x[index])!r}."
        )
    return values


def _check_eta_values(values, x):
    outside = (values < 0.0) | (values > 1.0)
    if outside.any():
        index = np.unravel_index(np.argmax(outside), x.shape)
        raise ValueError(
            f"eta(x) must lie in [0, 1], got {float(values[index])!r} at x == "
            f"{float(x[index])!r}."
        )


def _sign_changes(function, level, samples, values, xtol):
    """Points where ``function - level`` changes sign between consecutive ``samples``.

    Samples where the function equals the level are skipped, so a tangency or a plateau at
    the level adds no point; brentq then locates each change to ``xtol``.
    """
    signs = np.sign(values - level)
    kept = np.flatnonzero(signs)
    changes = np.flatnonzero(signs[kept[:-1]] != signs[kept[1:]])

    def shifted(x):
        value = np.asarray(function(np.array([x])), dtype=np.float64).reshape(-1)[0]
        return float(value) - level

    from scipy.optimize import brentq

    return [
        brentq(shifted, samples[kept[k]], samples[kept[k + 1]], xtol=xtol, maxiter=200)
        for k in changes
    ]


def binary_risks(eta, score, low, high, *, breakpoints=(), n_nodes=64):
    """Exact 0-1 and surrogate risks, and their Bayes values, for X uniform on [low, high].

    Each risk is E[c(eta(X), g(X))] = (1 / (high - low)) int_low^high c(eta(x), g(x)) dx for a
    conditional risk c of this module (:func:`conditional_zero_one_risk`,
    :func:`conditional_surrogate_risk` and the Bayes versions). The interval is cut at the
    ``breakpoints`` and at the level crossings where an integrand has a jump or a kink: the
    0-1 risk jumps where g crosses 0, the hinge risk has kinks where g crosses -1 and 1, and
    both Bayes risks min(eta, 1 - eta) and 1 - |2 eta - 1| have kinks where eta crosses 1/2.
    Each piece is then integrated by Gauss-Legendre quadrature with ``n_nodes`` nodes.

    Gauss-Legendre with n nodes is exact for polynomials of degree 2 n - 1 and converges
    geometrically for functions analytic around the piece, so on smooth pieces the result is
    exact to rounding: for instance with eta piecewise constant (its jumps given as
    breakpoints) and g affine, the 0-1, hinge and square integrands are polynomials of degree
    at most 2 on every piece and 2 nodes already suffice.

    The crossings are found by evaluating g and eta at the endpoints and the quadrature nodes
    of each piece and locating every sign change of g + 1, g, g - 1 and eta - 1/2 between
    consecutive points with :func:`scipy.optimize.brentq`. This finds all of them when g and
    eta are monotone (in particular g affine); crossings closer together than the nodes, and
    every jump or kink of eta or g themselves, must be passed as ``breakpoints``.

    Parameters
    ----------
    eta : callable or float
        eta(x) = P(Y = 1 | X = x), a vectorised function returning values in [0, 1] (an
        array of x's shape), or a constant in [0, 1].
    score : callable or float
        The score function g, vectorised and finite, or a constant.
    low, high : float
        The interval carrying the uniform law of X, with low < high.
    breakpoints : array-like of float, default=()
        Points of [low, high] where eta or g jumps, has a kink, or crosses a level the search
        above could miss.
    n_nodes : int, default=64
        Gauss-Legendre nodes per piece, >= 1.

    Returns
    -------
    risks : BinaryRisks
        The 0-1 risk, its Bayes value and excess, and per surrogate of
        :data:`SURROGATE_LOSSES` the risk, Bayes risk and excess; and the cut points used.

    Raises
    ------
    ValueError
        If low >= high or either is not finite, a breakpoint lies outside [low, high],
        n_nodes < 1, eta(x) leaves [0, 1], or eta(x) or g(x) is not finite or not of x's shape.
    TypeError
        If low, high or n_nodes is not a number of the right type, or eta or score is neither
        callable nor a real constant.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 4.1.
    .. [2] G. H. Golub and J. H. Welsch, "Calculation of Gauss quadrature rules", Mathematics
       of Computation, 23(106):221-230, 1969.

    Examples
    --------
    With eta = 0.8 and g(x) = x on [-1, 1], sign(g) is wrong on [-1, 0), where the excess
    0-1 risk is 2 eta - 1 = 0.6; the excess hinge risk is 0.6 (1 - x) everywhere:

    >>> risks = binary_risks(0.8, lambda x: x, -1.0, 1.0)
    >>> risks.breakpoints  # the zero of g; g = -1 and g = 1 only at the endpoints
    (0.0,)
    >>> round(risks.excess_zero_one, 12), round(risks.excess_surrogate["hinge"], 12)
    (0.3, 0.6)
    """
    check_scalar(low, "low", numbers.Real)
    check_scalar(high, "high", numbers.Real)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"low and high must be finite, got low == {low!r}, high == {high!r}.")
    if not low < high:
        raise ValueError(f"low == {low!r} must be < high == {high!r}.")
    check_scalar(n_nodes, "n_nodes", numbers.Integral, min_val=1)
    eta_function = _as_function(eta, "eta")
    score_function = _as_function(score, "score")
    given = _check_real(breakpoints, "breakpoints").reshape(-1)
    _first_outside(given, "breakpoints", low, high, f"[low, high] = [{low!r}, {high!r}]")

    nodes, weights = _gauss_legendre(int(n_nodes))
    # Locating a crossing to a few ulps of the interval's length moves a jump of the 0-1
    # integrand by as much, an error at the level of rounding.
    xtol = 4.0 * np.finfo(np.float64).eps * max(high - low, abs(low), abs(high))

    edges = np.unique(np.concatenate([[low, high], given]))
    found = []
    for a, b in zip(edges[:-1], edges[1:]):
        samples = np.concatenate([[a], (a + b) / 2 + (b - a) / 2 * nodes, [b]])
        g_values = _evaluate(score_function, samples, "score")
        eta_values = _evaluate(eta_function, samples, "eta")
        _check_eta_values(eta_values, samples)
        for level in (-1.0, 0.0, 1.0):
            found += _sign_changes(score_function, level, samples, g_values, xtol)
        found += _sign_changes(eta_function, 0.5, samples, eta_values, xtol)
    found = [x for x in found if low < x < high]
    edges = np.unique(np.concatenate([edges, found]))

    half = (edges[1:] - edges[:-1]) / 2
    x = (edges[:-1] + half)[:, None] + half[:, None] * nodes[None, :]
    eta_x = _evaluate(eta_function, x, "eta")
    _check_eta_values(eta_x, x)
    g_x = _evaluate(score_function, x, "score")
    # Each piece's weights sum to its length; dividing by the total length is the density.
    cell = half[:, None] * weights[None, :] / (high - low)

    def mean(values):
        return float(np.sum(values * cell))

    zero_one = _conditional_zero_one(eta_x, g_x)
    bayes_zero_one = np.minimum(eta_x, 1.0 - eta_x)
    surrogate, bayes_surrogate, excess_surrogate = {}, {}, {}
    for name, loss in _SURROGATES.items():
        surrogate[name] = mean(_conditional_surrogate(eta_x, g_x, loss))
        bayes_surrogate[name] = mean(loss.bayes_risk(eta_x))
        excess_surrogate[name] = mean(loss.excess(eta_x, g_x))
    return BinaryRisks(
        zero_one=mean(zero_one),
        bayes_zero_one=mean(bayes_zero_one),
        excess_zero_one=mean(np.maximum(zero_one - bayes_zero_one, 0.0)),
        surrogate=surrogate,
        bayes_surrogate=bayes_surrogate,
        excess_surrogate=excess_surrogate,
        breakpoints=tuple(float(e) for e in edges[1:-1]),
    )
