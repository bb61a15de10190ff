rule train:
    """Fit the estimator at one grid point on each replicate (or fold) and measure it:
    one row per replicate or fold."""
    input:
        unpack(training_inputs),
    output:
        rows="results/runs/{experiment}/{point}.csv",
    log:
        "results/logs/train/{experiment}/{point}.log",
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
