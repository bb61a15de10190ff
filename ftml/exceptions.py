"""Exceptions and warnings raised by ftml."""


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before ``fit``.

    It subclasses both ``ValueError`` and ``AttributeError`` as scikit-learn's does, so code
    written against either convention catches it.
    """


class ConvergenceWarning(UserWarning):
    """Warned when an iterative solver stops at ``max_iter`` before reaching its tolerance."""


class UndefinedMetricWarning(UserWarning):
    """Warned when a metric is a 0/0 ratio and is set to the ``zero_division`` value."""
