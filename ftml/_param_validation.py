"""Parameter constraints: each hyperparameter's type and range, declared once on its class.

An estimator maps every parameter of its ``__init__`` to a list of constraints in the class
attribute ``_parameter_constraints``; a value is valid if it satisfies at least one of them.
``fit`` checks them first (:meth:`ftml.base.BaseEstimator._validate_params`), and anyone else
can read them without fitting: :func:`parameter_constraints` gives the flat map of an
estimator and of its nested estimators, :func:`parameter_type` the Python type that a config
value for a parameter is cast to. This is scikit-learn's design
(``sklearn/utils/_param_validation.py``) without depending on it, except that a boolean is
never accepted where a number is expected.

A constraint is one of:

- ``Interval(numbers.Integral or numbers.Real, left, right, closed=...)``, a range of
  numbers; numpy's integer and float scalars count as Python's, booleans do not;
- ``Options(type, values)``, a finite set, for instance ``Options(str, {"svd", "lbfgs"})``;
- ``"boolean"``: ``bool`` or ``numpy.bool_``;
- ``"random_state"``: what :func:`ftml.validation.check_random_state` accepts (None, a
  non-negative int, a numpy ``SeedSequence`` or ``Generator``);
- ``"array-like"``: a list, tuple or array, not a string or a scalar;
- ``None``: the value None;
- ``HasMethods(["fit", "predict"])``: an object, not a class, with these methods (a nested
  estimator);
- a type, such as ``dict``: its instances; ``callable``: any callable.

These modules' public names are re-exported by :mod:`ftml.validation`.
"""

import builtins
import numbers

import numpy as np

from ftml.exceptions import InvalidParameterError

__all__ = [
    "HasMethods",
    "Interval",
    "Options",
    "make_constraint",
    "parameter_constraints",
    "parameter_type",
    "validate_parameter_constraints",
]

# What a config value is cast to, for the types a constraint may name.
_CONFIG_TYPES = {bool: bool, int: int, numbers.Integral: int, float: float,
                 numbers.Real: float, str: str}


def _is_number(value, kind):
    """Whether ``value`` is an instance of ``kind`` (Integral or Real) and not a boolean."""
    return isinstance(value, kind) and not isinstance(value, (bool, np.bool_))


def _type_name(kind):
    return {numbers.Integral: "int", numbers.Real: "float"}.get(kind, kind.__name__)


class _Constraint:
    """A set of valid values.

    Subclasses define :meth:`is_satisfied_by`, ``__str__`` (the words that complete "must
    be ..." in an error message), ``config_type`` and, for the common tests,
    :meth:`invalid_values`.

    Attributes
    ----------
    config_type : type or None
        The Python type a config value satisfying this constraint is cast to; None if a
        config cannot give such a value (an estimator, an array).
    """

    config_type = None

    def is_satisfied_by(self, value):
        """Return whether ``value`` satisfies the constraint."""
        raise NotImplementedError

    def invalid_values(self):
        """Return values the constraint refuses, for tests that every check is reached."""
        return []

    def __repr__(self):
        return f"<{type(self).__name__}: {self}>"


class Interval(_Constraint):
    """A range of integers or of real numbers.

    Parameters
    ----------
    type : {numbers.Integral, numbers.Real}
        The numbers in the range. ``numbers.Real`` includes the integers; neither includes
        the booleans.
    left, right : int, float or None
        The bounds; None is -inf or +inf.
    closed : {"both", "left", "right", "neither"}
        Which bounds belong to the range. An infinite bound that is closed admits the
        infinite float; for integers an infinite bound must be open.

    Raises
    ------
    ValueError, TypeError
        If the range is ill defined (an unknown type or ``closed``, ``right <= left``).

    Examples
    --------
    >>> from numbers import Integral, Real
    >>> alpha = Interval(Real, 0, None, closed="left")
    >>> str(alpha), alpha.is_satisfied_by(0), alpha.is_satisfied_by(True)
    ('a float in the range [0.0, inf)', True, False)
    >>> str(Interval(Integral, 1, None, closed="left"))
    'an int in the range [1, inf)'
    """

    def __init__(self, type, left, right, *, closed):
        if type not in (numbers.Integral, numbers.Real):
            raise ValueError(f"type must be numbers.Integral or numbers.Real, got {type!r}.")
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(
                f"closed must be 'both', 'left', 'right' or 'neither', got {closed!r}."
            )
        for side, bound in (("left", left), ("right", right)):
            if bound is not None and not _is_number(bound, type):
                raise TypeError(
                    f"{side} must be None or {'an int' if type is numbers.Integral else 'a real'}"
                    f", got {bound!r}."
                )
        if type is numbers.Integral:
            if left is None and closed in ("both", "left"):
                raise ValueError("An interval of integers must be open at -inf (left=None).")
            if right is None and closed in ("both", "right"):
                raise ValueError("An interval of integers must be open at +inf (right=None).")
        if left is not None and right is not None and right <= left:
            raise ValueError(f"right must be greater than left, got left={left}, right={right}.")
        self.type = type
        self.left = left
        self.right = right
        self.closed = closed

    @property
    def config_type(self):
        return _CONFIG_TYPES[self.type]

    def _closed_left(self):
        return self.closed in ("both", "left")

    def _closed_right(self):
        return self.closed in ("both", "right")

    def is_satisfied_by(self, value):
        if not _is_number(value, self.type) or value != value:  # NaN is in no range
            return False
        left = -np.inf if self.left is None else self.left
        right = np.inf if self.right is None else self.right
        above = value >= left if self._closed_left() else value > left
        below = value <= right if self._closed_right() else value < right
        return bool(above and below)

    def invalid_values(self):
        values = []
        for bound, closed, outward in ((self.left, self._closed_left(), -np.inf),
                                       (self.right, self._closed_right(), np.inf)):
            if bound is None:
                continue
            if self.type is numbers.Integral:
                values.append(bound if not closed else bound + (1 if outward > 0 else -1))
            else:  # the open bound itself, or the nearest float beyond the closed one
                values.append(float(bound if not closed else np.nextafter(bound, outward)))
        if self.type is numbers.Real:
            values.append(float("nan"))
        else:
            values.append(1.5 if self.left is None else self.left + 1.5)  # not an integer
        return values + [True, "1"]  # a boolean and a string are not numbers

    def __str__(self):
        def show(bound, infinite):
            if bound is None:
                return infinite
            return str(float(bound)) if self.type is numbers.Real else str(bound)

        return (
            f"{'an int' if self.type is numbers.Integral else 'a float'} in the range "
            f"{'[' if self._closed_left() else '('}{show(self.left, '-inf')}, "
            f"{show(self.right, 'inf')}{']' if self._closed_right() else ')'}"
        )


class Options(_Constraint):
    """A finite set of values of one type.

    Parameters
    ----------
    type : type
        The values' type, for instance ``str``; a boolean counts as a number only if
        ``type`` is ``bool``.
    values : iterable
        The valid values. A sequence keeps its order in messages; a set is sorted.

    Examples
    --------
    >>> solver = Options(str, {"svd", "cholesky"})
    >>> str(solver), solver.is_satisfied_by("svd"), solver.is_satisfied_by("lu")
    ("a str among {'cholesky', 'svd'}", True, False)
    """

    def __init__(self, type, values):
        if not isinstance(type, builtins.type):  # ``type`` is the parameter here
            raise TypeError(f"type must be a type, got {type!r}.")
        if isinstance(values, (set, frozenset)):
            try:
                values = sorted(values)
            except TypeError:  # values that do not compare
                values = sorted(values, key=repr)
        values = tuple(dict.fromkeys(values))
        for value in values:
            if not isinstance(value, type):
                raise TypeError(f"Option {value!r} is not of type {_type_name(type)}.")
        self.type = type
        self.values = values

    @property
    def config_type(self):
        return _CONFIG_TYPES.get(self.type)

    def is_satisfied_by(self, value):
        if isinstance(value, (bool, np.bool_)) and self.type is not bool:
            return False
        if not isinstance(value, self.type):
            return False
        return any(value == option for option in self.values)

    def invalid_values(self):
        if self.type is str:
            return [f"not {' or '.join(self.values)}"]
        if self.type in (numbers.Integral, numbers.Real, int, float):
            return [max(self.values) + 1]
        return []

    def __str__(self):
        name = _type_name(self.type)
        article = "an" if name[0] in "aeiou" else "a"
        return f"{article} {name} among {{{', '.join(map(repr, self.values))}}}"


class HasMethods(_Constraint):
    """An object, not a class, with the given methods: typically a nested estimator.

    Parameters
    ----------
    methods : str or list of str
        The names of the methods the object must have.

    Examples
    --------
    >>> from ftml.linear_model import Ridge
    >>> estimator = HasMethods(["fit", "predict"])
    >>> estimator.is_satisfied_by(Ridge()), estimator.is_satisfied_by(Ridge)
    (True, False)
    >>> str(estimator)
    "an object implementing 'fit' and 'predict'"
    """

    def __init__(self, methods):
        methods = [methods] if isinstance(methods, str) else list(methods)
        if not methods or not all(isinstance(method, str) for method in methods):
            raise TypeError(f"methods must be a str or a non-empty list of str, got {methods!r}.")
        self.methods = methods

    def is_satisfied_by(self, value):
        # A class has its methods as functions: refuse it (Ridge for Ridge()).
        return not isinstance(value, type) and all(
            callable(getattr(value, method, None)) for method in self.methods
        )

    def invalid_values(self):
        with_methods = type("EstimatorClass", (), dict.fromkeys(self.methods, len))
        return [type("NoMethods", (), {})(), with_methods]

    def __str__(self):
        names = [repr(method) for method in self.methods]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"an object implementing {listed}"


class _Booleans(_Constraint):
    config_type = bool

    def is_satisfied_by(self, value):
        return isinstance(value, (bool, np.bool_))

    def invalid_values(self):
        return ["yes", 1]

    def __str__(self):
        return "a bool"


class _RandomStates(_Constraint):
    # The same cases as ftml.validation.check_random_state (tests check that they agree).
    config_type = int

    def is_satisfied_by(self, value):
        return bool(
            value is None
            or isinstance(value, (np.random.SeedSequence, np.random.Generator))
            or (_is_number(value, numbers.Integral) and value >= 0)
        )

    def invalid_values(self):
        return [-1, 1.5, "0", np.random.RandomState(0)]

    def __str__(self):
        return "None, a non-negative int, a numpy SeedSequence or a numpy Generator"


class _ArrayLikes(_Constraint):
    def is_satisfied_by(self, value):
        if value is None or isinstance(value, (str, bytes, dict)) or np.isscalar(value):
            return False
        if not (hasattr(value, "__len__") or hasattr(value, "__array__")):
            return False
        return getattr(value, "ndim", 1) != 0

    def invalid_values(self):
        return ["not an array", 1.0]

    def __str__(self):
        return "an array-like"


class _NoneConstraint(_Constraint):
    def is_satisfied_by(self, value):
        return value is None

    def __str__(self):
        return "None"


class _Callables(_Constraint):
    def is_satisfied_by(self, value):
        return callable(value)

    def invalid_values(self):
        return ["not callable"]

    def __str__(self):
        return "a callable"


class _InstancesOf(_Constraint):
    def __init__(self, kind):
        self.type = kind

    @property
    def config_type(self):
        return _CONFIG_TYPES.get(self.type)

    def is_satisfied_by(self, value):
        return isinstance(value, self.type)

    def invalid_values(self):
        return [type("OtherType", (), {})()]

    def __str__(self):
        return f"an instance of {_type_name(self.type)!r}"


_NAMED = {"boolean": _Booleans, "random_state": _RandomStates, "array-like": _ArrayLikes}


def make_constraint(constraint):
    """Return the constraint object that ``constraint`` stands for.

    Parameters
    ----------
    constraint : object
        A constraint object, None, one of the strings ``"boolean"``, ``"random_state"``,
        ``"array-like"``, the builtin ``callable``, or a type.

    Returns
    -------
    constraint : _Constraint

    Raises
    ------
    ValueError
        If ``constraint`` is none of these.
    """
    if isinstance(constraint, _Constraint):
        return constraint
    if constraint is None:
        return _NoneConstraint()
    if constraint is callable:
        return _Callables()
    if isinstance(constraint, str) and constraint in _NAMED:
        return _NAMED[constraint]()
    if isinstance(constraint, type):
        return _InstancesOf(constraint)
    raise ValueError(
        f"Unknown constraint {constraint!r}: expected an Interval, Options or HasMethods, "
        f"None, callable, a type, or one of {', '.join(map(repr, _NAMED))}."
    )


def _constraint_list(name, constraints):
    if not isinstance(constraints, (list, tuple)):
        raise TypeError(
            f"The constraints of {name!r} must be a list of constraints, got {constraints!r}."
        )
    return [make_constraint(constraint) for constraint in constraints]


def _describe(constraints):
    phrases = [str(constraint) for constraint in constraints]
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])} or {phrases[-1]}"


def validate_parameter_constraints(constraints, params, caller_name):
    """Check parameter values against their constraints.

    Parameters
    ----------
    constraints : dict of str to list
        Each parameter's constraints; a value must satisfy at least one. Parameters without
        an entry are not checked.
    params : dict of str to object
        The values, such as ``estimator.get_params(deep=False)``.
    caller_name : str
        The estimator (or function) named in the message.

    Raises
    ------
    InvalidParameterError
        For the first parameter that satisfies none of its constraints, naming it, the
        caller, what is allowed and the value. It is both a ValueError and a TypeError.

    Examples
    --------
    >>> from numbers import Real
    >>> validate_parameter_constraints(
    ...     {"alpha": [Interval(Real, 0, None, closed="left")]}, {"alpha": -1.0}, "Ridge")
    Traceback (most recent call last):
    ...
    ftml.exceptions.InvalidParameterError: The 'alpha' parameter of Ridge must be a float \
in the range [0.0, inf). Got -1.0 instead.
    """
    for name, value in params.items():
        if name not in constraints:
            continue
        allowed = _constraint_list(name, constraints[name])
        if not any(constraint.is_satisfied_by(value) for constraint in allowed):
            # True == 1 in Python: say why a boolean is refused where a number is expected.
            numeric = any(isinstance(constraint, Interval) for constraint in allowed)
            boolean = isinstance(value, (bool, np.bool_))
            note = " (a bool is not a number here)" if numeric and boolean else ""
            raise InvalidParameterError(
                f"The {name!r} parameter of {caller_name} must be {_describe(allowed)}. "
                f"Got {value!r} instead{note}."
            )


def parameter_type(constraints):
    """Return the Python type a config value for a parameter is cast to.

    Parameters
    ----------
    constraints : list
        The parameter's constraints.

    Returns
    -------
    type : {int, float, numbers.Real, bool, str} or None
        The type of the constraints that a config can satisfy (None, an estimator or an
        array cannot be written in one): ``numbers.Real`` when both ints and floats are
        allowed, because they then mean different things (PCA's ``n_components=2`` keeps
        two components, ``0.9`` the fraction 90% of the variance) and a value keeps the
        type it is written in; None when there is no such constraint, or when several
        types are (a string or a number), so that the parameter is not set from a config.

    Examples
    --------
    >>> from numbers import Integral, Real
    >>> parameter_type([Interval(Integral, 1, None, closed="left"), None])
    <class 'int'>
    >>> parameter_type([Interval(Real, 0, None, closed="left")])
    <class 'float'>
    >>> parameter_type([Interval(Integral, 1, None, closed="left"),
    ...                 Interval(Real, 0, 1, closed="neither")])
    <class 'numbers.Real'>
    >>> parameter_type(["boolean"]), parameter_type([Options(str, {"svd", "gd"})])
    (<class 'bool'>, <class 'str'>)
    >>> print(parameter_type([HasMethods(["fit", "predict"])]))
    None
    """
    types = {constraint.config_type for constraint in _constraint_list("parameter", constraints)}
    types.discard(None)
    if types == {int, float}:
        return numbers.Real
    return types.pop() if len(types) == 1 else None


def parameter_constraints(estimator):
    """Return the constraints of an estimator's parameters, nested estimators' included.

    Parameters
    ----------
    estimator : BaseEstimator or type
        An estimator, or an estimator class (whose nested estimators are then unknown).

    Returns
    -------
    constraints : dict of str to list
        ``estimator``'s ``_parameter_constraints``, then those of each nested ftml estimator
        (a parameter whose value is one), read from that instance's class and named
        ``<name>__<param>`` as in ``get_params(deep=True)``. A nested estimator of another
        library (scikit-learn's, whose constraints have another format) adds nothing.

    Examples
    --------
    With the values of ``get_params(deep=True)``, a config's parameters are checked
    without fitting:

    >>> from ftml.base import BaseEstimator
    >>> from ftml.linear_model import Ridge
    >>> class Wrapper(BaseEstimator):
    ...     _parameter_constraints = {"estimator": [HasMethods(["fit", "predict"])]}
    ...     def __init__(self, estimator):
    ...         self.estimator = estimator
    >>> model = Wrapper(Ridge()).set_params(estimator__alpha=-1.0)
    >>> sorted(parameter_constraints(model))[:3]
    ['estimator', 'estimator__alpha', 'estimator__fit_intercept']
    >>> validate_parameter_constraints(parameter_constraints(model),
    ...                                model.get_params(deep=True), "Wrapper")
    Traceback (most recent call last):
    ...
    ftml.exceptions.InvalidParameterError: The 'estimator__alpha' parameter of Wrapper \
must be a float in the range [0.0, inf]. Got -1.0 instead.
    """
    from ftml.base import BaseEstimator  # ftml.base imports this module

    cls = estimator if isinstance(estimator, type) else type(estimator)
    constraints = dict(getattr(cls, "_parameter_constraints", {}))
    if cls is estimator:
        return constraints
    for name, value in estimator.get_params(deep=False).items():
        if isinstance(value, BaseEstimator):
            constraints.update(
                (f"{name}__{key}", nested)
                for key, nested in parameter_constraints(value).items()
            )
    return constraints
