"""The shape of each dataset, known at validation: the checks of data-dependent limits
(``folds`` against the samples and the smallest class, ``n_clusters`` against the samples of
a fit) need it before any job runs.

A generator's shape is in its parameters. A bundled or file data set is read once and its
shape cached on disk, keyed by what determines it (a file's content hash, a bundled data
set's name and loader), so that reading the workflow again costs no loading.
"""

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["DataShape", "data_shape", "file_digest", "fit_shape"]


@dataclass(frozen=True)
class DataShape:
    """What validation knows of a dataset.

    Attributes
    ----------
    n_samples, n_features : int
    n_classes, smallest_class : int or None
        The number of distinct targets and the members of the rarest, when the targets are
        labels (integral values or names); None for a generator's data, whose labels are
        drawn.
    named_classes : bool
        Whether the targets are class names (strings), which only a classifier can fit.
    """

    n_samples: int
    n_features: int
    n_classes: int | None = None
    smallest_class: int | None = None
    named_classes: bool = False


def fit_shape(n_samples, n_features):
    """The shape of the data one fit sees (the limits of an estimator read it)."""
    return DataShape(int(n_samples), int(n_features))


def data_shape(spec, data_params, cache_dir=None):
    """Return the :class:`DataShape` of a dataset at one of its points.

    Parameters
    ----------
    spec : dict
        The dataset's checked spec (``generator``, ``bundled`` or ``file``).
    data_params : dict
        The generator's parameters at the point (empty otherwise).
    cache_dir : path-like, default=None
        Where loaded shapes are kept between readings of the workflow; None keeps them in
        this process only.

    Returns
    -------
    DataShape

    Raises
    ------
    ValueError, OSError
        What loading the data set raises: a bad file is refused here, before any job.
    """
    if "generator" in spec:
        from ftml.experiments.catalog import catalog

        n_samples, n_features = catalog().generators[spec["generator"]].shape(data_params)
        return DataShape(int(n_samples), int(n_features))
    key = _key(spec)
    return _cached(key, spec.get("bundled"), spec.get("file"), spec.get("target"),
                   None if cache_dir is None else str(cache_dir))


def file_digest(path):
    """The SHA-256 of a file's bytes, read in blocks (a data set may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(spec):
    from ftml.experiments.provenance import source_hash

    if "bundled" in spec:
        import importlib.metadata

        origin = f"bundled:{spec['bundled']}:{importlib.metadata.version('scikit-learn')}"
        loader = source_hash(["ftml.datasets._bundled"])
    else:
        origin = f"file:{file_digest(spec['file'])}:{spec.get('target')!r}"
        loader = source_hash(["ftml.datasets._files"])
    return f"{origin}:{loader}"


@lru_cache(maxsize=None)
def _cached(key, bundled, file, target, cache_dir):
    store = None if cache_dir is None else Path(cache_dir) / "data-shapes.json"
    known = {}
    if store is not None and store.is_file():
        try:
            known = json.loads(store.read_text())
        except ValueError:
            known = {}  # a damaged cache is rebuilt, never trusted
    if key in known:
        return DataShape(**known[key])
    from ftml import datasets

    X, y = (datasets.load_bundled(bundled) if bundled is not None
            else datasets.load_file(file, target=target))
    shape = DataShape(int(X.shape[0]), int(X.shape[1]), *_classes(y),
                      named_classes=np.asarray(y).dtype.kind in "US")
    if store is not None:
        known[key] = asdict(shape)
        _write_atomically(store, json.dumps(known, sort_keys=True))
    return shape


def _classes(y):
    """The number of classes and the size of the smallest, or (None, None)."""
    y = np.asarray(y)
    if y.dtype.kind in "fc" and not np.all(y == np.round(y)):
        return None, None
    _, counts = np.unique(y, return_counts=True)
    return int(counts.size), int(counts.min())


def _write_atomically(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)
