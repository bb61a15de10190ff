"""Exceptions and warnings raised by ftml."""

import functools
import sys

__all__ = [
    "ConvergenceWarning",
    "DataConversionWarning",
    "InvalidParameterError",
    "NotFittedError",
    "UndefinedMetricWarning",
    "sklearn_compatible",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before ``fit``.

    It subclasses both ``ValueError`` and ``AttributeError`` as scikit-learn's does, so code
    written against either convention catches it. ftml raises
    ``sklearn_compatible(NotFittedError)``, which is also scikit-learn's
    ``sklearn.exceptions.NotFittedError`` once scikit-learn is loaded.
    """


def sklearn_compatible(cls):
    """``cls``, or a subclass that is also scikit-learn's class of the same name once
    scikit-learn is loaded.

    scikit-learn's tooling (its estimator checks, its meta-estimators, its warning filters)
    catches its own classes of ``sklearn.exceptions``, which ftml's core cannot subclass
    without importing scikit-learn. Code that names those classes has imported them, so
    ftml raises (or warns) with a class built from both exactly when ``sklearn.exceptions``
    is in ``sys.modules``; it is ftml's ``cls`` in every case. Nothing is imported here.

    Parameters
    ----------
    cls : type
        An exception or warning class of this module that has a namesake in
        ``sklearn.exceptions`` (:class:`NotFittedError`, :class:`DataConversionWarning`).

    Returns
    -------
    type
        ``cls`` itself, or a subclass of ``cls`` and of scikit-learn's class, named like
        them; an instance unpickles as ``cls``.

    Examples
    --------
    >>> import sklearn.exceptions
    >>> error = sklearn_compatible(NotFittedError)("not fitted")
    >>> isinstance(error, NotFittedError), isinstance(error, sklearn.exceptions.NotFittedError)
    (True, True)
    """
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    sklearn_class = getattr(sklearn_exceptions, cls.__name__, None)
    if sklearn_class is None:
        return cls
    return _with_sklearn_class(cls, sklearn_class)


@functools.cache
def _with_sklearn_class(cls, sklearn_class):
    return type(cls.__name__, (cls, sklearn_class), {
        "__module__": __name__,
        "__doc__": cls.__doc__,
        "__reduce__": lambda self: (cls, self.args),
    })


class ConvergenceWarning(UserWarning):
    """Warned when an iterative solver stops at ``max_iter`` before reaching its tolerance."""


class DataConversionWarning(UserWarning):
    """Warned when the data is converted in a way the caller may not expect, such as a
    column-vector target of shape ``(n_samples, 1)`` raveled to ``(n_samples,)``.

    ftml warns ``sklearn_compatible(DataConversionWarning)``, which scikit-learn's filters
    for its own ``DataConversionWarning`` also match once scikit-learn is loaded.
    """


class UndefinedMetricWarning(UserWarning):
    """Warned when a metric is a 0/0 ratio and is set to the ``zero_division`` value."""


class InvalidParameterError(ValueError, TypeError):
    """Raised when a hyperparameter violates the estimator's ``_parameter_constraints``.

    It subclasses both ``ValueError`` and ``TypeError`` as scikit-learn's does: a value out
    of range and a value of the wrong type raise the same error, which code written against
    either convention catches.
    """
