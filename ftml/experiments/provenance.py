"""Hash the ftml sources a rule depends on.

Snakemake reruns a job when its script changes, not when a module the script imports does.
Each rule therefore puts :func:`source_hash` of the modules it uses into its ``params``: an
edit to ``ftml/linear_model/_ridge.py`` changes the hash of the ridge experiments' training
jobs, and of nothing else.
"""

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["source_hash", "module_closure"]

# Packages that find their modules at run time, by listing themselves, rather than import
# them by name: every module of theirs joins the closure of what imports the package. The
# catalog's chapters are hashed but their imports are not followed: they import every
# estimator, and callers hash the modules of the objects they use.
_DISCOVERING = {"ftml.experiments.catalog": False, "ftml.experiments.protocols": True}


def source_hash(modules):
    """Return a short SHA-256 of the sources of ``modules`` and the ftml modules they import.

    Parameters
    ----------
    modules : str or iterable of str
        Dotted names of ftml modules.

    Returns
    -------
    str
        16 hexadecimal digits.
    """
    digest = hashlib.sha256()
    for name in sorted(module_closure(modules)):
        digest.update(name.encode() + b"\0" + _source(name) + b"\0")
    return digest.hexdigest()[:16]


def module_closure(modules):
    """Return the ftml modules in ``modules`` and, transitively, those they import.

    Imports are read from the source files with :mod:`ast`, without importing anything.

    Parameters
    ----------
    modules : str or iterable of str
        Dotted names of ftml modules.

    Returns
    -------
    frozenset of str
    """
    if isinstance(modules, str):
        modules = [modules]
    seen = set()
    stack = list(modules)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in _DISCOVERING:
            members = _package_modules(name)
            if _DISCOVERING[name]:
                stack.extend(members)
            else:
                seen.update(members)
        stack.extend(_ftml_imports(name))
    return frozenset(seen)


_ROOT = Path(__file__).resolve().parents[1]  # the ftml package


def _find(name):
    first, *rest = name.split(".")
    if first != "ftml":
        return None
    if not rest:
        return _ROOT / "__init__.py"
    for candidate in (_ROOT.joinpath(*rest[:-1], f"{rest[-1]}.py"), _ROOT.joinpath(*rest, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def _package_modules(name):
    """The dotted names of the modules in package ``name``'s directory."""
    directory = _path(name).parent
    return sorted(f"{name}.{path.stem}" for path in directory.glob("*.py")
                  if path.name != "__init__.py")


def _path(name):
    path = _find(name)
    if path is None:
        raise ImportError(f"{name!r} is not a module of the ftml package")
    return path


def _source(name):
    return _path(name).read_bytes()


def _ftml_imports(name):
    path = _path(name)
    stat = path.stat()
    found = _imported_names(name, str(path), stat.st_mtime_ns, stat.st_size)
    return [candidate for candidate in found if _find(candidate) is not None]


# Parsing is cached per file version (path, modification time, size), so that an edit made
# while the process runs is seen, and a new copy of the package is read afresh.
@lru_cache(maxsize=None)
def _imported_names(name, path, mtime_ns, size):
    path = Path(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append(base)
            # "from ftml import theory" imports a module, not a name
            found += [f"{base}.{alias.name}" for alias in node.names]
    return tuple(found)
