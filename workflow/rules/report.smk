rule report:
    """The self-contained HTML report: theory, figure, verdicts and tables per experiment."""
    input:
        summaries=expand(rules.evaluate.output.summary, experiment=EXPERIMENTS),
        theories=expand(rules.evaluate.output.theory, experiment=EXPERIMENTS),
        verdicts=expand(rules.evaluate.output.verdicts, experiment=EXPERIMENTS),
        figures=expand(rules.evaluate.output.png, experiment=EXPERIMENTS),
        classes=expand(rules.classes.output.table, experiment=PER_CLASS),
        confusions=expand(rules.classes.output.png, experiment=PER_CLASS),
        # the fit times, gathered here rather than by a job per experiment
        timings=[path for name in PREDICTING for path in batch_outputs("timings", name)],
        # what checks each table read above against what its job wrote
        manifests=[
            *expand(rules.evaluate.output.tables_manifest, experiment=EXPERIMENTS),
            *expand(rules.evaluate.output.verdicts_manifest, experiment=EXPERIMENTS),
            *expand(rules.classes.output.manifest, experiment=PER_CLASS),
            *(path for name in PREDICTING for path in batch_manifests(name)),
        ],
    output:
        html="results/report.html",
    log:
        "results/logs/report.log",
    params:
        config=lambda w: CONFIG.to_json(),  # a function: braces in the text are not wildcards
        per_class=PER_CLASS,
        timed=PREDICTING,
        code=source_hash(["ftml.experiments.report", "ftml.experiments.config",
                          "ftml.experiments.tables"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/report.py"
