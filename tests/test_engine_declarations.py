"""The engine's names are declared once: protocols, checks and the catalog.

Every list of names that a user meets (the schema's enums, the README's vocabulary) derives
from the declarations or is checked against them here; no protocol's name is compared
outside its own module.
"""

import ast
import re
from pathlib import Path

import pytest
import yaml

from ftml.experiments.catalog import METRIC_KINDS, catalog, chapter_modules
from ftml.experiments.checks import CHECKS, KEY_ROLES
from ftml.experiments.config import SCHEMA_PATH
from ftml.experiments.protocols import Protocol, get_protocol, protocols

REPO = Path(__file__).resolve().parents[1]


def _sources():
    """Every Python source of the library and the workflow (rules included)."""
    paths = sorted((REPO / "ftml").rglob("*.py")) + sorted((REPO / "workflow").rglob("*.py"))
    paths += sorted((REPO / "workflow").rglob("*.smk")) + [REPO / "Snakefile"]
    return paths


def _compared_strings(tree):
    """The string constants that stand on either side of a comparison (==, !=, in)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                if isinstance(operand, ast.Constant) and isinstance(operand.value, str):
                    yield operand.value, node.lineno
                if isinstance(operand, (ast.Tuple, ast.List, ast.Set)):
                    for item in operand.elts:
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            yield item.value, node.lineno


def _parse(path):
    return ast.parse(path.read_text())


# A rule file is Python around Snakemake's rule blocks, which ast cannot read: its
# comparisons are found in the text.
_TEXT_COMPARISON = re.compile(
    r"""(?:==|!=|\bin)\s*\(?\s*["']([a-z_]+)["']|["']([a-z_]+)["']\s*(?:==|!=|\bin\b|\bnot in\b)""")


def _comparisons(path):
    if path.suffix == ".py":
        yield from _compared_strings(_parse(path))
        return
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for match in _TEXT_COMPARISON.finditer(line):
            yield match.group(1) or match.group(2), number


def test_no_protocol_name_is_compared_outside_its_own_module():
    names = set(protocols())
    found = []
    for path in _sources():
        owner = {f"{protocol.name}.py" for protocol in protocols().values()
                 if path.parent.name == "protocols" and path.name == f"{protocol.name}.py"}
        for value, line in _comparisons(path):
            if value in names and f"{value}.py" not in owner:
                found.append(f"{path.relative_to(REPO)}:{line} compares {value!r}")
    assert not found, "\n".join(found)


def test_the_scan_finds_a_comparison_of_a_protocol_name(tmp_path):
    """The test above cannot pass by finding nothing: planted comparisons are caught."""
    planted = ast.parse('if spec["evaluation"]["protocol"] == "optimization": pass')
    assert ("optimization", 1) in set(_compared_strings(planted))
    rules = tmp_path / "rules.smk"
    rules.write_text('rule a:\n    params:\n        x=lambda w: p == "monte_carlo",\n'
                     '        y=lambda w: "iterative" in names,\n')
    assert {("monte_carlo", 3), ("iterative", 4)} <= set(_comparisons(rules))


def test_protocols_are_found_by_listing_their_package():
    found = protocols()
    assert {"monte_carlo", "cross_validation", "optimization", "iterative"} <= set(found)
    for name, protocol in found.items():
        assert isinstance(protocol, Protocol) and protocol.name == name
        assert type(protocol).__module__ == f"ftml.experiments.protocols.{name}"
        assert protocol.description
        assert set(protocol.metric_kinds) <= set(METRIC_KINDS)
        assert "rows" == protocol.outputs[-1]  # written last: its presence says "done"
    with pytest.raises(KeyError, match="unknown protocol 'bootstrap'; known: cross_validation"):
        get_protocol("bootstrap")


def test_every_check_can_run_under_some_protocol():
    features = {feature for protocol in protocols().values() for feature in protocol.provides}
    for check in CHECKS.values():
        assert check.needs <= features, check.name
        assert any(check.needs <= protocol.provides for protocol in protocols().values())
        assert set(check.keys.values()) <= set(KEY_ROLES)
        assert check.description, check.name


def _schema():
    return yaml.safe_load(Path(SCHEMA_PATH).read_text())


def test_the_schema_lists_exactly_the_declared_checks():
    schema = _schema()
    assert set(schema["$defs"]["check"]["properties"]["check"]["enum"]) == set(CHECKS)


def test_the_schema_lists_exactly_the_declared_protocols():
    evaluation = _schema()["$defs"]["experiment"]["properties"]["evaluation"]
    assert set(evaluation["properties"]["protocol"]["enum"]) == set(protocols())


def test_every_key_a_check_takes_is_in_the_schema():
    properties = set(_schema()["$defs"]["check"]["properties"])
    for check in CHECKS.values():
        assert set(check.keys) <= properties, check.name


def test_every_chapter_declares_something_and_no_name_twice():
    assert chapter_modules()
    found = catalog()
    declared = [name for names in found.chapters.values() for _, name in names]
    assert len(found.chapters) == len(chapter_modules())
    kinds = [(kind, name) for names in found.chapters.values() for kind, name in names]
    assert len(set(kinds)) == len(kinds) == len(declared)
    for metric in found.metrics.values():
        assert metric.kind in METRIC_KINDS, metric.name
    every_kind = {metric.kind for metric in found.metrics.values()}
    # each protocol measures at least one declared metric
    for protocol in protocols().values():
        if protocol.metric_kinds and protocol.name != "iterative":
            assert every_kind & set(protocol.metric_kinds), protocol.name


def test_a_generator_s_declared_check_takes_its_declared_parameters():
    """The validator checks each grid point's parameters with ``check_params``, passing
    those the dataset and the grid set: a missing one takes the check's default."""
    import inspect

    for generator in catalog().generators.values():
        if generator.check_params is None:
            continue  # the validator draws the model of every point instead
        parameters = inspect.signature(generator.check_params).parameters
        assert list(parameters) == list(generator.params), generator.name
        required = [name for name, p in parameters.items() if p.default is p.empty]
        assert required == list(generator.required), generator.name


def test_a_theory_that_needs_no_model_is_evaluated_without_one():
    """The validator evaluates such a theory at every grid point with no model (one is
    drawn at the representative points only)."""
    params = {"n_samples": 100, "n_features": 5, "noise": 0.5, "alpha": 0.1,
              "estimator": "OLS", "delta": 0.1, "n_thresholds": 10, "threshold": 0.1,
              "n_centers": 3, "n_spikes": 2}
    for theory in catalog().theories.values():
        if not theory.needs_model and not theory.needs_data:
            assert set(theory.requires) <= set(params), theory.name
            assert isinstance(float(theory.evaluate(None, params)), float), theory.name


@pytest.mark.parametrize("name, generate", [("README.md", "summary_table"),
                                            ("docs/vocabulary.md", "detailed_tables")])
def test_the_documented_vocabulary_is_the_declared_one(name, generate):
    from ftml.experiments import vocabulary

    written = vocabulary.block_of(REPO / name)
    assert written is not None, f"{name} has no vocabulary block"
    assert written == getattr(vocabulary, generate)(), (
        f"{name} is out of date: run python -m ftml.experiments.vocabulary --write README.md "
        "docs/vocabulary.md")


def test_every_declared_name_appears_in_the_documentation():
    text = (REPO / "docs/vocabulary.md").read_text()
    found = catalog()
    for table in (found.generators, found.estimators, found.metrics, found.theories,
                  found.bounds, found.solvers, CHECKS, protocols()):
        for name in table:
            assert f"`{name}`" in text, name
