"""Linear least-squares estimators: ordinary least squares and ridge regression.

Both are solved in closed form through the singular value decomposition, which handles every
shape and rank (``n_features > n_samples``, duplicated columns) without special cases.
"""

from ftml.linear_model._ols import OLS
from ftml.linear_model._ridge import Ridge

__all__ = ["OLS", "Ridge"]
