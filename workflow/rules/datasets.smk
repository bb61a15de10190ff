rule dataset:
    """Build a dataset: a generator's ground-truth model at one parameter point, or a
    bundled or file data set. A file data set's file is an input, and its content's
    SHA-256 is in the job: editing the file reruns exactly what reads it."""
    input:
        data=dataset_file,
    output:
        dataset="results/datasets/{dataset}/{data_id}.npz",
    log:
        "results/logs/dataset/{dataset}/{data_id}.log",
    params:
        job=lambda w: json.dumps(CONFIG.dataset_job(w.dataset, w.data_id)),
        code=source_hash(["ftml.experiments.data"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "compute"
    conda:
        ENVIRONMENT
    script:
        "../scripts/dataset.py"
