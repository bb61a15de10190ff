"""Write results/report.html (rule ``report``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from ftml.experiments.config import Config  # noqa: E402
from ftml.experiments.report import ExperimentResults, render_report  # noqa: E402

config = Config.from_json(snakemake.params.config)  # noqa: F821
results = [
    ExperimentResults(experiment, *paths)
    for experiment, *paths in zip(
        config.experiments.values(),
        snakemake.input.summaries,  # noqa: F821
        snakemake.input.theories,  # noqa: F821
        snakemake.input.verdicts,  # noqa: F821
        snakemake.input.figures,  # noqa: F821
    )
]
render_report(config, results, snakemake.output.html, snakemake.params.code)  # noqa: F821
