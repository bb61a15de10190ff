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
               "experiments/protocols/monte_carlo.py", "theory.py"]
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
