"""Write one document's rows as Hive partitions, atomically per partition.

Layout: `<out>/<table>/doc_id=<doc_id>/part-0.parquet`. The `doc_id` column is
not stored in the files: readers get it from the directory name, and storing
it too would clash with the dictionary type pyarrow gives partition columns.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import arrow_schema
from schemas.tables import TABLES

PARTITION_KEY = "doc_id"


def file_schema(table: str) -> pa.Schema:
    """Schema of the Parquet files of `table`: the model's, less the partition key."""
    schema = arrow_schema(TABLES[table])
    return schema.remove(schema.get_field_index(PARTITION_KEY))


def write_tables(out_dir: Path, doc_id: str, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write exactly the given tables' partitions for `doc_id`; other partitions stay untouched.

    Files are staged under `<out>/.tmp-<doc_id>-<pid>/` (same filesystem, so the
    moves are renames; dot-prefixed, so no reader takes it for a table). Only
    when every file is written is each partition directory swapped in, so an
    interrupted run leaves the previous partitions, never a half-written one.
    """
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise KeyError(f"not tables of the contract: {sorted(unknown)}")
    out_dir = Path(out_dir)
    part = f"{PARTITION_KEY}={doc_id}"
    staging = out_dir / f".tmp-{doc_id}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, rows in tables.items():
            target = staging / name / part
            target.mkdir(parents=True)
            pq.write_table(pa.Table.from_pylist(rows, schema=file_schema(name)), target / "part-0.parquet")
        for name in tables:
            _swap_in(staging / name / part, out_dir / name / part)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: len(rows) for name, rows in tables.items()}


def write_document(out_dir: Path, doc_id: str, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write a partition for every contract table, empty ones included, so readers see all columns."""
    return write_tables(out_dir, doc_id, {name: tables.get(name, []) for name in TABLES})


def _swap_in(new: Path, final: Path) -> None:
    """Replace `final` by `new`; the old copy is moved to a dot-name that readers skip."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.parent / f".old-{final.name}-{os.getpid()}"
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
