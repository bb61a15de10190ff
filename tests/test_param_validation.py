"""Parameter constraints: Interval, Options, HasMethods, the named constraints, the checker,
and what a config validator reads from them (parameter_type, parameter_constraints)."""

import re
from numbers import Integral, Real

import numpy as np
import pytest
import sklearn.linear_model

from ftml._param_validation import make_constraint
from ftml.base import BaseEstimator
from ftml.exceptions import InvalidParameterError
from ftml.linear_model import LogisticRegression, Ridge
from ftml.validation import (
    HasMethods,
    Interval,
    Options,
    check_random_state,
    parameter_constraints,
    parameter_type,
    validate_parameter_constraints,
)

# --- Interval ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closed, shown, zero, one",
    [("both", "[0.0, 1.0]", True, True), ("left", "[0.0, 1.0)", True, False),
     ("right", "(0.0, 1.0]", False, True), ("neither", "(0.0, 1.0)", False, False)],
)
def test_interval_bounds_follow_closed(closed, shown, zero, one):
    interval = Interval(Real, 0, 1, closed=closed)
    assert str(interval) == f"a float in the range {shown}"
    assert interval.is_satisfied_by(0.0) is zero and interval.is_satisfied_by(1) is one
    assert interval.is_satisfied_by(0.5)
    assert not interval.is_satisfied_by(-0.1) and not interval.is_satisfied_by(1.1)


def test_interval_refuses_booleans_nan_and_non_numbers_and_accepts_numpy_scalars():
    real = Interval(Real, 0, None, closed="left")
    integer = Interval(Integral, 1, None, closed="left")
    for value in (True, False, np.True_, np.nan, np.float32("nan"), "1", None, [1.0]):
        assert not real.is_satisfied_by(value), value
    for value in (0, 1.5, np.float64(2.0), np.float32(3.0), np.int8(4), np.uint64(5), 10**30):
        assert real.is_satisfied_by(value), value
    for value in (1, np.int64(7), np.uint8(1)):
        assert integer.is_satisfied_by(value), value
    for value in (True, 2.0, np.float64(3.0), 0, np.int64(-1)):
        assert not integer.is_satisfied_by(value), value


def test_interval_infinite_bounds():
    assert str(Interval(Integral, 1, None, closed="left")) == "an int in the range [1, inf)"
    assert str(Interval(Real, None, 0, closed="neither")) == "a float in the range (-inf, 0.0)"
    assert Interval(Real, 0, None, closed="both").is_satisfied_by(np.inf)
    assert not Interval(Real, 0, None, closed="left").is_satisfied_by(np.inf)
    assert not Interval(Real, 0, None, closed="left").is_satisfied_by(-np.inf)
    assert Interval(Real, None, None, closed="neither").is_satisfied_by(-1e300)


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((int, 0, 1), {"closed": "both"}, ValueError, "type must be numbers.Integral or "
                                                       "numbers.Real"),
        ((Real, 0, 1), {"closed": "open"}, ValueError, "closed must be 'both', 'left'"),
        ((Real, 1, 0), {"closed": "both"}, ValueError, "right must be greater than left"),
        ((Real, 1, 1), {"closed": "both"}, ValueError, "right must be greater than left"),
        ((Integral, 0.5, None), {"closed": "neither"}, TypeError, "left must be None or an int"),
        ((Real, "0", None), {"closed": "neither"}, TypeError, "left must be None or a real"),
        ((Integral, 1, None), {"closed": "both"}, ValueError, r"open at \+inf"),
        ((Integral, None, 1), {"closed": "both"}, ValueError, "open at -inf"),
    ],
)
def test_interval_refuses_ill_defined_ranges(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        Interval(*args, **kwargs)


def test_interval_needs_closed_by_keyword():
    with pytest.raises(TypeError):
        Interval(Real, 0, 1)
    with pytest.raises(TypeError):
        Interval(Real, 0, 1, "both")


def test_interval_invalid_values_are_just_outside():
    values = Interval(Real, 0, 1, closed="left").invalid_values()
    assert values[0] == -5e-324 and values[1] == 1.0  # beyond the closed bound, the open one
    assert Interval(Integral, 1, 10, closed="both").invalid_values()[:2] == [0, 11]
    for closed in ("both", "left", "right", "neither"):
        for kind in (Integral, Real):
            interval = Interval(kind, 0, 1 if kind is Real else 5, closed=closed)
            assert not any(interval.is_satisfied_by(v) for v in interval.invalid_values())


# --- Options and HasMethods -------------------------------------------------------------


def test_options_keep_a_sequence_s_order_and_sort_a_set():
    assert str(Options(str, ("svd", "gd", "lbfgs"))) == "a str among {'svd', 'gd', 'lbfgs'}"
    assert str(Options(str, {"svd", "cholesky"})) == "a str among {'cholesky', 'svd'}"
    assert str(Options(int, {10, 9, 1})) == "an int among {1, 9, 10}"


def test_options_check_the_type_and_refuse_booleans_and_unhashables():
    solver = Options(str, {"svd", "cholesky"})
    assert solver.is_satisfied_by("svd") and solver.is_satisfied_by(np.str_("svd"))
    for value in ("SVD", "lu", None, 1, ["svd"], {"svd": 1}):
        assert not solver.is_satisfied_by(value), value
    numbers = Options(Integral, {0, 1, 2})
    assert numbers.is_satisfied_by(1) and numbers.is_satisfied_by(np.int64(2))
    assert not numbers.is_satisfied_by(True) and not numbers.is_satisfied_by(1.0)
    assert Options(bool, {True}).is_satisfied_by(True)
    with pytest.raises(TypeError, match="Option 1 is not of type str"):
        Options(str, {"a", 1})
    with pytest.raises(TypeError, match="type must be a type"):
        Options("str", {"a"})


def test_has_methods_wants_an_instance_with_the_methods():
    constraint = HasMethods(["fit", "predict"])
    assert constraint.is_satisfied_by(Ridge())
    assert not constraint.is_satisfied_by(Ridge)  # the class, not an estimator
    assert not constraint.is_satisfied_by(object())
    assert not constraint.is_satisfied_by(type("OnlyFit", (), {"fit": len})())
    assert str(constraint) == "an object implementing 'fit' and 'predict'"
    assert str(HasMethods("fit")) == "an object implementing 'fit'"
    assert str(HasMethods(["a", "b", "c"])) == "an object implementing 'a', 'b' and 'c'"
    assert not any(constraint.is_satisfied_by(v) for v in constraint.invalid_values())
    with pytest.raises(TypeError, match="methods must be"):
        HasMethods([])


# --- The named constraints --------------------------------------------------------------


def test_boolean():
    boolean = make_constraint("boolean")
    assert str(boolean) == "a bool"
    assert all(boolean.is_satisfied_by(v) for v in (True, False, np.True_, np.bool_(False)))
    assert not any(boolean.is_satisfied_by(v) for v in (1, 0, "true", None, 1.0))


SEEDS = [None, 0, 7, np.int64(3), 2**70, np.random.default_rng(0), np.random.SeedSequence(1),
         -1, np.int32(-2), 1.0, True, "0", np.random.RandomState(0), [1, 2]]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: type(seed).__name__)
def test_random_state_accepts_what_check_random_state_accepts(seed):
    try:
        check_random_state(seed)
        accepted = True
    except (TypeError, ValueError):
        accepted = False
    assert make_constraint("random_state").is_satisfied_by(seed) is accepted


def test_array_like_none_callable_and_types():
    arrays = make_constraint("array-like")
    for value in ([1, 2], (1.0,), np.zeros(3), np.zeros((2, 2)), [[1], [2, 3]]):
        assert arrays.is_satisfied_by(value)
    for value in ("abc", 1.0, None, np.float64(1.0), np.array(1.0), {"a": 1}):
        assert not arrays.is_satisfied_by(value), value
    assert make_constraint(None).is_satisfied_by(None)
    assert not make_constraint(None).is_satisfied_by(0)
    assert make_constraint(callable).is_satisfied_by(len)
    assert not make_constraint(callable).is_satisfied_by("len")
    assert make_constraint(dict).is_satisfied_by({}) and str(make_constraint(dict)) == (
        "an instance of 'dict'")
    with pytest.raises(ValueError, match="Unknown constraint 'bool'"):
        make_constraint("bool")
    with pytest.raises(ValueError, match="Unknown constraint 3"):
        make_constraint(3)


# --- validate_parameter_constraints -----------------------------------------------------


def test_the_message_names_parameter_caller_what_is_allowed_and_the_value():
    constraints = {"alpha": [Interval(Real, 0, None, closed="left")]}
    expected = ("The 'alpha' parameter of Ridge must be a float in the range [0.0, inf). "
                "Got -1.0 instead.")
    with pytest.raises(InvalidParameterError, match=f"^{re.escape(expected)}$"):
        validate_parameter_constraints(constraints, {"alpha": -1.0}, "Ridge")
    # both a ValueError and a TypeError, as scikit-learn's
    with pytest.raises(ValueError):
        validate_parameter_constraints(constraints, {"alpha": -1.0}, "Ridge")
    with pytest.raises(TypeError):
        validate_parameter_constraints(constraints, {"alpha": "big"}, "Ridge")
    with pytest.raises(InvalidParameterError, match=re.escape(
            "Got True instead (a bool is not a number here).")):
        validate_parameter_constraints(constraints, {"alpha": True}, "Ridge")


def test_several_constraints_are_alternatives():
    constraints = {"step": [Interval(Real, 0, None, closed="neither"), None],
                   "solver": [Options(str, ("svd", "gd"))], "verbose": ["boolean"]}
    validate_parameter_constraints(constraints, {"step": None, "solver": "gd"}, "Model")
    validate_parameter_constraints(constraints, {"step": 0.1}, "Model")
    with pytest.raises(InvalidParameterError, match=re.escape(
            "The 'step' parameter of Model must be a float in the range (0.0, inf) or None. "
            "Got 0 instead.")):
        validate_parameter_constraints(constraints, {"step": 0}, "Model")
    with pytest.raises(InvalidParameterError, match=re.escape(
            "The 'solver' parameter of Model must be a str among {'svd', 'gd'}. Got 'lu' "
            "instead.")):
        validate_parameter_constraints(constraints, {"solver": "lu"}, "Model")
    three = {"x": [Interval(Integral, 1, None, closed="left"), "boolean", None]}
    with pytest.raises(InvalidParameterError, match=re.escape(
            "must be an int in the range [1, inf), a bool or None. Got 'a' instead.")):
        validate_parameter_constraints(three, {"x": "a"}, "Model")


def test_parameters_without_constraints_are_not_checked_and_lists_are_required():
    validate_parameter_constraints({}, {"anything": object()}, "Model")
    with pytest.raises(TypeError, match="The constraints of 'alpha' must be a list"):
        validate_parameter_constraints({"alpha": Interval(Real, 0, 1, closed="both")},
                                       {"alpha": 0.5}, "Model")


# --- parameter_type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "constraints, expected",
    [
        ([Interval(Integral, 1, None, closed="left"), None], int),
        ([Interval(Real, 0, None, closed="left")], float),
        ([Interval(Real, 0, None, closed="neither"), None], float),
        (["boolean"], bool),
        ([Options(str, {"svd", "cholesky"})], str),
        ([Options(Integral, {1, 2})], int),
        (["random_state"], int),
        ([Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="both")],
         Real),  # an int and a float mean different things: each keeps its type
        ([HasMethods(["fit", "predict"])], None),
        (["array-like"], None),
        ([None], None),
        ([Interval(Integral, 2, None, closed="left"), HasMethods("split")], int),
        ([Options(str, {"auto"}), Interval(Real, 0, 1, closed="left")], None),  # mixed
        ([str], str),
        ([dict, callable], None),
    ],
)
def test_parameter_type(constraints, expected):
    assert parameter_type(constraints) is expected


def test_parameter_type_of_the_estimators_constraints():
    constraints = LogisticRegression._parameter_constraints
    types = {name: parameter_type(allowed) for name, allowed in constraints.items()}
    assert types == {"alpha": float, "solver": str, "max_iter": int, "tol": float,
                     "fit_intercept": bool, "random_state": int, "step": float}


# --- parameter_constraints and meta-estimators ------------------------------------------


class Wrapper(BaseEstimator):
    """A meta-estimator of the kind ftml.multiclass and ftml.model_selection define."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "threshold": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, estimator, *, threshold=0.5):
        self.estimator = estimator
        self.threshold = threshold

    def fit(self, X, y):
        self._validate_params()
        return self


def test_parameter_constraints_of_a_plain_estimator_and_of_a_class():
    assert parameter_constraints(Ridge()) == Ridge._parameter_constraints
    assert parameter_constraints(Wrapper) == Wrapper._parameter_constraints


def test_parameter_constraints_flatten_nested_estimators_from_their_instance():
    ridge = parameter_constraints(Wrapper(Ridge()))
    logistic = parameter_constraints(Wrapper(LogisticRegression()))
    assert set(ridge) == {"estimator", "threshold"} | {
        f"estimator__{name}" for name in Ridge._parameter_constraints}
    assert ridge["estimator__alpha"] is Ridge._parameter_constraints["alpha"]
    assert "estimator__step" in logistic and "estimator__step" not in ridge
    deeper = parameter_constraints(Wrapper(Wrapper(Ridge())))
    assert deeper["estimator__estimator__solver"] is Ridge._parameter_constraints["solver"]
    assert set(deeper) >= set(Wrapper(Wrapper(Ridge())).get_params(deep=True))
    # scikit-learn's estimators declare constraints in scikit-learn's own format
    assert set(parameter_constraints(Wrapper(sklearn.linear_model.Ridge()))) == {
        "estimator", "threshold"}


def test_a_meta_estimator_s_nested_parameters_are_checked_without_fitting():
    model = Wrapper(LogisticRegression()).set_params(estimator__max_iter=0)
    with pytest.raises(InvalidParameterError, match=re.escape(
            "The 'estimator__max_iter' parameter of Wrapper must be an int in the range "
            "[1, inf). Got 0 instead.")):
        validate_parameter_constraints(parameter_constraints(model),
                                       model.get_params(deep=True), "Wrapper")
    model.set_params(estimator__max_iter=10)
    validate_parameter_constraints(parameter_constraints(model), model.get_params(deep=True),
                                   "Wrapper")


def test_validate_params_checks_the_estimator_s_own_parameters():
    Wrapper(Ridge()).fit(None, None)
    with pytest.raises(InvalidParameterError, match="The 'estimator' parameter of Wrapper must "
                                                    "be an object implementing 'fit' and "
                                                    "'predict'. Got <class"):
        Wrapper(Ridge).fit(None, None)
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of Wrapper"):
        Wrapper(Ridge(), threshold=1.5).fit(None, None)
    # an estimator without declarations checks nothing (the common tests require them)
    assert BaseEstimator._parameter_constraints == {}


@pytest.mark.parametrize("constraint", [
    Interval(Integral, 1, None, closed="left"), Interval(Real, -1, 1, closed="neither"),
    Interval(Real, None, None, closed="both"), Options(str, {"a", "b"}), Options(int, {1, 2}),
    HasMethods("fit"), "boolean", "random_state", "array-like", None, callable, dict, str,
], ids=repr)
def test_invalid_values_are_refused_by_their_constraint(constraint):
    constraint = make_constraint(constraint)
    assert not any(constraint.is_satisfied_by(value) for value in constraint.invalid_values())
