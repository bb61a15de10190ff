"""Nearest-neighbour estimators: k-NN regression and classification, by brute force.

:class:`KNeighborsRegressor` predicts the (weighted) mean of the targets of the ``k``
training points nearest to a query, :class:`KNeighborsClassifier` their (weighted) vote.
Both find the neighbours by brute force: the squared Euclidean distances from a chunk of
queries to every training point, ``||a||^2 - 2 a.b + ||b||^2`` by one matrix product, then
the ``k`` smallest of each row, by a heap per query compiled with numba or a partial sort
(see :mod:`ftml.neighbors._base` for the memory budget of a chunk and the rule that breaks
ties between equally distant points).

References
----------
The course, chapter "Statistical learning foundations" (local averaging, k-nearest
neighbours). F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 6.3
(k-nearest neighbours). scikit-learn, ``sklearn/neighbors/_regression.py``,
``_classification.py`` and ``sklearn/metrics/pairwise.py`` (``pairwise_distances_chunked``).
"""

from ftml.neighbors._classification import KNeighborsClassifier
from ftml.neighbors._regression import KNeighborsRegressor

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]
