rule train:
    """Run a batch of grid points by their experiment's protocol (Monte-Carlo replicates,
    solver configurations, iteration histories): one row per replicate or recorded
    iteration."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{batch}.csv",
        manifest="results/manifests/runs/{experiment}/{batch}.json",
    log:
        "results/logs/train/{experiment}/{batch}.log",
    wildcard_constraints:
        experiment=names_pattern(ROWS_ONLY),
    params:
        jobs=lambda w: json.dumps(CONFIG.training_jobs(w.experiment, w.batch)),
        code=training_code,
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=training_runtime,
    conda:
        ENVIRONMENT
    script:
        "../scripts/train.py"


rule cross_validate:
    """Run a batch of grid points by a protocol that predicts held-out samples (cross-
    validation): one row per (repeat, fold), the out-of-fold predictions, and the fit times
    (kept apart: they are not reproducible)."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{batch}.csv",
        predictions="results/predictions/{experiment}/{batch}.csv",
        timings="results/timings/{experiment}/{batch}.csv",
        manifest="results/manifests/runs/{experiment}/{batch}.json",
    log:
        "results/logs/train/{experiment}/{batch}.log",
    wildcard_constraints:
        experiment=names_pattern(PREDICTING),
    params:
        jobs=lambda w: json.dumps(CONFIG.training_jobs(w.experiment, w.batch)),
        code=training_code,
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=training_runtime,
    conda:
        ENVIRONMENT
    script:
        "../scripts/train.py"
