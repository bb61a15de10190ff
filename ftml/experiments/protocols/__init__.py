"""The evaluation protocols, one module each, found by listing this package.

A protocol (:class:`~ftml.experiments.protocols._base.Protocol`) owns everything that
differs between ways of evaluating: its config checks, its grid points, the body of its
training jobs, its table's grouping, where its ground truth lives and how the report names
it. Nothing outside a protocol's own module compares its name: callers ask
:func:`get_protocol` for the object and call its hooks.
"""

import importlib
import pkgutil
from functools import lru_cache

from ftml.experiments.protocols._base import Protocol

__all__ = ["Protocol", "get_protocol", "protocols"]


@lru_cache(maxsize=None)
def protocols():
    """Every protocol, name to instance, from the modules of this package."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Protocol) and value is not Protocol
                    and value.__module__ == module.__name__):
                if value.name in found:
                    raise ValueError(f"protocol {value.name!r} is declared twice")
                found[value.name] = value()
    return found


def get_protocol(name):
    """Return the protocol named ``name``.

    Raises
    ------
    KeyError
        If no protocol has that name; the message lists the known ones.
    """
    try:
        return protocols()[name]
    except KeyError:
        raise KeyError(f"unknown protocol {name!r}; known: {', '.join(sorted(protocols()))}") \
            from None
