"""The structural pass of config validation: the JSON Schema, with its defaults filled in."""

import copy
from pathlib import Path

__all__ = ["integers_as_int", "schema_problems"]


def schema_problems(raw, schema_path):
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path))):
        path = _path(error.absolute_path)
        if error.validator == "additionalProperties" and error.schema.get("properties"):
            # Name each unknown key in the path, and list the keys allowed there.
            allowed = ", ".join(error.schema["properties"])
            for key in error.instance:
                if key not in error.schema["properties"]:
                    path = _path([*error.absolute_path, key])
                    problems.append((path, f"unknown key; allowed: {allowed}"))
            continue
        if error.validator == "oneOf" and "generator" in str(error.schema):
            reason = "needs exactly one of 'generator', 'bundled' or 'file'"
        elif error.validator == "pattern" and error.schema.get("description"):
            if "propertyNames" in error.absolute_schema_path:
                path = _path([*error.absolute_path, error.instance])
            reason = f"{error.instance!r} is not a valid name: {error.schema['description']}"
        else:
            reason = error.message
        problems.append((path, reason))
    return problems


def integers_as_int(raw):
    """Turn the integers that JSON Schema accepts as floats (``replicates: 2.0``) into ints.

    ``range(2.0)`` fails in every job, and ``2026.0`` and ``2026`` would be different jobs.
    """
    raw["seed"] = int(raw["seed"])
    for spec in raw["datasets"].values():
        if isinstance(spec.get("target"), float):
            spec["target"] = int(spec["target"])
    for spec in raw["experiments"].values():
        for key in ("replicates", "folds", "max_iter"):
            if key in spec["evaluation"]:
                spec["evaluation"][key] = int(spec["evaluation"][key])
        search = spec["evaluation"].get("search")
        if search is not None:
            search["folds"] = int(search["folds"])


def _with_defaults(validator_class):
    """Extend a jsonschema validator so that validation fills in the schema's defaults."""
    import jsonschema

    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for key, subschema in properties.items():
                if "default" in subschema:
                    instance.setdefault(key, copy.deepcopy(subschema["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text

