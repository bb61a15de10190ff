"""Data for the experiments: seeded linear-Gaussian generators and real data sets.

The generators produce the course's model of least-squares regression,

    y = x^T theta* + eps,    eps ~ N(0, sigma^2) independent of x,

in its two settings, and return the ground truth alongside the data so that an experiment
can measure the exact excess risk of any estimate instead of estimating it on a test set:

* **fixed design**: the inputs x_1, ..., x_n are deterministic (drawn once and then frozen);
  only the noise is random, and the risk is measured on those same inputs.
* **random design**: the pairs (x_i, y_i) are i.i.d.; here x ~ N(0, Sigma) and the risk is
  an expectation over a fresh pair (x, y).

The loaders return real data as ``(X, y)`` float64 arrays: the data sets bundled with
scikit-learn (:func:`load_bundled`) and a user's own files (:func:`load_file`).

References
----------
.. [1] Course notes, chapter "Linear least-squares regression" (fixed and random design,
   the linear-Gaussian model). The chapter follows F. Bach, *Learning Theory from First
   Principles*, MIT Press, 2024, Chapter 3.
"""

from ftml.datasets._bundled import (
    BUNDLED,
    load_breast_cancer,
    load_bundled,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from ftml.datasets._conditional import (
    CONDITIONAL_LAWS,
    ConditionalLawModel,
    check_conditional_law_params,
    make_conditional_law,
)
from ftml.datasets._files import load_file
from ftml.datasets._networks import (
    BOUNDARIES,
    REGRESSION_FUNCTIONS,
    BoundaryLabelsModel,
    FunctionTargetModel,
    check_boundary_labels_params,
    check_function_target_params,
    make_boundary_labels,
    make_function_target,
)
from ftml.datasets._norm import NormTargetModel, check_norm_target_params, make_norm_target
from ftml.datasets._unsupervised import (
    BlobsModel,
    SpikedCovarianceModel,
    check_blobs_params,
    check_spiked_covariance_params,
    make_blobs_model,
    make_spiked_covariance,
)
from ftml.datasets._polynomial import (
    COURSE_TARGET,
    PolynomialTargetModel,
    check_polynomial_target_params,
    make_polynomial_target,
)
from ftml.datasets._scalar import (
    ETA_LAWS,
    SCALAR_LAWS,
    BinaryEtaModel,
    check_binary_eta_params,
    make_binary_eta,
    ScalarLawModel,
    ThresholdLawModel,
    check_scalar_law_params,
    check_threshold_law_params,
    make_scalar_law,
    make_threshold_law,
)
from ftml.datasets._generators import (
    LinearGaussianModel,
    ObservedData,
    check_conditioned_regression_params,
    check_linear_gaussian_params,
    check_logistic_regression_params,
    make_conditioned_regression,
    make_linear_gaussian,
    make_linear_regression,
    make_logistic_regression,
)

__all__ = [
    "BUNDLED",
    "CONDITIONAL_LAWS",
    "ConditionalLawModel",
    "BlobsModel",
    "SpikedCovarianceModel",
    "check_blobs_params",
    "check_spiked_covariance_params",
    "make_blobs_model",
    "make_spiked_covariance",
    "BOUNDARIES",
    "REGRESSION_FUNCTIONS",
    "BoundaryLabelsModel",
    "FunctionTargetModel",
    "check_boundary_labels_params",
    "check_function_target_params",
    "make_boundary_labels",
    "make_function_target",
    "NormTargetModel",
    "check_norm_target_params",
    "make_norm_target",
    "COURSE_TARGET",
    "PolynomialTargetModel",
    "check_polynomial_target_params",
    "make_polynomial_target",
    "SCALAR_LAWS",
    "STORED_MODELS",
    "ScalarLawModel",
    "check_scalar_law_params",
    "make_scalar_law",
    "ThresholdLawModel",
    "ETA_LAWS",
    "BinaryEtaModel",
    "check_binary_eta_params",
    "make_binary_eta",
    "check_threshold_law_params",
    "make_threshold_law",
    "check_conditional_law_params",
    "make_conditional_law",
    "LinearGaussianModel",
    "ObservedData",
    "make_linear_gaussian",
    "make_linear_regression",
    "make_logistic_regression",
    "make_conditioned_regression",
    "check_linear_gaussian_params",
    "check_logistic_regression_params",
    "check_conditioned_regression_params",
    "load_bundled",
    "load_breast_cancer",
    "load_digits",
    "load_iris",
    "load_wine",
    "load_diabetes",
    "load_file",
]

# The models a dataset file may hold, by class name (ftml.experiments.data stores a model's
# dataclass fields and rebuilds it from them).
STORED_MODELS = {cls.__name__: cls for cls in (LinearGaussianModel, ObservedData,
                                                ConditionalLawModel, ScalarLawModel,
                                                PolynomialTargetModel, ThresholdLawModel,
                                                BinaryEtaModel, NormTargetModel, BlobsModel,
                                                SpikedCovarianceModel, FunctionTargetModel,
                                                BoundaryLabelsModel)}
