rule optimum:
    """Minimise an optimisation experiment's objective to full precision, once per dataset
    point, with the constants (L, mu, ...) its theorems need."""
    input:
        dataset=lambda w: f"results/datasets/{CONFIG.experiments[w.experiment].spec['dataset']}/{w.data_id}.npz",
    output:
        optimum="results/optima/{experiment}/{data_id}.npz",
    log:
        "results/logs/optimum/{experiment}/{data_id}.log",
    params:
        job=lambda w: json.dumps(CONFIG.optimum_job(w.experiment, w.data_id)),
        code=source_hash(["ftml.experiments.optimization", "ftml.optim.lbfgs"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "compute"
    conda:
        ENVIRONMENT
    script:
        "../scripts/optimum.py"
