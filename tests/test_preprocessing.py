"""StandardScaler: the statistics of the training data, its checks and its transformer API."""

import numpy as np
import pytest

from ftml.exceptions import InvalidParameterError
from ftml.preprocessing import StandardScaler

X = np.random.default_rng(0).normal(loc=[0.0, 5.0, -3.0], scale=[1.0, 10.0, 0.1],
                                    size=(30, 3))


def test_fit_transform_is_fit_then_transform():
    np.testing.assert_array_equal(StandardScaler().fit_transform(X),
                                  StandardScaler().fit(X).transform(X))
    np.testing.assert_array_equal(StandardScaler().fit_transform(X, np.zeros(30)),
                                  StandardScaler().fit(X).transform(X))  # y is ignored


@pytest.mark.parametrize("value", ["no", "False", 0, None])
def test_with_mean_and_with_std_must_be_bools(value):
    for name in ("with_mean", "with_std"):
        scaler = StandardScaler(**{name: value})  # __init__ only stores
        with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of "
                                                        "StandardScaler must be a bool"):
            scaler.fit(X)


def test_a_variance_that_overflows_is_refused_not_an_infinite_scale():
    with pytest.raises(ValueError, match="X's squared norm overflows float64"):
        StandardScaler().fit(X * 1e300)
    scaler = StandardScaler().fit(X * 1e150)  # large, but its variances are floats
    assert np.all(np.isfinite(scaler.scale_))
    np.testing.assert_allclose(scaler.transform(X * 1e150), StandardScaler().fit_transform(X))
    centred = StandardScaler(with_std=False).fit(X * 1e300)  # no variance: no overflow
    np.testing.assert_allclose(centred.mean_, X.mean(axis=0) * 1e300)
