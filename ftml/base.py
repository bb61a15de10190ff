"""The estimator contract shared by every ftml model.

``__init__`` stores its arguments under their own names and does nothing else; every check
happens in ``fit``, so that ``set_params`` cannot bypass it. The type and range of each
hyperparameter are declared once, in the class attribute ``_parameter_constraints`` (see
:mod:`ftml._param_validation`), which ``fit`` checks first through ``_validate_params``.
Attributes learned by ``fit`` end with an underscore and exist only after it. These
conventions are scikit-learn's, which lets ftml estimators plug into scikit-learn's tooling
(``clone``, ``GridSearchCV``, pipelines) and pass its ``check_estimator``
(``tests/test_sklearn_compatibility.py``). What an estimator is (regressor, classifier,
transformer, binary only) is told to scikit-learn by ``__sklearn_tags__``, which only
scikit-learn calls: it imports scikit-learn, nothing else in ftml's core does.
"""

import copy
import functools
import inspect

from ftml.validation import validate_parameter_constraints

__all__ = ["BaseEstimator", "ClassifierMixin", "RegressorMixin", "TransformerMixin", "clone"]


class BaseEstimator:
    """Base class giving ``get_params``, ``set_params`` and ``__repr__``.

    Hyperparameters are read from the signature of the subclass's ``__init__``, which must
    list them explicitly (no ``*args`` or ``**kwargs``), and each is declared in
    ``_parameter_constraints``: a dict from its name to a list of constraints, of which its
    value must satisfy one (``tests/test_common.py`` checks that every parameter has one).
    """

    _parameter_constraints: dict = {}

    @classmethod
    def _get_param_names(cls):
        return list(_param_names(cls))

    def get_params(self, deep=True):
        """Return the estimator's hyperparameters.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of nested estimators, as ``<name>__<param>``.

        Returns
        -------
        params : dict
            Hyperparameter names mapped to their values.
        """
        params = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update(
                    (f"{name}__{key}", nested) for key, nested in value.get_params().items()
                )
        return params

    def set_params(self, **params):
        """Set hyperparameters, nested ones as ``<name>__<param>``.

        Returns
        -------
        self : estimator

        Raises
        ------
        ValueError
            If a name is not a hyperparameter of this estimator.
        """
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, separator, sub_key = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())}."
                )
            if separator:
                nested.setdefault(name, {})[sub_key] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def _validate_params(self):
        """Check the hyperparameters against ``_parameter_constraints``; ``fit`` calls it first.

        Nested estimators are not checked here: their own ``fit`` checks them.

        Raises
        ------
        InvalidParameterError
            Naming the first invalid parameter, the estimator, what is allowed and the
            value; it is both a ValueError and a TypeError.
        """
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False),
            caller_name=type(self).__name__,
        )

    def __repr__(self):
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(type(self).__init__).parameters.items()
        }
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if not _same_value(value, defaults.get(name, inspect.Parameter.empty))
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        # Only scikit-learn calls this, so importing it here adds no dependency to ftml.
        # A supervised estimator's mixin (or meta-estimator) says that y is required.
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False))


@functools.cache
def _param_names(cls):
    """The sorted names of ``cls.__init__``'s parameters, read once per class: ``fit``
    checks the parameters through ``get_params``, and reading a signature costs more than
    fitting a small least-squares problem."""
    signature = inspect.signature(cls.__init__)
    names = []
    for parameter in list(signature.parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise TypeError(
                f"{cls.__name__}.__init__ must name its hyperparameters explicitly; "
                f"*args and **kwargs are not allowed (found {parameter})."
            )
        names.append(parameter.name)
    return tuple(sorted(names))


def _same_value(value, default):
    try:
        return bool(value == default) and type(value) is type(default)
    except (TypeError, ValueError):  # arrays compare elementwise
        return value is default


class RegressorMixin:
    """Mixin for regressors: ``score`` is the coefficient of determination R^2."""

    _estimator_type = "regressor"

    def score(self, X, y):
        """Return the coefficient of determination R^2 of ``self.predict(X)`` against ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        score : float
            1 - RSS / TSS; see :func:`ftml.metrics.r2_score`.
        """
        from ftml.metrics import r2_score

        return r2_score(y, self.predict(X))

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.target_tags.required = True
        tags.regressor_tags = RegressorTags()
        return tags


class ClassifierMixin:
    """Mixin for classifiers: ``score`` is the accuracy.

    ``_multi_class`` tells scikit-learn's tooling whether more than two classes are
    supported: a binary classifier sets it to False, and its ``fit`` refuses more classes
    through :func:`ftml.validation.check_binary_targets`.
    """

    _estimator_type = "classifier"
    _multi_class = True
    # A deliberately weak learner (a stump on a fixed grid) says so: scikit-learn's checks
    # then skip their training-accuracy threshold.
    _poor_score = False

    def score(self, X, y):
        """Return the accuracy of ``self.predict(X)`` against ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        accuracy : float
            See :func:`ftml.metrics.accuracy_score`.
        """
        from ftml.metrics import accuracy_score

        return accuracy_score(y, self.predict(X))

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.target_tags.required = True
        tags.classifier_tags = ClassifierTags(multi_class=self._multi_class,
                                              poor_score=self._poor_score)
        return tags


class TransformerMixin:
    """Mixin for transformers: ``fit_transform``, and the tag that says ``transform`` exists.

    Put it before :class:`BaseEstimator` among the bases, as scikit-learn requires.
    """

    def fit_transform(self, X, y=None):
        """Fit to ``X``, then transform it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Passed to ``fit`` when given; ignored by unsupervised transformers.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            ``self.fit(X, y).transform(X)``.
        """
        model = self.fit(X) if y is None else self.fit(X, y)
        return model.transform(X)

    def __sklearn_tags__(self):
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()
        return tags


def clone(estimator):
    """Return an unfitted copy of ``estimator`` with the same hyperparameters.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator to copy; nested estimators are cloned too.

    Returns
    -------
    BaseEstimator
        A new instance built from ``estimator.get_params(deep=False)``.
    """
    params = {
        name: clone(value) if isinstance(value, BaseEstimator) else copy.deepcopy(value)
        for name, value in estimator.get_params(deep=False).items()
    }
    return type(estimator)(**params)
