"""Concatenate the experiments' verdicts into results/verdicts.csv (rule ``collect_verdicts``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

import pandas as pd  # noqa: E402

from ftml.experiments.tables import write_csv  # noqa: E402

tables = [pd.read_csv(path) for path in snakemake.input.verdicts]  # noqa: F821
write_csv(pd.concat(tables, ignore_index=True), snakemake.output.verdicts)  # noqa: F821
