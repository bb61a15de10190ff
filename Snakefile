# ftml-repro: the course's theorems as experiments.
#
#   snakemake --cores all            -> results/report.html and everything it shows
#
# The chain: dataset (a file per ~32 MB of a dataset's points) -> optimum (optimisation
# experiments) -> train or cross_validate (a job per batch of consecutive grid points, sized
# by estimated cost to about job_seconds, looping over their replicates or folds) ->
# evaluate (tables, verdicts and figure of an experiment; and, for classifiers, classes from
# the out-of-fold predictions) -> collect_verdicts -> report. The rules live in
# workflow/rules/; the logic they run lives in ftml/, where the tests reach it.

from snakemake.utils import min_version

min_version("9.0")


report: "workflow/report/workflow.rst"


# The shipped experiments, unless the command line names config files of its own
# (`--configfile mine.yaml`): then those alone, never merged over the shipped ones, so that
# a user's config runs exactly the experiments it declares. `--config key=value` edits
# whichever config is in force.
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/datasets.smk"
include: "workflow/rules/optimization.smk"
include: "workflow/rules/training.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/report.smk"


rule all:
    """Every file a person reads: a deleted table, figure or verdict file is rebuilt by a
    plain run."""
    default_target: True
    input:
        rules.report.output.html,
        rules.collect_verdicts.output.verdicts,
        expand(rules.evaluate.output, experiment=EXPERIMENTS),
        expand(rules.classes.output, experiment=PER_CLASS),
