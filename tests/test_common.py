"""The estimator contract, checked by one common suite on every estimator.

In the spirit of scikit-learn's ``sklearn/utils/estimator_checks.py``: each check is written
once and runs on every estimator of ``ESTIMATORS``. An estimator joins the suite by being
added there, with the arguments it needs (a meta-estimator its nested estimator, a
dummy the values its strategies need, so that each strategy fits);
``test_every_estimator_of_ftml_is_in_the_suite`` finds the classes of ftml that are not, and
``test_every_estimator_of_the_catalog_is_in_the_suite`` those that a chapter declares.
Invalid hyperparameter values are generated from each estimator's ``_parameter_constraints``,
so a new constraint is tested without a new test.
"""

import importlib
import inspect
import numbers
import pkgutil
import warnings

import numpy as np
import pytest
import sklearn.base

import ftml
from ftml.base import BaseEstimator, clone
from ftml.cluster import KMeans
from ftml.decomposition import PCA
from ftml.dummy import DummyClassifier, DummyRegressor
from ftml.exceptions import (
    ConvergenceWarning,
    DataConversionWarning,
    InvalidParameterError,
    NotFittedError,
)
from ftml.experiments.catalog import catalog
from ftml.experiments.catalog.neural_networks import _SklearnMLPClassifier
from ftml.experiments.catalog.unsupervised import _SklearnKMeans
from ftml.linear_model import OLS, LogisticRegression, PolynomialRegression, Ridge
from ftml.mixture import GaussianMixture
from ftml.model_selection import FixedThresholdClassifier, GridSearchCV
from ftml.multiclass import OneVsOneClassifier, OneVsRestClassifier, SoftmaxRegression
from ftml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from ftml.neural_network import OneHiddenLayerClassifier, OneHiddenLayerRegressor
from ftml.preprocessing import PolynomialFeatures, StandardScaler
from ftml.tree import ThresholdClassifier
from ftml.validation import Options, parameter_type, validate_parameter_constraints
from ftml._param_validation import make_constraint

# The estimators of the suite, as instances with the arguments they need.
ESTIMATORS = [
    OLS(),
    Ridge(),
    LogisticRegression(),
    StandardScaler(),
    OneVsRestClassifier(LogisticRegression()),
    OneVsOneClassifier(LogisticRegression()),
    SoftmaxRegression(),
    GridSearchCV(LogisticRegression(), {"alpha": [0.1, 1.0]}, cv=3),
    FixedThresholdClassifier(LogisticRegression()),
    KNeighborsRegressor(),
    KNeighborsClassifier(),
    ThresholdClassifier(),
    PCA(),
    GaussianMixture(),
    KMeans(n_clusters=3),
    # The catalog's adapter that runs scikit-learn's KMeans behind ftml's parameters.
    _SklearnKMeans(n_clusters=3),
    # Seeded: the default random_state=None draws new weights at every fit.
    OneHiddenLayerRegressor(random_state=0),
    OneHiddenLayerClassifier(random_state=0),
    _SklearnMLPClassifier(random_state=0),
    DummyRegressor(constant=1.0, quantile=0.25),
    DummyClassifier(constant=1),  # _data's labels are 0 and 1
    PolynomialFeatures(),
    PolynomialRegression(),
]

# Estimators whose fit does not depend on the scale of X: see
# test_features_whose_squared_norm_overflows_are_refused_or_fitted_right.
SCALE_FREE = (DummyClassifier, DummyRegressor, PolynomialFeatures, PolynomialRegression)

PREDICTING_METHODS = ("predict", "predict_proba", "decision_function", "transform")


def _name(estimator):
    return type(estimator).__name__


def _needs_y(estimator):
    """Whether ``fit`` takes a target: its ``y`` has no default."""
    y = inspect.signature(estimator.fit).parameters.get("y")
    return y is not None and y.default is inspect.Parameter.empty


def _is_classifier(estimator):
    """A classifier, or a search over one (a search has no type of its own)."""
    nested = estimator.get_params(deep=False).get("estimator")
    kind = getattr(estimator, "_estimator_type", getattr(nested, "_estimator_type", None))
    return kind == "classifier"


def _data(estimator, n_samples=40, n_features=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    if _is_classifier(estimator):
        y = (X[:, 0] + 0.5 * rng.standard_normal(n_samples) > 0).astype(int)
    else:
        y = X @ rng.standard_normal(n_features) + 0.1 * rng.standard_normal(n_samples)
    return X, y


def _fit(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # budgets are not the point
        return estimator.fit(X, y) if _needs_y(estimator) else estimator.fit(X)


def _methods(estimator):
    return [method for method in PREDICTING_METHODS if hasattr(estimator, method)]


def _fitted_state(value):
    """The learned attributes of an estimator, nested estimators' included, as plain data."""
    if isinstance(value, BaseEstimator):
        return {key: _fitted_state(item) for key, item in vars(value).items()
                if key.endswith("_")}
    if isinstance(value, (list, tuple)):
        return [_fitted_state(item) for item in value]
    return value


def _same(a, b):
    if isinstance(a, BaseEstimator) or isinstance(b, BaseEstimator):
        return type(a) is type(b) and _same(a.get_params(deep=False), b.get_params(deep=False))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b)
    return type(a) is type(b) and (a == b or (a != a and b != b))  # NaN equals NaN here


def _invalid_cases():
    """(estimator, parameter, value): each value refused by all of the parameter's
    constraints, generated from each constraint in turn; plus an object of no valid type."""
    cases = []
    for estimator in ESTIMATORS:
        for name, constraints in estimator._parameter_constraints.items():
            allowed = [make_constraint(constraint) for constraint in constraints]
            values = [type("BadType", (), {})()]
            for constraint in allowed:
                values += [value for value in constraint.invalid_values()
                           if not any(other.is_satisfied_by(value) for other in allowed)]
            cases += [pytest.param(estimator, name, value,
                                   id=f"{_name(estimator)}-{name}-{_show(value)}")
                      for value in values]
    return cases


def _show(value):
    shown = repr(value)
    return type(value).__name__ if " at 0x" in shown else shown  # stable test ids


def _option_variants():
    """(estimator, params): every value of every Options constraint, one at a time."""
    variants = []
    for estimator in ESTIMATORS:
        variants.append(pytest.param(estimator, {}, id=f"{_name(estimator)}-default"))
        for name, constraints in estimator._parameter_constraints.items():
            for constraint in constraints:
                if isinstance(constraint, Options):
                    variants += [pytest.param(estimator, {name: value},
                                              id=f"{_name(estimator)}-{name}={value}")
                                 for value in constraint.values]
    return variants


each_estimator = pytest.mark.parametrize("estimator", ESTIMATORS, ids=_name)
# A check that applies to supervised estimators only runs over them, rather than skipping.
each_supervised = pytest.mark.parametrize(
    "estimator", [estimator for estimator in ESTIMATORS if _needs_y(estimator)], ids=_name)


# --- Discovery -------------------------------------------------------------------------


def _all_estimators():
    """The public BaseEstimator subclasses defined in ftml (its experiments aside)."""
    found = set()
    for module in pkgutil.walk_packages(ftml.__path__, "ftml."):
        if module.name.startswith("ftml.experiments"):
            continue
        for name, cls in inspect.getmembers(importlib.import_module(module.name),
                                            inspect.isclass):
            if (issubclass(cls, BaseEstimator) and cls is not BaseEstimator
                    and not name.startswith("_") and cls.__module__.startswith("ftml.")):
                found.add(name)
    return found


def test_every_estimator_of_ftml_is_in_the_suite():
    found = _all_estimators()
    covered = {_name(estimator) for estimator in ESTIMATORS}
    assert found - covered == set(), "estimators missing from ESTIMATORS"
    # Besides ftml's public estimators, the suite checks the catalog's private adapters.
    assert {name for name in covered if not name.startswith("_")} <= found


def test_every_estimator_of_the_catalog_is_in_the_suite():
    """What a config may fit, nested estimators included, is checked by the suite: a new
    chapter's estimator joins ESTIMATORS or this test fails."""
    covered = {type(estimator) for estimator in ESTIMATORS}
    declared = {}
    for name, declaration in catalog().estimators.items():
        prototype = declaration.factory()
        nested = [value for value in prototype.get_params(deep=True).values()
                  if isinstance(value, BaseEstimator)]
        for estimator in [prototype, *nested]:
            declared.setdefault(type(estimator), []).append(name)
    assert declared, "the catalog declares no estimator"
    missing = {cls.__name__: names for cls, names in declared.items() if cls not in covered}
    assert missing == {}, "catalog estimators (class: declared names) missing from ESTIMATORS"


# --- Parameter constraints --------------------------------------------------------------


@each_estimator
def test_parameter_constraints_are_complete(estimator):
    declared = set(estimator._parameter_constraints)
    parameters = set(estimator._get_param_names())
    assert parameters - declared == set(), "parameters without a constraint"
    assert declared - parameters == set(), "constraints naming no parameter"


@each_estimator
def test_defaults_satisfy_their_constraints_and_have_a_config_type(estimator):
    params = estimator.get_params(deep=False)
    validate_parameter_constraints(estimator._parameter_constraints, params, _name(estimator))
    for name, constraints in estimator._parameter_constraints.items():
        assert constraints, f"{name} has an empty list of constraints"
        cast = parameter_type(constraints)
        assert cast in (int, float, numbers.Real, bool, str, None)
        default = params[name]  # a config's value replaces it: they agree in type
        if cast is None:  # no config sets it (an estimator, or an int or a str label)
            continue
        if isinstance(default, (bool, str)):
            assert cast is type(default), name
        elif isinstance(default, int):
            assert cast in (int, float, numbers.Real), name
        elif isinstance(default, float):
            assert cast in (float, numbers.Real), name


@pytest.mark.parametrize("estimator, name, value", _invalid_cases())
def test_each_constraint_is_enforced_by_fit(estimator, name, value):
    X, y = _data(estimator)
    model = clone(estimator).set_params(**{name: value})  # set_params only stores
    message = rf"The '{name}' parameter of {_name(estimator)} must be .* Got .* instead"
    with pytest.raises(InvalidParameterError, match=message):
        _fit(model, X, y)
    assert not [key for key in vars(model) if key.endswith("_")], "fit went on"


@each_estimator
def test_every_constraint_has_an_invalid_value(estimator):
    """Each parameter gets at least one value out of range, not only a wrong type."""
    for name, constraints in estimator._parameter_constraints.items():
        allowed = [make_constraint(constraint) for constraint in constraints]
        refused = [value for constraint in allowed for value in constraint.invalid_values()
                   if not any(other.is_satisfied_by(value) for other in allowed)]
        assert refused, f"no invalid value generated for {_name(estimator)}.{name}"


# --- get_params, set_params, clone ------------------------------------------------------


@each_estimator
def test_get_params_set_params_round_trip(estimator):
    params = estimator.get_params(deep=False)
    rebuilt = type(estimator)(**params)
    assert _same(rebuilt.get_params(deep=False), params)
    deep = estimator.get_params(deep=True)
    model = clone(estimator)
    assert model.set_params(**deep) is model
    assert _same(model.get_params(deep=True), deep)
    assert repr(rebuilt) == repr(estimator)
    with pytest.raises(ValueError, match=f"Invalid parameter 'not_a_parameter' for "
                                         f"estimator {_name(estimator)}"):
        model.set_params(not_a_parameter=1)


@pytest.mark.parametrize("cloner", [clone, sklearn.base.clone], ids=["ftml", "sklearn"])
@each_estimator
def test_clone_gives_an_unfitted_copy_with_equal_params(estimator, cloner):
    X, y = _data(estimator)
    fitted = _fit(clone(estimator), X, y)
    copy = cloner(fitted)
    assert copy is not fitted and type(copy) is type(fitted)
    assert _same(copy.get_params(deep=True), fitted.get_params(deep=True))
    assert not [key for key in vars(copy) if key.endswith("_")]
    with pytest.raises(NotFittedError):
        getattr(copy, _methods(copy)[0])(X)


# --- fit and the fitted state -----------------------------------------------------------


@each_estimator
def test_fit_returns_self_and_sets_n_features_in(estimator):
    X, y = _data(estimator)
    model = clone(estimator)
    assert _fit(model, X, y) is model
    assert model.n_features_in_ == X.shape[1]


def test_not_fitted_error_is_ftml_s_and_both_a_value_and_an_attribute_error():
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)


@each_estimator
def test_methods_before_fit_raise_not_fitted_error(estimator):
    X, _ = _data(estimator)
    assert _methods(estimator), "an estimator predicts or transforms"
    for method in _methods(estimator):
        with pytest.raises(NotFittedError, match=f"This {_name(estimator)} instance is not "
                                                 "fitted yet"):
            getattr(clone(estimator), method)(X)


@pytest.mark.parametrize("estimator, params", _option_variants())
def test_the_same_random_state_gives_the_same_fit(estimator, params):
    X, y = _data(estimator)
    if "random_state" in estimator.get_params():
        params = {**params, "random_state": 0}
    first = _fit(clone(estimator).set_params(**params), X, y)
    second = _fit(clone(estimator).set_params(**params), X, y)
    assert _same(_fitted_state(first), _fitted_state(second))
    for method in _methods(first):
        np.testing.assert_array_equal(getattr(first, method)(X), getattr(second, method)(X))


# --- Bad data ---------------------------------------------------------------------------


@each_estimator
def test_fit_rejects_nan_in_X(estimator):
    X, y = _data(estimator)
    column = min(1, X.shape[1] - 1)
    X[3, column] = np.nan
    with pytest.raises(ValueError, match=rf"X contains NaN at position \(3, {column}\)"):
        _fit(clone(estimator), X, y)


@each_estimator
def test_fit_rejects_empty_X(estimator):
    X, y = _data(estimator)
    with pytest.raises(ValueError, match="X has 0 sample"):
        _fit(clone(estimator), X[:0], y[:0])


@each_supervised
def test_fit_ravels_a_column_vector_y_with_a_warning(estimator):
    """A y of shape (n_samples, 1) gives the fit of its ravel, with scikit-learn's warning."""
    X, y = _data(estimator)
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed when a 1d "
                                                  "array was expected"):
        column = _fit(clone(estimator), X, y[:, None])
    assert _same(_fitted_state(column), _fitted_state(_fit(clone(estimator), X, y)))


@pytest.mark.parametrize("estimator, params", _option_variants())
def test_features_whose_squared_norm_overflows_are_refused_or_fitted_right(estimator, params):
    """Finite features scaled by 1e300: X^T X, the variances and the solvers' smoothness
    constants overflow, and a fit is refused naming the overflow, never a LinAlgError, an
    infinite scale or a silent zero model. Only the SVD closed form (OLS, Ridge's "svd"),
    which needs none of them, fits: OLS's predictions at scale 1, a ridge penalty being
    negligible beside a data term scaled by 1e600. So do the estimators whose fit does not
    depend on the scale of X (the dummies and PolynomialFeatures read only its shape,
    PolynomialRegression maps its range onto [-1, 1] or, of degree 1, is OLS on it): each
    method gives at scale 1e300 what it gives at scale 1, or refuses naming the overflow
    (the monomials of PolynomialFeatures)."""
    X, y = _data(estimator)
    if isinstance(estimator, SCALE_FREE) and "random_state" in estimator.get_params():
        params = {**params, "random_state": 0}  # the reference below draws the same
    model = clone(estimator).set_params(**params)
    try:
        _fit(model, X * 1e300, y)
    except ValueError as error:
        assert "X's squared norm overflows float64" in str(error)
        return
    if isinstance(model, ThresholdClassifier):
        # Comparisons only: the fit is exact on the scaled data, ERM over its fixed grid.
        Z = X * 1e300
        chosen = np.where(Z[:, model.feature] < model.threshold_, model.below_, model.above_)
        np.testing.assert_array_equal(model.predict(Z), chosen)
        assert model.training_error_ == np.mean(chosen != y)
        return
    if isinstance(model, SCALE_FREE):
        reference = _fit(clone(model), X, y)
        for method in _methods(model):
            try:
                scaled = getattr(model, method)(X * 1e300)
            except ValueError as error:
                assert "overflows float64" in str(error)
                continue
            np.testing.assert_allclose(scaled, getattr(reference, method)(X), rtol=1e-9)
        return
    assert isinstance(model, (OLS, Ridge)) and model.get_params().get("solver", "svd") == "svd"
    reference = OLS(fit_intercept=model.fit_intercept).fit(X, y)
    np.testing.assert_allclose(model.predict(X * 1e300), reference.predict(X), rtol=1e-9)


@each_supervised
def test_fit_without_y_says_y_is_missing(estimator):
    X, _ = _data(estimator)
    with pytest.raises(ValueError, match=f"{_name(estimator)} requires y to be passed, but "
                                         "the target y is None"):
        clone(estimator).fit(X, None)


@each_estimator
def test_methods_reject_the_wrong_number_of_features(estimator):
    X, y = _data(estimator)
    n_features = X.shape[1]
    wrong = X[:, :-1] if n_features > 1 else np.hstack([X, X])
    model = _fit(clone(estimator), X, y)
    for method in _methods(model):
        with pytest.raises(ValueError, match=f"X has {wrong.shape[1]} features, but "
                                             f"{_name(estimator)} is expecting {n_features} "
                                             "features as input"):
            getattr(model, method)(wrong)
        with pytest.raises(ValueError, match="X contains NaN"):
            getattr(model, method)(np.full((2, n_features), np.nan))


@pytest.mark.parametrize("estimator", [e for e in ESTIMATORS if _is_classifier(e)], ids=_name)
def test_classifiers_reject_nan_and_continuous_labels(estimator):
    X, y = _data(estimator)
    labels = y.astype(np.float64)
    labels[5] = np.nan
    with pytest.raises(ValueError, match="y contains NaN at position 5: a class label cannot "
                                         "be missing"):
        _fit(clone(estimator), X, labels)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        _fit(clone(estimator), X, y + 0.5)
