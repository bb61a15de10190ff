"""Turn an experiment's tables into verdicts: what theory predicts against what was measured.

Each check is declared beside its code (:func:`~ftml.experiments.checks._base.declare_check`)
in :mod:`~ftml.experiments.checks.statistical` (one summary row per point) or
:mod:`~ftml.experiments.checks.convergence` (iteration histories); :data:`CHECKS` holds them
all, and the config validator, the schema test and the documentation read it.
"""

import pandas as pd

from ftml.experiments.checks import convergence, statistical  # noqa: F401 (they declare)
from ftml.experiments.checks._base import CHECKS, KEY_ROLES, VERDICT_COLUMNS, Check
from ftml.experiments.integrity import require_complete

__all__ = ["CHECKS", "Check", "KEY_ROLES", "VERDICT_COLUMNS", "complete_verdicts", "verdicts"]


def verdicts(experiment, long, summary, theory):
    """Evaluate every check of an experiment.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    long, summary, theory : pandas.DataFrame
        The experiment's tables (see :mod:`ftml.experiments.tables`).

    Returns
    -------
    pandas.DataFrame
        One row per checked claim, columns ``VERDICT_COLUMNS``.
    """
    rows = []
    for check in experiment.spec["checks"]:
        kind = CHECKS[check["check"]].evaluate
        rows += [[experiment.name, *row] for row in kind(check, experiment, long, summary, theory)]
    table = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    return table.astype({"holds": bool})


def complete_verdicts(experiment, long, summary, theory):
    """:func:`verdicts` of tables first checked complete: what the workflow's checks run.

    Raises
    ------
    ftml.experiments.integrity.IncompleteResultError
        If the long table lacks a point, run or iteration that the config promises: a
        claim is never checked on fewer points than declared. (:func:`verdicts` itself
        evaluates any tables it is given, such as hand-made ones.)
    """
    require_complete(experiment, long, "its long table")
    return verdicts(experiment, long, summary, theory)
