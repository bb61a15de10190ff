"""Loaders of the real data sets shipped with scikit-learn that the experiments use (diabetes,
breast cancer, iris, wine, digits), read from its files without network access and returned
as float64 ``(X, y)``, and :func:`load_bundled`, which loads one of them by name.
"""

import numpy as np

__all__ = [
    "BUNDLED",
    "load_breast_cancer",
    "load_bundled",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
]


def load_diabetes():
    """Load scikit-learn's bundled diabetes regression data set.

    442 patients, 10 standardised baseline variables (age, sex, body mass index, blood
    pressure and six blood serum measurements), and a measure of disease progression one
    year later. The data are read from files shipped with scikit-learn; no network access.

    Returns
    -------
    X : ndarray of shape (442, 10)
        The features, float64.
    y : ndarray of shape (442,)
        The targets, float64.

    Raises
    ------
    ImportError
        If scikit-learn is not installed.

    References
    ----------
    .. [1] B. Efron, T. Hastie, I. Johnstone and R. Tibshirani, "Least Angle Regression",
       Annals of Statistics 32(2), 2004.

    Examples
    --------
    >>> X, y = load_diabetes()
    >>> X.shape, y.shape, X.dtype
    ((442, 10), (442,), dtype('float64'))
    """
    # Imported here so that ftml's core stays numpy-only: only this loader needs sklearn.
    try:
        from sklearn.datasets import load_diabetes as _sklearn_load_diabetes
    except ImportError as error:
        raise ImportError(
            "load_diabetes reads the copy of the data bundled with scikit-learn; install "
            "scikit-learn to use it."
        ) from error
    X, y = _sklearn_load_diabetes(return_X_y=True)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def load_breast_cancer():
    """Load scikit-learn's bundled breast cancer (Wisconsin diagnostic) data set.

    569 tumours, 30 features computed from images of cell nuclei, and a binary diagnosis
    (1 benign, 0 malignant). Read from files shipped with scikit-learn; no network access.
    The features have very different scales: standardise them before optimising.

    Returns
    -------
    X : ndarray of shape (569, 30)
    y : ndarray of shape (569,)
        0.0 or 1.0.

    References
    ----------
    .. [1] W. N. Street, W. H. Wolberg and O. L. Mangasarian, "Nuclear feature extraction for
       breast tumor diagnosis", IS&T/SPIE 1993.

    Examples
    --------
    >>> X, y = load_breast_cancer()
    >>> X.shape, sorted(set(y.tolist()))
    ((569, 30), [0.0, 1.0])
    """
    from sklearn.datasets import load_breast_cancer as _sklearn_load_breast_cancer

    X, y = _sklearn_load_breast_cancer(return_X_y=True)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _sklearn_classification(name):
    """Load one of scikit-learn's bundled classification data sets as float64 arrays."""
    import sklearn.datasets

    X, y = getattr(sklearn.datasets, f"load_{name}")(return_X_y=True)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def load_iris():
    """Load scikit-learn's bundled iris data: 150 flowers, 4 measurements, 3 species (0, 1, 2).

    Read from files shipped with scikit-learn; no network access.

    References
    ----------
    .. [1] R. A. Fisher, "The use of multiple measurements in taxonomic problems", Annals of
       Eugenics 7(2), 1936.

    Examples
    --------
    >>> X, y = load_iris()
    >>> X.shape, sorted(set(y.tolist()))
    ((150, 4), [0.0, 1.0, 2.0])
    """
    return _sklearn_classification("iris")


def load_wine():
    """Load scikit-learn's bundled wine data: 178 wines, 13 chemical measurements, 3 cultivars.

    The features have very different scales: standardise them on the training folds.

    Examples
    --------
    >>> X, y = load_wine()
    >>> X.shape, sorted(set(y.tolist()))
    ((178, 13), [0.0, 1.0, 2.0])
    """
    return _sklearn_classification("wine")


def load_digits():
    """Load scikit-learn's bundled digits data: 1797 8x8 images of handwritten digits 0-9,
    pixel intensities 0-16 as 64 features.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, len(set(y.tolist()))
    ((1797, 64), 10)
    """
    return _sklearn_classification("digits")


# One loader per data set shipped with scikit-learn that an experiment uses.
_BUNDLED = {
    "diabetes": load_diabetes,
    "breast_cancer": load_breast_cancer,
    "iris": load_iris,
    "wine": load_wine,
    "digits": load_digits,
}

BUNDLED = tuple(_BUNDLED)
"""The names :func:`load_bundled` knows."""


def load_bundled(name):
    """Load a real data set bundled with a dependency, by name.

    Parameters
    ----------
    name : str
        One of ``("diabetes",)``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Raises
    ------
    ValueError
        If ``name`` is not a known data set; the message lists the known names.

    Examples
    --------
    >>> X, y = load_bundled("diabetes")
    >>> X.shape
    (442, 10)
    """
    if not isinstance(name, str) or name not in _BUNDLED:
        raise ValueError(f"name must be one of {tuple(_BUNDLED)}, got {name!r}.")
    return _BUNDLED[name]()
