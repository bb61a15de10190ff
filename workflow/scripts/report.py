"""Write results/report.html (rule ``report``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.config import Config
    from ftml.experiments.integrity import ManifestReader
    from ftml.experiments.report import ExperimentResults, render_report
    from ftml.experiments.tables import timing_table

    inputs, params = snakemake.input, snakemake.params  # noqa: F821
    read = ManifestReader(inputs.manifests).read_csv
    config = Config.from_json(params.config)
    classes = dict(zip(params.per_class, zip(inputs.classes, inputs.confusions)))
    timings, paths = {}, iter(inputs.timings)  # each experiment's batches' files, in order
    for name in params.timed:
        experiment = config.experiments[name]
        timings[name] = timing_table(experiment, [next(paths) for _ in experiment.batches],
                                     read=read)
    results = [
        ExperimentResults(experiment, *paths, classes=classes.get(experiment.name),
                          timings=timings.get(experiment.name), read=read)
        for experiment, *paths in zip(
            config.experiments.values(), inputs.summaries, inputs.theories, inputs.verdicts,
            inputs.figures,
        )
    ]
    render_report(config, results, snakemake.output.html, params.code)
