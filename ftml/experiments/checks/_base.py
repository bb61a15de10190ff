"""The declaration of a check, the table of every check, and the helpers checks share.

A check is a function ``(check, experiment, long, summary, theory) -> rows`` of
``claim, predicted, measured, tolerance, holds``, declared with :func:`declare_check`: the keys
its config entry requires and accepts, the role of each key (so that the config validator
can check it without knowing the check), and the table features it needs, which each
protocol says it provides. A claim that fails is a row with ``holds`` False, never an
exception: the report shows it.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ftml.experiments.catalog import catalog

__all__ = ["CHECKS", "Check", "KEY_ROLES", "VERDICT_COLUMNS", "claim_columns", "declare_check",
           "describe", "symmetric_ratio",
           "select", "theory_formula", "theory_row"]

VERDICT_COLUMNS = ["experiment", "claim", "predicted", "measured", "tolerance", "holds"]

# What a key of a check's config entry names, and so how the validator checks it.
KEY_ROLES = {
    "metric": "one of the experiment's metrics",
    "theory": "a theory of the catalog",
    "bound": "a bound of the catalog",
    "column": "a column that identifies a point (a grid parameter, dataset, estimator)",
    "column_value": "a value that the key's column (the check's parameter) takes",
    "column_values": "values that the check's parameter takes (a list)",
    "solver": "a solver label of the experiment (an estimator label of its estimators map, "
              "in the iterative protocol)",
    "solvers": "solver labels of the experiment (one or a list)",
    "solver_parameter": "a parameter of the experiment's solver configurations",
    "select": "a map from point columns to the value kept",
    "metric_levels": "a map from metrics to a level (keeps the iterations above it)",
    "number": "a number",
    "word": "a word, among those the schema allows",
}


@dataclass(frozen=True)
class Check:
    """A claim's test, declared once beside its code.

    Attributes
    ----------
    name : str
        The config's ``check:`` value.
    evaluate : callable
        ``evaluate(check, experiment, long, summary, theory)`` returns the claim rows.
    keys : dict of str to str
        Every key the entry may set (besides ``check``) and its role, one of
        :data:`KEY_ROLES`.
    required : tuple of str
        The keys it must set.
    needs : frozenset of str
        The table features it reads (``point_summary``, ``standard_error``,
        ``iterations``, ``solvers``); a protocol lists those it provides.
    description : str
        The first paragraph of the function's docstring.
    one_of : tuple of str
        Keys of which the entry must set exactly one (an exponent as a number, or as a
        theory of the point).
    """

    name: str
    evaluate: object
    keys: dict
    required: tuple
    needs: frozenset
    description: str
    one_of: tuple = ()


CHECKS = {}


def declare_check(name, *, keys, required, needs, one_of=()):
    """Declare the decorated function as check ``name`` (see :class:`Check`)."""
    unknown_roles = set(keys.values()) - set(KEY_ROLES)
    if unknown_roles or not set(required) | set(one_of) <= set(keys):
        raise ValueError(f"check {name!r}: bad declaration")

    def register(function):
        if name in CHECKS:
            raise ValueError(f"check {name!r} is declared twice")
        description = " ".join((function.__doc__ or "").split("\n\n")[0].split())
        CHECKS[name] = Check(name, function, dict(keys), tuple(required), frozenset(needs),
                             description, tuple(one_of))
        return function

    return register


def theory_formula(check):
    """How the report writes the theory a check names."""
    return catalog().theories[check["theory"]].formula


def describe(point, names):
    return ", ".join(
        f"{name}={point[name]:g}"
        if isinstance(point[name], numbers.Number) and not isinstance(point[name], bool)
        else f"{name}={point[name]}"
        for name in names
    )


def claim_columns(experiment, check):
    """The columns a claim's text names for a point: the grid's, then those its ``select``
    fixes beyond them (the iteration of a history)."""
    names = list(experiment.grid_names)
    return names + [name for name in check.get("select", {}) if name not in names]


def symmetric_ratio(a, b):
    """max(a / b, b / a) for positive a and b: infinite if only one of them is 0 (a grid
    that includes alpha = 0, an oracle at 0), 1 if both are."""
    if a == b:
        return 1.0
    if a <= 0 or b <= 0:
        return np.inf
    return max(a / b, b / a)


def run_label(experiment):
    """The column that names what a history was run with: ``solver`` in the optimisation
    protocol, ``estimator`` (the label of the ``estimators`` map) in the iterative one."""
    return "solver" if "solver" in experiment.grid_names else "estimator"


def pass_axis(table):
    """The x of a rate over the data: ``passes`` where the protocol counts them, else the
    ``iteration`` (an epoch, one pass, for the iterative fits of ftml)."""
    return "passes" if "passes" in table.columns else "iteration"


def select(table, select):
    for name, value in (select or {}).items():
        table = table[table[name] == value]
    return table


def theory_row(theory, point):
    mask = np.ones(len(theory), dtype=bool)
    for name, value in point.items():
        mask &= (theory[name] == value).to_numpy()
    return theory[mask].iloc[0]

