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


class InvalidParameterError(ValueError, TypeError):
    """Raised when a hyperparameter violates the estimator's ``_parameter_constraints``.

    It subclasses both ``ValueError`` and ``TypeError`` as scikit-learn's does: a value out
    of range and a value of the wrong type raise the same error, which code written against
    either convention catches.
    """
