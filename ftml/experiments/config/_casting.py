"""Cast config values to their parameters' types, and name grid points by their values.

Values given on the command line with ``--config`` may arrive as strings, and ``1`` and
``1.0`` must name the same job: every value is cast before it names a file or a job.
"""

import math
import numbers
import re

from ftml.experiments.catalog import SEEDED_PARAMETERS

__all__ = ["cast_value", "estimator_param_problem", "estimator_param_types", "format_value",
           "point_id", "unknown"]

# Values become parts of file names, so strings are kept to a safe alphabet; "__"
# separates a point's parameters in its name, so a value never holds it.
_SAFE_STRING = re.compile(r"^(?!.*__)[A-Za-z0-9.+_-]+$")


def unknown(value, known, what="name"):
    """The reason for a name that is not among ``known``: the known ones, sorted."""
    return f"unknown {what} {value!r}; known: {', '.join(sorted(known))}"


def cast_value(value, target_type):
    """Cast a config value to a parameter's type.

    Values given on the command line with ``--config`` may arrive as strings, and ``1`` and
    ``1.0`` must name the same job: without casting, both would rerun everything.

    Parameters
    ----------
    value : int, float, bool or str
    target_type : type
        One of ``int``, ``float``, ``bool``, ``str``, or ``numbers.Real`` for a parameter
        that takes both ints and floats with different meanings: an int (``2``, ``"2"``)
        stays an int, any other number becomes a float.

    Returns
    -------
    The cast value.

    Raises
    ------
    ValueError
        If the value cannot represent the type (``2.5`` for an int, ``"yes"`` for a bool).

    Examples
    --------
    >>> cast_value("100", int), cast_value(1, float), cast_value("false", bool)
    (100, 1.0, False)
    >>> cast_value("2", numbers.Real), cast_value("0.9", numbers.Real)
    (2, 0.9)
    """
    if target_type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(f"expected true or false, got {value!r}")
    if target_type is str:
        if not isinstance(value, str) or not _SAFE_STRING.match(value):
            raise ValueError("expected a word of letters, digits, '.', '+', '-' or single "
                             f"'_', got {value!r}")
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the bool {value!r}")
    given = value
    if target_type is numbers.Real:
        target_type = int if _is_int(value) else float
    if isinstance(value, str):
        try:
            value = int(value) if target_type is int else float(value)
        except ValueError:
            try:
                value = float(value)  # "1e3" or "2.5" for an int: judged below
            except ValueError:
                article = "an" if target_type is int else "a"
                raise ValueError(
                    f"expected {article} {target_type.__name__}, got {given!r}"
                ) from None
    if isinstance(value, int):
        return value if target_type is int else float(value)
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {given!r}")
    if target_type is int:
        if not float(value).is_integer():
            raise ValueError(f"expected an integer, got {given!r}")
        return int(value)
    return float(value)


def _is_int(value):
    """Whether a config value is written as an integer (``2`` or ``"2"``, not ``2.0``)."""
    if isinstance(value, str):
        return re.fullmatch(r"[+-]?[0-9]+", value.strip()) is not None
    return isinstance(value, numbers.Integral)


def point_id(params):
    """Name a point by its ``name~value`` pairs (``default`` for an empty grid)."""
    return "__".join(f"{n}~{format_value(v)}" for n, v in params.items()) or "default"


def format_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def estimator_param_types(factory):
    """The config-settable parameters of an estimator and the type each value is cast to,
    read from the estimators' declared ``_parameter_constraints`` (nested ones named
    ``<name>__<param>``). Seeds are the runner's, not the config's; parameters no config
    value can stand for (a nested estimator, an array) are left out."""
    from ftml.validation import parameter_constraints, parameter_type

    types = {}
    for name, constraints in parameter_constraints(factory()).items():
        if name.rpartition("__")[2] in SEEDED_PARAMETERS:
            continue
        kind = parameter_type(constraints)
        if kind is not None:
            types[name] = kind
    return types


def estimator_param_problem(factory, params, label):
    """Check parameter values against the estimator's declared constraints, without
    fitting; return ``(parameter, reason)`` for the first value refused, or None."""
    from ftml.exceptions import InvalidParameterError
    from ftml.validation import parameter_constraints, validate_parameter_constraints

    constraints = parameter_constraints(factory())
    for name, value in params.items():
        if name not in constraints:
            continue
        try:
            validate_parameter_constraints({name: constraints[name]}, {name: value}, label)
        except InvalidParameterError as error:
            return name, str(error)
    return None
