"""Laws of (X, Y) whose conditional law Y | X is known exactly: the course's first problems.

:class:`ConditionalLawModel` holds a joint law where X takes finitely many values and Y | X = x
belongs to a family with closed forms (binomial, exponential). It knows everything the
chapter "Statistical learning foundations" measures against: the conditional mean, median,
mode and variance, the expected loss of any prediction at each x, and so the Bayes predictor
and the Bayes risk of the square, absolute and 0-1 losses, computed exactly (closed forms, or
a summation over Y's support) rather than estimated.

:func:`make_conditional_law` builds the named laws of the course (``nlehir/FTML``,
``tp_01_train_test_overfitting``, "Bayes estimators", problems 1 and 2) and a skewed law on
which the absolute loss's Bayes predictor (the median) differs from the square loss's (the
mean).
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_random_state, check_scalar

__all__ = ["CONDITIONAL_LAWS", "ConditionalLawModel", "check_conditional_law_params",
           "make_conditional_law"]

LOSSES = ("square", "absolute", "zero_one")
FAMILIES = ("binomial", "exponential")
# Above this many trials an exact sum over a binomial's support is refused: it would hold
# that many terms (the course's problem 2 reaches 3^21 ≈ 10^10 trials).
MAX_SUMMED_TRIALS = 10**6


@dataclass(frozen=True, eq=False, repr=False)
class ConditionalLawModel:
    """A joint law of (X, Y) with X on a finite support and Y | X in a known family.

    Parameters
    ----------
    support : array-like of shape (n_values,)
        The values x_1 < ... < x_m that X takes.
    probabilities : array-like of shape (n_values,)
        P(X = x_i), positive, summing to 1.
    family : {"binomial", "exponential"}
        The law of Y given X: Binomial(trials_i, success_i) or Exponential with mean
        ``scale_i`` at x_i.
    parameters : array-like of shape (n_values, 2) or (n_values, 1)
        Per support point, (trials, success probability) for ``binomial``, (scale,) for
        ``exponential``.
    loss : {"square", "absolute", "zero_one"}
        The loss that defines the problem's risk, its Bayes predictor and Bayes risk.
    n_samples : int
        The number of pairs :meth:`sample` draws by default.

    Attributes
    ----------
    bayes_risk : float
        The risk of the Bayes predictor of ``loss``, exact.

    Notes
    -----
    The Bayes predictor of a loss minimises the conditional expected loss at each x: the
    conditional mean for the square loss, a conditional median for the absolute loss, a
    conditional mode for the 0-1 loss. Where the minimiser is not unique (a binomial with an
    odd number of trials and success 1/2 has two medians and two modes) the smaller one is
    taken; the Bayes risk does not depend on the choice.

    Examples
    --------
    >>> model = make_conditional_law("bernoulli", n_samples=10)
    >>> model.bayes_predictor([0.0, 1.0])
    array([0., 1.])
    >>> round(model.bayes_risk, 12)
    0.4
    """

    support: np.ndarray
    probabilities: np.ndarray
    family: str
    parameters: np.ndarray
    loss: str
    n_samples: int

    def __post_init__(self):
        support = np.asarray(self.support, dtype=float)
        probabilities = np.asarray(self.probabilities, dtype=float)
        parameters = np.asarray(self.parameters, dtype=float)
        if parameters.ndim == 1:
            parameters = parameters[:, None]
        if support.ndim != 1 or support.shape != probabilities.shape:
            raise ValueError("support and probabilities must be 1-D arrays of one length, got "
                             f"shapes {support.shape} and {probabilities.shape}.")
        if np.any(np.diff(support) <= 0):
            raise ValueError("support must be strictly increasing.")
        if np.any(probabilities <= 0) or not math.isclose(probabilities.sum(), 1.0,
                                                          rel_tol=1e-12):
            raise ValueError("probabilities must be positive and sum to 1, got sum "
                             f"{probabilities.sum()!r}.")
        if self.family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}, got {self.family!r}.")
        width = 2 if self.family == "binomial" else 1
        if parameters.shape != (support.shape[0], width):
            raise ValueError(f"parameters of the {self.family} family must have shape "
                             f"({support.shape[0]}, {width}), got {parameters.shape}.")
        if self.family == "binomial":
            trials, success = parameters.T
            if np.any(trials < 1) or np.any(trials != np.round(trials)):
                raise ValueError("binomial trials must be positive integers.")
            if np.any((success < 0) | (success > 1)):
                raise ValueError("binomial success probabilities must lie in [0, 1].")
        elif np.any(parameters <= 0):
            raise ValueError("exponential scales must be positive.")
        _check_loss(self.loss)
        check_scalar(self.n_samples, "n_samples", numbers.Integral, min_val=1)
        for name, value in (("support", support), ("probabilities", probabilities),
                            ("parameters", parameters)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    # -- the law ------------------------------------------------------------------------

    def sample(self, random_state=None, n_samples=None):
        """Draw ``n_samples`` i.i.d. pairs (``self.n_samples`` when None).

        Returns
        -------
        X : ndarray of shape (n_samples, 1)
        y : ndarray of shape (n_samples,)
        """
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        index = rng.choice(self.support.shape[0], size=n_samples, p=self.probabilities)
        if self.family == "binomial":
            trials, success = self.parameters[index].T
            y = rng.binomial(trials.astype(np.int64), success).astype(float)
        else:
            y = rng.exponential(self.parameters[index, 0])
        return self.support[index][:, None], y

    def _index(self, x):
        """Positions of the values ``x`` in the support (ValueError for any other value)."""
        x = np.asarray(x, dtype=float).reshape(-1)
        index = np.searchsorted(self.support, x)
        inside = index < self.support.shape[0]
        if not np.all(inside) or not np.array_equal(self.support[np.minimum(
                index, self.support.shape[0] - 1)], x):
            raise ValueError("x must take values in the law's support "
                             f"{self.support.tolist()[:6]}...")
        return index

    def conditional_mean(self, x):
        """E[Y | X = x] at each value of ``x``."""
        return self._statistic("mean")[self._index(x)]

    def conditional_variance(self, x):
        """Var(Y | X = x) at each value of ``x``."""
        return self._statistic("variance")[self._index(x)]

    def conditional_median(self, x):
        """The (smallest) median of Y | X = x at each value of ``x``."""
        return self._statistic("median")[self._index(x)]

    def conditional_mode(self, x):
        """The (smallest) mode of Y | X = x: the value of largest probability for a discrete
        Y, the density's maximum (0) for an exponential one."""
        return self._statistic("mode")[self._index(x)]

    def _statistic(self, name):
        if self.family == "exponential":
            scale = self.parameters[:, 0]
            return {"mean": scale, "variance": scale**2, "median": scale * math.log(2),
                    "mode": np.zeros_like(scale)}[name]
        trials, success = self.parameters.T
        if name == "mean":
            return trials * success
        if name == "variance":
            return trials * success * (1 - success)
        if name == "median":
            return _binomial_median(trials, success)
        # The largest probability is at floor((n + 1) p); when (n + 1) p is an integer k,
        # k - 1 ties with it and is the smaller mode.
        peak = (trials + 1) * success
        return np.where(peak == np.floor(peak), np.maximum(peak - 1, 0), np.floor(peak))

    # -- losses and risks ---------------------------------------------------------------

    def conditional_risk(self, x, prediction, loss=None):
        """E[l(Y, c) | X = x] for the predictions ``c`` at the inputs ``x``, exactly.

        Parameters
        ----------
        x, prediction : array-like of shape (n,)
        loss : {"square", "absolute", "zero_one"}, default=None
            The model's loss when None.

        Raises
        ------
        ValueError
            If no exact form is implemented: the absolute loss of a binomial with more than
            ``MAX_SUMMED_TRIALS`` trials, the 0-1 loss of a continuous Y.
        """
        loss = _check_loss(self.loss if loss is None else loss)
        index = self._index(x)
        c = np.asarray(prediction, dtype=float).reshape(-1)
        if c.shape != index.shape:
            raise ValueError(f"x and prediction have different lengths: {index.shape[0]} "
                             f"and {c.shape[0]}.")
        if loss == "square":
            mean, variance = self._statistic("mean")[index], self._statistic("variance")[index]
            return variance + (mean - c) ** 2
        if self.family == "exponential":
            if loss == "zero_one":
                raise ValueError("the 0-1 loss of a continuous Y is 1 for every prediction; "
                                 "it has no Bayes predictor to find")
            scale = self.parameters[index, 0]
            # E|Y - c| for Y ~ Exp(mean s): c - s + 2 s exp(-c / s) when c >= 0, s - c below.
            above = c - scale + 2 * scale * np.exp(-np.maximum(c, 0) / scale)
            return np.where(c >= 0, above, scale - c)
        trials, success = self.parameters[index].T
        if loss == "zero_one":
            whole = (c == np.round(c)) & (c >= 0) & (c <= trials)
            return 1 - np.where(whole, _binomial_pmf(np.round(c), trials, success), 0.0)
        if np.max(trials) > MAX_SUMMED_TRIALS:
            raise ValueError(f"the absolute loss of a binomial with {int(np.max(trials))} "
                             f"trials would sum that many terms (at most {MAX_SUMMED_TRIALS})")
        risks = np.empty_like(c)
        for position, (n, p, value) in enumerate(zip(trials, success, c)):
            outcomes = np.arange(int(n) + 1)
            risks[position] = _binomial_pmf(outcomes, n, p) @ np.abs(outcomes - value)
        return risks

    def risk(self, predict, loss=None):
        """The exact risk E[l(Y, f(X))] of a predictor, summed over X's support.

        Parameters
        ----------
        predict : callable
            Maps an array of inputs of shape (n, 1) to predictions of shape (n,).
        loss : str, default=None
            The model's loss when None.
        """
        predictions = np.asarray(predict(self.support[:, None]), dtype=float)
        return float(self.probabilities @ self.conditional_risk(self.support, predictions, loss))

    def bayes_predictor(self, x, loss=None):
        """The Bayes predictor of ``loss`` (the model's when None) at each value of ``x``."""
        loss = _check_loss(self.loss if loss is None else loss)
        if loss == "zero_one" and self.family == "exponential":
            raise ValueError("the 0-1 loss of a continuous Y has no Bayes predictor")
        statistic = {"square": "mean", "absolute": "median", "zero_one": "mode"}[loss]
        return self._statistic(statistic)[self._index(x)]

    def bayes_risk_of(self, loss=None):
        """The Bayes risk of ``loss`` (the model's when None), exact."""
        return self.risk(lambda X: self.bayes_predictor(X[:, 0], loss), loss)

    @property
    def bayes_risk(self):
        return self.bayes_risk_of()

    def independent_risk(self, loss=None):
        """The exact risk of predicting, independently of x, a draw Y' of Y's marginal law:
        E[l(Y, Y')] for independent copies Y and Y'.

        Square loss: 2 Var(Y). Absolute loss of exponential laws: for means a and b,
        E|Y − Y'| = (a² + b²) / (a + b), averaged over pairs of support points. 0-1 loss of
        discrete laws: 1 − Σ_k P(Y = k)².

        Raises
        ------
        ValueError
            Where no exact form is implemented (the absolute loss of a binomial law, a
            binomial support too large to sum).
        """
        loss = _check_loss(self.loss if loss is None else loss)
        p = self.probabilities
        if loss == "square":
            mean, variance = self._statistic("mean"), self._statistic("variance")
            total = p @ variance + p @ mean**2 - (p @ mean) ** 2
            return float(2 * total)
        if self.family == "exponential":
            if loss == "zero_one":
                raise ValueError("the 0-1 loss of a continuous Y is 1 for every prediction")
            a, b = np.meshgrid(self.parameters[:, 0], self.parameters[:, 0], indexing="ij")
            return float(p @ ((a**2 + b**2) / (a + b)) @ p)
        if loss == "absolute":
            raise ValueError("no exact form of E|Y - Y'| for a binomial law is implemented")
        trials, success = self.parameters.T
        if np.max(trials) > MAX_SUMMED_TRIALS:
            raise ValueError(f"the 0-1 loss of a binomial with {int(np.max(trials))} trials "
                             f"would sum that many terms (at most {MAX_SUMMED_TRIALS})")
        outcomes = np.arange(int(np.max(trials)) + 1)
        marginal = p @ _binomial_pmf(outcomes[None, :], trials[:, None], success[:, None])
        return float(1 - marginal @ marginal)

    def predictor(self, name):
        """The predictor ``name`` of the law, as a function of inputs of shape (n, 1).

        ``bayes`` is the Bayes predictor of the model's loss; ``mean``, ``median`` and
        ``mode`` are the conditional statistics, each loss's Bayes predictor (whatever the
        model's loss).
        """
        functions = {"bayes": self.bayes_predictor, "mean": self.conditional_mean,
                     "median": self.conditional_median, "mode": self.conditional_mode}
        if name not in functions:
            raise ValueError(f"unknown predictor {name!r}; the law knows {sorted(functions)}")
        return lambda X: functions[name](np.asarray(X)[:, 0])

    def loss_values(self, y, prediction, loss=None):
        """The losses l(y_i, c_i), one per pair (for Monte-Carlo risks)."""
        loss = _check_loss(self.loss if loss is None else loss)
        y, c = np.asarray(y, dtype=float), np.asarray(prediction, dtype=float)
        if loss == "square":
            return (y - c) ** 2
        if loss == "absolute":
            return np.abs(y - c)
        return (y != c).astype(float)


def _binomial_pmf(k, trials, success):
    """P(K = k) for K ~ Binomial(trials, success), through log-gamma (scipy.special: the
    validator and the training jobs then skip scipy.stats, a second to import)."""
    from scipy.special import gammaln, xlog1py, xlogy

    k, trials, success = np.broadcast_arrays(*(np.asarray(a, dtype=float)
                                               for a in (k, trials, success)))
    inside = (k >= 0) & (k <= trials)
    safe = np.where(inside, k, 0.0)
    log_pmf = (gammaln(trials + 1) - gammaln(safe + 1) - gammaln(trials - safe + 1)
               + xlogy(safe, success) + xlog1py(trials - safe, -success))
    return np.where(inside, np.exp(log_pmf), 0.0)


def _binomial_median(trials, success):
    """The smallest median of Binomial(trials, success): floor(np) or ceil(np), the first
    whose distribution function reaches 1/2 (P(K <= k) = I_{1-p}(n - k, k + 1)).

    A distribution function of exactly 1/2 (n odd, p = 1/2: two medians) is computed within
    rounding of it, so reaching 1/2 allows 1e-12 below it.
    """
    from scipy.special import betainc

    low = np.floor(trials * success)
    below = np.where(low < trials, betainc(np.maximum(trials - low, 1e-300), low + 1,
                                           1 - success), 1.0)
    return np.where(below >= 0.5 - 1e-12, low, np.minimum(low + 1, trials))


def _check_loss(loss):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}.")
    return loss


def _course_bernoulli():
    # Problem 1: X uniform on {0, 1}, Y | X ~ Bernoulli(0.4 + 0.2 X), the 0-1 loss.
    return dict(support=[0.0, 1.0], probabilities=[0.5, 0.5], family="binomial",
                parameters=[[1, 0.4], [1, 0.6]], loss="zero_one")


def _course_binomial():
    # Problem 2: X - 1 ~ Binomial(20, 0.2), Y | X ~ Binomial(3^X, 0.5), the square loss.
    values = np.arange(1, 22)
    return dict(support=values.astype(float),
                probabilities=_binomial_pmf(values - 1, 20, 0.2),
                family="binomial",
                parameters=np.column_stack([3.0**values, np.full(values.shape, 0.5)]),
                loss="square")


def _skewed_exponential():
    # X uniform on {1, 2, 3}, Y | X exponential of mean X: median X ln 2 < mean X.
    return dict(support=[1.0, 2.0, 3.0], probabilities=[1 / 3, 1 / 3, 1 / 3],
                family="exponential", parameters=[[1.0], [2.0], [3.0]], loss="absolute")


# The named laws, each with its own loss (which ``loss`` may override).
CONDITIONAL_LAWS = {
    "bernoulli": _course_bernoulli,
    "binomial": _course_binomial,
    "exponential": _skewed_exponential,
}


def check_conditional_law_params(law, n_samples, loss=None):
    """Check the arguments of :func:`make_conditional_law` without building the law.

    Raises
    ------
    ValueError
        If ``law`` or ``loss`` is unknown, or ``n_samples`` < 1.
    """
    if law not in CONDITIONAL_LAWS:
        raise ValueError(f"law must be one of {sorted(CONDITIONAL_LAWS)}, got {law!r}.")
    if loss is not None:
        _check_loss(loss)
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)


def make_conditional_law(law, n_samples, loss=None, random_state=None):
    """Build one of the named laws of (X, Y) with a known conditional law.

    Parameters
    ----------
    law : {"bernoulli", "binomial", "exponential"}
        ``bernoulli`` (the course's problem 1): X uniform on {0, 1}, Y | X ~ Bernoulli(0.4 + 0.2 X), 0-1 loss
        (Bayes predictor x, Bayes risk 0.4). ``binomial`` (problem 2): X − 1 ~ Binomial(20, 0.2),
        Y | X ~ Binomial(3^X, 1/2), square loss (Bayes predictor 3^x / 2, Bayes risk
        E[3^X] / 4 = 3 · 1.4^20 / 4). ``exponential`` (a skewed law): X uniform on {1, 2, 3}, Y | X
        exponential of mean X, absolute loss (Bayes predictor the median X ln 2, Bayes risk
        E[X] ln 2 = 2 ln 2).
    n_samples : int
        The pairs a sample holds.
    loss : {"square", "absolute", "zero_one"}, default=None
        The loss of the problem; the law's own when None.
    random_state : ignored
        The laws are deterministic; accepted as every generator's.

    Returns
    -------
    ConditionalLawModel

    References
    ----------
    .. [1] nlehir/FTML, practical_sessions/tp_01_train_test_overfitting, "Bayes estimators",
       problems 1 and 2.
    """
    check_conditional_law_params(law, n_samples, loss)
    spec = CONDITIONAL_LAWS[law]()
    if loss is not None:
        spec["loss"] = loss
    return ConditionalLawModel(**spec, n_samples=n_samples)
