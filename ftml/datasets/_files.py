"""A user's own data set from a file: :func:`load_file` reads a ``.csv`` (with a header row), a
``.npz`` (arrays ``X`` and ``y``) or a ``.npy`` (one 2-D array) into float64 features and
targets (a CSV's target column may hold class names instead), with error messages that name
the file, the column and the line.
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
    """Load a user's data set from a ``.csv``, ``.npz`` or ``.npy`` file.

    * ``.csv``: a header row naming the columns is required. ``target`` names the target
      column (default: the last column); every other column is a feature. Blank lines are
      skipped; every feature cell must be a number. The target column holds numbers, or
      class names (``cat``, ``dog``): then ``y`` is an array of strings, for a classifier.
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
        The targets: float64, or str when a CSV's target column holds a non-number.

    Raises
    ------
    FileNotFoundError
        If no file exists at ``path``.
    ValueError
        If the extension is not supported (the message lists the supported ones), a CSV
        feature cell is not a number (the message names the column and the line), a cell
        is missing, ``target`` names no column, an array is missing or malformed, or the
        data fail :func:`ftml.validation.check_X_y` (NaN, infinity; the message names the
        file).
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
    try:
        return check_X_y(X, y, y_numeric=np.asarray(y).dtype.kind not in "US")
    except ValueError as error:
        raise ValueError(f"{str(path)!r}: {error}") from None


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
            rows.append([cell.strip() for cell in row])

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
    features = [
        [_parse_cell(cell, name, line, path)
         for position, (cell, name) in enumerate(zip(row, header)) if position != target_index]
        for line, row in zip(_data_lines(path), rows)
    ]
    targets = [row[target_index] for row in rows]
    for line, cell in zip(_data_lines(path), targets):
        if not cell:
            raise ValueError(f"{str(path)!r}: column {header[target_index]!r} on line {line} "
                             "holds '', an empty target.")
    numeric = [_is_number(cell) for cell in targets]
    if all(numeric):
        y = np.array(targets, dtype=np.float64)
    elif not any(numeric):
        y = np.array(targets, dtype=str)  # class names, kept as written
    else:
        # "3" beside "cat" is more likely a typo than a class: refuse, naming the first odd cell
        line, cell = next((line, cell) for line, cell, number
                          in zip(_data_lines(path), targets, numeric) if not number)
        raise ValueError(
            f"{str(path)!r}: column {header[target_index]!r} on line {line} holds {cell!r}, "
            "which is not a number, while other rows of this target column hold numbers: a "
            "target is all numbers (regression) or all class names."
        )
    return np.array(features, dtype=np.float64).reshape(len(rows), len(header) - 1), y


def _data_lines(path):
    """The line numbers of a CSV's data rows (the header and blank lines left out)."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        seen_header = False
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if seen_header:
                yield reader.line_num
            seen_header = True


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
