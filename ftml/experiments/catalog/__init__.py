"""The names a config may use, gathered from the chapters' declarations.

Each public module of this package is a chapter: it imports its library code and lists, in
``DECLARATIONS``, the generators, estimators, metrics, theories, bounds and solvers it adds
(see :mod:`~ftml.experiments.catalog._declarations`), and its place in the course as
``ORDER`` (documentation lists names in that order). :func:`catalog` finds the chapters by
listing the package, so adding a chapter is adding a module here; nothing else keeps a list
of names. Bundled data sets are those :func:`ftml.datasets.load_bundled` knows.
"""

import importlib
import pkgutil
from functools import lru_cache

from ftml.experiments.catalog._declarations import (
    MEASUREMENT_SETTINGS,
    METRIC_KINDS,
    Bound,
    Catalog,
    Estimator,
    Generator,
    Metric,
    Solver,
    Theory,
)

__all__ = ["Bound", "Catalog", "Estimator", "Generator", "Metric", "Solver", "Theory",
           "MEASUREMENT_SETTINGS", "METRIC_KINDS", "SEEDED_PARAMETERS", "bundled_names",
           "catalog", "chapter_modules", "estimator_modules"]

# Estimator parameters the runner sets from the job's identity, never the config.
SEEDED_PARAMETERS = ("random_state",)


def chapter_modules():
    """The dotted names of the chapter modules, in alphabetical order."""
    return [f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__)
            if not info.name.startswith("_")]


@lru_cache(maxsize=None)
def catalog():
    """Return the :class:`Catalog` of every chapter's declarations (built once).

    Raises
    ------
    ValueError
        If two declarations of one kind share a name.
    """
    found = Catalog()
    modules = [importlib.import_module(name) for name in chapter_modules()]
    for module in sorted(modules, key=lambda module: module.ORDER):
        name = module.__name__
        for declaration in module.DECLARATIONS:
            found.add(declaration, name.rpartition(".")[2])
    return found


def bundled_names():
    """The bundled data sets a dataset's ``bundled:`` key may name."""
    from ftml.datasets import BUNDLED

    return BUNDLED


def estimator_modules(name):
    """The modules whose source determines what estimator ``name`` computes: its class's
    and its nested estimators' (for provenance hashes)."""
    prototype = catalog().estimators[name].factory()
    modules = [type(prototype).__module__]
    for value in prototype.get_params(deep=True).values():
        if hasattr(value, "fit"):
            modules.append(type(value).__module__)
    return list(dict.fromkeys(modules))
