"""Statistical learning foundations: Bayes predictors and their risks, the law of large
numbers and concentration, with the laws whose conditional distributions are known."""

from ftml import datasets
from ftml.experiments import truth_metrics
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.neighbors import KNeighborsClassifier, KNeighborsRegressor

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
    Theory("bayes_risk", "R* = E[min_c E[l(Y, c) | X]]",
           lambda model, p: model.bayes_risk, needs_model=True),
]
