rule train:
    """Fit the estimator at each grid point of a batch on each Monte-Carlo replicate, or run
    a batch of solver configurations: one row per replicate (or recorded iteration)."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{batch}.csv",
    log:
        "results/logs/train/{experiment}/{batch}.log",
    wildcard_constraints:
        experiment=names_pattern(MONTE_CARLO_OR_OPTIMIZATION),
    params:
        jobs=lambda w: json.dumps(CONFIG.training_jobs(w.experiment, w.batch)),
        code=training_code,
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "compute"
    conda:
        ENVIRONMENT
    script:
        "../scripts/train.py"


rule cross_validate:
    """Fit the estimator at each grid point of a batch on every training fold of every
    repeat: one row per (repeat, fold), the out-of-fold predictions, and the fit times
    (kept apart: they are not reproducible)."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{batch}.csv",
        predictions="results/predictions/{experiment}/{batch}.csv",
        timings="results/timings/{experiment}/{batch}.csv",
    log:
        "results/logs/train/{experiment}/{batch}.log",
    wildcard_constraints:
        experiment=names_pattern(CROSS_VALIDATION),
    params:
        jobs=lambda w: json.dumps(CONFIG.training_jobs(w.experiment, w.batch)),
        code=training_code,
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "compute"
    conda:
        ENVIRONMENT
    script:
        "../scripts/cross_validate.py"
