"""The validated config: experiments, their grid points and the batches of training jobs.

These objects travel to jobs as JSON (:meth:`Experiment.to_json`), so they hold plain data
only; what a job computes from them is its protocol's (:attr:`Experiment.protocol`).
"""

import dataclasses
import json
from dataclasses import dataclass

__all__ = ["Batch", "Config", "ConfigError", "Experiment", "GridPoint"]


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
    """

    id: str
    points: tuple


@dataclass(frozen=True)
class Experiment:
    """A validated experiment and its expanded grid."""

    name: str
    spec: dict
    points: tuple

    def point(self, point_id):
        """Return the grid point named ``point_id``."""
        for point in self.points:
            if point.id == point_id:
                return point
        raise KeyError(f"experiment {self.name!r} has no grid point {point_id!r}")

    @property
    def batches(self):
        """The training jobs' batches: ``points_per_job`` consecutive grid points each."""
        size = self.spec.get("points_per_job", 1)
        if size == 1:
            return tuple(Batch(point.id, (point,)) for point in self.points)
        width = len(str(len(self.points)))
        return tuple(
            Batch(f"points-{start + 1:0{width}d}-{last:0{width}d}", self.points[start:last])
            for start in range(0, len(self.points), size)
            for last in [min(start + size, len(self.points))]
        )

    def batch(self, batch_id):
        """Return the batch named ``batch_id``."""
        for batch in self.batches:
            if batch.id == batch_id:
                return batch
        raise KeyError(f"experiment {self.name!r} has no batch {batch_id!r}")

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
        return json.dumps({
            "name": self.name,
            "spec": self.spec,
            "points": [dataclasses.asdict(point) for point in self.points],
        }, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text):
        """Rebuild an experiment serialised by :meth:`to_json`."""
        data = json.loads(text, object_pairs_hook=dict)
        points = tuple(GridPoint(**point) for point in data["points"])
        return cls(name=data["name"], spec=data["spec"], points=points)


@dataclass(frozen=True)
class Config:
    """A validated config: its seed, datasets and experiments."""

    seed: int
    datasets: dict
    experiments: dict

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

    def dataset_points(self):
        """Return the sorted ``(dataset, data_id)`` pairs that some experiment reads."""
        return sorted(
            {
                (point.dataset, point.data_id)
                for experiment in self.experiments.values()
                for point in experiment.points
            }
        )

    def optimum_points(self):
        """Return the sorted ``(experiment, data_id)`` pairs whose optimum must be computed."""
        return sorted(
            {
                (experiment.name, point.data_id)
                for experiment in self.experiments.values()
                if experiment.protocol.needs_optimum
                for point in experiment.points
            }
        )

    def optimum_job(self, experiment_name, data_id):
        """Return what determines an experiment's optimum at one dataset point."""
        experiment = self.experiments[experiment_name]
        for point in experiment.points:
            if point.data_id == data_id:
                return experiment.protocol.optimum_job(self, experiment, point)
        raise KeyError(f"experiment {experiment_name!r} has no dataset point {data_id!r}")

    def dataset_job(self, dataset, data_id):
        """Return everything that determines a dataset file, as plain data."""
        for experiment in self.experiments.values():
            for point in experiment.points:
                if point.dataset == dataset and point.data_id == data_id:
                    return {
                        "seed": self.seed,
                        "dataset": dataset,
                        # The resolved parameters stand for the spec's: a dataset edit that
                        # leaves this point's parameters alone must not rebuild it.
                        "spec": {
                            key: value
                            for key, value in self.datasets[dataset].items()
                            if key != "params"
                        },
                        "data_params": point.data_params,
                    }
        raise KeyError(f"no experiment reads dataset {dataset!r} at {data_id!r}")

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
