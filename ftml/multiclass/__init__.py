"""Multiclass classification: binary reductions (one-vs-rest, one-vs-one) and softmax.

:class:`OneVsRestClassifier` and :class:`OneVsOneClassifier` turn any binary ftml classifier
(``fit`` and ``decision_function`` or ``predict_proba``, such as
:class:`ftml.linear_model.LogisticRegression`) into a multiclass one by training ``p`` or
``p (p - 1) / 2`` binary problems. :class:`SoftmaxRegression` is multinomial logistic
regression; its objective, :class:`SoftmaxObjective`, is minimised by the solvers of
:mod:`ftml.optim`, which only need ``n_params``, ``value``, ``gradient``,
``value_and_gradient`` and (for gradient descent's default step) ``smoothness``.

References
----------
The course, chapter "Introduction to supervised learning" (multiclass classification and
the zero-one loss) and chapter "Optimization for machine learning" (logistic regression).
F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 13.1 (multi-category
classification). C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
Sections 4.1.2 (one-vs-rest and one-vs-one) and 4.3.4 (multiclass logistic regression).
"""

from ftml.multiclass._reductions import OneVsOneClassifier, OneVsRestClassifier
from ftml.multiclass._softmax import SoftmaxObjective, SoftmaxRegression

__all__ = [
    "OneVsOneClassifier",
    "OneVsRestClassifier",
    "SoftmaxObjective",
    "SoftmaxRegression",
]
