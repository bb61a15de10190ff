"""An experiment's tables, verdicts and figure (rule ``evaluate``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.checks import complete_verdicts
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader, write_manifest
    from ftml.experiments.plots import experiment_figure, save_figure
    from ftml.experiments.tables import tabulate, write_csv

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        tables = tabulate(experiment, inputs.runs, inputs.datasets,
                          read=ManifestReader(inputs.manifests).read_csv)
    paths = {"long": output.long, "summary": output.summary, "theory": output.theory}
    for table, path in zip(tables, paths.values()):
        write_csv(table, path)
    write_manifest(list(paths.values()), output.tables_manifest)

    # The claims and the figure read the tables as written, as any later reader would.
    read = ManifestReader([output.tables_manifest]).read_csv
    tables = {name: read(path) for name, path in paths.items()}
    write_csv(complete_verdicts(experiment, **tables), output.verdicts)
    write_manifest([output.verdicts], output.verdicts_manifest)
    figure = experiment_figure(experiment, tables["summary"], tables["theory"])
    save_figure(figure, output.png, output.svg)
