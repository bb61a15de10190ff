"""Compute an optimisation experiment's optimum at one dataset point (rule ``optimum``)."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.data import load_dataset  # noqa: E402
from ftml.experiments.optimization import objective_for, reference_optimum, save_optimum  # noqa: E402

with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    objective = objective_for(json.loads(snakemake.params.job), load_dataset(snakemake.input.dataset))  # noqa: F821
    theta, constants = reference_optimum(objective, compare_sklearn=True)
    save_optimum(theta, constants, snakemake.output.optimum)  # noqa: F821
