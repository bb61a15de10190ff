"""Tests of the stochastic solvers (SGD, SAG, SAGA, SVRG) and of their numba kernels.

Each kernel is checked against a plain numpy reference written here from the papers'
formulas (full gradient vectors in SAG's memory table, two sample gradients per SVRG step),
fed the same sample indices: the solvers draw each epoch's indices with
``rng.integers(0, n, size)`` (``rng.choice(n, size, p=p)`` for non-uniform sampling) from
``check_random_state(random_state)``, and the references replay that recipe.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.optimize

from ftml.exceptions import ConvergenceWarning
from ftml.losses import HingeLoss, LinearObjective
from ftml.optim import _kernels
from ftml.optim.sag import sag, saga
from ftml.optim.sgd import sgd
from ftml.optim.svrg import svrg

pytestmark = pytest.mark.filterwarnings("ignore::ftml.exceptions.ConvergenceWarning")

SEED = 3


# --- problems ------------------------------------------------------------------------------


def make_data(n_samples=40, n_features=4, *, logistic=False, spread_rows=False, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    if spread_rows:  # rows of very different norms, where non-uniform sampling matters
        X *= rng.uniform(0.2, 3.0, size=(n_samples, 1))
    theta = rng.normal(size=n_features)
    if logistic:
        y = np.where(rng.random(n_samples) < 1.0 / (1.0 + np.exp(-X @ theta)), 1.0, -1.0)
    else:
        y = X @ theta + 0.5 + 0.3 * rng.normal(size=n_samples)
    return X, y


def ridge_optimum(objective):
    """Closed form: (X_^T X_ / n + alpha diag(mask)) theta = X_^T y / n."""
    X, n = objective.X_, objective.n_samples
    matrix = X.T @ X / n + objective.alpha * np.diag(objective.penalty_mask_)
    theta = np.linalg.solve(matrix, X.T @ objective.y_ / n)
    return theta, objective.value(theta)


def lbfgs_optimum(objective):
    result = scipy.optimize.minimize(
        objective.value, np.zeros(objective.n_params), jac=objective.gradient,
        method="L-BFGS-B", options={"gtol": 1e-13, "ftol": 0.0, "maxiter": 10_000})
    assert np.linalg.norm(objective.gradient(result.x)) < 1e-9  # F error ~ 1e-18 / mu
    return result.x, objective.value(result.x)


# --- references (plain numpy, same indices) ----------------------------------------------


def epoch_indices(n_samples, n_epochs, seed, size=None, p=None):
    rng = np.random.default_rng(seed)
    size = n_samples if size is None else size
    if p is None:
        return [rng.integers(0, n_samples, size=size) for _ in range(n_epochs)]
    return [rng.choice(n_samples, size=size, p=p) for _ in range(n_epochs)]


def sample_gradient(objective, theta, i):
    """grad f_i(theta) = loss'(x_i^T theta, y_i) x_i + alpha mask theta."""
    x = objective.X_[i]
    return (objective.loss.derivative(x @ theta, objective.y_[i]) * x
            + objective.alpha * objective.penalty_mask_ * theta)


def reference_sag(objective, epochs, step_rule, *, saga=False, line_search_factor=None):
    """SAG / SAGA with a table of loss gradients (Algorithm 1 of Schmidt et al.)."""
    X, y, loss = objective.X_, objective.y_, objective.loss
    n, alpha, mask = objective.n_samples, objective.alpha, objective.penalty_mask_
    theta = np.zeros(objective.n_params)
    table = np.zeros((n, objective.n_params))
    seen = np.zeros(n, dtype=bool)
    L = 1.0
    for indices in epochs:
        for i in indices:
            gradient = loss.derivative(X[i] @ theta, y[i]) * X[i]  # the loss part
            seen[i] = True
            m = seen.sum()
            if line_search_factor is None:
                step = step_rule(m)
            else:
                def f_i(point):
                    return loss.value(X[i] @ point, y[i])

                squared = gradient @ gradient
                while (squared > 2.0**-26
                       and f_i(theta - gradient / L) > f_i(theta) - squared / (2 * L)):
                    L *= 2.0
                step = line_search_factor / (L + alpha)
                L *= 2.0 ** (-1.0 / n)
            if saga:
                direction = gradient - table[i] + table.sum(axis=0) / m
                table[i] = gradient
            else:
                table[i] = gradient
                direction = table.sum(axis=0) / m
            theta = theta - step * (direction + alpha * mask * theta)
    return theta


def reference_sgd(objective, epochs, step_of_t, averaging):
    theta = np.zeros(objective.n_params)
    average, t = theta.copy(), 0
    for indices in epochs:
        for i in indices:
            theta = theta - step_of_t(t) * sample_gradient(objective, theta, i)
            average = average + (theta - average) / (t + 1)
            t += 1
    return average if averaging else theta


def reference_svrg(objective, epochs, step):
    theta = np.zeros(objective.n_params)
    for indices in epochs:
        snapshot, mean = theta.copy(), objective.gradient(theta)
        for i in indices:
            direction = (sample_gradient(objective, theta, i)
                         - sample_gradient(objective, snapshot, i) + mean)
            theta = theta - step * direction
    return theta


def assert_relative(actual, expected, rtol=1e-12):
    error = np.linalg.norm(actual - expected) / np.linalg.norm(expected)
    assert error <= rtol, f"relative error {error:.2e} > {rtol:.0e}"


# --- kernels against the references ------------------------------------------------------


@pytest.mark.parametrize("logistic", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("variant", ["sag", "sag 1/16L", "sag line search",
                                     "sag lipschitz", "saga"])
def test_sag_kernel_matches_reference(variant, fit_intercept, logistic):
    X, y = make_data(logistic=logistic, spread_rows=True)
    objective = LinearObjective(X, y, "logistic" if logistic else "square", alpha=0.05,
                                fit_intercept=fit_intercept)
    n, n_epochs = objective.n_samples, 4
    lipschitz = objective.sample_smoothness()
    L_max, L_mean = lipschitz.max(), lipschitz.mean()
    line_search_factor, p = None, None
    if variant == "saga":
        result = saga(objective, max_epochs=n_epochs, tol=0.0, random_state=SEED)
        step_rule = lambda m: 1.0 / (3.0 * L_max)  # noqa: E731
    elif variant == "sag lipschitz":
        result = sag(objective, sampling="lipschitz", max_epochs=n_epochs, tol=0.0,
                     random_state=SEED)
        p = 0.5 / n + 0.5 * lipschitz / lipschitz.sum()
        step_rule = lambda m: ((1 - m / n) / L_max  # noqa: E731
                               + (m / n) * 0.5 * (1 / L_max + 1 / L_mean))
    elif variant == "sag line search":
        result = sag(objective, line_search=True, max_epochs=n_epochs, tol=0.0,
                     random_state=SEED)
        step_rule, line_search_factor = None, 1.0
    else:
        factor = 1.0 / 16.0 if variant.endswith("1/16L") else 1.0
        result = sag(objective, step="1/16L" if factor < 1 else "1/L", max_epochs=n_epochs,
                     tol=0.0, random_state=SEED)
        step_rule = lambda m: factor / L_max  # noqa: E731
    expected = reference_sag(objective, epoch_indices(n, n_epochs, SEED, p=p), step_rule,
                             saga=variant == "saga", line_search_factor=line_search_factor)
    assert result.n_iter == n_epochs
    assert_relative(result.coef, expected)


@pytest.mark.parametrize("schedule", ["constant", "inverse_sqrt", "inverse_time"])
@pytest.mark.parametrize("averaging", [False, True])
def test_sgd_kernel_matches_reference(schedule, averaging):
    X, y = make_data(logistic=True)
    objective = LinearObjective(X, y, "logistic", alpha=0.05, fit_intercept=True)
    step0, t0, n_epochs = 0.3, 25.0, 3
    result = sgd(objective, step=step0, schedule=schedule, t0=t0, averaging=averaging,
                 max_epochs=n_epochs, tol=0.0, random_state=SEED)
    step_of_t = {"constant": lambda t: step0,
                 "inverse_sqrt": lambda t: step0 / np.sqrt(t + 1),
                 "inverse_time": lambda t: step0 / (1 + t / t0)}[schedule]
    expected = reference_sgd(objective, epoch_indices(objective.n_samples, n_epochs, SEED),
                             step_of_t, averaging)
    assert_relative(result.coef, expected)
    # the history records the returned point (the average with averaging=True)
    assert result.history["objective"][-1] == pytest.approx(objective.value(result.coef),
                                                            rel=1e-13)


@pytest.mark.parametrize("loss", ["square", "logistic"])
def test_svrg_kernel_matches_reference(loss):
    X, y = make_data(logistic=loss == "logistic")
    objective = LinearObjective(X, y, loss, alpha=0.05, fit_intercept=True)
    step, inner_loop, n_epochs = 0.05, 30, 3
    result = svrg(objective, step=step, inner_loop=inner_loop, max_epochs=n_epochs, tol=0.0,
                  random_state=SEED)
    expected = reference_svrg(
        objective, epoch_indices(objective.n_samples, n_epochs, SEED, size=inner_loop), step)
    assert_relative(result.coef, expected)
    # each epoch: the snapshot's full gradient (1 pass) and inner_loop sample gradients
    assert result.history["passes"] == [k * (1 + inner_loop / 40) for k in range(n_epochs + 1)]


def test_numpy_fallbacks_match_numba_kernels():
    """The fallbacks used without numba compute the same epochs as the kernels."""
    X, y = make_data(logistic=True, spread_rows=True)
    objective = LinearObjective(X, y, "logistic", alpha=0.05, fit_intercept=True)
    X, y = objective.X_, objective.y_
    n, p = X.shape
    code, alpha, n_pen = _kernels.LOGISTIC, 0.05, p - 1
    indices = np.random.default_rng(0).integers(0, n, size=3 * n)
    row_norms = np.einsum("ij,ij->i", X, X)
    for saga_flag, line_search in [(False, False), (True, False), (False, True)]:
        states = []
        for kernel in (_kernels.sag_epoch, _kernels.sag_epoch_numpy):
            coef, grad_sum, memory = np.zeros(p), np.zeros(p), np.zeros(n)
            seen, lipschitz = np.zeros(n, dtype=bool), np.ones(1)
            n_seen, finite = kernel(X, y, coef, grad_sum, memory, seen, 0, indices, alpha,
                                    n_pen, code, saga_flag, 0.1, 0.2, line_search, lipschitz,
                                    row_norms, 1.0)
            states.append((coef, grad_sum, memory, n_seen, finite, lipschitz))
        (c1, g1, m1, s1, f1, l1), (c2, g2, m2, s2, f2, l2) = states
        assert (s1, f1) == (s2, f2) and f1
        for a, b in [(c1, c2), (g1, g2), (m1, m2), (l1, l2)]:
            assert_relative(a, b)
    for averaging in (False, True):
        outputs = []
        for kernel in (_kernels.sgd_epoch, _kernels.sgd_epoch_numpy):
            coef, average = np.zeros(p), np.zeros(p)
            t, finite = kernel(X, y, coef, average, indices, 5, alpha, n_pen, code, 0.2, 2,
                               10.0, averaging)
            outputs.append((coef, average, t, finite))
        assert outputs[0][2:] == outputs[1][2:]
        assert_relative(outputs[0][0], outputs[1][0])
        if averaging:
            assert_relative(outputs[0][1], outputs[1][1])
    coefs = []
    snapshot = np.random.default_rng(1).normal(size=n)
    mean = np.random.default_rng(2).normal(size=p)
    for kernel in (_kernels.svrg_inner_loop, _kernels.svrg_inner_loop_numpy):
        coef = np.zeros(p)
        assert kernel(X, y, coef, snapshot, mean, indices, 0.05, alpha, n_pen, code)
        coefs.append(coef)
    assert_relative(*coefs)
    theta = np.random.default_rng(3).normal(size=p)
    passes = [kernel(X, y, theta, np.empty(n), code)
              for kernel in (_kernels.loss_pass, _kernels.loss_pass_numpy)]
    assert passes[0][0] == pytest.approx(passes[1][0], rel=1e-13)
    assert_relative(passes[0][1], passes[1][1], rtol=1e-13)


@pytest.mark.parametrize("loss", ["square", "logistic"])
def test_epoch_end_matches_objective(loss):
    X, y = make_data(n_samples=700, logistic=loss == "logistic")  # > 2 summation blocks
    objective = LinearObjective(X, y, loss, alpha=0.1, fit_intercept=True)
    theta = np.random.default_rng(0).normal(size=objective.n_params)
    epoch_end = _kernels.EpochEnd(objective, _kernels.loss_code(objective.loss))
    value, gradient = objective.value_and_gradient(theta)
    assert epoch_end.value(theta) == pytest.approx(value, rel=1e-14)
    assert_relative(epoch_end.gradient, gradient, rtol=1e-13)
    assert_relative(epoch_end.derivatives, objective.sample_derivatives(theta), rtol=1e-14)


# --- convergence to the optimum -----------------------------------------------------------

SOLVERS = {
    "sag": lambda objective, **kw: sag(objective, **kw),
    "sag 1/16L": lambda objective, **kw: sag(objective, step="1/16L", **kw),
    "sag line search": lambda objective, **kw: sag(objective, line_search=True, **kw),
    "sag lipschitz": lambda objective, **kw: sag(objective, sampling="lipschitz", **kw),
    "saga": lambda objective, **kw: saga(objective, **kw),
    "svrg": lambda objective, **kw: svrg(objective, **kw),
}


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("solver", list(SOLVERS))
def test_converges_to_ridge_closed_form(solver, fit_intercept):
    X, y = make_data(n_samples=100, n_features=5, spread_rows=True)
    objective = LinearObjective(X, y, "square", alpha=0.1, fit_intercept=fit_intercept)
    theta_star, f_star = ridge_optimum(objective)
    result = SOLVERS[solver](objective, max_epochs=1000, tol=1e-12, f_star=f_star,
                             theta_star=theta_star, random_state=SEED)
    assert result.converged and not result.diverged
    assert (objective.value(result.coef) - f_star) / f_star < 1e-10
    np.testing.assert_allclose(result.coef, theta_star, rtol=0, atol=1e-9)
    assert result.history["distance"][-1] < 1e-18


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("solver", list(SOLVERS))
def test_converges_to_logistic_lbfgs_optimum(solver, fit_intercept):
    X, y = make_data(n_samples=120, n_features=4, logistic=True, spread_rows=True)
    objective = LinearObjective(X, y, "logistic", alpha=0.05, fit_intercept=fit_intercept)
    theta_star, f_star = lbfgs_optimum(objective)
    result = SOLVERS[solver](objective, max_epochs=1000, tol=1e-11, f_star=f_star,
                             random_state=SEED)
    assert result.converged and not result.diverged
    assert result.n_iter < 500
    assert (objective.value(result.coef) - f_star) / f_star < 1e-10
    np.testing.assert_allclose(result.coef, theta_star, rtol=0, atol=1e-8)


def test_sgd_constant_step_stalls_where_averaging_and_decreasing_steps_do_not():
    """Noisy least squares (the course's SGD section; Bach and Moulines, NeurIPS 2013).

    With a constant step gamma, SGD reaches a noise floor of order gamma sigma^2 and
    fluctuates there: halving gamma halves it. Averaging the iterates (still with a constant
    step: for least squares the average converges, at rate sigma^2 d / t) or a step
    decreasing as 1/sqrt(t) keeps decreasing far below that floor. Suboptimalities are
    averaged over windows of epochs and over 6 seeds, since single values fluctuate by
    orders of magnitude.
    """
    X, y = make_data(n_samples=200, n_features=3, seed=1)
    y = y + np.random.default_rng(2).normal(size=y.size)  # sigma^2 ~ 1
    objective = LinearObjective(X, y, "square")
    _, f_star = ridge_optimum(objective)
    step = 0.5 / objective.sample_smoothness().max()

    def window(**kwargs):
        """The function (a, b) -> mean suboptimality over epochs [a, b) and the seeds."""
        runs = [sgd(objective, max_epochs=400, tol=0.0, f_star=f_star, random_state=seed,
                    **kwargs).history["suboptimality"] for seed in range(6)]
        return lambda a, b: float(np.mean([run[a:b] for run in runs]))

    constant = window(step=step)
    half = window(step=step / 2)
    floor = constant(100, 401)
    # stalled: epochs 200-400 are no better than epochs 50-100 (measured ratio 1.0)
    assert constant(200, 401) > 0.5 * constant(50, 100)
    # the floor is proportional to the step (measured ratio 0.47, theory 1/2)
    assert 0.3 < half(100, 401) / floor < 0.75
    for run in (window(step=step, averaging=True),
                window(step=2 * step, schedule="inverse_sqrt", averaging=True),
                window(step=step, schedule="inverse_sqrt")):
        # far below the floor (measured ratios 1e-3 to 4e-3) and still decreasing
        # (measured ratios 0.09 to 0.34 between epochs 20-40 and 200-400)
        assert run(200, 401) < 0.02 * floor
        assert run(200, 401) < 0.5 * run(20, 40)


# --- behaviour -----------------------------------------------------------------------------


@pytest.mark.parametrize("solver", list(SOLVERS) + ["sgd"])
def test_reproducible_from_random_state(solver):
    X, y = make_data(logistic=True)
    objective = LinearObjective(X, y, "logistic", alpha=0.05)
    run = SOLVERS.get(solver, sgd)
    first = run(objective, max_epochs=3, tol=0.0, random_state=7)
    again = run(objective, max_epochs=3, tol=0.0, random_state=np.random.default_rng(7))
    other = run(objective, max_epochs=3, tol=0.0, random_state=8)
    np.testing.assert_array_equal(first.coef, again.coef)
    assert first.history == again.history
    assert not np.array_equal(first.coef, other.coef)


@pytest.mark.parametrize("solver", list(SOLVERS) + ["sgd"])
def test_convergence_warning_at_max_epochs(solver):
    X, y = make_data(logistic=True)
    objective = LinearObjective(X, y, "logistic", alpha=0.05)
    with pytest.warns(ConvergenceWarning, match="did not converge: it reached max_epochs=2 "
                                                "before its tolerance"):
        result = SOLVERS.get(solver, sgd)(objective, max_epochs=2, random_state=0)
    assert result.n_iter == 2 and not result.converged and not result.diverged
    assert result.history["iteration"] == [0, 1, 2]


@pytest.mark.parametrize("solver", ["sag", "saga", "svrg", "sgd"])
@pytest.mark.parametrize("loss", ["square", "logistic"])
def test_too_large_step_diverges_cleanly(solver, loss):
    X, y = make_data(logistic=loss == "logistic")
    objective = LinearObjective(X, y, loss, alpha=0.5)
    step = 1e3 / objective.sample_smoothness().max()
    run = {"sag": sag, "saga": saga, "svrg": svrg, "sgd": sgd}[solver]
    with pytest.warns(ConvergenceWarning, match="diverged"):
        result = run(objective, step=step, max_epochs=1000, random_state=0)
    assert result.diverged and not result.converged
    assert result.n_iter < 1000
    for column in result.history.values():
        assert np.all(np.isfinite(column))
    assert np.all(np.isfinite(result.coef))
    assert objective.value(result.coef) == pytest.approx(result.history["objective"][-1],
                                                         rel=1e-13)


@pytest.mark.parametrize("solver", ["sag", "saga", "svrg", "sgd"])
def test_an_exploding_stochastic_run_is_flagged_while_finite(solver):
    """With 10 / L_max on least squares every solver blows up: the recorder, which tests the
    objective at each epoch's end, stops it at 1e6 times its start, before any overflow."""
    from ftml.optim._result import DIVERGENCE_FACTOR

    objective = LinearObjective(*make_data(), "square")
    start = objective.value(np.zeros(objective.n_params))
    run = {"sag": sag, "saga": saga, "svrg": svrg, "sgd": sgd}[solver]
    with pytest.warns(ConvergenceWarning, match=f"{solver} diverged at epoch \\d+: the "
                      "objective rose from"):
        result = run(objective, step=10 / objective.sample_smoothness().max(),
                     max_epochs=1000, random_state=0)
    assert result.diverged and not result.converged and result.n_iter <= 10
    assert max(result.history["objective"]) <= (1 + DIVERGENCE_FACTOR) * start


def test_converged_at_start_runs_no_epoch():
    X, y = make_data()
    objective = LinearObjective(X, y, "square", alpha=0.1)
    theta_star, _ = ridge_optimum(objective)
    for run in (sag, saga, svrg, sgd):
        result = run(objective, coef0=theta_star, tol=1e-8, random_state=0)
        assert result.converged and result.n_iter == 0
        assert result.history["iteration"] == [0]


@pytest.mark.parametrize(
    "run, kwargs, match",
    [
        (sag, {"step": -1.0}, "step"),
        (sag, {"step": 0.0}, "step"),
        (sag, {"step": "1/2L"}, "step"),
        (sag, {"sampling": "importance"}, "sampling"),
        (sag, {"line_search": True, "step": 0.1}, "step"),
        (sag, {"line_search": True, "sampling": "lipschitz"}, "sampling"),
        (sag, {"max_epochs": 0}, "max_epochs"),
        (sag, {"tol": -1.0}, "tol"),
        (saga, {"step": -0.5}, "step"),
        (saga, {"step": "1/L"}, "step"),
        (svrg, {"step": -1.0}, "step"),
        (svrg, {"inner_loop": 0}, "inner_loop"),
        (sgd, {"step": -1.0}, "step"),
        (sgd, {"schedule": "exponential"}, "schedule"),
        (sgd, {"schedule": "inverse_time", "t0": -5.0}, "t0"),
        (sgd, {"coef0": [1.0]}, "coef0"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(run, kwargs, match):
    X, y = make_data()
    objective = LinearObjective(X, y, "square")
    with pytest.raises(ValueError, match=match):
        run(objective, **kwargs)


def test_loss_without_compiled_derivative_is_rejected():
    with pytest.raises(ValueError, match="hinge"):
        _kernels.loss_code(HingeLoss())


def test_numba_kernels_are_cached_on_disk():
    """A second process loads the compiled kernels from numba's cache instead of compiling."""
    assert _kernels.NUMBA_AVAILABLE
    X, y = make_data(logistic=True)
    sag(LinearObjective(X, y, "logistic", alpha=0.1), max_epochs=1, random_state=0)
    script = textwrap.dedent("""
        import numpy as np
        from ftml.losses import LinearObjective
        from ftml.optim import _kernels
        from ftml.optim.sag import sag
        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(20, 3)), np.where(rng.random(20) < 0.5, 1.0, -1.0)
        sag(LinearObjective(X, y, "logistic", alpha=0.1), max_epochs=1, random_state=0)
        stats = _kernels.sag_epoch.stats
        print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
    """)
    output = subprocess.run([sys.executable, "-W", "ignore", "-c", script],
                            capture_output=True, text=True, check=True).stdout
    hits, misses = map(int, output.split())
    assert hits == 1 and misses == 0


def test_solvers_run_on_numpy_fallbacks_without_numba():
    """With numba unimportable, the solvers use the fallbacks and give the same iterates."""
    script = textwrap.dedent("""
        import sys
        sys.modules["numba"] = None  # makes "import numba" raise ImportError
        import numpy as np
        from ftml.losses import LinearObjective
        from ftml.optim import _kernels, sag, sgd, svrg
        assert not _kernels.NUMBA_AVAILABLE
        assert _kernels.sag_epoch is _kernels.sag_epoch_numpy
        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(30, 3)), np.where(rng.random(30) < 0.5, 1.0, -1.0)
        objective = LinearObjective(X, y, "logistic", alpha=0.1, fit_intercept=True)
        for run in (sag.sag, sag.saga, svrg.svrg, sgd.sgd):
            print(*run(objective, max_epochs=3, tol=0.0, random_state=0).coef.tolist())
    """)
    output = subprocess.run([sys.executable, "-W", "ignore", "-c", script],
                            capture_output=True, text=True, check=True).stdout
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), np.where(rng.random(30) < 0.5, 1.0, -1.0)
    objective = LinearObjective(X, y, "logistic", alpha=0.1, fit_intercept=True)
    for line, run in zip(output.splitlines(), (sag, saga, svrg, sgd), strict=True):
        expected = run(objective, max_epochs=3, tol=0.0, random_state=0).coef
        assert_relative(np.array(line.split(), dtype=float), expected)
