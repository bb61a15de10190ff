"""Read a config file strictly: a key given twice in one mapping is an error.

YAML loaders keep the last of two equal keys silently (``seed:`` twice, an experiment
declared twice), so a config could run something other than what its author reads. Snakemake
reads the config itself; the workflow rereads each config file with :func:`duplicate_keys`
first and refuses the config if any key repeats, naming the key's path and both lines.
"""

import yaml

__all__ = ["duplicate_keys"]


def duplicate_keys(path):
    """Return each key that a mapping of the YAML file at ``path`` gives twice.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    list of (key path, first line, repeated line)
        The key path as the config's problems write it (``datasets.iris``); lines are
        1-based, as an editor shows them.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "config.yaml"
    ...     _ = path.write_text("seed: 1\\ndatasets:\\n  a: {}\\n  a: {}\\nseed: 2\\n")
    ...     duplicate_keys(path)
    [('seed', 1, 5), ('datasets.a', 3, 4)]
    """
    with open(path) as handle:
        root = yaml.compose(handle, Loader=yaml.SafeLoader)
    found = []
    _walk(root, "", found)
    return found


def _walk(node, path, found):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, value_node in node.value:
            key = key_node.value
            key_path = f"{path}.{key}" if path else str(key)
            line = key_node.start_mark.line + 1
            if key in seen:
                found.append((key_path, seen[key], line))
            else:
                seen[key] = line
        for key_node, value_node in node.value:
            key_path = f"{path}.{key_node.value}" if path else str(key_node.value)
            _walk(value_node, key_path, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{path}[{index}]", found)
