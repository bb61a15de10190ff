"""scikit-learn's own estimator checks, over every estimator of the common suite.

``parametrize_with_checks`` runs each check of ``sklearn.utils.estimator_checks`` on each
estimator of ``tests/test_common.py``'s ``ESTIMATORS``, so an estimator added there is
checked here too. A check that cannot pass is listed in ``EXPECTED_FAILED_CHECKS`` with its
reason, which must be a real difference of the course's conventions; the run is strict (an
entry that starts passing fails, and is removed from the table) and nothing is skipped: a
check that scikit-learn skips fails here, except the array API check, which needs
``SCIPY_ARRAY_API`` set before scipy is imported and so runs in a fresh interpreter.

ftml's core does not import scikit-learn; ``test_the_core_imports_no_sklearn`` keeps it so.
"""

import functools
import json
import os
import subprocess
import sys
import unittest
import warnings
from pathlib import Path

import pytest
from sklearn.base import is_classifier, is_regressor
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import (
    check_non_transformer_estimators_n_iter,
    estimator_checks_generator,
    parametrize_with_checks,
)
from test_common import ESTIMATORS

from ftml.cluster import KMeans
from ftml.decomposition import PCA
from ftml.dummy import DummyClassifier, DummyRegressor
from ftml.linear_model import OLS, LogisticRegression, PolynomialRegression, Ridge
from ftml.model_selection import FixedThresholdClassifier, GridSearchCV
from ftml.multiclass import OneVsOneClassifier, OneVsRestClassifier, SoftmaxRegression
from ftml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from ftml.preprocessing import PolynomialFeatures, StandardScaler
from ftml.tree import ThresholdClassifier

# The checks that cannot pass: estimator class -> {check name: reason}. Strict: an entry
# that passes fails the run.
EXPECTED_FAILED_CHECKS = {
    Ridge: {
        "check_non_transformer_estimators_n_iter": (
            "solver='svd', the default, is a closed form: no iteration runs and n_iter_ is "
            "None, as in scikit-learn's Ridge, whose own test suite expects this check to "
            "fail ('n_iter_ cannot be easily accessed'). The iterative solvers pass it "
            "(test_ridge_s_iterative_solvers_pass_the_n_iter_check)."
        ),
    },
}

# Checks that scikit-learn skips unless SCIPY_ARRAY_API was set before scipy was imported.
NEEDS_SCIPY_ARRAY_API = {"check_array_api_input"}

TESTS = Path(__file__).parent


def _check_name(check):
    while isinstance(check, functools.partial):
        check = check.func
    return check.__name__


def _check_key(index, check):
    """Names one check of one estimator of ESTIMATORS, the same in another interpreter."""
    keywords = check.keywords if isinstance(check, functools.partial) else {}
    return f"{index}:{_check_name(check)}:{sorted(keywords.items())!r}"


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator), {})


@pytest.fixture(scope="module")
def scipy_array_api_outcomes():
    """The outcome of each NEEDS_SCIPY_ARRAY_API check on each estimator: "passed" or the
    traceback, from a fresh interpreter with SCIPY_ARRAY_API=1 (scipy reads it on import)."""
    code = f"""
import json, sys, traceback
sys.path.insert(0, {str(TESTS)!r})
from sklearn.utils.estimator_checks import estimator_checks_generator
from {Path(__file__).stem} import ESTIMATORS, NEEDS_SCIPY_ARRAY_API, _check_key, _check_name
outcomes = {{}}
for index, estimator in enumerate(ESTIMATORS):
    for estimator, check in estimator_checks_generator(estimator, mark=None):
        if _check_name(check) in NEEDS_SCIPY_ARRAY_API:
            try:
                check(estimator)
                outcomes[_check_key(index, check)] = "passed"
            except Exception:
                outcomes[_check_key(index, check)] = traceback.format_exc()
print(json.dumps(outcomes))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "SCIPY_ARRAY_API": "1"}, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


# By design ftml's BaseEstimator is its own, so that its core does not import sklearn; the
# warning scikit-learn gives when it generates the checks says so.
NOT_SKLEARN_BASE = "Estimator .* does not inherit from `sklearn.base.BaseEstimator`"
pytestmark = pytest.mark.filterwarnings(f"ignore:{NOT_SKLEARN_BASE}:UserWarning")

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", NOT_SKLEARN_BASE, UserWarning)
    each_check = parametrize_with_checks(ESTIMATORS, xfail_strict=True,
                                         expected_failed_checks=_expected_failed_checks)


@each_check
def test_sklearn_check(estimator, check, request):
    if _check_name(check) in NEEDS_SCIPY_ARRAY_API and "SCIPY_ARRAY_API" not in os.environ:
        index = next(i for i, prototype in enumerate(ESTIMATORS) if prototype is estimator)
        outcome = request.getfixturevalue("scipy_array_api_outcomes")[_check_key(index, check)]
        assert outcome == "passed", outcome
        return
    try:
        check(estimator)
    except unittest.SkipTest as skip:  # scikit-learn's SkipTest
        pytest.fail(f"scikit-learn skipped {_check_name(check)}: {skip}. Run it, or list it "
                    "in EXPECTED_FAILED_CHECKS with its reason.")


def test_the_expected_failures_name_estimators_and_checks_that_exist():
    """A misspelt entry would match nothing and excuse nothing: every entry names an
    estimator of the suite and one of the checks scikit-learn runs on it."""
    for cls, checks in EXPECTED_FAILED_CHECKS.items():
        estimators = [estimator for estimator in ESTIMATORS if type(estimator) is cls]
        assert estimators, f"{cls.__name__} is not in ESTIMATORS"
        names = {_check_name(check)
                 for _, check in estimator_checks_generator(estimators[0], mark=None)}
        assert set(checks) <= names, set(checks) - names
        assert all(reason.strip() for reason in checks.values())


@pytest.mark.filterwarnings("ignore::ftml.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("solver", ["gd", "lbfgs", "sag"])
def test_ridge_s_iterative_solvers_pass_the_n_iter_check(solver):
    check_non_transformer_estimators_n_iter("Ridge", Ridge(solver=solver))


@pytest.mark.parametrize("estimator, kind, multi_class", [
    (OLS(), "regressor", None),
    (Ridge(solver="gd"), "regressor", None),
    (StandardScaler(), "transformer", None),
    (LogisticRegression(), "classifier", False),
    (FixedThresholdClassifier(LogisticRegression()), "classifier", False),
    (OneVsRestClassifier(LogisticRegression()), "classifier", True),
    (OneVsOneClassifier(LogisticRegression()), "classifier", True),
    (SoftmaxRegression(), "classifier", True),
    (GridSearchCV(LogisticRegression(), {"alpha": [1.0]}), "classifier", False),
    (GridSearchCV(SoftmaxRegression(), {"alpha": [1.0]}), "classifier", True),
    (GridSearchCV(Ridge(), {"alpha": [1.0]}), "regressor", None),
    (KNeighborsRegressor(), "regressor", None),
    (KNeighborsClassifier(), "classifier", True),
    (ThresholdClassifier(), "classifier", True),
    (DummyRegressor(), "regressor", None),
    (DummyClassifier(), "classifier", True),
    (PolynomialFeatures(), "transformer", None),
    (PolynomialRegression(), "regressor", None),
    (PCA(), "transformer", None),
    (KMeans(), "transformer", None),
], ids=lambda value: type(value).__name__ if hasattr(value, "fit") else None)
def test_scikit_learn_reads_what_each_estimator_is_from_its_tags(estimator, kind, multi_class):
    tags = get_tags(estimator)
    assert tags.target_tags.required is (kind != "transformer")
    assert (tags.transformer_tags is not None) is (kind == "transformer")
    assert is_classifier(estimator) is (kind == "classifier")
    assert is_regressor(estimator) is (kind == "regressor")
    if multi_class is not None:
        assert tags.classifier_tags.multi_class is multi_class


def test_the_core_imports_no_sklearn():
    """ftml only imports scikit-learn in ``__sklearn_tags__``, which only scikit-learn calls:
    importing, fitting and predicting, failing before fit or on a column-vector y, and
    scoring a search load no sklearn module."""
    code = """
import sys, warnings
import numpy as np
import ftml, ftml.dummy, ftml.linear_model, ftml.multiclass, ftml.model_selection
import ftml.preprocessing
from ftml.exceptions import NotFittedError
from ftml.linear_model import OLS, LogisticRegression
from ftml.model_selection import GridSearchCV
rng = np.random.default_rng(0)
X, y = rng.standard_normal((30, 3)), rng.integers(0, 2, 30)
try:
    OLS().predict(X)
except NotFittedError:
    pass
with warnings.catch_warnings(record=True):
    warnings.simplefilter("always")
    OLS().fit(X, y.reshape(-1, 1)).predict(X)
GridSearchCV(LogisticRegression(), {"alpha": [0.1, 1.0]}, cv=3).fit(X, y).score(X, y)
ftml.preprocessing.StandardScaler().fit_transform(X)
ftml.preprocessing.PolynomialFeatures(3).fit_transform(X)
import ftml.decomposition
ftml.decomposition.PCA(2).fit(X).score(X)
import ftml.cluster
ftml.cluster.KMeans(3, random_state=0).fit(X).score(X)
ftml.dummy.DummyRegressor().fit(X, y).score(X, y)
ftml.dummy.DummyClassifier(strategy="stratified", random_state=0).fit(X, y).score(X, y)
ftml.linear_model.PolynomialRegression(5).fit(X[:, :1], y).score(X[:, :1], y)
print(sorted(name for name in sys.modules if name.split(".")[0] == "sklearn"))
"""
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert output == "[]"
