"""The project's promises about itself: one list of packages, one test command."""

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# conda-forge splits or names some packages differently from PyPI.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}


def _pyproject_pins():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    pins = {}
    for requirement in requirements:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]+\])?==(.+)", requirement).groups()
        pins[name.lower()] = version
    return pins


def _conda_pins():
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    pins = {}
    for dependency in environment["dependencies"]:
        if isinstance(dependency, dict):  # the pip section: PyPI names and pins
            for requirement in dependency["pip"]:
                name, version = requirement.split("==")
                pins[name.lower()] = version
            continue
        if dependency.startswith(("python=", "pip")):
            continue
        name, version = dependency.split("=")
        pins[CONDA_TO_PYPI.get(name, name).lower()] = version
    return pins


def test_environment_yml_and_pyproject_list_the_same_pinned_packages():
    assert _conda_pins() == _pyproject_pins()


def test_ci_runs_exactly_the_readme_test_command_first():
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"^(python3 -m venv .*pytest.*)$", readme, re.MULTILINE)
    assert len(set(commands)) == 1, commands
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci_lines[0] == commands[0]
    assert ci_lines[1:] == ["bash tests/cluster/slurm_smoke.sh"]
