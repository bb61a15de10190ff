"""Least squares: OLS and ridge on linear Gaussian data, with the closed forms of their risks."""

from ftml import datasets, theory
from ftml.experiments import truth_metrics
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.linear_model import OLS, Ridge


def _sizes_and_noise(params):
    return params["n_samples"], params["n_features"], params.get("noise", 1.0)


def _design(model):
    if model is None or not model.fixed_design:
        raise ValueError("this closed form is for a fixed design: use a generator with design 'fixed'")
    return model.design


def _ridge_risk_at(model, choose_alpha):
    """The exact expected excess risk of ridge at the alpha a rule chooses from the truth."""
    X = _design(model)
    return theory.ridge_fixed_design_excess_risk(
        X, model.theta, model.noise, choose_alpha(X, model.theta, model.noise))


def _ridge_excess_risk(X, y, model, alpha):
    fitted = Ridge(alpha=alpha, fit_intercept=False).fit(X, y)
    return model.excess_risk(fitted.coef_, fitted.intercept_)


def course_ridge_excess_risk(estimator, X, y, context):
    """Excess risk of ridge fitted on the sample with the course's alpha,
    sigma sqrt(tr Sigma_hat) / (||theta*|| sqrt(n)) (which knows sigma and theta*), exact
    from theta*; the experiment's own estimator is not used."""
    model = context.model
    alpha = theory.ridge_course_alpha(X, model.theta, model.noise)
    return _ridge_excess_risk(X, y, model, alpha)


def oracle_ridge_excess_risk(estimator, X, y, context):
    """Excess risk of ridge fitted with the oracle alpha, the minimiser of its expected
    excess risk (fixed design), exact from theta*."""
    model = context.model
    alpha = theory.ridge_oracle_alpha(X, model.theta, model.noise)
    return _ridge_excess_risk(X, y, model, alpha)


# Its place in the course: the documentation lists names in this order.
ORDER = 20

DECLARATIONS = [
    Generator(
        "linear_gaussian",
        build=datasets.make_linear_gaussian,
        check_params=datasets.check_linear_gaussian_params,
        params={
            "n_samples": int,
            "n_features": int,
            "design": str,
            "noise": float,
            "theta_norm": float,
            "correlation": float,
        },
        required=("n_samples", "n_features"),
        description="y = Xθ* + ε with Gaussian noise, a fixed or random Gaussian design "
                    "(Toeplitz correlation); knows θ*, σ and the design",
    ),
    Estimator("OLS", OLS, "ordinary least squares (minimum-norm solution through the SVD)"),
    Estimator("Ridge", Ridge, "ridge regression, penalty alpha ‖θ‖²"),
    Metric("excess_risk", "truth", truth_metrics.excess_risk,
           "excess risk of the fitted linear predictor, exact from θ*"),
    Metric("empirical_risk", "truth", truth_metrics.empirical_risk,
           "mean squared error on the training sample"),
    Metric("noise_estimate", "truth", truth_metrics.noise_estimate,
           "‖y − ŷ‖² / (n − p), the unbiased estimate of σ²"),
    Metric("coefficient_error", "truth", truth_metrics.coefficient_error,
           "θ̂_j − θ*_j for the setting coordinate j (its mean is the bias along it)",
           settings=("coordinate",)),
    Metric("squared_parameter_error", "truth", truth_metrics.squared_parameter_error,
           "‖θ̂ − θ*‖², the squared distance to the true parameter"),
    Metric("generalization_gap", "truth", truth_metrics.generalization_gap,
           "test risk minus training risk, the test risk exact from θ*"),
    Metric("course_ridge_excess_risk", "truth", course_ridge_excess_risk,
           "excess risk of ridge at the course's λ* = σ √tr Σ̂ / (‖θ*‖ √n), exact from θ*",
           modules=(Ridge.__module__,)),
    Metric("oracle_ridge_excess_risk", "truth", oracle_ridge_excess_risk,
           "excess risk of ridge at the oracle λ (fixed design), exact from θ*",
           modules=(Ridge.__module__,)),
    Metric("cv_mean_squared_error", "truth", truth_metrics.cv_mean_squared_error,
           "mean validation error of a k-fold cross-validation on the sample", refits_folds=True),
    Theory(
        "ols_fixed_design_excess_risk", "σ² d / n",
        lambda model, p: theory.ols_fixed_design_excess_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    Theory(
        "ols_random_design_excess_risk", "σ² d / (n − d − 1)",
        lambda model, p: theory.ols_random_design_excess_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    Theory(
        "ols_expected_empirical_risk", "(n − d) σ² / n",
        lambda model, p: theory.ols_expected_empirical_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    Theory(
        "ols_fixed_design_parameter_error", "σ² tr((XᵀX)⁻¹)",
        lambda model, p: theory.ols_fixed_design_parameter_error(_design(model), model.noise),
        needs_model=True,
    ),
    Theory(
        "ols_fixed_design_optimism", "2 σ² d / n",
        lambda model, p: theory.ols_fixed_design_optimism(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    Theory("noise_variance", "σ²", lambda model, p: p.get("noise", 1.0) ** 2),
    Theory(
        "ridge_fixed_design_excess_risk", "bias(λ) + variance(λ)",
        lambda model, p: theory.ridge_fixed_design_excess_risk(
            _design(model), model.theta, model.noise, p["alpha"]
        ),
        needs_model=True,
        requires=("alpha",),
    ),
    Theory(
        "ridge_fixed_design_bias", "bias(λ) = λ² θ*ᵀ(Σ̂+λI)⁻¹Σ̂(Σ̂+λI)⁻¹θ*",
        lambda model, p: theory.ridge_fixed_design_bias(_design(model), model.theta, p["alpha"]),
        needs_model=True,
        requires=("alpha",),
    ),
    Theory(
        "ridge_fixed_design_variance", "variance(λ) = σ²/n tr(Σ̂²(Σ̂+λI)⁻²)",
        lambda model, p: theory.ridge_fixed_design_variance(
            _design(model), model.noise, p["alpha"]
        ),
        needs_model=True,
        requires=("alpha",),
    ),
    Theory(
        "ridge_oracle_alpha", "λ* = argmin bias(λ) + variance(λ)",
        lambda model, p: theory.ridge_oracle_alpha(_design(model), model.theta, model.noise),
        needs_model=True,
    ),
    Theory(
        "ridge_course_alpha", "λ* = σ √tr Σ̂ / (‖θ*‖ √n)",
        lambda model, p: theory.ridge_course_alpha(_design(model), model.theta, model.noise),
        needs_model=True,
    ),
    Theory(
        "ridge_course_bound", "σ √tr Σ̂ ‖θ*‖ / √n",
        lambda model, p: theory.ridge_course_bound(_design(model), model.theta, model.noise),
        needs_model=True,
    ),
    Theory(
        "ridge_course_excess_risk", "bias(λ*) + variance(λ*)",
        lambda model, p: _ridge_risk_at(model, theory.ridge_course_alpha), needs_model=True,
    ),
    Theory(
        "ridge_oracle_excess_risk", "min over λ of bias(λ) + variance(λ)",
        lambda model, p: _ridge_risk_at(model, theory.ridge_oracle_alpha), needs_model=True,
    ),
    Theory("one", "1", lambda model, p: 1.0),
    Theory("zero", "0", lambda model, p: 0.0),
]
