"""Closed forms of the course's theorems, the numbers the experiments measure against.

Each function returns what a theorem of the course predicts. For the linear-Gaussian model
y = x^T theta* + eps with eps ~ N(0, sigma^2) (see :mod:`ftml.datasets`):

* ordinary least squares (OLS) in fixed design: expected excess risk sigma^2 d / n and
  expected empirical risk (n - d) sigma^2 / n, with the unbiased noise estimate
  ||y - X theta_hat||^2 / (n - d);
* OLS in fixed design, the parameter: unbiased, with E||theta_hat - theta*||^2 =
  sigma^2 tr((X^T X)^{-1}), and a training error optimistic by 2 sigma^2 d / n;
* OLS in random Gaussian design: expected excess risk sigma^2 d / (n - d - 1);
* ridge regression in fixed design: the exact bias and variance for any alpha, and the
  oracle alpha minimising their sum;
* binary classification with the hinge, logistic and square surrogates: exact conditional
  and integrated risks, and the comparison inequalities bounding the excess 0-1 risk by the
  excess surrogate risk (Bach, Section 4.1).

From the concentration chapter, for the mean of n i.i.d. variables (bounds broadcast over
their arguments and are not clipped, so a value above 1 is vacuous):

* the bounds of Markov, Chebyshev, Hoeffding and Bernstein on its tail, and the exact
  two-sided tail of a mean of Bernoulli variables that they bound;
* for empirical risk minimisation over a finite class F with a bounded loss, the excess
  risk over the best in class with probability 1 - delta,
  sqrt(2 (b - a)^2 (log(2 / delta) + log |F|) / n), and its inverse, the failure
  probability 2 |F| exp(-n t^2 / (2 (b - a)^2)).

From the unsupervised chapter: the k-means++ guarantee, E[inertia of the seeding] <=
8 (ln K + 2) times the optimal inertia, and the first-order bias of a sample covariance
eigenvalue (Lawley), which for a spike above a noise floor shrinks like d / n.

Ridge uses the course's scaling, theta_hat = (Sigma_hat + alpha I)^{-1} X^T y / n with
Sigma_hat = X^T X / n; scikit-learn's ``Ridge(alpha=a)`` minimises ||y - X w||^2 + a ||w||^2
and so matches ``alpha = a / n`` here.

References
----------
.. [1] Course notes, chapter "Linear least-squares regression". The chapter follows
   F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 3.
.. [2] D. Hsu, S. M. Kakade and T. Zhang, "Random design analysis of ridge regression",
   Conference on Learning Theory (COLT), 2012.
.. [3] F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 1.2
   (Concentration inequalities); the finite-class bound is the course's practical session
   nlehir/FTML tp_12 "Statistical learning".
"""

from ftml.theory._concentration import (
    bernoulli_mean_tail,
    bernstein_bound,
    chebyshev_bound,
    finite_class_erm_bound,
    finite_class_erm_failure_probability,
    hoeffding_bound,
    markov_bound,
)
from ftml.theory._ols import (
    noise_variance_estimate,
    ols_expected_empirical_risk,
    ols_fixed_design_excess_risk,
    ols_fixed_design_optimism,
    ols_fixed_design_parameter_error,
    ols_random_design_excess_risk,
)
from ftml.theory._unsupervised import kmeans_plusplus_bound, sample_eigenvalue_bias
from ftml.theory._ridge import (
    ridge_course_alpha,
    ridge_course_bound,
    ridge_fixed_design_bias,
    ridge_fixed_design_excess_risk,
    ridge_fixed_design_variance,
    ridge_oracle_alpha,
)
from ftml.theory._surrogates import (
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

__all__ = [
    "ols_fixed_design_excess_risk",
    "ols_random_design_excess_risk",
    "ols_expected_empirical_risk",
    "noise_variance_estimate",
    "ols_fixed_design_parameter_error",
    "ols_fixed_design_optimism",
    "ridge_fixed_design_bias",
    "ridge_fixed_design_variance",
    "ridge_fixed_design_excess_risk",
    "ridge_oracle_alpha",
    "ridge_course_alpha",
    "ridge_course_bound",
    "SURROGATE_LOSSES",
    "BinaryRisks",
    "conditional_surrogate_risk",
    "conditional_bayes_surrogate_risk",
    "conditional_excess_surrogate_risk",
    "conditional_zero_one_risk",
    "conditional_bayes_zero_one_risk",
    "binary_risks",
    "calibration_bound",
    "psi_transform",
    "psi_transform_bound",
    "markov_bound",
    "chebyshev_bound",
    "hoeffding_bound",
    "bernstein_bound",
    "bernoulli_mean_tail",
    "finite_class_erm_bound",
    "finite_class_erm_failure_probability",
    "kmeans_plusplus_bound",
    "sample_eigenvalue_bias",
]
