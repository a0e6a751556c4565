"""Count the bare numeric thresholds in the rule modules: the check that typography is named once.

    python bench/thresholds.py [--list]

A bare threshold is a numeric literal in code that decides (a ratio of the body size, a
tolerance, a gap) written where it is used instead of under a name. Not counted: the trivial
numbers (0, 1, -1, 2, 0.5, 100, 1000: halves, pairs, percent), literals that are the value of
a module-level UPPER_CASE assignment or of a class-level field default (a dataclass field),
and literals inside a subscript (indexes and slices).

Nor are literals written in hexadecimal: those are codes (a code point, a byte), not
measures.

Rule modules are pipeline/**/*.py except those that only move, check or show data: batch,
cli, codes, dictionary, errors, executors, export, extract, inflation, inputs, manifest,
model, ocr, overlay, parallel, parser_log, partitions, repair, report, rows, run, safe_text,
stages, validate, write and __init__. Prints per module the count, its lines and the count
per 1,000 lines, then the total; `--list` prints every literal found.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"
NOT_RULES = {
    "__init__",
    "batch",
    "cli",
    "codes",
    "dictionary",
    "errors",
    "executors",
    "export",
    "extract",
    "inflation",
    "inputs",
    "manifest",
    "model",
    "ocr",
    "overlay",
    "parallel",
    "partitions",
    "repair",
    "report",
    "rows",
    "run",
    "safe_text",
    "stages",
    "validate",
    "write",
    "parser_log",
}
TRIVIAL = {0, 1, -1, 2, 0.5, 100, 1000}


def _named(tree: ast.Module) -> set[int]:
    """ids of the nodes that stand under a name: module-level UPPER_CASE values, class-level
    field defaults, and everything inside a subscript."""
    named: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            named.update(id(n) for n in ast.walk(node))

    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if names and all(n.isupper() for n in names):
                mark(stmt.value)
        elif isinstance(stmt, ast.ClassDef):
            for field in stmt.body:
                if isinstance(field, (ast.Assign, ast.AnnAssign)):
                    mark(field.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            mark(node.slice)
    return named


def bare_thresholds(path: Path) -> list[tuple[int, object]]:
    """(line, value) of every bare threshold in one module."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    named = _named(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and node.value not in TRIVIAL
        and id(node) not in named
        and not (ast.get_source_segment(source, node) or "").lower().startswith("0x")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every bare threshold found")
    args = parser.parse_args()
    skip = NOT_RULES
    total_found = total_lines = 0
    print(f"{'module':<20} {'bare':>5} {'lines':>6} {'per 1,000':>9}")
    for path in sorted(PIPELINE.rglob("*.py")):
        name = ".".join(path.relative_to(PIPELINE).with_suffix("").parts)
        if name in skip or path.stem in skip:
            continue
        found = bare_thresholds(path)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        total_found += len(found)
        total_lines += lines
        print(f"{name:<20} {len(found):>5} {lines:>6} {1000 * len(found) / lines:>9.1f}")
        if args.list:
            for line, value in sorted(found):
                print(f"    {path.name}:{line}: {value}")
    print(f"{'total':<20} {total_found:>5} {total_lines:>6} {1000 * total_found / total_lines:>9.1f}")


if __name__ == "__main__":
    main()
