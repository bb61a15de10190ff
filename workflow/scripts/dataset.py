"""Build one dataset (rule ``dataset``)."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.data import build_dataset, save_dataset  # noqa: E402

with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    save_dataset(build_dataset(json.loads(snakemake.params.job)), snakemake.output.dataset)  # noqa: F821
