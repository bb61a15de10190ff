rule dataset:
    """Build the data points of one dataset file: a generator's ground-truth model at each
    of its parameter points, or a bundled or file data set. A dataset's points are cut
    into files of about 32 MB (ftml.experiments.config._batching), not a job each. A file
    data set's file is an input, and its content's SHA-256 is in the job: editing the file
    reruns exactly what reads it."""
    input:
        data=dataset_file,
    output:
        dataset="results/datasets/{dataset}/{data_file}.npz",
    log:
        "results/logs/dataset/{dataset}/{data_file}.log",
    params:
        jobs=lambda w: json.dumps(CONFIG.dataset_file_jobs(w.dataset, w.data_file)),
        code=source_hash(["ftml.experiments.data"]),
    threads: 1
    resources:
        mem_mb=JOB_MEM_MB,
        runtime=JOB_RUNTIME,
    group:
        "data"
    conda:
        ENVIRONMENT
    script:
        "../scripts/dataset.py"
