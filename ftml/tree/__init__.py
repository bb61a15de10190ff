"""Decision stumps: empirical risk minimisation over a finite class of threshold classifiers,
the class of the course's finite-class bound (nlehir/FTML tp_12)."""

from ftml.tree._stump import ThresholdClassifier

__all__ = ["ThresholdClassifier"]
