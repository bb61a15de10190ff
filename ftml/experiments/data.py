"""Build, store and load the datasets that training jobs read.

A generator dataset is stored as its ground-truth model (theta*, sigma, the covariance and,
in fixed design, the design itself): training jobs draw their replicates from it. A bundled
or file dataset is stored as its ``(X, y)``, which :class:`ObservedData` serves under the same
``sample`` interface. One file holds several data points of a dataset
(:class:`~ftml.experiments.config.DataFile`): a job per point would cost more than building
it.
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

__all__ = ["ObservedData", "atomic_output", "build_dataset", "load_data_files", "load_datasets",
           "save_datasets"]


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


def save_datasets(dataset, models, path):
    """Write the data points of one dataset file (rule ``dataset``) to an ``.npz`` file.

    Parameters
    ----------
    dataset : str
        The dataset's name, stored so that a reader can check what it was given.
    models : dict
        Each data point's ``data_id`` mapped to what :func:`build_dataset` built for it.
    path : path-like
        Written atomically (:func:`atomic_output`): a file is whole or absent.
    """
    arrays = {"dataset": np.array(dataset), "data_ids": np.array(list(models), dtype=str)}
    for index, model in enumerate(models.values()):
        arrays[f"{index}.kind"] = np.array(type(model).__name__)
        for field in dataclasses.fields(model):
            value = getattr(model, field.name)
            if value is not None:
                arrays[f"{index}.{field.name}"] = np.asarray(value)
    with atomic_output(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


def load_datasets(path, data_ids=None):
    """Read a file written by :func:`save_datasets`.

    Parameters
    ----------
    path : path-like
    data_ids : iterable of str, default=None
        The data points to read (each must be in the file); None reads them all. The
        arrays of the others are not read.

    Returns
    -------
    dataset : str
    models : dict
        Each ``data_id`` read, mapped to its model, in the order asked.

    Raises
    ------
    KeyError
        If a requested ``data_id`` is not in the file.
    """
    with np.load(path) as stored:
        dataset, positions = _contents(stored)
        wanted = list(positions) if data_ids is None else list(data_ids)
        missing = sorted(set(wanted) - set(positions))
        if missing:
            raise KeyError(f"{path} does not hold the data point(s) {missing}")
        return dataset, {data_id: _model(stored, positions[data_id]) for data_id in wanted}


def load_data_files(paths, needed=None):
    """Read dataset files into one mapping, keyed as protocols read datasets.

    Parameters
    ----------
    paths : list of path-like
        Files written by :func:`save_datasets`.
    needed : collection of (str, str), default=None
        The ``(dataset, data_id)`` pairs to read, each of which must be in one of the
        files; None reads every point of every file.

    Returns
    -------
    dict
        ``(dataset, data_id)`` mapped to its model.

    Raises
    ------
    KeyError
        If a needed pair is in none of the files: a job never runs on less than its data.
    """
    loaded = {}
    for path in paths:
        with np.load(path) as stored:
            dataset, positions = _contents(stored)
            for data_id, index in positions.items():
                if needed is None or (dataset, data_id) in needed:
                    loaded[dataset, data_id] = _model(stored, index)
    missing = sorted(set(needed or ()) - set(loaded))
    if missing:
        raise KeyError(f"no dataset file among {[str(p) for p in paths]} holds {missing}")
    return loaded


def _contents(stored):
    """The dataset's name and each data point's position in an open file."""
    ids = [str(data_id) for data_id in stored["data_ids"]]
    return str(stored["dataset"]), {data_id: index for index, data_id in enumerate(ids)}


def _model(stored, index):
    """The model stored at ``index`` of an open file (its arrays only are read)."""
    cls = datasets.STORED_MODELS[str(stored[f"{index}.kind"])]
    values = {}
    for field in dataclasses.fields(cls):
        key = f"{index}.{field.name}"
        if key not in stored:
            values[field.name] = None
            continue
        value = stored[key]
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
