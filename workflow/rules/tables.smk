rule evaluate:
    """Everything an experiment's runs give, in one process (its imports cost more than its
    work; benchmarks/pipeline_overhead.py): its tables (the long table, each grid point's
    summary, the theories evaluated there), its claims checked against them, and its
    figure, measurement and theory side by side. Each stage reads what the previous one
    wrote, through the manifests."""
    input:
        runs=experiment_outputs("runs"),
        manifests=experiment_manifests,
        datasets=experiment_truths,
    output:
        long="results/tables/{experiment}.csv",
        summary="results/tables/{experiment}.summary.csv",
        theory="results/tables/{experiment}.theory.csv",
        tables_manifest="results/manifests/tables/{experiment}.json",
        verdicts="results/verdicts/{experiment}.csv",
        verdicts_manifest="results/manifests/verdicts/{experiment}.json",
        png=report(
            "results/figures/{experiment}.png",
            caption="../report/figure.rst",
            category=lambda w: CONFIG.experiments[w.experiment].spec["chapter"],
            subcategory=lambda w: CONFIG.experiments[w.experiment].spec["title"],
        ),
        svg="results/figures/{experiment}.svg",
    log:
        "results/logs/evaluate/{experiment}.log",
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.tables", "ftml.experiments.data", "ftml.theory",
                          "ftml.experiments.checks", "ftml.experiments.plots"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/evaluate.py"


rule collect_verdicts:
    """One table of every claim checked, in the config's order."""
    input:
        verdicts=expand(rules.evaluate.output.verdicts, experiment=EXPERIMENTS),
        manifests=expand(rules.evaluate.output.verdicts_manifest, experiment=EXPERIMENTS),
    output:
        verdicts="results/verdicts.csv",
    log:
        "results/logs/collect_verdicts.log",
    params:
        code=source_hash(["ftml.experiments.tables"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/collect_verdicts.py"


rule classes:
    """Per-class precision, recall and F1 of each grid point, and its confusion matrix, from
    its out-of-fold predictions (experiments with per_class_report)."""
    input:
        predictions=experiment_outputs("predictions"),
        manifests=experiment_manifests,
    output:
        table="results/tables/{experiment}.classes.csv",
        manifest="results/manifests/classes/{experiment}.json",
        png="results/figures/{experiment}.confusion.png",
        svg="results/figures/{experiment}.confusion.svg",
    log:
        "results/logs/classes/{experiment}.log",
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
        "../scripts/classes.py"
