"""Statistical learning foundations: Bayes predictors and their risks, the law of large
numbers and concentration, with the laws whose conditional distributions are known."""

import math

from ftml import datasets, theory
from ftml.experiments import truth_metrics
from ftml.dummy import DummyClassifier, DummyRegressor
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.linear_model import PolynomialRegression
from ftml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from ftml.tree import ThresholdClassifier


def _intrinsic(params):
    """The intrinsic dimension k of a norm_target point: its own, or n_features."""
    return params.get("intrinsic_dimension") or params["n_features"]


def _polynomial(model, params, part):
    """A closed form of least squares on the polynomials of degree at most k."""
    degree = params["degree"]
    approximation = model.approximation_error(degree)
    estimation = model.estimation_error(degree)
    return {"approximation": approximation, "estimation": estimation,
            "excess": approximation + estimation,
            "test": model.noise**2 + approximation + estimation}[part]

# Its place in the course: the first chapter.
ORDER = 10

DECLARATIONS = [
    Generator(
        "conditional_law",
        build=datasets.make_conditional_law,
        check_params=datasets.check_conditional_law_params,
        params={"law": str, "n_samples": int, "loss": str},
        required=("law", "n_samples"),
        features=1,
        description="a law of (X, Y) with X on a finite support and Y | X known (binomial, "
                    "exponential): the course's Bayes problems; knows its Bayes predictors "
                    "and risks exactly",
    ),
    Generator(
        "scalar_law",
        build=datasets.make_scalar_law,
        check_params=datasets.check_scalar_law_params,
        params={"law": str, "n_samples": int, "p": float, "low": float, "high": float},
        required=("law", "n_samples"),
        features=1,
        description="i.i.d. draws of one bounded variable (Bernoulli, uniform, squared "
                    "uniform) with known mean, variance and range; X is a constant column",
    ),
    Generator(
        "polynomial_target",
        build=datasets.make_polynomial_target,
        check_params=datasets.check_polynomial_target_params,
        params={"n_samples": int, "noise": float, "low": float, "high": float},
        required=("n_samples",),
        features=1,
        description="the course's f*(x) = 500 − 3x − (x/2)² at fixed inputs uniform on "
                    "[low, high], Gaussian noise; knows f* and its polynomial projections",
    ),
    Generator(
        "threshold_law",
        build=datasets.make_threshold_law,
        check_params=datasets.check_threshold_law_params,
        params={"n_samples": int, "boundary": float, "eta_low": float, "eta_high": float},
        required=("n_samples",),
        features=1,
        description="binary labels on x uniform on [0, 1], P(Y = 1 | x) a step at boundary; "
                    "knows the exact risk of every threshold classifier",
    ),
    Generator(
        "binary_eta",
        build=datasets.make_binary_eta,
        check_params=datasets.check_binary_eta_params,
        params={"law": str, "n_samples": int, "slope": float},
        required=("law", "n_samples"),
        features=1,
        description="binary labels on x uniform on [−1, 1] with a smooth known η (logistic "
                    "or sine); knows the exact risks of any score function",
    ),
    Generator(
        "norm_target",
        build=datasets.make_norm_target,
        check_params=datasets.check_norm_target_params,
        params={"n_samples": int, "n_features": int, "noise": float,
                "intrinsic_dimension": int, "basis_seed": int, "input_noise": float},
        required=("n_samples", "n_features"),
        description="y = ‖x‖ + noise, x uniform in [0, 1]^d, or on a k-dimensional image of "
                    "[0, 1]^k in R^d (intrinsic_dimension k), blurred by N(0, τ² I) "
                    "(input_noise τ); knows f* and Cov(x)",
    ),
    Estimator("ThresholdClassifier", ThresholdClassifier,
              "empirical risk minimisation over the threshold classifiers of a fixed grid "
              "(a finite class)"),
    Estimator("DummyRegressor", DummyRegressor,
              "a constant: the mean, median, a quantile of y or a given value"),
    Estimator("DummyClassifier", DummyClassifier,
              "a baseline classifier: the prior, the most frequent class, a random guess"),
    Estimator("PolynomialRegression", PolynomialRegression,
              "least squares on the polynomials of degree at most degree (Legendre basis)"),
    Estimator("KNeighborsRegressor", KNeighborsRegressor,
              "k-nearest-neighbour regression, brute force, ties broken by index",
              limits={"n_neighbors": (lambda shape: shape.n_samples, "samples in a fit")}),
    Estimator("KNeighborsClassifier", KNeighborsClassifier,
              "k-nearest-neighbour majority vote, brute force, ties broken by index",
              limits={"n_neighbors": (lambda shape: shape.n_samples, "samples in a fit")}),
    Metric("prediction_risk", "truth", truth_metrics.prediction_risk,
           "risk of the predictor the setting names, under the law's loss, on a fresh "
           "sample of test_samples pairs", settings=("predictor", "test_samples")),
    Metric("exact_risk", "truth", truth_metrics.exact_risk,
           "exact risk of the predictor the setting names, summed over the law (only the fit "
           "varies)", settings=("predictor",)),
    Metric("prediction_excess_risk", "truth", truth_metrics.prediction_excess_risk,
           "(1/n) ‖f̂(X) − f*(X)‖² at the fixed inputs, exact from f*, for any estimator"),
    Metric("test_risk", "truth", truth_metrics.test_risk,
           "risk on new noise at the training inputs, σ² + the excess risk, exact"),
    Metric("estimation_error", "truth", truth_metrics.estimation_error,
           "(1/n) ‖f̂(X) − f_k(X)‖², the distance to the best polynomial of the degree"),
    Metric("sample_mean", "truth", truth_metrics.sample_mean,
           "the estimate of E[Y] the fitted estimator predicts (the sample mean)"),
    Metric("squared_mean_error", "truth", truth_metrics.squared_mean_error,
           "(estimate − E[Y])², whose mean is the estimator's mean squared error"),
    Metric("mean_deviation_exceeds", "truth", truth_metrics.mean_deviation_exceeds,
           "1 if |estimate − E[Y]| ≥ threshold, else 0: its mean is the tail probability",
           settings=("threshold",)),
    Theory("polynomial_approximation_error", "‖(I − P_k) f*(X)‖² / n",
           lambda model, p: _polynomial(model, p, "approximation"), needs_model=True,
           requires=("degree",)),
    Theory("polynomial_estimation_error", "σ² (k + 1) / n",
           lambda model, p: _polynomial(model, p, "estimation"), needs_model=True,
           requires=("degree",)),
    Theory("polynomial_excess_risk", "‖(I − P_k) f*(X)‖² / n + σ² (k + 1) / n",
           lambda model, p: _polynomial(model, p, "excess"), needs_model=True,
           requires=("degree",)),
    Theory("polynomial_test_risk", "σ² + ‖(I − P_k) f*(X)‖² / n + σ² (k + 1) / n",
           lambda model, p: _polynomial(model, p, "test"), needs_model=True,
           requires=("degree",)),
    Metric("erm_excess_risk", "truth", truth_metrics.erm_excess_risk,
           "R(f̂) − min over the finite class of R, exact"),
    Metric("erm_bound_exceeded", "truth", truth_metrics.erm_bound_exceeded,
           "1 if the excess over the best in class exceeds the finite-class bound at "
           "confidence 1 − delta", settings=("delta",)),
    Metric("excess_zero_one_risk", "truth", truth_metrics.excess_zero_one_risk,
           "R(sign g) − R* of the fitted score g, exact by quadrature"),
    *(Metric(f"{loss}_calibration_bound", "truth",
             truth_metrics.surrogate_calibration_bound(loss),
             f"the bound on R(sign g) − R* from the fitted score's excess {loss} risk "
             "(Bach, Section 4.1.4)")
      for loss in ("hinge", "logistic", "square")),
    Metric("test_excess_risk", "truth", truth_metrics.test_excess_risk,
           "E[(f̂(X) − f*(X))²] on a fresh sample of test_samples inputs, f* known",
           settings=("test_samples",)),
    Metric("distance_contrast", "unsupervised", truth_metrics.distance_contrast,
           "(max − min) / min of the pairwise distances of the sample's first 500 points"),
    Theory("knn_noiseless_exponent", "−2 / k (k the intrinsic dimension)",
           lambda model, p: -2.0 / _intrinsic(p), requires=("n_features",)),
    Theory("knn_noisy_exponent", "−2 / (k + 2) (k the intrinsic dimension)",
           lambda model, p: -2.0 / (_intrinsic(p) + 2), requires=("n_features",)),
    Theory("knn_rate_neighbors", "⌈n^(2 / (k + 2))⌉ neighbours",
           lambda model, p: float(math.ceil(p["n_samples"] ** (2 / (_intrinsic(p) + 2)))),
           requires=("n_samples", "n_features")),
    Theory("confidence_delta", "δ", lambda model, p: p["delta"], requires=("delta",)),
    Theory("finite_class_erm_bound", "√(2 (log(2/δ) + log |F|) / n), |F| = 2 × thresholds",
           lambda model, p: theory.finite_class_erm_bound(
               p["n_samples"], 2 * p["n_thresholds"], p["delta"]),
           requires=("n_samples", "n_thresholds", "delta")),
    Theory("law_mean", "μ = E[Y]", lambda model, p: model.mean, needs_model=True),
    Theory("sample_mean_variance", "σ² / n",
           lambda model, p: model.variance / p["n_samples"], needs_model=True,
           requires=("n_samples",)),
    Theory("markov_tail_bound", "σ / (ε √n)  (Markov on |X̄ − μ|, E|X̄ − μ| ≤ σ/√n)",
           lambda model, p: theory.markov_bound(
               math.sqrt(model.variance / p["n_samples"]), p["threshold"]),
           needs_model=True, requires=("n_samples", "threshold")),
    Theory("chebyshev_tail_bound", "σ² / (n ε²)",
           lambda model, p: theory.chebyshev_bound(model.variance, p["n_samples"],
                                                   p["threshold"]),
           needs_model=True, requires=("n_samples", "threshold")),
    Theory("hoeffding_tail_bound", "2 exp(−2 n ε² / (b − a)²)",
           lambda model, p: theory.hoeffding_bound(p["n_samples"], p["threshold"],
                                                   model.lower, model.upper),
           needs_model=True, requires=("n_samples", "threshold")),
    Theory("bernstein_tail_bound", "2 exp(−n ε² / (2σ² + 2cε/3))",
           lambda model, p: theory.bernstein_bound(p["n_samples"], p["threshold"],
                                                   model.variance, model.deviation_bound),
           needs_model=True, requires=("n_samples", "threshold")),
    Theory("bayes_risk", "R* = E[min_c E[l(Y, c) | X]]",
           lambda model, p: model.bayes_risk, needs_model=True),
]
