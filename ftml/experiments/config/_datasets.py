"""Check the config's datasets: a generator's name and typed parameters, a bundled data
set's name, a file's existence."""

from pathlib import Path

from ftml.experiments.catalog import bundled_names, catalog
from ftml.experiments.config._casting import cast_value, unknown

__all__ = ["check_dataset"]


def check_dataset(name, spec, problems):
    """Check a dataset; return its spec with parameters cast to their types, or None."""
    path = f"datasets.{name}"
    before = len(problems)
    if "generator" in spec:
        generator = catalog().generators.get(spec["generator"])
        if generator is None:
            problems.append(
                (f"{path}.generator", unknown(spec["generator"], catalog().generators, "generator"))
            )
            return None
        params = {}
        for key, value in spec["params"].items():
            if key not in generator.params:
                problems.append(
                    (f"{path}.params.{key}", unknown(key, generator.params, "parameter"))
                )
                continue
            try:
                params[key] = cast_value(value, generator.params[key])
            except ValueError as error:
                problems.append((f"{path}.params.{key}", str(error)))
        spec = {**spec, "params": params}
    else:
        if spec.get("params"):
            problems.append((f"{path}.params", "only generator datasets take parameters"))
        if "bundled" in spec and spec["bundled"] not in bundled_names():
            problems.append(
                (f"{path}.bundled", unknown(spec["bundled"], bundled_names(), "bundled data set"))
            )
        if "file" in spec and not Path(spec["file"]).is_file():
            problems.append((f"{path}.file", f"no such file: {spec['file']!r}"))
    return None if len(problems) > before else spec
