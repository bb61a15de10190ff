"""Metrics of a Monte-Carlo replicate, measured against the generator's ground truth.

Each takes the fitted estimator, the sample ``(X, y)`` it was fitted on and a
:class:`MonteCarloContext`, and returns a float.
"""

import weakref
from dataclasses import dataclass, field

import numpy as np

from ftml import theory
from ftml.base import clone
from ftml.metrics import mean_squared_error
from ftml.model_selection import KFold, cross_validate

__all__ = [
    "MonteCarloContext",
    "excess_risk",
    "empirical_risk",
    "noise_estimate",
    "cv_mean_squared_error",
    "coefficient_error",
    "squared_parameter_error",
    "generalization_gap",
    "prediction_risk",
    "exact_risk",
    "prediction_excess_risk",
    "test_risk",
    "estimation_error",
    "sample_mean",
    "squared_mean_error",
    "mean_deviation_exceeds",
    "erm_excess_risk",
    "erm_bound_exceeded",
    "test_excess_risk",
    "distance_contrast",
    "excess_zero_one_risk",
    "surrogate_calibration_bound",
]


@dataclass(frozen=True)
class MonteCarloContext:
    """What a Monte-Carlo metric may use beyond the fitted estimator and its sample.

    Attributes
    ----------
    model : LinearGaussianModel
        The ground truth the sample was drawn from.
    folds : int
        k of the k-fold split for cross-validated metrics.
    fold_seed : numpy.random.SeedSequence
        Seeds the shuffle of that split; it depends on the replicate, not on the estimator's
        hyperparameters, so that every grid point of a replicate sees the same folds.
    settings : dict
        The point's measurement settings
        (:data:`~ftml.experiments.catalog.MEASUREMENT_SETTINGS`) that the metrics read.
    test_seed : numpy.random.SeedSequence
        Seeds the fresh sample a risk metric draws from the model; like ``fold_seed`` it
        depends on the replicate only, so every predictor of a replicate is scored on the
        same test sample.
    """

    model: object
    folds: int
    fold_seed: np.random.SeedSequence
    settings: dict = field(default_factory=dict)
    test_seed: np.random.SeedSequence | None = None


def excess_risk(estimator, X, y, context):
    """Excess risk of the fitted linear predictor, exact from the ground truth."""
    return context.model.excess_risk(estimator.coef_, estimator.intercept_)


def empirical_risk(estimator, X, y, context):
    """Mean squared error on the training sample itself, R_n(theta_hat)."""
    return mean_squared_error(y, estimator.predict(X))


def noise_estimate(estimator, X, y, context):
    """The estimate ||y - y_hat||^2 / (n - p) of sigma^2, p the number of fitted parameters.

    p is d, plus one when the estimator fits an intercept: for OLS the estimate is then
    unbiased, with or without an intercept.
    """
    fitted = X.shape[1] + (1 if getattr(estimator, "fit_intercept", False) else 0)
    return theory.noise_variance_estimate(y, estimator.predict(X), fitted)


def coefficient_error(estimator, X, y, context):
    """theta_hat_j - theta*_j for the setting ``coordinate`` j: its mean over replicates is
    the estimator's bias along that coordinate."""
    coordinate = context.settings["coordinate"]
    theta = context.model.theta
    if not 0 <= coordinate < theta.shape[0]:
        raise ValueError(f"coordinate {coordinate} is not an index of theta*, which has "
                         f"{theta.shape[0]} coordinates")
    return float(estimator.coef_[coordinate] - theta[coordinate])


def squared_parameter_error(estimator, X, y, context):
    """||theta_hat - theta*||^2, the squared distance of the estimate to the truth."""
    return float(np.sum((np.asarray(estimator.coef_) - context.model.theta) ** 2))


def generalization_gap(estimator, X, y, context):
    """The test risk minus the training risk: sigma^2 plus the exact excess risk, minus
    the mean squared error on the training sample."""
    model = context.model
    test_risk = model.noise**2 + model.excess_risk(estimator.coef_, estimator.intercept_)
    return float(test_risk - mean_squared_error(y, estimator.predict(X)))


def cv_mean_squared_error(estimator, X, y, context):
    """Mean validation error of a k-fold cross-validation on the sample."""
    folds = KFold(context.folds, shuffle=True, random_state=context.fold_seed)
    scores = cross_validate(clone(estimator), X, y, cv=folds, scoring=("mean_squared_error",))
    return float(np.mean(scores["test_mean_squared_error"]))


def prediction_risk(estimator, X, y, context):
    """The risk of the setting ``predictor`` under the law's loss, estimated on a fresh
    sample of ``test_samples`` pairs drawn from the law (the same sample for every
    predictor of a replicate, so that their risks are paired).

    ``bayes`` and the conditional ``mean``, ``median`` and ``mode`` are the law's own
    functions of x;
    ``fitted`` is the estimator fitted on the replicate's sample, its predictions rounded to
    the nearest integer under the 0-1 loss (a regression estimate of E[Y | X] made a
    classifier: the plug-in rule); ``random`` predicts, independently of x, a draw from the
    marginal law of Y.
    """
    model, settings = context.model, context.settings
    rng = np.random.default_rng(context.test_seed)
    X_test, y_test = model.sample(rng, n_samples=settings["test_samples"])
    name = settings["predictor"]
    if name == "fitted":
        prediction = np.asarray(estimator.predict(X_test), dtype=float)
        if model.loss == "zero_one":
            prediction = np.round(prediction)
    elif name == "random":
        # Drawn after the test sample, from the same stream: the test sample stays the one
        # every other predictor of the replicate is scored on.
        _, prediction = model.sample(rng, n_samples=y_test.shape[0])
    else:
        prediction = model.predictor(name)(X_test)
    return float(np.mean(model.loss_values(y_test, prediction)))


def exact_risk(estimator, X, y, context):
    """The exact risk of the setting ``predictor`` under the law's loss, summed over the
    law rather than estimated: E[l(Y, f(X))] for the law's predictors and the fitted one
    (rounded to a label under the 0-1 loss, as :func:`prediction_risk` does), E[l(Y, Y')]
    for ``random``. Only the fit varies from one replicate to the next."""
    model, name = context.model, context.settings["predictor"]
    if name == "random":
        return model.independent_risk()
    if name == "fitted":
        def predict(inputs):
            prediction = np.asarray(estimator.predict(inputs), dtype=float)
            return np.round(prediction) if model.loss == "zero_one" else prediction
        return model.risk(predict)
    return model.risk(model.predictor(name))


def _fitted_constant(estimator, X):
    """The constant a mean estimator predicts (a DummyRegressor's ``constant_``)."""
    return float(estimator.predict(X[:1])[0])


def sample_mean(estimator, X, y, context):
    """The estimate of E[Y] that the fitted estimator predicts (the sample mean, for a
    DummyRegressor with strategy 'mean')."""
    return _fitted_constant(estimator, X)


def squared_mean_error(estimator, X, y, context):
    """(estimate − E[Y])²: its mean over replicates is the estimator's mean squared error,
    σ² / n for the sample mean."""
    return (_fitted_constant(estimator, X) - context.model.mean) ** 2


def mean_deviation_exceeds(estimator, X, y, context):
    """1 if |estimate − E[Y]| ≥ the setting ``threshold`` ε, else 0: its mean over
    replicates is the tail probability P(|X̄ − μ| ≥ ε) that concentration bounds bound."""
    deviation = abs(_fitted_constant(estimator, X) - context.model.mean)
    return float(deviation >= context.settings["threshold"])


def prediction_excess_risk(estimator, X, y, context):
    """The excess risk of the fitted predictor, exact from the target: (1/n) ||f̂(X) −
    f*(X)||² at the fixed inputs, for any estimator (not only a linear one)."""
    return context.model.prediction_excess_risk(estimator.predict)


def test_risk(estimator, X, y, context):
    """The risk on new noise at the training inputs, exact: σ² plus the excess risk."""
    return context.model.noise**2 + prediction_excess_risk(estimator, X, y, context)


def estimation_error(estimator, X, y, context):
    """(1/n) ||f̂(X) − f_k(X)||², the distance from the fit to the best predictor of its
    class (the projection of f* on the polynomials of the estimator's ``degree``)."""
    degree = estimator.get_params().get("degree")
    if degree is None:
        raise ValueError(f"estimation_error needs an estimator with a degree, not "
                         f"{type(estimator).__name__}")
    best = context.model.projection(degree)
    residual = np.asarray(estimator.predict(X), dtype=float) - best
    return float(residual @ residual / residual.shape[0])


def erm_excess_risk(estimator, X, y, context):
    """R(f̂) − min over the class of R, exact: the excess risk of empirical risk
    minimisation over its finite class of threshold classifiers (a ThresholdClassifier's
    grid and label pairs), from the law's step regression function."""
    model = context.model
    risk = model.threshold_risk(estimator.threshold_, estimator.below_, estimator.above_)
    labels = estimator.classes_
    pairs = [(a, b) for a in labels for b in labels if a != b] or [(labels[0], labels[0])]
    best = min(float(np.min(model.threshold_risk(estimator.thresholds_, a, b)))
               for a, b in pairs)
    return float(risk - best)


def erm_bound_exceeded(estimator, X, y, context):
    """1 if the excess over the best in class exceeds the finite-class bound at confidence
    1 − δ (the setting ``delta``), sqrt(2 (log(2/δ) + log |F|) / n) for the 0-1 loss; its
    mean over replicates is the frequency the bound promises to keep below δ."""
    bound = theory.finite_class_erm_bound(X.shape[0], estimator.class_size_,
                                          context.settings["delta"])
    return float(erm_excess_risk(estimator, X, y, context) > bound)


# One replicate's metrics share its fitted estimator: the quadrature is done once for it.
_BINARY_RISKS = weakref.WeakKeyDictionary()


def _binary_risks(estimator, context):
    """The exact 0-1 and surrogate risks of the fitted score x ↦ decision_function(x)
    under the law's η (:func:`ftml.theory.binary_risks`), once per fitted estimator."""
    risks = _BINARY_RISKS.get(estimator)
    if risks is None:
        model = context.model

        def score(x):
            x = np.asarray(x, dtype=float)
            return estimator.decision_function(x.reshape(-1, 1)).reshape(x.shape)

        risks = theory.binary_risks(model.eta, score, model.low, model.high)
        _BINARY_RISKS[estimator] = risks
    return risks


def excess_zero_one_risk(estimator, X, y, context):
    """R(sign g) − R* for the fitted score g, exact (quadrature of the conditional risks)."""
    return float(_binary_risks(estimator, context).excess_zero_one)


def surrogate_calibration_bound(loss):
    """The metric giving the calibration bound of ``loss`` on the excess 0-1 risk, from the
    fitted score's exact excess surrogate risk (:func:`ftml.theory.calibration_bound`)."""
    def metric(estimator, X, y, context):
        excess = _binary_risks(estimator, context).excess_surrogate[loss]
        return float(theory.calibration_bound(excess, loss))

    metric.__name__ = f"{loss}_calibration_bound"
    metric.__doc__ = (f"The bound on R(sign g) − R* from the fitted score's excess {loss} "
                      "risk, with Bach's constants.")
    return metric


def test_excess_risk(estimator, X, y, context):
    """E[(f̂(X) − f*(X))²] estimated on a fresh sample of ``test_samples`` inputs drawn
    from the law (the same for every estimator of a replicate), f* known."""
    model = context.model
    X_test, _ = model.sample(np.random.default_rng(context.test_seed),
                             n_samples=context.settings["test_samples"])
    residual = np.asarray(estimator.predict(X_test), dtype=float) - model.target(X_test)
    return float(residual @ residual / residual.shape[0])


# Pairwise distances of at most this many points: the contrast's cost stays bounded.
CONTRAST_POINTS = 500


def distance_contrast(estimator, X):
    """(max − min) / min of the pairwise Euclidean distances between the sample's first
    (at most 500) points: near 0 when every point is about as far from every other, the
    concentration of distances that makes nearest neighbours uninformative in high
    dimension."""
    points = X[:CONTRAST_POINTS]
    squared = np.sum(points**2, axis=1)
    gram = points @ points.T
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * gram, 0.0))
    pairs = distances[np.triu_indices(points.shape[0], k=1)]
    if pairs.shape[0] == 0 or pairs.min() <= 0:
        raise ValueError("the distance contrast needs at least two distinct points")
    return float((pairs.max() - pairs.min()) / pairs.min())