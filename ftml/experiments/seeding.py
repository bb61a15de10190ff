"""Seeds derived from the config's root seed and a job's identity.

A job's random draws must not depend on which other jobs exist, in which order they run or
how many run at once: each seed is a pure function of the root seed and a tuple of names and
numbers identifying the draw (the dataset, its parameters, the replicate...). Python's
``hash`` is salted per process, so the identity is hashed with SHA-256 instead.
"""

import hashlib
import json

import numpy as np

__all__ = ["derive_seed", "canonical_json"]


def canonical_json(value):
    """Serialise ``value`` to a canonical JSON string (sorted keys, no spaces).

    Parameters
    ----------
    value : JSON-serialisable object

    Returns
    -------
    str

    Examples
    --------
    >>> canonical_json({"b": 1, "a": [1.0, True]})
    '{"a":[1.0,true],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def derive_seed(root_seed, *identity):
    """Return a :class:`numpy.random.SeedSequence` for the draw named by ``identity``.

    Parameters
    ----------
    root_seed : int
        The config's seed.
    *identity : JSON-serialisable
        What identifies the draw, for instance ``("sample", "gaussian", {"n_samples": 100}, 3)``.

    Returns
    -------
    numpy.random.SeedSequence
        Equal identities give equal sequences, in any process; distinct identities give
        independent streams.

    Examples
    --------
    >>> a = derive_seed(7, "sample", 0).generate_state(1)[0]
    >>> b = derive_seed(7, "sample", 0).generate_state(1)[0]
    >>> bool(a == b), bool(a == derive_seed(7, "sample", 1).generate_state(1)[0])
    (True, False)
    """
    digest = hashlib.sha256(canonical_json(list(identity)).encode()).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, len(digest), 4)]
    return np.random.SeedSequence([int(root_seed), *words])
