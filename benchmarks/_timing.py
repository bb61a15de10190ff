"""What the library benchmarks share: fits timed in turns, so that a slow period of the
machine, which is shared, hits every contender alike."""

import time

__all__ = ["interleaved"]


def interleaved(runs, X, repeats, seconds=None):
    """The seconds of each of ``runs`` (label -> fit of ``X``) over ``repeats`` turns, the
    first to go alternating, and their last fitted models.

    ``seconds(model, elapsed)``, when given, reads what a turn cost from its model (a fit
    that times its own part, leaving out a set-up it needs), else the turn's wall time.
    """
    times = {label: [] for label in runs}
    models = {}
    order = list(runs)
    for repeat in range(repeats):
        for label in order if repeat % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            models[label] = runs[label](X)
            elapsed = time.perf_counter() - start
            times[label].append(elapsed if seconds is None
                                else seconds(models[label], elapsed))
    return times, models
