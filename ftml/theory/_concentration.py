"""Concentration inequalities for the mean of i.i.d. variables, the exact tail of a mean of
Bernoulli variables they are compared against, and the finite-class bound on the excess
risk of empirical risk minimisation (see the package docstring).

Every function broadcasts its arguments against each other like a numpy ufunc: it returns
a float when all of them are scalars, an ndarray of their broadcast shape otherwise. Bounds
are returned as computed, not clipped to 1: a value of 1 or more is true but vacuous.
Overflow is no error either: a bound beyond the float range is returned as inf, vacuous.
"""

import numbers

import numpy as np

__all__ = [
    "markov_bound",
    "chebyshev_bound",
    "hoeffding_bound",
    "bernstein_bound",
    "bernoulli_mean_tail",
    "finite_class_erm_bound",
    "finite_class_erm_failure_probability",
]

# Relative tolerance on the boundaries n (p +- epsilon) of the event |K / n - p| >= epsilon
# in bernoulli_mean_tail (see its docstring for why and how it is applied).
_BOUNDARY_RTOL = 1e-12


# --------------------------------------------------------------------------- validation


def _interval(low, high, low_open, high_open):
    """The accepted range in words: "> 0", ">= 1", "in (0, 1)"."""
    if high is None:
        return f"{'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"{'<' if high_open else '<='} {high:g}"
    return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def _label(name, array, index):
    """``name`` for a 0-d array, ``name[i, j]`` for an entry of a larger one."""
    return name if array.ndim == 0 else f"{name}[{', '.join(str(int(i)) for i in index)}]"


def _shown(value, integer):
    return int(value) if integer else float(value)


def _entry(name, array, index):
    """``"name[i] == value"`` for the entry of ``array`` that broadcasting puts at ``index``
    of the broadcast shape (so a scalar is named without an index)."""
    index = tuple(int(i) for i in index)[len(index) - array.ndim:]
    index = tuple(i if size > 1 else 0 for i, size in zip(index, array.shape))
    return f"{_label(name, array, index)} == {float(array[index])!r}"


def _check_parameter(
    value, name, *, integer=False, low=None, high=None, low_open=False, high_open=False
):
    """Return ``value`` as a float64 ndarray, checked to be finite and in range.

    Integer parameters (``n_samples``, ``class_size``) must have an integer type, as
    :func:`ftml.validation.check_scalar` requires of sizes elsewhere in ftml; they are then
    converted to float, exactly so below 2^53, since every formula here is a float formula.
    """
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype.kind == "b"
    ):
        raise TypeError(f"{name} must be {'an integer' if integer else 'a real number'}, "
                        f"got the bool {value!r}.")
    if integer and isinstance(value, numbers.Integral):
        # float() first: a Python int such as a class size of 2**100 has no int64 dtype.
        try:
            array = np.asarray(float(value))
        except OverflowError:
            raise ValueError(
                f"{name} must be at most the largest float, about 1.8e308, got {name} == "
                f"an integer of {int(value).bit_length()} bits."
            ) from None
    else:
        try:
            array = np.asarray(value)
        except ValueError as error:  # ragged nested sequences
            raise ValueError(
                f"{name} must be a rectangular array of numbers: {error}"
            ) from None
        allowed = "iu" if integer else "iuf"
        if array.dtype.kind not in allowed:
            kind = "integers" if integer else "real numbers"
            raise TypeError(
                f"{name} must be a scalar or array of {kind}, got {value!r} of dtype "
                f"{array.dtype}."
            )
        array = array.astype(np.float64)
    if np.isnan(array).any():
        index = np.argwhere(np.isnan(array))[0]
        raise ValueError(f"{_label(name, array, index)} must be a number, got NaN.")
    if np.isinf(array).any():
        index = np.argwhere(np.isinf(array))[0]
        raise ValueError(
            f"{_label(name, array, index)} must be finite, got "
            f"{float(array[tuple(index)])!r}."
        )
    bad = np.zeros(array.shape, dtype=bool)
    if low is not None:
        bad |= (array <= low) if low_open else (array < low)
    if high is not None:
        bad |= (array >= high) if high_open else (array > high)
    if bad.any():
        index = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must be {_interval(low, high, low_open, high_open)}, got "
            f"{_label(name, array, index)} == {_shown(array[tuple(index)], integer)!r}."
        )
    return array


def _broadcast(**arrays):
    """Broadcast the checked parameters together, naming them if their shapes clash."""
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in arrays.items())
        raise ValueError(
            f"The parameters cannot be broadcast together: {shapes}."
        ) from None


def _check_range(low, high):
    """Check ``low`` and ``high``, and low < high wherever they broadcast; return them."""
    low = _check_parameter(low, "low")
    high = _check_parameter(high, "high")
    low_b, high_b = _broadcast(low=low, high=high)
    bad = low_b >= high_b
    if bad.any():
        index = np.argwhere(bad)[0]
        raise ValueError(
            "high must be > low (the variables lie in [low, high]), got "
            f"{_entry('low', low, index)} and {_entry('high', high, index)}."
        )
    return low, high


def _as_output(values, *arrays):
    """A float if every argument was a scalar (0-d), else the ndarray."""
    values = np.asarray(values, dtype=np.float64)
    return float(values) if all(array.ndim == 0 for array in arrays) else values


# --------------------------------------------------------------------------- bounds


def markov_bound(mean, threshold):
    """Markov's inequality: P(Z >= t) <= E[Z] / t for a non-negative Z.

    For a random variable Z >= 0 almost surely with finite mean and any t > 0,
    t 1{Z >= t} <= Z, and taking expectations gives

        P(Z >= t) <= E[Z] / t.

    It is tight: Z in {0, t} with P(Z = t) = q gives equality. Chebyshev's inequality is
    Markov's applied to Z = (X - E[X])^2 and t = epsilon^2.

    Parameters
    ----------
    mean : float or array-like
        The mean E[Z] >= 0 of the non-negative variable.
    threshold : float or array-like
        The threshold t > 0.

    Returns
    -------
    bound : float or ndarray
        E[Z] / t, broadcast over the arguments; not clipped, so a value above 1 (when
        t < E[Z]) is a vacuous bound.

    Raises
    ------
    ValueError
        If ``mean`` < 0, ``threshold`` <= 0, either is NaN or infinite, or their shapes do
        not broadcast.
    TypeError
        If an argument is not a real number or array of them.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
       (Concentration inequalities).
    .. [2] Course slides (nlehir/FTML), lecture 2 "Toolbox", Markov inequality.

    Examples
    --------
    >>> markov_bound(1.0, 4.0)
    0.25
    >>> markov_bound(1.0, [0.5, 2.0, 8.0])
    array([2.   , 0.5  , 0.125])
    """
    mean = _check_parameter(mean, "mean", low=0.0)
    threshold = _check_parameter(threshold, "threshold", low=0.0, low_open=True)
    mean_b, threshold_b = _broadcast(mean=mean, threshold=threshold)
    with np.errstate(over="ignore"):
        bound = mean_b / threshold_b
    return _as_output(bound, mean, threshold)


def chebyshev_bound(variance, n_samples, epsilon):
    """Chebyshev's inequality for a mean: P(|X_bar_n - mu| >= eps) <= sigma^2 / (n eps^2).

    For X_1, ..., X_n independent with common mean mu and variance sigma^2 (finite), the
    mean X_bar_n has variance sigma^2 / n, and Markov's inequality applied to
    (X_bar_n - mu)^2 gives, for every epsilon > 0,

        P(|X_bar_n - mu| >= epsilon) <= sigma^2 / (n epsilon^2).

    No boundedness is needed, only a second moment; the price is a tail decaying as 1 / n
    instead of exponentially. For n = 1 it is tight: X in {mu - eps, mu, mu + eps} with
    P(X = mu +- eps) = q / 2 gives equality.

    Parameters
    ----------
    variance : float or array-like
        The variance sigma^2 >= 0 of one variable.
    n_samples : int or array-like of int
        The number n >= 1 of variables averaged.
    epsilon : float or array-like
        The deviation epsilon > 0.

    Returns
    -------
    bound : float or ndarray
        sigma^2 / (n epsilon^2), broadcast over the arguments; not clipped, so a value above
        1 is a vacuous bound.

    Raises
    ------
    ValueError
        If ``variance`` < 0, ``n_samples`` < 1, ``epsilon`` <= 0, an argument is NaN or
        infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` is not an integer, or another argument not a real number.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
       (Concentration inequalities).
    .. [2] Course slides (nlehir/FTML), lecture 2 "Toolbox", Chebyshev inequality and the
       weak law of large numbers.

    Examples
    --------
    >>> chebyshev_bound(1.0, 16, 0.5)
    0.25
    """
    variance = _check_parameter(variance, "variance", low=0.0)
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    epsilon = _check_parameter(epsilon, "epsilon", low=0.0, low_open=True)
    variance_b, n_b, epsilon_b = _broadcast(
        variance=variance, n_samples=n_samples, epsilon=epsilon
    )
    # Divided by epsilon twice rather than by epsilon^2, which underflows to 0 for
    # epsilon < 1e-162 and would turn a zero variance into 0 / 0.
    with np.errstate(over="ignore"):
        bound = variance_b / n_b / epsilon_b / epsilon_b
    return _as_output(bound, variance, n_samples, epsilon)


def hoeffding_bound(n_samples, epsilon, low, high):
    """Hoeffding's inequality: P(|X_bar_n - mu| >= eps) <= 2 exp(-2 n eps^2 / (b - a)^2).

    For X_1, ..., X_n i.i.d. with values in [a, b] almost surely and mean mu, for every
    epsilon > 0,

        P(|X_bar_n - mu| >= epsilon) <= 2 exp(-2 n epsilon^2 / (b - a)^2),

    each one-sided tail being at most half of it. Only the range enters, not the variance:
    Bernstein's inequality (:func:`bernstein_bound`) is sharper for variables of small
    variance.

    Parameters
    ----------
    n_samples : int or array-like of int
        The number n >= 1 of variables averaged.
    epsilon : float or array-like
        The deviation epsilon > 0.
    low, high : float or array-like
        The range [a, b] of the variables, a < b.

    Returns
    -------
    bound : float or ndarray
        2 exp(-2 n epsilon^2 / (b - a)^2), broadcast over the arguments; not clipped, so a
        value above 1 (for n epsilon^2 < log(2) (b - a)^2 / 2) is a vacuous bound.

    Raises
    ------
    ValueError
        If ``n_samples`` < 1, ``epsilon`` <= 0, ``low`` >= ``high``, an argument is NaN or
        infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` is not an integer, or another argument not a real number.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
       (Concentration inequalities), Hoeffding's inequality.
    .. [2] W. Hoeffding, "Probability inequalities for sums of bounded random variables",
       Journal of the American Statistical Association, 58(301):13-30, 1963.
    .. [3] Course practical session nlehir/FTML tp_12 "Statistical learning", Section 1.

    Examples
    --------
    >>> round(hoeffding_bound(100, 0.1, 0.0, 1.0), 6)
    0.270671
    >>> hoeffding_bound([1, 10, 1000], 0.1, 0.0, 1.0).round(4)
    array([1.9604, 1.6375, 0.    ])
    """
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    epsilon = _check_parameter(epsilon, "epsilon", low=0.0, low_open=True)
    low, high = _check_range(low, high)
    n_b, epsilon_b, low_b, high_b = _broadcast(
        n_samples=n_samples, epsilon=epsilon, low=low, high=high
    )
    with np.errstate(over="ignore"):
        bound = 2.0 * np.exp(-2.0 * n_b * (epsilon_b / (high_b - low_b)) ** 2)
    return _as_output(bound, n_samples, epsilon, low, high)


def bernstein_bound(n_samples, epsilon, variance, deviation_bound):
    """Bernstein's inequality: the tail of a mean of bounded variables of known variance.

    For X_1, ..., X_n i.i.d. with mean mu, variance sigma^2 and |X_i - mu| <= c almost
    surely, for every epsilon > 0,

        P(|X_bar_n - mu| >= epsilon) <= 2 exp(-n epsilon^2 / (2 sigma^2 + 2 c epsilon / 3)).

    For small epsilon the exponent is about n epsilon^2 / (2 sigma^2), the Gaussian tail of
    the central limit theorem, so for sigma^2 much below the range squared it beats
    Hoeffding's n epsilon^2 / (2 (b - a)^2)-type exponent; for large epsilon it decays only
    as exp(-3 n epsilon / (2 c)).

    Parameters
    ----------
    n_samples : int or array-like of int
        The number n >= 1 of variables averaged.
    epsilon : float or array-like
        The deviation epsilon > 0.
    variance : float or array-like
        The variance sigma^2 >= 0 of one variable, at most c^2 (which |X - mu| <= c
        implies).
    deviation_bound : float or array-like
        The almost-sure bound c >= 0 on |X_i - mu|. With c = 0 (so sigma^2 = 0) the
        variables are constant and the bound is 0.

    Returns
    -------
    bound : float or ndarray
        2 exp(-n epsilon^2 / (2 sigma^2 + 2 c epsilon / 3)), broadcast over the arguments;
        not clipped, so a value above 1 is a vacuous bound.

    Raises
    ------
    ValueError
        If ``n_samples`` < 1, ``epsilon`` <= 0, ``variance`` < 0, ``deviation_bound`` < 0,
        ``variance`` > ``deviation_bound``^2 (no variable satisfies both hypotheses), an
        argument is NaN or infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` is not an integer, or another argument not a real number.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
       (Concentration inequalities), Bernstein's inequality.
    .. [2] S. Boucheron, G. Lugosi and P. Massart, *Concentration Inequalities: A
       Nonasymptotic Theory of Independence*, Oxford University Press, 2013, Section 2.8.

    Examples
    --------
    >>> round(bernstein_bound(10, 0.3, variance=0.06, deviation_bound=0.9), 6)  # 2 e^-3
    0.099574
    """
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    epsilon = _check_parameter(epsilon, "epsilon", low=0.0, low_open=True)
    variance = _check_parameter(variance, "variance", low=0.0)
    deviation_bound = _check_parameter(deviation_bound, "deviation_bound", low=0.0)
    n_b, epsilon_b, variance_b, c_b = _broadcast(
        n_samples=n_samples, epsilon=epsilon, variance=variance,
        deviation_bound=deviation_bound,
    )
    impossible = variance_b > c_b**2
    if impossible.any():
        index = np.argwhere(impossible)[0]
        raise ValueError(
            "variance must be <= deviation_bound**2, since |X - mu| <= c implies "
            f"Var(X) <= c^2, got {_entry('variance', variance, index)} and "
            f"{_entry('deviation_bound', deviation_bound, index)}."
        )
    denominator = 2.0 * variance_b + 2.0 * c_b * epsilon_b / 3.0
    # The denominator is 0 only for constant variables (c = 0, hence sigma^2 = 0), which
    # never deviate: the exponent is -inf and the bound exp(-inf) = 0, as it should be.
    with np.errstate(divide="ignore", over="ignore"):
        exponent = -n_b * epsilon_b**2 / denominator
    bound = 2.0 * np.exp(exponent)
    return _as_output(bound, n_samples, epsilon, variance, deviation_bound)


# --------------------------------------------------------------------------- exact tail


def bernoulli_mean_tail(n_samples, p, epsilon):
    """Exact two-sided tail P(|X_bar_n - p| >= epsilon) of a mean of n Bernoulli(p).

    With K = n X_bar_n ~ Binomial(n, p), the event is the closed set of counts

        {k : k <= n (p - epsilon)} union {k : k >= n (p + epsilon)},

    and its probability is the binomial pmf summed over it, P(K <= k_low) + P(K >= k_high),
    evaluated with scipy's binomial ``cdf`` and ``sf`` (the regularised incomplete beta
    function), which keep a tail of 1e-300 accurate where 1 - cdf would return 0. This is
    the quantity the concentration bounds (:func:`hoeffding_bound`, :func:`bernstein_bound`,
    :func:`chebyshev_bound`) bound from above.

    Ties. The event is closed, so counts with |k / n - p| = epsilon are in it: for n = 100,
    p = 0.5 and epsilon = 0.1 it holds k = 40 and k = 60. But 0.1 is no binary fraction, and
    in floating point n (p +- epsilon) lands near an integer, on either side (20 (0.35 -
    0.15) evaluates to 3.9999999999999996). The boundaries are therefore read with a
    relative tolerance of 1e-12 on the larger one, n (p + epsilon): with
    s = 1e-12 n (p + epsilon), k is counted when

        k >= n (p + epsilon) - s   or   k <= n (p - epsilon) + s.

    The tolerance is some 10^3 times the rounding error of n (p +- epsilon), and below the
    spacing 1 between counts while n (p + epsilon) < 10^12, so it settles ties and nothing
    else; in particular an epsilon below about 1e-12 p counts every outcome.

    Parameters
    ----------
    n_samples : int or array-like of int
        The number n >= 1 of Bernoulli variables averaged.
    p : float or array-like
        Their success probability, in [0, 1].
    epsilon : float or array-like
        The deviation epsilon > 0.

    Returns
    -------
    probability : float or ndarray
        P(|X_bar_n - p| >= epsilon), in [0, 1], broadcast over the arguments.

    Raises
    ------
    ValueError
        If ``n_samples`` < 1, ``p`` is outside [0, 1], ``epsilon`` <= 0, an argument is NaN
        or infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` is not an integer, or another argument not a real number.

    References
    ----------
    .. [1] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
       (Concentration inequalities).
    .. [2] Course practical session nlehir/FTML tp_12 "Statistical learning", Section 1:
       simulating Hoeffding's inequality with Bernoulli(1/2) variables.

    Examples
    --------
    >>> round(bernoulli_mean_tail(100, 0.5, 0.1), 6)  # P(K <= 40) + P(K >= 60)
    0.056888
    >>> round(hoeffding_bound(100, 0.1, 0.0, 1.0), 6)  # Hoeffding's bound on it
    0.270671
    """
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    p = _check_parameter(p, "p", low=0.0, high=1.0)
    epsilon = _check_parameter(epsilon, "epsilon", low=0.0, low_open=True)
    n_b, p_b, epsilon_b = _broadcast(n_samples=n_samples, p=p, epsilon=epsilon)
    upper = n_b * (p_b + epsilon_b)
    slack = _BOUNDARY_RTOL * upper
    k_high = np.ceil(upper - slack)  # the smallest count in the upper tail
    k_low = np.floor(n_b * (p_b - epsilon_b) + slack)  # the largest count in the lower tail
    # scipy.stats costs a second to import: only this function needs it.
    from scipy.stats import binom

    tail = binom.cdf(k_low, n_b, p_b) + binom.sf(k_high - 1.0, n_b, p_b)
    # When the two tails meet (epsilon within the tolerance of 0) every count is in the
    # event, and the sum above could count an overlap twice.
    tail = np.where(k_low >= k_high - 1.0, 1.0, tail)
    # The two tails are disjoint, so their sum is at most 1 but for rounding.
    return _as_output(np.minimum(tail, 1.0), n_samples, p, epsilon)


# --------------------------------------------------------------------------- finite class


def finite_class_erm_bound(n_samples, class_size, delta, low=0.0, high=1.0):
    """Excess risk of ERM over a finite class F, with probability 1 - delta: the sqrt term.

    Let f_hat_n minimise the empirical risk R_n over a finite class F of |F| functions, f_a
    minimise the risk R over F, and let the loss take values in [a, b]. Then
    0 <= R(f_hat_n) - R(f_a) <= 2 sup_{h in F} |R(h) - R_n(h)|; Hoeffding's inequality
    for each h and a union bound over F give, for every t > 0,

        P(R(f_hat_n) - R(f_a) >= t) <= 2 |F| exp(-n t^2 / (2 (b - a)^2)),

    and solving for the right-hand side equal to delta: with probability at least
    1 - delta,

        R(f_hat_n) <= R(f_a) + sqrt(2 (b - a)^2 (log(2 / delta) + log |F|) / n).

    This returns the square root, the excess over the best in class. The class enters only
    through log |F|; :func:`finite_class_erm_failure_probability` is the inverse map.

    Parameters
    ----------
    n_samples : int or array-like of int
        The number n >= 1 of i.i.d. training samples.
    class_size : int or array-like of int
        The number |F| >= 1 of functions in the class (a Python int may exceed int64).
    delta : float or array-like
        The failure probability, in (0, 1).
    low, high : float or array-like, default=0.0, 1.0
        The range [a, b] of the loss, a < b; the 0-1 loss of classification has [0, 1].

    Returns
    -------
    excess : float or ndarray
        sqrt(2 (b - a)^2 (log(2 / delta) + log |F|) / n), broadcast over the arguments; not
        clipped, so a value above b - a (the largest possible excess) is vacuous.

    Raises
    ------
    ValueError
        If ``n_samples`` < 1, ``class_size`` < 1, ``delta`` is not in (0, 1), ``low`` >=
        ``high``, an argument is NaN or infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` or ``class_size`` is not an integer, or another argument not a
        real number.

    References
    ----------
    .. [1] Course practical session nlehir/FTML tp_12 "Statistical learning", Section 2
       "Bound on the estimation error", Step 4.
    .. [2] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, the chapter
       on empirical risk minimisation (finite number of models).

    Examples
    --------
    >>> round(finite_class_erm_bound(1000, 10, delta=0.05), 6)  # sqrt(2 log(400) / 1000)
    0.109467
    """
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    class_size = _check_parameter(class_size, "class_size", integer=True, low=1)
    delta = _check_parameter(
        delta, "delta", low=0.0, high=1.0, low_open=True, high_open=True
    )
    low, high = _check_range(low, high)
    n_b, size_b, delta_b, low_b, high_b = _broadcast(
        n_samples=n_samples, class_size=class_size, delta=delta, low=low, high=high
    )
    # log(2) - log(delta), as 2 / delta overflows for a subnormal delta.
    complexity = np.log(2.0) - np.log(delta_b) + np.log(size_b)
    excess = (high_b - low_b) * np.sqrt(2.0 * complexity / n_b)
    return _as_output(excess, n_samples, class_size, delta, low, high)


def finite_class_erm_failure_probability(n_samples, class_size, excess, low=0.0, high=1.0):
    """Bound on P(R(f_hat_n) - R(f_a) >= t) for ERM over a finite class F (the inverse).

    In the setting of :func:`finite_class_erm_bound` (ERM f_hat_n over a finite class F
    with best-in-class f_a, n i.i.d. samples, a loss in [a, b]), for every t > 0,

        P(R(f_hat_n) - R(f_a) >= t) <= delta = 2 |F| exp(-n t^2 / (2 (b - a)^2)),

    from Hoeffding's inequality at deviation t / 2 for each of the |F| functions and a
    union bound. This is the inverse of :func:`finite_class_erm_bound`: the excess it
    returns for this delta is t, whenever delta < 1.

    Parameters
    ----------
    n_samples : int or array-like of int
        The number n >= 1 of i.i.d. training samples.
    class_size : int or array-like of int
        The number |F| >= 1 of functions in the class (a Python int may exceed int64).
    excess : float or array-like
        The excess risk t > 0.
    low, high : float or array-like, default=0.0, 1.0
        The range [a, b] of the loss, a < b.

    Returns
    -------
    delta : float or ndarray
        2 |F| exp(-n t^2 / (2 (b - a)^2)), broadcast over the arguments; not clipped, so a
        value of 1 or more is a vacuous bound (it is at least 2 when n t^2 is small).

    Raises
    ------
    ValueError
        If ``n_samples`` < 1, ``class_size`` < 1, ``excess`` <= 0, ``low`` >= ``high``, an
        argument is NaN or infinite, or the shapes do not broadcast.
    TypeError
        If ``n_samples`` or ``class_size`` is not an integer, or another argument not a
        real number.

    References
    ----------
    .. [1] Course practical session nlehir/FTML tp_12 "Statistical learning", Section 2
       "Bound on the estimation error", Steps 3 and 4.
    .. [2] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, the chapter
       on empirical risk minimisation (finite number of models).

    Examples
    --------
    >>> round(finite_class_erm_failure_probability(1000, 10, excess=0.1), 6)  # 20 e^-5
    0.134759
    """
    n_samples = _check_parameter(n_samples, "n_samples", integer=True, low=1)
    class_size = _check_parameter(class_size, "class_size", integer=True, low=1)
    excess = _check_parameter(excess, "excess", low=0.0, low_open=True)
    low, high = _check_range(low, high)
    n_b, size_b, excess_b, low_b, high_b = _broadcast(
        n_samples=n_samples, class_size=class_size, excess=excess, low=low, high=high
    )
    # In logarithms: exp(-x) underflows to 0 beyond x = 745 while |F| may be as large as
    # 1e300 (2^n labellings of n points), and their product is still a representable number.
    log_delta = (
        np.log(2.0) + np.log(size_b) - n_b * excess_b**2 / (2.0 * (high_b - low_b) ** 2)
    )
    with np.errstate(over="ignore"):
        delta = np.exp(log_delta)
    return _as_output(delta, n_samples, class_size, excess, low, high)
