rule tabulate:
    """Gather an experiment's runs into its long table, summarise each grid point and
    evaluate the theories there."""
    input:
        runs=experiment_outputs("runs"),
        datasets=experiment_truths,
    output:
        long="results/tables/{experiment}.csv",
        summary="results/tables/{experiment}.summary.csv",
        theory="results/tables/{experiment}.theory.csv",
    log:
        "results/logs/tabulate/{experiment}.log",
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.tables", "ftml.experiments.data", "ftml.theory"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/tabulate.py"


rule check:
    """Check each claim of an experiment against its tables."""
    input:
        long=rules.tabulate.output.long,
        summary=rules.tabulate.output.summary,
        theory=rules.tabulate.output.theory,
    output:
        verdicts="results/verdicts/{experiment}.csv",
    log:
        "results/logs/check/{experiment}.log",
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.checks"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/check.py"


rule collect_verdicts:
    """One table of every claim checked, in the config's order."""
    input:
        verdicts=expand(rules.check.output.verdicts, experiment=EXPERIMENTS),
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


rule class_report:
    """Per-class precision, recall and F1 of each grid point, from its out-of-fold
    predictions (experiments with per_class_report)."""
    input:
        predictions=experiment_outputs("predictions"),
    output:
        table="results/tables/{experiment}.classes.csv",
    log:
        "results/logs/class_report/{experiment}.log",
    wildcard_constraints:
        experiment=names_pattern(PER_CLASS),
    params:
        experiment=experiment_json,
        code=source_hash(["ftml.experiments.tables"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    localrule: True
    conda:
        ENVIRONMENT
    script:
        "../scripts/class_report.py"
