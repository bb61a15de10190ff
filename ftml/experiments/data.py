"""Build, store and load the datasets that training jobs read.

A generator dataset is stored as its ground-truth model (theta*, sigma, the covariance and,
in fixed design, the design itself): training jobs draw their replicates from it. A bundled
or file dataset is stored as its ``(X, y)``, which :class:`ObservedData` serves under the same
``sample`` interface.
"""

import dataclasses
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ftml import datasets
from ftml.datasets import ObservedData
from ftml.experiments.catalog import catalog
from ftml.experiments.seeding import derive_seed

__all__ = ["ObservedData", "build_dataset", "save_dataset", "load_dataset", "atomic_output"]


def build_dataset(job):
    """Build the dataset described by a dataset job.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.dataset_job`: the root seed, the dataset's
        name and spec, and the generator's parameters.

    Returns
    -------
    LinearGaussianModel or ObservedData
    """
    spec = job["spec"]
    if "generator" in spec:
        generator = catalog().generators[spec["generator"]]
        seed = derive_seed(job["seed"], "dataset", job["dataset"], job["data_params"])
        return generator.build(**job["data_params"], random_state=seed)
    if "bundled" in spec:
        X, y = datasets.load_bundled(spec["bundled"])
    else:
        X, y = datasets.load_file(spec["file"], target=spec.get("target"))
    return ObservedData(X, y)


def save_dataset(dataset, path):
    """Write a dataset built by :func:`build_dataset` to an ``.npz`` file."""
    arrays = {"kind": np.array(type(dataset).__name__)}
    for field in dataclasses.fields(dataset):
        value = getattr(dataset, field.name)
        if value is not None:
            arrays[field.name] = np.asarray(value)
    with atomic_output(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


def load_dataset(path):
    """Read a dataset written by :func:`save_dataset`."""
    classes = {"LinearGaussianModel": datasets.LinearGaussianModel, "ObservedData": ObservedData}
    with np.load(path) as stored:
        cls = classes[str(stored["kind"])]
        values = {}
        for field in dataclasses.fields(cls):
            if field.name not in stored:
                values[field.name] = None
                continue
            value = stored[field.name]
            values[field.name] = value.item() if value.ndim == 0 else value
    return cls(**values)


@contextmanager
def atomic_output(path):
    """Yield a temporary path that replaces ``path`` only if the block succeeds.

    A job killed mid-write then leaves no truncated file that could pass for a result. A
    write that fails (a full disk, a file too large, a read-only directory) raises an
    ``OSError`` naming ``path``, whatever library was writing.
    """
    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        os.close(descriptor)
        yield temporary
        # mkstemp creates the file readable by its owner only; results are for everyone.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        if error.filename == str(path):
            raise
        raise type(error)(error.errno, error.strerror or str(error), str(path)) from error
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.remove(temporary)
