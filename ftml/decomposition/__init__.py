"""Linear dimensionality reduction: principal component analysis.

:class:`PCA` projects centred data on the directions of largest sample variance, the top
right singular vectors of the centred data matrix, computed by one thin SVD
(:func:`pca_svd`). Its attributes and sign convention are scikit-learn's
(``PCA(svd_solver="full")``), so that its components equal scikit-learn's to rounding.

References
----------
The course, chapter "Unsupervised learning" (principal component analysis). C. M. Bishop,
*Pattern Recognition and Machine Learning*, Springer, 2006, Chapter 12. scikit-learn,
``sklearn/decomposition/_pca.py`` and ``sklearn/utils/extmath.py`` (``svd_flip``).
"""

from ftml.decomposition._pca import PCA, pca_svd

__all__ = ["PCA", "pca_svd"]
