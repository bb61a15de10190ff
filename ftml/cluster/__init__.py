"""Clustering: k-means by Lloyd's algorithm, seeded by k-means++.

:class:`KMeans` minimises the inertia ``sum_i min_k ||x_i - c_k||^2`` by alternating the
assignment of each sample to its nearest centre and the move of each centre to the mean of
its samples; :func:`kmeans_plusplus` chooses initial centres by D^2 sampling. See
:mod:`ftml.cluster._kmeans` for the loop, its stopping rule and its rule for empty
clusters, all scikit-learn's (``KMeans(algorithm="lloyd")``), and
:mod:`ftml.metrics` for the scores of a clustering (silhouette, Calinski-Harabasz,
adjusted Rand index).

References
----------
The course, chapter on unsupervised learning (clustering). S. P. Lloyd, "Least squares
quantization in PCM", IEEE Trans. Inf. Theory 28(2), 1982. D. Arthur and
S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.
scikit-learn, ``sklearn/cluster/_kmeans.py``.
"""

from ftml.cluster._kmeans import KMeans, kmeans_plusplus

__all__ = ["KMeans", "kmeans_plusplus"]
