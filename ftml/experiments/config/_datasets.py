"""Check the config's datasets: a generator's name and typed parameters, a bundled data
set's name, a file's existence and content."""

from pathlib import Path

from ftml.experiments.catalog import bundled_names, catalog
from ftml.experiments.config._casting import cast_value, unknown
from ftml.experiments.config._data_shapes import data_shape, file_digest

__all__ = ["check_dataset"]


def check_dataset(name, spec, problems, cache_dir=None):
    """Check a dataset; return its spec with parameters cast to their types (a file's with
    its content's SHA-256), or None.

    A bundled or file data set is read (once per content, see
    :func:`~ftml.experiments.config._data_shapes.data_shape`): a file whose content cannot
    be loaded is refused here, before any job.
    """
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
        if "file" in spec:
            if not Path(spec["file"]).is_file():
                what = "a directory, not a file" if Path(spec["file"]).is_dir() else "no such file"
                problems.append((f"{path}.file", f"{what}: {spec['file']!r}"))
            else:
                # What a dataset job builds depends on the bytes, whatever the file's time.
                spec = {**spec, "sha256": file_digest(spec["file"])}
        if len(problems) == before:
            # Read once here (cached by content), so that a bad file starts no job.
            try:
                data_shape(spec, {}, cache_dir)
            except (OSError, ValueError, TypeError) as error:
                key = "file" if "file" in spec else "bundled"
                problems.append((f"{path}.{key}", f"cannot be read: {error}"))
    return None if len(problems) > before else spec
