"""How the grid's points are cut into jobs: by estimated cost, not one job per point.

A job costs about half a second of start-up whatever it computes (a Python process, numpy
and ftml imported, the config read), so a job per grid point spends most of a wide grid's
time starting processes, and a DAG of thousands of jobs costs Snakemake seconds to plan.
Jobs are therefore cut from consecutive items (grid points, or a dataset's points) whose
estimated costs add up to about a target, which makes each job last seconds; an item as
costly as the target keeps a job of its own; and the target grows with the total so that
no experiment has more than a bounded number of jobs, whatever the grid's shape.

The estimates only decide how points are grouped: what a point computes, and so every
table, is the same whatever the grouping (each point's draws derive from its identity).
"""

__all__ = [
    "DATA_VALUES_PER_FILE",
    "MAX_DATA_FILES",
    "MAX_TRAINING_JOBS",
    "TARGET_JOB_SECONDS",
    "pack",
]

# About how long a training job should compute, unless the config's job_seconds says
# otherwise: ten times its start-up, so that start-up is a tenth of a job (measured in
# benchmarks/pipeline_overhead.py), while a small config still spreads over a machine's
# cores.
TARGET_JOB_SECONDS = 5.0
# At most this many training jobs per experiment: beyond, jobs grow instead.
MAX_TRAINING_JOBS = 100
# A dataset file holds about this many stored values (32 MB of float64), and a dataset is
# stored in at most this many files: a dataset job costs its start-up and its writing only.
DATA_VALUES_PER_FILE = 4_000_000
MAX_DATA_FILES = 32


def pack(costs, target, max_groups):
    """Cut consecutive items into groups of about ``target`` total cost.

    Parameters
    ----------
    costs : sequence of float
        Each item's estimated cost, in the items' order.
    target : float
        The cost a group should reach; raised to ``sum(costs) / max_groups`` when that is
        larger, so that there are at most about ``2 * max_groups`` groups (a group closes at
        its first item that reaches the target, and an item costing the target or more
        sits alone).
    max_groups : int

    Returns
    -------
    list of range
        The positions of each group's items, in order, covering every item once.

    Examples
    --------
    >>> pack([1, 1, 1, 5, 1], target=2, max_groups=10)
    [range(0, 2), range(2, 3), range(3, 4), range(4, 5)]
    """
    target = max(target, sum(costs) / max_groups)
    groups, start, total = [], 0, 0.0
    for index, cost in enumerate(costs):
        if cost >= target and index > start:
            # A heavy item: close the group before it, so that it runs alone.
            groups.append(range(start, index))
            start, total = index, 0.0
        total += cost
        if total >= target:
            groups.append(range(start, index + 1))
            start, total = index + 1, 0.0
    if start < len(costs):
        groups.append(range(start, len(costs)))
    return groups


def training_cuts(experiment, datasets, cache_dir=None, job_seconds=TARGET_JOB_SECONDS):
    """Where an experiment's training jobs start in its grid, and each job's cost.

    ``points_per_job``, when the experiment sets it, cuts every that many points; otherwise
    :func:`pack` cuts by each point's estimated cost (the protocol's
    :meth:`~ftml.experiments.protocols.Protocol.cost` on the point's data shape, times the
    estimator's :attr:`~ftml.experiments.catalog.Estimator.fit_cost`).

    Parameters
    ----------
    experiment : Experiment
        Checked, with its points (and no cuts yet).
    datasets : dict
        The checked dataset specs.
    cache_dir : path-like, default=None
        Where the shapes of real data sets are cached (:func:`._data_shapes.data_shape`).
    job_seconds : float, default=TARGET_JOB_SECONDS
        The estimated seconds a job should reach (the config's ``job_seconds``).

    Returns
    -------
    cuts : tuple of int
    costs : tuple of float
    """
    costs = point_costs(experiment, datasets, cache_dir)
    size = experiment.spec.get("points_per_job")
    if size is not None:
        groups = [range(start, min(start + size, len(costs)))
                  for start in range(0, len(costs), size)]
    else:
        groups = pack(costs, job_seconds, MAX_TRAINING_JOBS)
    return (tuple(group.start for group in groups),
            tuple(sum(costs[index] for index in group) for group in groups))


def point_costs(experiment, datasets, cache_dir=None):
    """Each grid point's estimated seconds of computation, in the grid's order."""
    from ftml.experiments.catalog import catalog
    from ftml.experiments.config._data_shapes import data_shape

    protocol = experiment.protocol
    estimators = catalog().estimators
    shapes = {}
    costs = []
    for point in experiment.points:
        key = (point.dataset, point.data_id)
        if key not in shapes:
            shapes[key] = data_shape(datasets[point.dataset], point.data_params, cache_dir)
        fit_cost = estimators[point.estimator].fit_cost if point.estimator else 1.0
        costs.append(protocol.cost(experiment.spec, shapes[key], point, fit_cost))
    return costs


def data_files(experiments, datasets, cache_dir=None):
    """Cut each dataset's points into files of about :data:`DATA_VALUES_PER_FILE` values.

    A data point belongs to the first experiment, in the config's order, that reads it: its
    files hold that experiment's new points of the dataset, in its grid's order (so that a
    training job's points mostly sit in one file). A file's name depends on that experiment
    alone: adding an experiment, or editing a later one, leaves the earlier experiments'
    files, and so their jobs, as they were.

    Returns
    -------
    dict
        Each dataset's tuple of :class:`~._model.DataFile`. A file of one point is named by
        the point (``data`` for a data set without a grid); a file of several,
        ``<experiment>-<first>-<last>``, by their positions among the experiment's new points.
    """
    from ftml.experiments.config._data_shapes import data_shape
    from ftml.experiments.config._model import DataFile, range_id

    owned = set()
    files = {}
    for experiment in experiments.values():
        new = {}
        for point in experiment.points:
            key = (point.dataset, point.data_id)
            if key not in owned:
                owned.add(key)
                new.setdefault(point.dataset, []).append(point)
        for dataset, points in new.items():
            values = []
            for point in points:
                shape = data_shape(datasets[dataset], point.data_params, cache_dir)
                values.append(shape.n_samples * (shape.n_features + 1))
            files.setdefault(dataset, []).extend(
                DataFile(points[group.start].data_id if len(group) == 1
                         else range_id(experiment.name, group, len(points)),
                         dataset, tuple(points[index].data_id for index in group))
                for group in pack(values, DATA_VALUES_PER_FILE, MAX_DATA_FILES)
            )
    return {dataset: tuple(members) for dataset, members in files.items()}
