"""Check that what a job reads is what its producer wrote, and all that the config promises.

Every job that writes CSV files writes, last, a manifest (``results/manifests/...json``)
with each file's row count and SHA-256; a file cut mid-line, emptied or edited after its job
no longer matches and is refused by its reader, which names the file and how to rebuild it.
Matching the manifest is not enough: :func:`require_complete` also checks a long table
against the grid points, replicates, folds and iterations its experiment's protocol promises,
so that a missing point fails rather than shrinks a check.

This module imports no pandas at module level: training jobs write manifests.
"""

import hashlib
import json
import os
from pathlib import Path

__all__ = ["IncompleteResultError", "read_verified_csv", "require_complete", "write_manifest"]


class IncompleteResultError(RuntimeError):
    """A result file is truncated, edited, or lacks rows its config promises."""


def _digest(path):
    digest = hashlib.sha256()
    lines = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            lines += block.count(b"\n")
    return digest.hexdigest(), lines


def _key(path):
    return os.path.normpath(str(path))


def write_manifest(paths, manifest_path):
    """Record each written file's data rows and SHA-256; call it after the files.

    Parameters
    ----------
    paths : iterable of path-like
        The CSV files the job wrote (one header line each).
    manifest_path : path-like
        Where the manifest goes; written atomically, so that its presence says the files
        beside it are complete.
    """
    from ftml.experiments.data import atomic_output

    entries = {}
    for path in paths:
        digest, lines = _digest(path)
        entries[_key(path)] = {"rows": lines - 1, "sha256": digest}
    with atomic_output(manifest_path) as temporary:
        Path(temporary).write_text(json.dumps({"files": entries}, indent=1, sort_keys=True)
                                   + "\n")


def rebuild_hint(path):
    """The command that rebuilds a result file and what depends on it."""
    return f"delete it and rerun: rm {path} && snakemake --cores all"


def read_verified_csv(path, manifest_path, **read_options):
    """Read a CSV into a DataFrame after checking it against its producer's manifest.

    Raises
    ------
    IncompleteResultError
        If the manifest does not list the file, or the file's bytes differ from what its
        job wrote (a truncated or edited file), naming the file and how to rebuild it.
    """
    import pandas as pd

    try:
        entries = json.loads(Path(manifest_path).read_text())["files"]
    except (OSError, ValueError, KeyError) as error:
        raise IncompleteResultError(
            f"{manifest_path}, the manifest of {path}, cannot be read ({error}); "
            f"{rebuild_hint(path)}") from None
    entry = entries.get(_key(path))
    if entry is None:
        raise IncompleteResultError(f"{path} is not among the files its job recorded in "
                                    f"{manifest_path}; {rebuild_hint(path)}")
    digest, lines = _digest(path)
    if digest != entry["sha256"]:
        raise IncompleteResultError(
            f"{path} is not the file its job wrote: {lines - 1} data rows where the job "
            f"wrote {entry['rows']} ({manifest_path}), so it was cut or edited since; "
            f"{rebuild_hint(path)}")
    return pd.read_csv(path, **read_options)


def require_complete(experiment, long, source):
    """Check a long table against what the experiment's protocol promises.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    long : pandas.DataFrame
        Its long table (one row per point and run, or per recorded iteration).
    source : str
        The files it was read from, for the message.

    Raises
    ------
    IncompleteResultError
        Listing the missing or repeated rows (the first few), so that no check runs on
        fewer points than the config declares.
    """
    problems = experiment.protocol.missing_rows(experiment, long)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more"
                                            if len(problems) > 5 else "")
        raise IncompleteResultError(
            f"{experiment.name}: the rows of {source} are not all that the config promises: "
            f"{shown}. Delete the experiment's run files and rerun: rm -r "
            f"results/runs/{experiment.name} && snakemake --cores all")


class ManifestReader:
    """Reads CSV files, each checked against the manifest (of those given) that lists it.

    Parameters
    ----------
    manifest_paths : iterable of path-like
        The manifests of the jobs that wrote the files to read.
    """

    def __init__(self, manifest_paths):
        self._manifest_of = {}
        for manifest in map(str, manifest_paths):
            try:
                entries = json.loads(Path(manifest).read_text())["files"]
            except (OSError, ValueError, KeyError) as error:
                raise IncompleteResultError(f"the manifest {manifest} cannot be read "
                                            f"({error}); {rebuild_hint(manifest)}") from None
            for path in entries:
                self._manifest_of[path] = manifest

    def read_csv(self, path, **read_options):
        """:func:`read_verified_csv` with the manifest that lists ``path``."""
        manifest = self._manifest_of.get(_key(path))
        if manifest is None:
            raise IncompleteResultError(f"{path} is in no manifest of the jobs that should "
                                        f"have written it; {rebuild_hint(path)}")
        return read_verified_csv(path, manifest, **read_options)
