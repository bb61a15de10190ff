rule plot:
    """Draw an experiment's figure: measurement and theory side by side."""
    input:
        summary=rules.tabulate.output.summary,
        theory=rules.tabulate.output.theory,
        manifest=rules.tabulate.output.manifest,
    output:
        png=report(
            "results/figures/{experiment}.png",
            caption="../report/figure.rst",
            category=lambda w: CONFIG.experiments[w.experiment].spec["chapter"],
            subcategory=lambda w: CONFIG.experiments[w.experiment].spec["title"],
        ),
        svg="results/figures/{experiment}.svg",
    log:
        "results/logs/plot/{experiment}.log",
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.plots"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/plot.py"


rule confusion:
    """The out-of-fold confusion matrix of each grid point (experiments with
    per_class_report)."""
    input:
        predictions=experiment_outputs("predictions"),
        manifests=experiment_manifests,
    output:
        png="results/figures/{experiment}.confusion.png",
        svg="results/figures/{experiment}.confusion.svg",
    log:
        "results/logs/confusion/{experiment}.log",
    wildcard_constraints:
        experiment=names_pattern(PER_CLASS),
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.plots", "ftml.experiments.tables"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/confusion.py"


rule report:
    """The self-contained HTML report: theory, figure, verdicts and tables per experiment."""
    input:
        summaries=expand(rules.tabulate.output.summary, experiment=EXPERIMENTS),
        theories=expand(rules.tabulate.output.theory, experiment=EXPERIMENTS),
        verdicts=expand(rules.check.output.verdicts, experiment=EXPERIMENTS),
        figures=expand(rules.plot.output.png, experiment=EXPERIMENTS),
        classes=expand(rules.class_report.output.table, experiment=PER_CLASS),
        confusions=expand(rules.confusion.output.png, experiment=PER_CLASS),
        # the fit times, gathered here rather than by a job per experiment
        timings=[path for name in PREDICTING for path in batch_outputs("timings", name)],
        # what checks each table read above against what its job wrote
        manifests=[
            *expand(rules.tabulate.output.manifest, experiment=EXPERIMENTS),
            *expand(rules.check.output.manifest, experiment=EXPERIMENTS),
            *expand(rules.class_report.output.manifest, experiment=PER_CLASS),
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
