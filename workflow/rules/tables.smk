rule tabulate:
    """Gather an experiment's runs into its long table, summarise each grid point and
    evaluate the theories there."""
    input:
        runs=experiment_outputs("runs"),
        manifests=experiment_manifests,
        datasets=experiment_truths,
    output:
        long="results/tables/{experiment}.csv",
        summary="results/tables/{experiment}.summary.csv",
        theory="results/tables/{experiment}.theory.csv",
        manifest="results/manifests/tables/{experiment}.json",
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
        manifest=rules.tabulate.output.manifest,
    output:
        verdicts="results/verdicts/{experiment}.csv",
        manifest="results/manifests/verdicts/{experiment}.json",
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
        manifests=expand(rules.check.output.manifest, experiment=EXPERIMENTS),
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
        manifests=experiment_manifests,
    output:
        table="results/tables/{experiment}.classes.csv",
        manifest="results/manifests/classes/{experiment}.json",
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
