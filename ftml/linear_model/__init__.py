"""Linear estimators: least squares, ridge regression and logistic regression.

OLS and Ridge are solved in closed form through the singular value decomposition, which
handles every shape and rank (``n_features > n_samples``, duplicated columns) without special
cases; Ridge can also be fitted by the iterative solvers of :mod:`ftml.optim`, which
LogisticRegression always uses.
"""

from ftml.linear_model._logistic import LogisticRegression
from ftml.linear_model._ols import OLS
from ftml.linear_model._ridge import Ridge

__all__ = ["LogisticRegression", "OLS", "Ridge"]
