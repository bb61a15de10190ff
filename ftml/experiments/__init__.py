"""The experiment machinery: from a validated config to tables, verdicts, figures and a report.

The Snakemake workflow is a thin layer over these modules, which hold all the logic so that
tests reach it:

- :mod:`~ftml.experiments.config` validates a config and expands each experiment's grid;
- :mod:`~ftml.experiments.catalog` gathers each chapter's declarations: the names a config
  may use (generators, estimators, metrics, theories, bounds, solvers);
- :mod:`~ftml.experiments.protocols` holds one module per evaluation protocol;
- :mod:`~ftml.experiments.seeding` derives every random seed from the config and a job's identity;
- :mod:`~ftml.experiments.data` builds and stores the datasets;
- :mod:`~ftml.experiments.runner` runs one training job's batch of grid points by its
  protocol (numpy only, no pandas, so a job starts fast);
- :mod:`~ftml.experiments.tables` aggregates the runs and evaluates the theory;
- :mod:`~ftml.experiments.checks` turns tables into verdicts;
- :mod:`~ftml.experiments.plots` and :mod:`~ftml.experiments.report` draw and report them;
- :mod:`~ftml.experiments.provenance` hashes the ftml sources a rule depends on;
- :mod:`~ftml.experiments.vocabulary` writes the declared names into the documentation.

Submodules are not imported here, so that a training job never pays for pandas or matplotlib.
"""
