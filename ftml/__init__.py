"""ftml: the teaching core of ftml-repro.

Estimators, metrics, data generators and the closed forms of the course's theorems, written
from scratch in numpy with scikit-learn's API. The experiment machinery that turns them into
tables, figures and a report lives in :mod:`ftml.experiments`.
"""

__version__ = "0.1.0"
