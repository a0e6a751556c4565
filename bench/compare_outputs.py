"""Compare two output folders table by table: the check that a change of plumbing left
every row as it was.

    python bench/compare_outputs.py BEFORE AFTER [--ignore-columns a,b]

Documents are matched by `doc_id` (the same bytes give the same id); rows within a table
and document are compared in their stored order, column by column, after dropping the
columns given (by default `pipeline_version`, which changes with the code, and the
columns only one side has, listed as added or removed). Prints one line per difference
and a summary; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow.parquet as pq

DEFAULT_IGNORED = ("pipeline_version",)


def table_rows(out: Path, table: str) -> dict[str, list[dict]]:
    """{doc_id: rows} of one table, each document's rows in stored order."""
    found: dict[str, list[dict]] = {}
    for part in sorted((out / table).glob("doc_id=*/*.parquet")):
        found[part.parent.name.split("=", 1)[1]] = pq.read_table(part).to_pylist()
    return found


def compare(before: Path, after: Path, ignored: set[str]) -> list[str]:
    differences: list[str] = []
    tables = sorted(
        {p.name for p in before.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
        | {p.name for p in after.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    )
    for table in tables:
        old, new = table_rows(before, table), table_rows(after, table)
        for doc_id in sorted(set(old) | set(new)):
            a, b = old.get(doc_id), new.get(doc_id)
            if a is None or b is None:
                differences.append(f"{table} {doc_id}: only {'after' if a is None else 'before'}")
                continue
            columns_a = set(a[0]) if a else set()
            columns_b = set(b[0]) if b else set()
            if a and b and columns_a != columns_b:
                differences.append(
                    f"{table} {doc_id}: columns added {sorted(columns_b - columns_a)}, "
                    f"removed {sorted(columns_a - columns_b)} (not compared)"
                )
            shared = (columns_a & columns_b) - ignored
            if len(a) != len(b):
                differences.append(f"{table} {doc_id}: {len(a)} rows before, {len(b)} after")
                continue
            for i, (x, y) in enumerate(zip(a, b)):
                changed = [c for c in sorted(shared) if x[c] != y[c]]
                if changed:
                    differences.append(
                        f"{table} {doc_id} row {i}: {', '.join(changed)} differ "
                        f"(e.g. {changed[0]}: {str(x[changed[0]])[:60]!r} -> {str(y[changed[0]])[:60]!r})"
                    )
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore-columns", default=",".join(DEFAULT_IGNORED))
    args = parser.parse_args(argv)
    differences = compare(args.before, args.after, set(filter(None, args.ignore_columns.split(","))))
    for line in differences:
        print(line)
    print(f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
