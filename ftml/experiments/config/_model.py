"""The validated config: experiments, their grid points and the batches of training jobs.

These objects travel to jobs as JSON (:meth:`Experiment.to_json`), so they hold plain data
only; what a job computes from them is its protocol's (:attr:`Experiment.protocol`).
"""

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["Batch", "Config", "ConfigError", "DataFile", "Experiment", "GridPoint"]


class ConfigError(ValueError):
    """A config that cannot run; ``problems`` lists ``(key_path, reason)`` pairs."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [f"  {path or '<root>'}: {reason}" for path, reason in self.problems]
        super().__init__("Invalid config:\n" + "\n".join(lines))


@dataclass(frozen=True)
class GridPoint:
    """One job of an experiment: a combination of grid values.

    Attributes
    ----------
    id : str
        ``name~value`` pairs joined by ``__``, in grid order: a file name.
    params : dict
        The grid values of this point, cast to their parameters' types.
    data_params : dict
        The generator's parameters (the dataset's, updated with the grid's); empty for data
        sets read from files.
    data_id : str
        Names the dataset file this point reads.
    estimator_params : dict
        The estimator's parameters (the experiment's, updated with the grid's).
    dataset : str
        The dataset this point reads (one of the experiment's).
    estimator : str or None
        The registered estimator it fits (None for the optimization protocol).
    """

    id: str
    params: dict
    data_params: dict
    data_id: str
    estimator_params: dict
    dataset: str = ""
    estimator: str | None = None


@dataclass(frozen=True)
class Batch:
    """The grid points one training job runs: consecutive points of the grid.

    Attributes
    ----------
    id : str
        The point's id when the batch holds one point; ``points-<first>-<last>`` (1-based
        positions in the grid) otherwise: a file name.
    points : tuple of GridPoint
    cost : float
        The seconds its job computes, about (:mod:`._batching`); 0 when unknown.
    """

    id: str
    points: tuple
    cost: float = 0.0


@dataclass(frozen=True)
class DataFile:
    """The dataset points one file holds (and one job of rule ``dataset`` builds).

    Attributes
    ----------
    id : str
        The data point's id when the file holds one; ``<experiment>-<first>-<last>``
        otherwise, the experiment that first reads the points and their 1-based positions
        among its new points of the dataset (:func:`._batching.data_files`): a file name.
    dataset : str
    data_ids : tuple of str
    """

    id: str
    dataset: str
    data_ids: tuple


def range_id(prefix, positions, total):
    """``<prefix>-<first>-<last>``, 1-based and zero-padded to ``total``'s width."""
    width = len(str(total))
    return f"{prefix}-{positions.start + 1:0{width}d}-{positions.stop:0{width}d}"


@dataclass(frozen=True)
class Experiment:
    """A validated experiment, its expanded grid and its training jobs.

    Attributes
    ----------
    name : str
    spec : dict
        The checked spec, defaults filled in.
    points : tuple of GridPoint
        The grid, in its order.
    cuts : tuple of int
        Where each training job's batch starts in ``points`` (the first is 0); empty for
        one job per point.
    costs : tuple of float
        Each batch's estimated seconds (:mod:`._batching`), or empty.
    """

    name: str
    spec: dict
    points: tuple
    cuts: tuple = ()
    costs: tuple = ()

    def point(self, point_id):
        """Return the grid point named ``point_id``."""
        try:
            return self._points_by_id[point_id]
        except KeyError:
            raise KeyError(f"experiment {self.name!r} has no grid point {point_id!r}") from None

    @cached_property
    def _points_by_id(self):
        return {point.id: point for point in self.points}

    @cached_property
    def batches(self):
        """The training jobs' batches, consecutive grid points each (:attr:`cuts`)."""
        if not self.cuts:
            return tuple(Batch(point.id, (point,)) for point in self.points)
        bounds = [*self.cuts, len(self.points)]
        batches = []
        for index, (start, stop) in enumerate(zip(bounds, bounds[1:])):
            points = self.points[start:stop]
            batch_id = (points[0].id if len(points) == 1
                        else range_id("points", range(start, stop), len(self.points)))
            batches.append(Batch(batch_id, points, self.costs[index] if self.costs else 0.0))
        return tuple(batches)

    @cached_property
    def _batches_by_id(self):
        return {batch.id: batch for batch in self.batches}

    def batch(self, batch_id):
        """Return the batch named ``batch_id``."""
        try:
            return self._batches_by_id[batch_id]
        except KeyError:
            raise KeyError(f"experiment {self.name!r} has no batch {batch_id!r}") from None

    @cached_property
    def data_points(self):
        """Each ``(dataset, data_id)`` the experiment reads, mapped to its first grid
        point, in the grid's order."""
        first = {}
        for point in self.points:
            first.setdefault((point.dataset, point.data_id), point)
        return first

    @property
    def protocol(self):
        """The :class:`~ftml.experiments.protocols.Protocol` of the experiment."""
        from ftml.experiments.protocols import get_protocol

        return get_protocol(self.spec["evaluation"]["protocol"])

    @property
    def grid_names(self):
        """The columns that identify a point: ``dataset`` and ``estimator`` when the
        experiment has several, the grid's parameters (and ``solver``)."""
        return list(self.points[0].params) if self.points else list(self.spec["grid"])

    @property
    def datasets(self):
        """The names of the datasets the experiment reads, in the config's order."""
        return list(dict.fromkeys(point.dataset for point in self.points))

    def to_json(self):
        """Serialise to a JSON string, to hand to a job as a plain ``params`` value.

        Keys keep their order: the grid's order is the tables' column order.
        """
        return self._json

    @cached_property
    def _json(self):
        # The fields one by one: dataclasses.asdict deep-copies every value, which costs
        # seconds on a grid of 10,000 points, and each job's params asks for the text.
        fields = [field.name for field in dataclasses.fields(GridPoint)]
        return json.dumps({
            "name": self.name,
            "spec": self.spec,
            "points": [{name: getattr(point, name) for name in fields}
                       for point in self.points],
            "cuts": list(self.cuts),
            "costs": list(self.costs),
        }, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text):
        """Rebuild an experiment serialised by :meth:`to_json`."""
        data = json.loads(text, object_pairs_hook=dict)
        points = tuple(GridPoint(**point) for point in data["points"])
        return cls(name=data["name"], spec=data["spec"], points=points,
                   cuts=tuple(data["cuts"]), costs=tuple(data["costs"]))


@dataclass(frozen=True)
class Config:
    """A validated config: its seed, datasets and experiments, and the files of data.

    Attributes
    ----------
    seed : int
    datasets : dict
        Each dataset's checked spec.
    experiments : dict
        Each :class:`Experiment`, in the config's order.
    data_files : dict
        Each dataset's :class:`DataFile` tuple (:mod:`._batching`); empty for one file per
        data point.
    """

    seed: int
    datasets: dict
    experiments: dict
    data_files: dict = field(default_factory=dict)

    def to_json(self):
        """Serialise the seed and the experiments (with their grids) to a JSON string."""
        return json.dumps(
            {"seed": self.seed, "experiments": [e.to_json() for e in self.experiments.values()]},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text):
        """Rebuild a config serialised by :meth:`to_json` (without its datasets)."""
        data = json.loads(text)
        experiments = [Experiment.from_json(item) for item in data["experiments"]]
        return cls(seed=data["seed"], datasets={}, experiments={e.name: e for e in experiments})

    @cached_property
    def _data_params(self):
        """Each ``(dataset, data_id)`` read by some experiment, mapped to its generator's
        parameters, in the order the experiments first read them."""
        params = {}
        for experiment in self.experiments.values():
            for point in experiment.points:
                params.setdefault((point.dataset, point.data_id), point.data_params)
        return params

    def dataset_points(self):
        """Return the sorted ``(dataset, data_id)`` pairs that some experiment reads."""
        return sorted(self._data_params)

    def dataset_files(self):
        """Return every :class:`DataFile`, dataset by dataset."""
        return [file for files in self._files.values() for file in files]

    @cached_property
    def _files(self):
        """:attr:`data_files`, or one file per data point when it is empty."""
        if self.data_files:
            return self.data_files
        files = {}
        for dataset, data_id in self._data_params:
            files.setdefault(dataset, []).append(DataFile(data_id, dataset, (data_id,)))
        return {dataset: tuple(members) for dataset, members in files.items()}

    @cached_property
    def _file_of(self):
        return {(file.dataset, data_id): file
                for file in self.dataset_files() for data_id in file.data_ids}

    def data_file(self, dataset, file_id):
        """Return the :class:`DataFile` of ``dataset`` named ``file_id``."""
        for file in self._files.get(dataset, ()):
            if file.id == file_id:
                return file
        raise KeyError(f"dataset {dataset!r} has no file {file_id!r}")

    def data_file_of(self, dataset, data_id):
        """Return the :class:`DataFile` that holds one data point."""
        try:
            return self._file_of[dataset, data_id]
        except KeyError:
            raise KeyError(f"no experiment reads dataset {dataset!r} at {data_id!r}") from None

    def dataset_job(self, dataset, data_id):
        """Return everything that determines one data point of a dataset, as plain data."""
        try:
            data_params = self._data_params[dataset, data_id]
        except KeyError:
            raise KeyError(f"no experiment reads dataset {dataset!r} at {data_id!r}") from None
        return {
            "seed": self.seed,
            "dataset": dataset,
            "data_id": data_id,
            # The resolved parameters stand for the spec's: a dataset edit that leaves this
            # point's parameters alone must not rebuild it.
            "spec": {key: value for key, value in self.datasets[dataset].items()
                     if key != "params"},
            "data_params": data_params,
        }

    def dataset_file_jobs(self, dataset, file_id):
        """Return :meth:`dataset_job` of each data point of one file, in its order."""
        return [self.dataset_job(dataset, data_id)
                for data_id in self.data_file(dataset, file_id).data_ids]

    def optimum_points(self):
        """Return the sorted ``(experiment, data_id)`` pairs whose optimum must be computed."""
        return sorted(
            (experiment.name, data_id)
            for experiment in self.experiments.values()
            if experiment.protocol.needs_optimum
            for _, data_id in experiment.data_points
        )

    def optimum_files(self, experiment_name):
        """Return the optima files of an experiment that needs optima: one per file of its
        data, holding the data points of that file that the experiment reads (a
        :class:`DataFile` of the same id)."""
        return self._optimum_files[experiment_name]

    @cached_property
    def _optimum_files(self):
        optimum_files = {}
        for experiment in self.experiments.values():
            if not experiment.protocol.needs_optimum:
                continue
            files = {}
            for dataset, data_id in experiment.data_points:
                file = self.data_file_of(dataset, data_id)
                files.setdefault(file.id, []).append(data_id)
            optimum_files[experiment.name] = [
                DataFile(file_id, experiment.spec["dataset"], tuple(data_ids))
                for file_id, data_ids in files.items()]
        return optimum_files

    def optimum_job(self, experiment_name, data_id):
        """Return what determines an experiment's optimum at one dataset point."""
        experiment = self.experiments[experiment_name]
        point = experiment.data_points.get((experiment.spec["dataset"], data_id))
        if point is None:
            raise KeyError(f"experiment {experiment_name!r} has no dataset point {data_id!r}")
        return experiment.protocol.optimum_job(self, experiment, point)

    def optimum_file_jobs(self, experiment_name, file_id):
        """Return :meth:`optimum_job` of each data point of one optima file, in its order."""
        for file in self.optimum_files(experiment_name):
            if file.id == file_id:
                return [self.optimum_job(experiment_name, data_id) for data_id in file.data_ids]
        raise KeyError(f"experiment {experiment_name!r} has no optima file {file_id!r}")

    def training_jobs(self, experiment_name, batch_id):
        """Return :meth:`training_job` of each point of one batch, in the grid's order."""
        batch = self.experiments[experiment_name].batch(batch_id)
        return [self.training_job(experiment_name, point.id) for point in batch.points]

    def training_job(self, experiment_name, point_id):
        """Return everything that determines one training job's rows, as plain data.

        Only what the job's rows depend on is included, so that editing an experiment's
        checks, figure or other grid points does not rerun it.
        """
        experiment = self.experiments[experiment_name]
        return experiment.protocol.training_job(self, experiment, experiment.point(point_id))
