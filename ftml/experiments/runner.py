"""Run one training job: a batch of grid points, by their experiment's protocol.

This module imports numpy and ftml only (no pandas, no matplotlib), since a job's start-up
is paid by every job of a run.
"""

import csv

from ftml.experiments.data import atomic_output, load_data_files
from ftml.experiments.integrity import write_manifest
from ftml.experiments.protocols import get_protocol

__all__ = ["run_batch", "write_outputs", "write_rows"]


def run_batch(jobs, dataset_paths, optimum_paths=()):
    """Run one training job's grid points, in the grid's order, reading each dataset and
    optimum once.

    Parameters
    ----------
    jobs : list of dict
        From :meth:`ftml.experiments.config.Config.training_jobs`: the points of one batch,
        all of one experiment.
    dataset_paths : list of path-like
        The dataset files (:func:`~ftml.experiments.data.save_datasets`) that hold the
        points' data; only those data points are read.
    optimum_paths : list of path-like
        For a protocol that needs optima, the optima files of the points' data.

    Returns
    -------
    dict
        Each output of the protocol (:attr:`~ftml.experiments.protocols.Protocol.outputs`)
        mapped to ``(header, rows)``, in the order they are to be written.

    Raises
    ------
    KeyError
        If a point's data or optimum is in none of the files.
    """
    protocol = get_protocol(jobs[0]["evaluation"]["protocol"])
    datasets = load_data_files(dataset_paths, {(job["dataset"], job["data_id"]) for job in jobs})
    optima = {}
    if protocol.needs_optimum:
        from ftml.experiments.optimization import load_optima

        optima = load_optima(optimum_paths, {job["data_id"] for job in jobs})
    return protocol.run(jobs, datasets, optima)


def write_outputs(outputs, paths, manifest):
    """Write each output of :func:`run_batch` to its path, in order, then their manifest
    (:func:`~ftml.experiments.integrity.write_manifest`): its presence says the files are
    complete, and their readers check them against it."""
    for name, (header, rows) in outputs.items():
        write_rows(paths[name], header, rows)
    write_manifest([paths[name] for name in outputs], manifest)


def write_rows(path, header, rows):
    """Write rows to a CSV file atomically; floats keep every digit (``repr``)."""
    with atomic_output(path) as temporary:
        with open(temporary, "w", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(
                [repr(value) if isinstance(value, float) else value for value in row]
                for row in rows
            )
