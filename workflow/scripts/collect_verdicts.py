"""Concatenate the experiments' verdicts into results/verdicts.csv (rule ``collect_verdicts``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    import pandas as pd

    from ftml.experiments.integrity import ManifestReader
    from ftml.experiments.tables import write_csv

    inputs = snakemake.input  # noqa: F821
    read = ManifestReader(inputs.manifests).read_csv
    tables = [read(path) for path in inputs.verdicts]
    write_csv(pd.concat(tables, ignore_index=True), snakemake.output.verdicts)  # noqa: F821
