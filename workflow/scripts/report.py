"""Write results/report.html (rule ``report``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from ftml.experiments.config import Config  # noqa: E402
from ftml.experiments.report import ExperimentResults, render_report  # noqa: E402
from ftml.experiments.tables import timing_table  # noqa: E402

config = Config.from_json(snakemake.params.config)  # noqa: F821
inputs, params = snakemake.input, snakemake.params  # noqa: F821
classes = dict(zip(params.per_class, zip(inputs.classes, inputs.confusions)))
timings, paths = {}, iter(inputs.timings)  # each experiment's batches' files, in order
for name in params.timed:
    experiment = config.experiments[name]
    timings[name] = timing_table(experiment, [next(paths) for _ in experiment.batches])
results = [
    ExperimentResults(experiment, *paths, classes=classes.get(experiment.name),
                      timings=timings.get(experiment.name))
    for experiment, *paths in zip(
        config.experiments.values(), inputs.summaries, inputs.theories, inputs.verdicts,
        inputs.figures,
    )
]
render_report(config, results, snakemake.output.html, snakemake.params.code)  # noqa: F821
