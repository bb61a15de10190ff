"""Tests for ftml.experiments.provenance: which source edits change which rule's hash.

Edits are made to a temporary copy of the ftml package (``provenance._ROOT`` points at it),
never to the sources themselves.
"""

import shutil
from pathlib import Path

import pytest

from ftml.experiments import provenance
from ftml.experiments.provenance import module_closure, source_hash

PACKAGE = Path(provenance.__file__).resolve().parents[1]


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A private copy of the ftml package, which provenance reads instead of the real one."""
    copy = tmp_path / "ftml"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(provenance, "_ROOT", copy)
    return copy


def append(path, text):
    path.write_text(path.read_text() + text)


def test_runner_closure_is_transitive_and_stops_at_the_catalog():
    closure = module_closure(("ftml.experiments.runner",))
    # Imported by the runner directly...
    direct = {"ftml.experiments.runner", "ftml.experiments.seeding", "ftml.experiments.data"}
    assert direct <= closure
    # ...and transitively: runner -> data -> datasets -> validation.
    assert "ftml.validation" in closure
    # The protocols, found at run time by listing their package, are all in, with what
    # they import: cross-validation -> model_selection, monte_carlo -> truth_metrics -> theory.
    assert {"ftml.experiments.protocols.monte_carlo", "ftml.experiments.protocols.optimization",
            "ftml.model_selection", "ftml.theory"} <= closure
    # The catalog's chapters are hashed themselves, but what they import (every estimator)
    # is not followed.
    assert {"ftml.experiments.catalog.least_squares",
            "ftml.experiments.catalog.classification"} <= closure
    assert "ftml.linear_model._ridge" not in closure
    assert "ftml.linear_model" not in closure
    assert "ftml.experiments.plots" not in closure
    # Only real modules: names imported from a module are not modules.
    assert all(name.startswith("ftml") for name in closure)
    assert "ftml.experiments.catalog.catalog" not in closure


def test_estimator_closure_follows_relative_and_package_imports():
    closure = module_closure(["ftml.linear_model._ridge"])
    assert {"ftml.linear_model._ols", "ftml.validation"} <= closure
    assert module_closure("ftml.linear_model._ridge") == closure  # a single name works too


def test_unknown_module_is_an_error():
    with pytest.raises(ImportError, match="'ftml.nonexistent' is not a module of the ftml package"):
        source_hash(["ftml.nonexistent"])


def test_hash_is_short_hex_and_order_free():
    first = source_hash(["ftml.experiments.runner", "ftml.linear_model._ridge"])
    assert len(first) == 16 and int(first, 16) >= 0
    assert source_hash(["ftml.linear_model._ridge", "ftml.experiments.runner"]) == first
    assert source_hash(["ftml.experiments.runner"]) != first


def test_real_package_and_copy_hash_alike(package):
    # The hash reads names and bytes, not paths: an identical copy gives the same hash.
    copied = source_hash(["ftml.experiments.runner"])
    provenance._ROOT = PACKAGE
    assert source_hash(["ftml.experiments.runner"]) == copied


@pytest.mark.parametrize(
    "edited", ["validation.py", "experiments/runner.py", "experiments/catalog/least_squares.py",
               "experiments/protocols/monte_carlo.py", "theory/_ols.py"]
)
def test_editing_a_module_in_the_closure_changes_the_hash(package, edited):
    before = source_hash(["ftml.experiments.runner"])
    append(package / edited, "\n# an edit\n")
    assert source_hash(["ftml.experiments.runner"]) != before


@pytest.mark.parametrize(
    "edited", ["linear_model/_ridge.py", "linear_model/__init__.py", "experiments/plots.py"]
)
def test_editing_a_module_outside_the_closure_keeps_the_hash(package, edited):
    before = source_hash(["ftml.experiments.runner"])
    append(package / edited, "\n# an edit\n")
    assert source_hash(["ftml.experiments.runner"]) == before


def test_ridge_edit_changes_the_ridge_training_hash_only(package):
    runner_ridge = source_hash(["ftml.experiments.runner", "ftml.linear_model._ridge"])
    runner_ols = source_hash(["ftml.experiments.runner", "ftml.linear_model._ols"])
    append(package / "linear_model" / "_ridge.py", "\n# an edit\n")
    assert source_hash(["ftml.experiments.runner", "ftml.linear_model._ridge"]) != runner_ridge
    assert source_hash(["ftml.experiments.runner", "ftml.linear_model._ols"]) == runner_ols


def test_a_new_import_joins_the_closure(package):
    assert "ftml.linear_model._ridge" not in module_closure(["ftml.experiments.seeding"])
    before = source_hash(["ftml.experiments.seeding"])
    append(package / "experiments" / "seeding.py", "\nfrom ftml.linear_model import _ridge\n")
    closure = module_closure(["ftml.experiments.seeding"])
    assert {"ftml.linear_model", "ftml.linear_model._ridge", "ftml.linear_model._ols"} <= closure
    after = source_hash(["ftml.experiments.seeding"])
    assert after != before
    # The new dependency's edits now count.
    append(package / "linear_model" / "_ols.py", "\n# an edit\n")
    assert source_hash(["ftml.experiments.seeding"]) != after


# Packages split into private modules (ftml.model_selection, ftml.metrics, ...): a rule names
# the package, whose __init__.py only re-exports, so the closure must reach the private modules.
SPLIT_PACKAGES = ["ftml.model_selection", "ftml.metrics", "ftml.datasets", "ftml.multiclass"]


@pytest.mark.parametrize("name", SPLIT_PACKAGES)
def test_a_package_closure_holds_every_private_module_it_re_exports(name):
    folder = PACKAGE.joinpath(*name.split(".")[1:])
    private = {f"{name}.{path.stem}" for path in folder.glob("_*.py") if path.stem != "__init__"}
    assert private and private <= module_closure(name)


def test_model_selection_closure_reaches_the_scorer_table():
    closure = module_closure("ftml.model_selection")
    assert {"ftml.model_selection._search", "ftml.metrics._scorer", "ftml.base"} <= closure


def test_editing_a_private_module_changes_the_hash_of_a_rule_naming_the_package(package):
    # training_code() adds "ftml.model_selection" for a search; GridSearchCV is in _search.py.
    alone = source_hash(["ftml.model_selection"])
    training = source_hash(["ftml.experiments.runner", "ftml.model_selection"])
    append(package / "model_selection" / "_search.py", "\n# an edit\n")
    assert source_hash(["ftml.model_selection"]) != alone
    assert source_hash(["ftml.experiments.runner", "ftml.model_selection"]) != training


@pytest.mark.parametrize(
    "edited, statement, imported",
    [
        ("model_selection/__init__.py", "from ._split import KFold", "ftml.model_selection._split"),
        ("model_selection/__init__.py", "from . import _split", "ftml.model_selection._split"),
        ("model_selection/__init__.py", "from ftml.model_selection._split import KFold",
         "ftml.model_selection._split"),
        ("model_selection/__init__.py", "from ftml.model_selection import _split",
         "ftml.model_selection._split"),
        ("model_selection/_search.py", "from ._split import _check_cv",
         "ftml.model_selection._split"),
        ("model_selection/_search.py", "from ..metrics._scorer import get_scorer",
         "ftml.metrics._scorer"),
        ("model_selection/_search.py", "from .. import metrics", "ftml.metrics"),
    ],
)
def test_each_form_of_import_inside_a_package_joins_the_closure(package, edited, statement,
                                                                 imported):
    # The module holds this one import: the closure follows it and nothing else of the package.
    path = package / edited
    path.write_text(f'"""A module with one import."""\n\n{statement}\n')
    module = "ftml." + edited.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    closure = module_closure(module)
    assert imported in closure
    assert "ftml.model_selection._validation" not in closure
    before = source_hash([module])
    target = package.joinpath(*imported.split(".")[1:])
    target = target / "__init__.py" if target.is_dir() else target.with_suffix(".py")
    append(target, "\n# an edit\n")
    assert source_hash([module]) != before


def test_a_metric_that_fits_an_estimator_hashes_its_module():
    """course_ridge_excess_risk refits Ridge itself: the jobs that measure it depend on
    Ridge's source although their estimator is OLS."""
    from ftml.experiments.config import load_config

    raw = {"seed": 1,
           "datasets": {"g": {"generator": "linear_gaussian", "params": {"design": "fixed"}}},
           "experiments": {"e": {
               "chapter": "c", "title": "t", "description": "d", "dataset": "g",
               "estimator": "OLS", "grid": {"n_samples": [20], "n_features": [3]},
               "evaluation": {"protocol": "monte_carlo", "replicates": 2},
               "metrics": ["course_ridge_excess_risk"],
               "figure": [{"metric": "course_ridge_excess_risk", "x": "n_samples"}]}}}
    experiment = load_config(raw).experiments["e"]
    modules = experiment.protocol.code_modules(experiment, experiment.points[0])
    assert "ftml.linear_model._ridge" in modules and "ftml.linear_model._ols" in modules
