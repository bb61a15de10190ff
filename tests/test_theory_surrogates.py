"""Tests for ftml.theory._surrogates: surrogate and 0-1 risks of binary classification, and
the comparison inequalities between their excesses.

The references are independent of the module: the surrogates are rewritten here as scalar
functions, minima over the score come from scipy.optimize.minimize_scalar, integrals from
scipy.integrate.quad or from antiderivatives (eta piecewise constant, g affine), so that the
tests check the theory and the quadrature rather than the module against itself.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize_scalar
from scipy.special import expit, spence

from ftml.theory import (
    SURROGATE_LOSSES,
    BinaryRisks,
    binary_risks,
    calibration_bound,
    conditional_bayes_surrogate_risk,
    conditional_bayes_zero_one_risk,
    conditional_excess_surrogate_risk,
    conditional_surrogate_risk,
    conditional_zero_one_risk,
    psi_transform,
    psi_transform_bound,
)

# The surrogates phi(u) of the margin u = y g, written out independently of ftml.losses.
PHI = {
    "hinge": lambda u: max(0.0, 1.0 - u),
    "logistic": lambda u: float(np.logaddexp(0.0, -u)),
    "square": lambda u: (1.0 - u) ** 2,
}
# Bach's constants: R - R* <= C (R_phi - R_phi*)^power.
BACH = {"hinge": (1.0, 1.0), "logistic": (math.sqrt(2.0), 0.5), "square": (1.0, 0.5)}


def reference_conditional_risk(eta, g, loss):
    return eta * PHI[loss](g) + (1.0 - eta) * PHI[loss](-g)


def test_the_surrogates_are_declared_once():
    assert set(SURROGATE_LOSSES) == set(PHI) == set(BACH)
    risks = binary_risks(0.3, 0.5, 0.0, 1.0)
    for table in (risks.surrogate, risks.bayes_surrogate, risks.excess_surrogate):
        assert tuple(table) == SURROGATE_LOSSES
    message = f"Known surrogate losses are: {', '.join(SURROGATE_LOSSES)}."
    with pytest.raises(ValueError, match=message):
        conditional_bayes_surrogate_risk(0.5, "exponential")


# --------------------------------------------------------------------------- conditional risks


@pytest.mark.parametrize("loss", SURROGATE_LOSSES)
def test_conditional_surrogate_risk_matches_the_definition(loss):
    scores = np.array([-30.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 1.7, 30.0])
    for eta in (0.0, 0.2, 0.5, 0.9, 1.0):
        values = conditional_surrogate_risk(eta, scores, loss)
        expected = [reference_conditional_risk(eta, g, loss) for g in scores]
        np.testing.assert_allclose(values, expected, rtol=1e-14, atol=0)
    # eta = 1 scores the label +1 only: the risk is phi(g) itself.
    assert conditional_surrogate_risk(1.0, 0.4, loss) == pytest.approx(PHI[loss](0.4), abs=0)


@pytest.mark.parametrize("loss", SURROGATE_LOSSES)
def test_conditional_bayes_surrogate_risk_is_the_minimum_over_scores(loss):
    # The logistic minimiser log(eta / (1 - eta)) runs off to infinity as eta -> 0 or 1;
    # on [-40, 40] the minimum is within exp(-40) of the infimum.
    bound = 40.0 if loss == "logistic" else 5.0
    grid = np.linspace(-bound, bound, 4001)
    for eta in np.linspace(0.0, 1.0, 41):
        closed_form = conditional_bayes_surrogate_risk(eta, loss)
        numeric = minimize_scalar(
            lambda g: reference_conditional_risk(eta, g, loss),
            bounds=(-bound, bound),
            method="bounded",
            options={"xatol": 1e-12},
        )
        # Brent's method stalls at the kinks of the hinge to about 1e-9 in value.
        assert numeric.fun == pytest.approx(closed_form, abs=1e-8)
        # A lower bound everywhere, not only near the minimiser found.
        assert (conditional_surrogate_risk(eta, grid, loss) >= closed_form - 1e-15).all()


def test_conditional_bayes_surrogate_risk_closed_forms():
    eta = np.array([0.0, 0.3, 0.5, 1.0])
    np.testing.assert_allclose(
        conditional_bayes_surrogate_risk(eta, "hinge"), [0.0, 0.6, 1.0, 0.0], atol=1e-15
    )
    np.testing.assert_allclose(
        conditional_bayes_surrogate_risk(eta, "square"), [0.0, 0.84, 1.0, 0.0], atol=1e-15
    )
    entropy = -0.3 * math.log(0.3) - 0.7 * math.log(0.7)
    np.testing.assert_allclose(
        conditional_bayes_surrogate_risk(eta, "logistic"),
        [0.0, entropy, math.log(2.0), 0.0],
        rtol=1e-15,
    )
    # The logistic minimum is attained at the log-odds.
    assert conditional_surrogate_risk(0.3, math.log(0.3 / 0.7), "logistic") == pytest.approx(
        entropy, rel=1e-15
    )


def test_conditional_zero_one_risk_and_its_tie_convention():
    eta = np.linspace(0.0, 1.0, 11)
    np.testing.assert_array_equal(conditional_zero_one_risk(eta, -0.1), eta)
    np.testing.assert_array_equal(conditional_zero_one_risk(eta, 2.0), 1.0 - eta)
    # A tie is a fair coin whatever eta, so at eta = 1/2 the score 0 is Bayes-optimal.
    np.testing.assert_array_equal(conditional_zero_one_risk(eta, 0.0), 0.5)
    assert conditional_zero_one_risk(0.5, 0.0) == conditional_bayes_zero_one_risk(0.5)
    np.testing.assert_array_equal(
        conditional_bayes_zero_one_risk(eta), np.minimum(eta, 1.0 - eta)
    )


def test_scalars_give_floats_and_arrays_broadcast():
    assert isinstance(conditional_surrogate_risk(0.3, 0.1, "hinge"), float)
    assert isinstance(conditional_zero_one_risk(np.float64(0.3), np.array(0.1)), float)
    assert isinstance(conditional_bayes_surrogate_risk(0.3, "logistic"), float)
    assert isinstance(conditional_bayes_zero_one_risk(0.3), float)
    assert isinstance(calibration_bound(0.1, "square"), float)
    assert isinstance(psi_transform_bound(0.1, "logistic"), float)
    values = conditional_surrogate_risk([[0.1], [0.9]], [-1.0, 0.0, 1.0], "square")
    assert values.shape == (2, 3)


# --------------------------------------------------------------------------- comparisons


def test_bach_constants():
    excess = np.array([0.0, 1e-6, 0.01, 0.3, 2.0])
    for loss, (constant, power) in BACH.items():
        np.testing.assert_allclose(
            calibration_bound(excess, loss), constant * excess**power, rtol=1e-15
        )


@pytest.mark.parametrize("loss", SURROGATE_LOSSES)
def test_psi_transform_bound_inverts_psi_and_is_tighter_than_bach(loss):
    theta = np.concatenate([[0.0, 1e-12, 1e-6], np.linspace(0.01, 0.99, 99), [1 - 1e-9]])
    psi = psi_transform(theta, loss)
    np.testing.assert_allclose(psi_transform_bound(psi, loss), theta, rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(psi_transform(-theta, loss), psi)  # psi is even
    excess = np.concatenate([[0.0], np.logspace(-12, 1, 60)])
    tight, bach = psi_transform_bound(excess, loss), calibration_bound(excess, loss)
    assert (tight <= bach * (1 + 1e-15)).all() and (tight <= 1.0).all()
    if loss != "logistic":
        np.testing.assert_allclose(tight, np.minimum(bach, 1.0), rtol=1e-15)


def test_logistic_psi_is_a_kullback_leibler_divergence_above_pinsker():
    theta = np.linspace(-1.0, 1.0, 201)
    p = (1.0 + theta) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.nan_to_num(p * np.log(2 * p)) + np.nan_to_num((1 - p) * np.log(2 * (1 - p)))
    psi = psi_transform(theta, "logistic")
    np.testing.assert_allclose(psi, kl, atol=1e-15)
    assert (psi >= theta**2 / 2.0).all()
    # Small theta: the series theta^2/2 + theta^4/12 + ..., with no cancellation.
    small = np.array([1e-10, 1e-6, 1e-3])
    np.testing.assert_allclose(
        psi_transform(small, "logistic"), small**2 / 2 + small**4 / 12, rtol=1e-12
    )


def _pointwise_excesses(eta, g, loss):
    zero_one = conditional_zero_one_risk(eta, g) - conditional_bayes_zero_one_risk(eta)
    surrogate = conditional_excess_surrogate_risk(eta, g, loss)
    # The same difference as risk minus Bayes risk, without its cancellation.
    difference = conditional_surrogate_risk(eta, g, loss) - conditional_bayes_surrogate_risk(
        eta, loss
    )
    np.testing.assert_allclose(surrogate, difference, rtol=1e-13, atol=1e-15)
    assert np.all(surrogate >= 0.0)
    return zero_one, surrogate


def test_conditional_excess_surrogate_risk_keeps_its_precision_near_the_minimiser():
    eta, d = 0.3, np.array([1e-9, -1e-6, 1e-3])
    # Square: (g - (2 eta - 1))^2 exactly; logistic: eta (1 - eta) d^2 / 2 to first order.
    np.testing.assert_allclose(
        conditional_excess_surrogate_risk(eta, -0.4 + d, "square"), d**2, rtol=1e-6
    )
    logistic = conditional_excess_surrogate_risk(eta, math.log(0.3 / 0.7) + d, "logistic")
    np.testing.assert_allclose(logistic, eta * (1 - eta) * d**2 / 2, rtol=1e-3)
    # Hinge: theta (1 - u) just inside the margin, q (u - 1) beyond it.
    np.testing.assert_allclose(
        conditional_excess_surrogate_risk(eta, [-1.0 + 1e-9, -1.0 - 1e-9], "hinge"),
        [0.4 * 1e-9, 0.3 * 1e-9],
        rtol=1e-6,
    )


@pytest.mark.parametrize("loss", SURROGATE_LOSSES)
def test_comparison_inequality_holds_pointwise(loss):
    rng = np.random.default_rng(0)
    eta = np.concatenate([[0.0, 0.5, 1.0, 0.5 + 1e-12], rng.uniform(0, 1, 400)])
    g = np.concatenate([[0.0, -1e-12, 1e-12, -1.0, 1.0, -30.0, 30.0], rng.normal(0, 2, 200)])
    eta, g = np.meshgrid(eta, g)
    zero_one, surrogate = _pointwise_excesses(eta, g, loss)
    # The excesses are exact to a few ulps, so the inequalities hold to rounding.
    assert (psi_transform(zero_one, loss) <= surrogate * (1 + 1e-12) + 1e-300).all()
    assert (zero_one <= psi_transform_bound(surrogate, loss) * (1 + 1e-12) + 1e-300).all()
    assert (zero_one <= calibration_bound(surrogate, loss) * (1 + 1e-12) + 1e-300).all()
    assert (zero_one > 0.3).mean() > 0.05  # not vacuous: many wrong-signed scores


def _random_problem(rng):
    """A random (eta, g) on a random interval: eta sigmoid or piecewise constant, g affine."""
    low = rng.uniform(-2.0, 0.0)
    high = low + rng.uniform(0.5, 3.0)
    w, c = rng.normal(0.0, 3.0), rng.normal(0.0, 2.0)
    if rng.uniform() < 0.5:
        a, b = rng.normal(0.0, 4.0), rng.normal(0.0, 2.0)
        return (lambda x: expit(a * x + b)), (lambda x: w * x + c), low, high, ()
    jumps = np.sort(rng.uniform(low, high, rng.integers(1, 5)))
    levels = rng.uniform(0.0, 1.0, jumps.size + 1)
    return (
        lambda x: levels[np.searchsorted(jumps, x, side="right")],
        lambda x: w * x + c,
        low,
        high,
        tuple(jumps),
    )


def test_comparison_inequality_holds_integrated():
    rng = np.random.default_rng(1)
    worst = dict.fromkeys(SURROGATE_LOSSES, 0.0)
    for _ in range(200):
        eta, score, low, high, breakpoints = _random_problem(rng)
        risks = binary_risks(eta, score, low, high, breakpoints=breakpoints)
        for loss in SURROGATE_LOSSES:
            excess = risks.excess_surrogate[loss]
            tight = psi_transform_bound(excess, loss)
            assert risks.excess_zero_one <= tight + 1e-12
            assert tight <= calibration_bound(excess, loss) + 1e-15
            if excess > 0:
                worst[loss] = max(worst[loss], risks.excess_zero_one / tight)
    # The draws reach well into the region where the bounds bite.
    assert min(worst.values()) > 0.5


@pytest.mark.parametrize("eta", [0.1, 0.35, 0.8, 0.99])
def test_bounds_are_tight_for_constant_eta_and_a_score_just_on_the_wrong_side(eta):
    epsilon = 1e-8
    g = -epsilon * np.sign(2 * eta - 1)
    theta = abs(2 * eta - 1)
    for loss in SURROGATE_LOSSES:
        zero_one, surrogate = _pointwise_excesses(eta, g, loss)
        assert zero_one == pytest.approx(theta, rel=1e-15)
        assert psi_transform_bound(surrogate, loss) == pytest.approx(theta, rel=1e-6)
        if loss != "logistic":  # Bach's hinge and square bounds are the psi-bounds
            assert calibration_bound(surrogate, loss) == pytest.approx(theta, rel=1e-6)
    # Integrated over X, the same: Jensen's inequality is an equality for a constant.
    risks = binary_risks(eta, g, -1.0, 2.0)
    assert risks.excess_zero_one == pytest.approx(theta, rel=1e-14)
    assert calibration_bound(risks.excess_surrogate["hinge"], "hinge") == pytest.approx(
        theta, rel=1e-6
    )


def test_logistic_constant_sqrt2_is_approached_as_eta_tends_to_one_half():
    for theta in (0.3, 0.1, 0.01, 1e-3):
        eta, g = (1 + theta) / 2, -1e-12
        zero_one, surrogate = _pointwise_excesses(eta, g, "logistic")
        ratio = calibration_bound(surrogate, "logistic") / zero_one
        # sqrt(2 psi(theta)) / theta = 1 + theta^2 / 12 + O(theta^4).
        assert 1.0 <= ratio <= 1.0 + theta**2 / 6 + 1e-6


def test_bayes_optimal_scores_have_zero_excess():
    a, b = 2.5, -0.7
    eta = lambda x: expit(a * x + b)  # noqa: E731
    # The log-odds minimise the logistic risk; 2 eta - 1 minimises the square risk.
    logistic = binary_risks(eta, lambda x: a * x + b, -2.0, 3.0)
    square = binary_risks(eta, lambda x: 2 * expit(a * x + b) - 1, -2.0, 3.0)
    assert logistic.excess_surrogate["logistic"] < 1e-14
    assert square.excess_surrogate["square"] < 1e-14
    for risks in (logistic, square):
        assert risks.excess_zero_one < 1e-14
        # eta = 1/2 where the score crosses 0, both found as crossings.
        assert min(abs(p + b / a) for p in risks.breakpoints) < 1e-14


# --------------------------------------------------------------------------- quadrature


def _kinks(w, c, a, b, low, high):
    """Where an integrand of g = w x + c, eta = sigmoid(a x + b) jumps or has a kink."""
    points = [(level - c) / w for level in (-1.0, 0.0, 1.0)] + [-b / a]
    return sorted(p for p in points if low < p < high)


def _quad_mean(function, low, high, points):
    value, error = quad(
        function, low, high, points=points or None, epsabs=1e-13, epsrel=1e-13, limit=500
    )
    assert error < 1e-11
    return value / (high - low)


@pytest.mark.parametrize("seed", range(12))
def test_quadrature_matches_scipy_quad(seed):
    rng = np.random.default_rng(seed)
    low = rng.uniform(-2.0, 0.0)
    high = low + rng.uniform(0.5, 3.0)
    a, b = rng.normal(0.0, 3.0), rng.normal(0.0, 1.0)
    w, c = rng.normal(0.0, 3.0), rng.normal(0.0, 1.0)
    risks = binary_risks(lambda x: expit(a * x + b), lambda x: w * x + c, low, high)
    points = _kinks(w, c, a, b, low, high)
    # The level crossings are found on their own.
    np.testing.assert_allclose(risks.breakpoints, points, atol=1e-13)

    def eta(x):
        return 1.0 / (1.0 + math.exp(-(a * x + b)))

    def g(x):
        return w * x + c

    def zero_one(x):
        return eta(x) if g(x) < 0 else 1.0 - eta(x) if g(x) > 0 else 0.5

    def entropy(p):
        return -sum(q * math.log(q) for q in (p, 1.0 - p) if q > 0)

    bayes = {
        "hinge": lambda p: 1.0 - abs(2 * p - 1),
        "logistic": entropy,
        "square": lambda p: 4 * p * (1 - p),
    }
    tolerance = 1e-10
    assert abs(risks.zero_one - _quad_mean(zero_one, low, high, points)) < tolerance
    expected = _quad_mean(lambda x: min(eta(x), 1 - eta(x)), low, high, points)
    assert abs(risks.bayes_zero_one - expected) < tolerance
    for loss in SURROGATE_LOSSES:
        expected = _quad_mean(
            lambda x: reference_conditional_risk(eta(x), g(x), loss), low, high, points
        )
        assert abs(risks.surrogate[loss] - expected) < tolerance
        expected = _quad_mean(lambda x: bayes[loss](eta(x)), low, high, points)
        assert abs(risks.bayes_surrogate[loss] - expected) < tolerance
        assert risks.excess_surrogate[loss] == pytest.approx(
            risks.surrogate[loss] - risks.bayes_surrogate[loss], abs=1e-13
        )
    assert risks.excess_zero_one == pytest.approx(
        risks.zero_one - risks.bayes_zero_one, abs=1e-13
    )


def test_hand_computed_piecewise_example():
    # X uniform on [0, 1]; eta = 0.8 on [0, 1/2), 0.3 on [1/2, 1]; g(x) = 2 x - 0.6, zero 0.3.
    # sign(g) = -1 on [0, 0.3): errs w.p. 0.8; +1 on [0.3, 0.5): 0.2; +1 on [0.5, 1]: 0.7.
    risks = binary_risks(
        lambda x: np.where(x < 0.5, 0.8, 0.3), lambda x: 2 * x - 0.6, 0.0, 1.0,
        breakpoints=[0.5],
    )
    assert risks.zero_one == pytest.approx(0.8 * 0.3 + 0.2 * 0.2 + 0.7 * 0.5, rel=1e-15)
    assert risks.bayes_zero_one == pytest.approx(0.2 * 0.5 + 0.3 * 0.5, rel=1e-15)
    # The cuts: the zero of g, the given jump, and the hinge kink g = 1 at x = 0.8.
    assert risks.breakpoints == pytest.approx((0.3, 0.5, 0.8), abs=1e-15)


def _ramp_integral(p, q, a, b):
    """int_a^b max(0, p + q x) dx, from the antiderivative max(0, p + q x)^2 / (2 q)."""
    return (max(0.0, p + q * b) ** 2 - max(0.0, p + q * a) ** 2) / (2 * q)


def _square_integral(p, q, a, b):
    return ((p + q * b) ** 3 - (p + q * a) ** 3) / (3 * q)


def _softplus_integral(p, q, a, b):
    """int_a^b log(1 + exp(-(p + q x))) dx = [Li2(-exp(-u)) / q], u = p + q x.

    d/du Li2(-exp(-u)) = log(1 + exp(-u)), and Li2(z) = spence(1 - z) in scipy.
    """
    return (spence(1 + math.exp(-(p + q * b))) - spence(1 + math.exp(-(p + q * a)))) / q


def _closed_form_risks(levels, cuts, w, c):
    """Risks for eta = levels[k] on [cuts[k], cuts[k + 1]], g = w x + c, by antiderivatives."""
    length = cuts[-1] - cuts[0]
    zero = -c / w
    risks = dict.fromkeys(["zero_one", "bayes_zero_one", *SURROGATE_LOSSES], 0.0)
    bayes = dict.fromkeys(SURROGATE_LOSSES, 0.0)
    for eta, a, b in zip(levels, cuts[:-1], cuts[1:]):
        negative = min(max(zero, a), b) - a if w > 0 else b - min(max(zero, a), b)
        risks["zero_one"] += eta * negative + (1 - eta) * (b - a - negative)
        risks["bayes_zero_one"] += min(eta, 1 - eta) * (b - a)
        # phi(g) and phi(-g) with g = c + w x, so phi(-g) is phi at -c - w x.
        risks["hinge"] += eta * _ramp_integral(1 - c, -w, a, b) + (1 - eta) * _ramp_integral(
            1 + c, w, a, b
        )
        risks["square"] += eta * _square_integral(1 - c, -w, a, b) + (
            1 - eta
        ) * _square_integral(1 + c, w, a, b)
        risks["logistic"] += eta * _softplus_integral(c, w, a, b) + (
            1 - eta
        ) * _softplus_integral(-c, -w, a, b)
        for loss in SURROGATE_LOSSES:
            bayes[loss] += float(conditional_bayes_surrogate_risk(eta, loss)) * (b - a)
    return {k: v / length for k, v in risks.items()}, {k: v / length for k, v in bayes.items()}


@pytest.mark.parametrize("seed", range(10))
def test_piecewise_constant_eta_and_affine_score_against_closed_forms(seed):
    rng = np.random.default_rng(100 + seed)
    low = rng.uniform(-2.0, 0.0)
    high = low + rng.uniform(0.5, 3.0)
    jumps = np.sort(rng.uniform(low, high, rng.integers(1, 5)))
    levels = rng.uniform(0.0, 1.0, jumps.size + 1)
    w, c = rng.choice([-1, 1]) * rng.uniform(0.5, 4.0), rng.normal(0.0, 1.5)

    def eta(x):
        return levels[np.searchsorted(jumps, x, side="right")]

    expected, bayes = _closed_form_risks(levels, np.r_[low, jumps, high], w, c)
    # On every piece the 0-1, hinge and square integrands are polynomials of degree <= 2:
    # two Gauss-Legendre nodes are exact, to rounding.
    two = binary_risks(eta, lambda x: w * x + c, low, high, breakpoints=jumps, n_nodes=2)
    assert two.zero_one == pytest.approx(expected["zero_one"], rel=1e-13, abs=1e-15)
    assert two.bayes_zero_one == pytest.approx(expected["bayes_zero_one"], rel=1e-13)
    for loss in ("hinge", "square"):
        assert two.surrogate[loss] == pytest.approx(expected[loss], rel=1e-13)
    # The logistic integrand is smooth but no polynomial: the default nodes reach rounding.
    full = binary_risks(eta, lambda x: w * x + c, low, high, breakpoints=jumps)
    for loss in SURROGATE_LOSSES:
        assert full.surrogate[loss] == pytest.approx(expected[loss], rel=1e-12)
        assert full.bayes_surrogate[loss] == pytest.approx(bayes[loss], rel=1e-13, abs=1e-15)


def test_constant_inputs_and_result_type():
    risks = binary_risks(0.25, -0.5, 0.0, 2.0, n_nodes=1)
    assert isinstance(risks, BinaryRisks) and risks.breakpoints == ()
    assert risks.zero_one == risks.bayes_zero_one == 0.25 and risks.excess_zero_one == 0
    assert risks.surrogate["hinge"] == pytest.approx(0.25 * 1.5 + 0.75 * 0.5, rel=1e-15)
    assert risks.bayes_surrogate["square"] == pytest.approx(0.75, rel=1e-15)


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: conditional_surrogate_risk(1.5, 0.0, "hinge"), ValueError,
         r"eta must lie in \[0, 1\], got eta == 1.5"),
        (lambda: conditional_zero_one_risk([0.2, -0.1], 0.0), ValueError,
         r"eta must lie in \[0, 1\], got eta\[1\] == -0.1"),
        (lambda: conditional_bayes_zero_one_risk([[0.5, 2.0]]), ValueError,
         r"got eta\[0, 1\] == 2.0"),
        (lambda: conditional_bayes_surrogate_risk(float("nan"), "square"), ValueError,
         "eta contains NaN"),
        (lambda: conditional_surrogate_risk(0.5, float("inf"), "square"), ValueError,
         "score contains infinity"),
        (lambda: conditional_surrogate_risk(0.5, 0.0, "cubic"), ValueError,
         "Unknown surrogate loss 'cubic'"),
        (lambda: calibration_bound(0.1, None), TypeError, "loss must be a str"),
        (lambda: calibration_bound(-0.1, "hinge"), ValueError,
         "excess_surrogate_risk must be >= 0, got excess_surrogate_risk == -0.1"),
        (lambda: psi_transform_bound([0.1, -1.0], "logistic"), ValueError,
         r"got excess_surrogate_risk\[1\] == -1.0"),
        (lambda: psi_transform(1.5, "square"), ValueError,
         r"theta must lie in \[-1, 1\], got theta == 1.5"),
        (lambda: binary_risks(0.5, 0.0, 1.0, 1.0), ValueError,
         "low == 1.0 must be < high == 1.0"),
        (lambda: binary_risks(0.5, 0.0, 2.0, 1.0), ValueError,
         "low == 2.0 must be < high == 1.0"),
        (lambda: binary_risks(0.5, 0.0, -math.inf, 1.0), ValueError,
         "low and high must be finite"),
        (lambda: binary_risks(0.5, 0.0, "0", 1.0), TypeError, "low must be of type Real"),
        (lambda: binary_risks(1.2, 0.0, 0.0, 1.0), ValueError,
         r"eta\(x\) must lie in \[0, 1\], got 1.2 at x == 0.0"),
        (lambda: binary_risks(lambda x: x, 0.0, 0.0, 2.0), ValueError,
         r"eta\(x\) must lie in \[0, 1\], got 1\.\d+ at x == 1\.\d+"),
        (lambda: binary_risks(0.5, lambda x: np.full_like(x, np.nan), 0.0, 1.0), ValueError,
         r"score\(x\) must be finite, got nan at x == 0.0"),
        (lambda: binary_risks(0.5, lambda x: np.zeros(3), 0.0, 1.0), ValueError,
         r"score\(x\) must return an array of x's shape"),
        (lambda: binary_risks("0.5", 0.0, 0.0, 1.0), TypeError,
         "eta must be a callable of x or a real constant"),
        (lambda: binary_risks(0.5, 0.0, 0.0, 1.0, breakpoints=[0.5, 1.5]), ValueError,
         r"breakpoints must lie in \[low, high\] = \[0.0, 1.0\], got breakpoints\[1\] == 1.5"),
        (lambda: binary_risks(0.5, 0.0, 0.0, 1.0, n_nodes=0), ValueError,
         "n_nodes == 0, must be >= 1"),
        (lambda: binary_risks(0.5, 0.0, 0.0, 1.0, n_nodes=2.0), TypeError,
         "n_nodes must be of type Integral"),
    ],
)
def test_bad_inputs_raise_naming_the_problem(call, error, match):
    with pytest.raises(error, match=match):
        call()
