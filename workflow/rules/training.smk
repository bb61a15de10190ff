rule train:
    """Fit the estimator at one grid point on each Monte-Carlo replicate, or run one solver
    configuration: one row per replicate (or recorded iteration)."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{point}.csv",
    log:
        "results/logs/train/{experiment}/{point}.log",
    wildcard_constraints:
        experiment=names_pattern(MONTE_CARLO_OR_OPTIMIZATION),
    params:
        job=lambda w: json.dumps(CONFIG.training_job(w.experiment, w.point)),
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
    """Fit the estimator at one grid point on every training fold of every repeat: one row
    per (repeat, fold), the out-of-fold predictions, and the fit times (kept apart: they
    are not reproducible)."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{point}.csv",
        predictions="results/predictions/{experiment}/{point}.csv",
        timings="results/timings/{experiment}/{point}.csv",
    log:
        "results/logs/train/{experiment}/{point}.log",
    wildcard_constraints:
        experiment=names_pattern(CROSS_VALIDATION),
    params:
        job=lambda w: json.dumps(CONFIG.training_job(w.experiment, w.point)),
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
