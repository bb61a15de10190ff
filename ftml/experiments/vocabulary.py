"""The names a config may use, written out from their declarations for the documentation.

``python -m ftml.experiments.vocabulary`` prints the tables; ``--write README.md
docs/vocabulary.md`` replaces the block between the markers ``<!-- vocabulary: start -->``
and ``<!-- vocabulary: end -->`` of each file (README: one line per kind of name; the docs:
each name with what it is). A test keeps both files equal to what this module writes, so
the documentation cannot drift from the catalog, the checks and the protocols.
"""

import argparse
import re
import sys
from pathlib import Path

from ftml.experiments.catalog import MEASUREMENT_SETTINGS, METRIC_KINDS, bundled_names, catalog
from ftml.experiments.checks import CHECKS
from ftml.experiments.protocols import protocols

__all__ = ["summary_table", "detailed_tables", "write_block"]

START, END = "<!-- vocabulary: start -->", "<!-- vocabulary: end -->"


def _names(names):
    return ", ".join(f"`{name}`" for name in names)


def _metrics_by_kind():
    by_kind = {kind: [] for kind in METRIC_KINDS}
    for name, metric in catalog().metrics.items():
        by_kind[metric.kind].append(name)
    return by_kind


def _protocols_of(kind):
    return [name for name, protocol in protocols().items() if kind in protocol.metric_kinds]


def summary_table():
    """One row per key of the config that names a declaration, with every name it takes."""
    found = catalog()
    rows = [
        ("`evaluation.protocol`", _names(protocols())),
        ("`datasets.<name>.generator`", _names(found.generators)),
        ("`datasets.<name>.bundled`", _names(bundled_names())),
        ("`estimator`, `estimators.<label>.estimator`", _names(found.estimators)),
        ("`solvers.<label>.solver` (optimization)", _names(found.solvers)),
    ]
    for kind, names in _metrics_by_kind().items():
        if names:
            where = ", ".join(_protocols_of(kind)) or "no protocol yet"
            extra = " (each also as `train_<name>`)" if kind == "prediction" else ""
            rows.append((f"`metrics`: {kind} ({where})", _names(names) + extra))
    rows += [
        ("`checks[].check`", _names(CHECKS)),
        ("`checks[].theory`, `figure[].theory`, `figure[].vlines`", _names(found.theories)),
        ("`checks[].theory`, `figure[].theory` (bounds: optimization)", _names(found.bounds)),
    ]
    lines = ["| key | names |", "| --- | --- |"]
    lines += [f"| {key} | {names} |" for key, names in rows]
    return "\n".join(lines)


def _escape(text):
    return str(text).replace("|", "\\|")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def detailed_tables():
    """Each declared name with what it is, where it is declared and what it takes."""
    found = catalog()
    chapter_of = {(kind, name): chapter for chapter, names in found.chapters.items()
                  for kind, name in names}
    sections = [
        ("Protocols", _table(
            ["protocol", "what it runs", "table features", "metric kinds"],
            [(f"`{name}`", protocol.description, ", ".join(sorted(protocol.provides)),
              ", ".join(protocol.metric_kinds)) for name, protocol in protocols().items()])),
        ("Checks", _table(
            ["check", "claim", "keys (required first)", "needs"],
            [(f"`{name}`", check.description,
              ", ".join([f"**{key}**" for key in check.required]
                        + [key for key in check.keys if key not in check.required]),
              ", ".join(sorted(check.needs))) for name, check in CHECKS.items()])),
        ("Generators", _table(
            ["generator", "chapter", "parameters (required in bold)", "ground truth", "what"],
            [(f"`{name}`", chapter_of["generators", name],
              ", ".join(f"**{key}**" if key in generator.required else key
                        for key in generator.params),
              "yes" if generator.ground_truth else "no", generator.description)
             for name, generator in found.generators.items()])),
        ("Estimators", _table(
            ["estimator", "chapter", "what"],
            [(f"`{name}`", chapter_of["estimators", name], estimator.description)
             for name, estimator in found.estimators.items()])),
        ("Metrics", _table(
            ["metric", "kind", "chapter", "settings", "what"],
            [(f"`{name}`", metric.kind, chapter_of["metrics", name],
              ", ".join(f"`{setting}`" for setting in metric.settings), metric.description)
             for name, metric in found.metrics.items()])),
        ("Measurement settings", _table(
            ["setting", "type", "what (set in `evaluation`, or varied by the grid)"],
            [(f"`{name}`", kind.__name__, meaning)
             for name, (kind, meaning) in MEASUREMENT_SETTINGS.items()])),
        ("Theories", _table(
            ["theory", "chapter", "formula", "evaluated from"],
            [(f"`{name}`", chapter_of["theories", name], theory.formula,
              "the data" if theory.needs_data else "the ground truth" if theory.needs_model
              else "the parameters") for name, theory in found.theories.items()])),
        ("Bounds", _table(
            ["bound", "chapter", "formula"],
            [(f"`{name}`", chapter_of["bounds", name], bound.formula)
             for name, bound in found.bounds.items()])),
        ("Solvers", _table(
            ["solver", "chapter", "function", "budget"],
            [(f"`{name}`", chapter_of["solvers", name], f"`{solver.module}.{solver.entry.function}`"
              + (f" with {solver.fixed}" if solver.fixed else ""), solver.budget)
             for name, solver in found.solvers.items()])),
    ]
    return "\n\n".join(f"### {title}\n\n{table}" for title, table in sections)


def write_block(path, text):
    """Replace the vocabulary block of the file at ``path`` by ``text``.

    Raises
    ------
    ValueError
        If the file has no block between the markers.
    """
    path = Path(path)
    content = path.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(content):
        raise ValueError(f"{path}: no block between {START} and {END}")
    path.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", content))


def block_of(path):
    """The text of the file's vocabulary block (without the markers), or None."""
    match = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END),
                      Path(path).read_text(), re.DOTALL)
    return None if match is None else match.group(1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", nargs=2, metavar=("README", "DOCS"),
                        help="update the blocks of these two files")
    args = parser.parse_args(argv)
    if args.write:
        write_block(args.write[0], summary_table())
        write_block(args.write[1], detailed_tables())
    else:
        sys.stdout.write(summary_table() + "\n\n" + detailed_tables() + "\n")


if __name__ == "__main__":
    main()
