rule optimum:
    """Minimise an optimisation experiment's objective to full precision at each data point
    of one dataset file, with the constants (L, mu, ...) its theorems need."""
    input:
        dataset=lambda w: dataset_path(CONFIG.experiments[w.experiment].spec["dataset"],
                                       w.data_file),
    output:
        optimum="results/optima/{experiment}/{data_file}.npz",
    log:
        "results/logs/optimum/{experiment}/{data_file}.log",
    params:
        jobs=lambda w: json.dumps(CONFIG.optimum_file_jobs(w.experiment, w.data_file)),
        code=source_hash(["ftml.experiments.optimization", "ftml.optim.lbfgs"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "data"
    conda:
        ENVIRONMENT
    script:
        "../scripts/optimum.py"
