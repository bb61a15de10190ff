"""Mixture models: the Gaussian mixture fitted by expectation-maximisation.

:class:`GaussianMixture` fits ``K`` Gaussian components, with full or diagonal
covariances, by EM: the E-step computes each sample's responsibilities in the log domain
from the Cholesky factors of the precision matrices, the M-step the weighted proportions,
means and covariances. Each EM iteration increases the log-likelihood, which is recorded.

References
----------
The course, chapter "Unsupervised learning" (mixture models, EM).
A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood from incomplete data via
the EM algorithm", *J. R. Stat. Soc. B* 39(1), 1977.
C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, Section 9.2.
scikit-learn, ``sklearn/mixture/_gaussian_mixture.py``.
"""

from ftml.mixture._gaussian_mixture import GaussianMixture

__all__ = ["GaussianMixture"]
