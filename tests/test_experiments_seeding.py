"""Tests for ftml.experiments.seeding: seeds are pure functions of the root seed and identity.

What the identity's JSON spelling does to the seed, as found here:

- dict key order does not matter (the JSON is canonical, with sorted keys);
- int and float do: ``1`` and ``1.0`` serialise differently and give different seeds, as do
  ``True`` and ``1``. This is why ftml.experiments.config casts every grid value to its
  parameter's type before it reaches a seed: "1", 1 and 1.0 for a float parameter all become
  1.0 there (tested in test_experiments_config.py).
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from ftml.experiments.seeding import canonical_json, derive_seed

IDENTITY = ("sample", "gaussian", {"n_samples": 100, "noise": 0.5, "design": "fixed"}, 3)


def state(seed_sequence):
    return seed_sequence.generate_state(8).tolist()


def test_equal_identities_give_equal_seeds_in_another_process():
    here = state(derive_seed(2026, *IDENTITY))
    code = (
        "import json, sys; from ftml.experiments.seeding import derive_seed; "
        "identity = json.loads(sys.argv[1]); "
        "print(json.dumps(derive_seed(2026, *identity).generate_state(8).tolist()))"
    )
    # Another interpreter, with another hash salt: Python's hash() would differ there.
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(IDENTITY)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert json.loads(result.stdout) == here


def test_seed_is_a_seed_sequence_usable_by_numpy():
    first = np.random.default_rng(derive_seed(1, *IDENTITY)).standard_normal(5)
    second = np.random.default_rng(derive_seed(1, *IDENTITY)).standard_normal(5)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    "other",
    [
        ("sample", "gaussian", {"n_samples": 100, "noise": 0.5, "design": "fixed"}, 4),
        ("folds", "gaussian", {"n_samples": 100, "noise": 0.5, "design": "fixed"}, 3),
        ("sample", "gaussian", {"n_samples": 101, "noise": 0.5, "design": "fixed"}, 3),
        ("sample", "other", {"n_samples": 100, "noise": 0.5, "design": "fixed"}, 3),
        ("sample", "gaussian", {"n_samples": 100, "noise": 0.5}, 3),
        ("sample", "gaussian", {"n_samples": 100, "noise": 0.5, "design": "fixed"}),
    ],
)
def test_different_identities_give_different_seeds(other):
    assert state(derive_seed(2026, *other)) != state(derive_seed(2026, *IDENTITY))


def test_root_seed_matters():
    assert state(derive_seed(2027, *IDENTITY)) != state(derive_seed(2026, *IDENTITY))
    # The root seed is a separate word, not concatenated text: (1, 23) and (12, 3) differ.
    assert state(derive_seed(1, 23)) != state(derive_seed(12, 3))


def test_dict_key_order_does_not_matter():
    forwards = {"n_samples": 100, "noise": 0.5, "design": "fixed"}
    backwards = dict(reversed(list(forwards.items())))
    assert list(forwards) != list(backwards)
    assert state(derive_seed(5, "sample", forwards)) == state(derive_seed(5, "sample", backwards))
    assert canonical_json(forwards) == canonical_json(backwards)


def test_int_and_float_spellings_give_different_seeds():
    # Documented behaviour: the identity is its JSON, and 1 and 1.0 are different JSON.
    assert canonical_json([1]) != canonical_json([1.0])
    assert state(derive_seed(5, {"noise": 1})) != state(derive_seed(5, {"noise": 1.0}))
    assert state(derive_seed(5, {"flag": True})) != state(derive_seed(5, {"flag": 1}))


def test_non_finite_and_non_json_identities_are_refused():
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        derive_seed(5, {"noise": float("nan")})
    with pytest.raises(TypeError, match="not JSON serializable"):
        derive_seed(5, np.int64(3))


def test_derived_streams_are_uncorrelated():
    # Two streams that differ in one identity field, and two that differ in the root seed.
    # For independent N(0, 1) streams the sample correlation of 10^5 pairs has standard
    # deviation 1/sqrt(10^5) ~ 0.0032, so 0.02 is over six standard deviations.
    size = 100_000
    pairs = [
        (derive_seed(9, "sample", "gaussian", 0), derive_seed(9, "sample", "gaussian", 1)),
        (derive_seed(9, "sample", "gaussian", 0), derive_seed(10, "sample", "gaussian", 0)),
        (derive_seed(9, "sample", "gaussian", 0), derive_seed(9, "folds", "gaussian", 0)),
    ]
    for first, second in pairs:
        x = np.random.default_rng(first).standard_normal(size)
        y = np.random.default_rng(second).standard_normal(size)
        assert abs(np.corrcoef(x, y)[0, 1]) < 0.02
        # Nor is one stream a shifted copy of the other.
        assert abs(np.corrcoef(x[1:], y[:-1])[0, 1]) < 0.02
