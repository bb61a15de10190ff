"""A user's own data set from a file: :func:`load_file` reads a ``.csv`` (with a header row), a
``.npz`` (arrays ``X`` and ``y``) or a ``.npy`` (one 2-D array) into float64 ``(X, y)``,
with error messages that name the file, the column and the line.
"""

import csv
import numbers
import os
from pathlib import Path

import numpy as np

from ftml.validation import check_array, check_X_y

__all__ = ["load_file"]


_LOADERS = (".csv", ".npz", ".npy")


def load_file(path, *, target=None):
    """Load a user's regression data set from a ``.csv``, ``.npz`` or ``.npy`` file.

    * ``.csv``: a header row naming the columns is required. ``target`` names the target
      column (default: the last column); every other column is a feature. Blank lines are
      skipped; every other cell must be a number.
    * ``.npz``: arrays named ``"X"`` (n_samples, n_features) and ``"y"`` (n_samples,).
    * ``.npy``: one 2-D array; the target is its last column, or column ``target`` when
      ``target`` is an int (negative indices count from the end); the other columns are
      the features.

    Parameters
    ----------
    path : str or os.PathLike
        The file; its extension selects the format (case-insensitive).
    target : str or int, default=None
        The target column: a column name for ``.csv``, a column index for ``.npy``. Must be
        None for ``.npz``. None selects the last column.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The features, float64.
    y : ndarray of shape (n_samples,)
        The targets, float64.

    Raises
    ------
    FileNotFoundError
        If no file exists at ``path``.
    ValueError
        If the extension is not supported (the message lists the supported ones), a CSV
        cell is not a number (the message names the column and the line), ``target`` names
        no column, an array is missing or malformed, or the data fail
        :func:`ftml.validation.check_X_y`.
    TypeError
        If ``path`` is not a path or ``target`` has the wrong type for the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     csv_path = pathlib.Path(tmp) / "toy.csv"
    ...     _ = csv_path.write_text("price,area,rooms\\n3.5,70,3\\n2.0,40,2\\n")
    ...     X, y = load_file(csv_path, target="price")
    >>> X
    array([[70.,  3.],
           [40.,  2.]])
    >>> y
    array([3.5, 2. ])
    """
    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise TypeError(
            f"path must be a str or an os.PathLike, got {path!r} of type "
            f"{type(path).__name__}."
        ) from None
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        raise ValueError(
            f"path {str(path)!r} has the unsupported extension {path.suffix!r}; supported "
            f"extensions are {_LOADERS}."
        )
    if not path.is_file():
        raise FileNotFoundError(f"No data file at path {str(path)!r}.")

    if suffix == ".csv":
        X, y = _load_csv(path, target)
    elif suffix == ".npz":
        X, y = _load_npz(path, target)
    else:
        X, y = _load_npy(path, target)
    return check_X_y(X, y)


def _load_csv(path, target):
    if target is not None and not isinstance(target, str):
        raise TypeError(
            f"target must be a column name (str) or None for a .csv file, got {target!r}."
        )
    # utf-8-sig drops the byte-order mark that spreadsheet exports put before the header.
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = None
        rows = []
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                if all(_is_number(cell) for cell in header):
                    raise ValueError(
                        f"{str(path)!r} must start with a header row naming the columns; "
                        f"line {reader.line_num} holds only numbers: {row}."
                    )
                continue
            if len(row) != len(header):
                raise ValueError(
                    f"{str(path)!r} line {reader.line_num} has {len(row)} cells, but the "
                    f"header names {len(header)} columns."
                )
            rows.append(
                [_parse_cell(cell, name, reader.line_num, path)
                 for cell, name in zip(row, header)]
            )

    if header is None:
        raise ValueError(f"{str(path)!r} is empty; a header row and data rows are required.")
    if len(header) < 2:
        raise ValueError(
            f"{str(path)!r} has {len(header)} column; at least 2 (a feature and the target) "
            "are required."
        )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise ValueError(f"{str(path)!r} repeats the column name(s) {duplicates}.")
    if target is None:
        target_index = len(header) - 1
    elif target in header:
        target_index = header.index(target)
    else:
        raise ValueError(
            f"target == {target!r} is not a column of {str(path)!r}; columns are {header}."
        )
    if not rows:
        raise ValueError(f"{str(path)!r} has a header but no data rows.")
    data = np.array(rows, dtype=np.float64)
    return np.delete(data, target_index, axis=1), data[:, target_index]


def _is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _parse_cell(cell, column, line, path):
    try:
        return float(cell)
    except ValueError:
        raise ValueError(
            f"{str(path)!r}: column {column!r} on line {line} holds {cell!r}, which is not "
            "a number."
        ) from None


def _load_npz(path, target):
    if target is not None:
        raise ValueError(
            f"target must be None for a .npz file, whose arrays are named 'X' and 'y'; "
            f"got {target!r}."
        )
    # allow_pickle=False: a data file must not be able to run code when loaded.
    with np.load(path, allow_pickle=False) as archive:
        missing = [key for key in ("X", "y") if key not in archive.files]
        if missing:
            raise ValueError(
                f"{str(path)!r} must hold arrays named 'X' and 'y'; missing {missing}, "
                f"found {archive.files}."
            )
        return archive["X"], archive["y"]


def _load_npy(path, target):
    if target is not None and (
        not isinstance(target, numbers.Integral) or isinstance(target, bool)
    ):
        raise TypeError(
            f"target must be a column index (int) or None for a .npy file, got {target!r}."
        )
    data = check_array(np.load(path, allow_pickle=False), name=f"array in {str(path)!r}")
    n_columns = data.shape[1]
    if n_columns < 2:
        raise ValueError(
            f"{str(path)!r} holds {n_columns} column; at least 2 (a feature and the target) "
            "are required."
        )
    index = -1 if target is None else int(target)
    if not -n_columns <= index < n_columns:
        raise ValueError(
            f"target == {index} is out of range for the {n_columns} columns of "
            f"{str(path)!r}."
        )
    index %= n_columns
    return np.delete(data, index, axis=1), data[:, index]
