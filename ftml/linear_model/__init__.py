"""Linear estimators: least squares, polynomial, ridge and logistic regression.

OLS and Ridge are solved in closed form through the singular value decomposition, which
handles every shape and rank (``n_features > n_samples``, duplicated columns) without special
cases; PolynomialRegression solves least squares on the polynomials of one feature with the
same SVD, in a Legendre basis that keeps it well conditioned to high degrees. Ridge can also
be fitted by the iterative solvers of :mod:`ftml.optim`, which LogisticRegression always
uses.
"""

from ftml.linear_model._logistic import LogisticRegression
from ftml.linear_model._ols import OLS
from ftml.linear_model._polynomial import PolynomialRegression
from ftml.linear_model._ridge import Ridge

__all__ = ["LogisticRegression", "OLS", "PolynomialRegression", "Ridge"]
