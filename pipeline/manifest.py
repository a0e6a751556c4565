"""The record of what became of every input file: `out/_manifest.parquet`.

One row per source path: its bytes (sha256, doc_id), the pipeline version
that last handled it, the outcome (status, code, message), when, how long it
took and how many rows it gave. A re-run reads it to skip what is already
done; an archive reads it to know what is in `out/` and what is not. The
leading underscore keeps it out of every reader's view of the tables, and it
is replaced atomically, so a killed run leaves the previous manifest whole.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.write import replace_file
from schemas.tables import TABLES

MANIFEST = "_manifest.parquet"

SCHEMA = pa.schema([
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("doc_id", pa.string()),  # null when the file could not be read at all
    pa.field("sha256", pa.string()),
    pa.field("pipeline_version", pa.string(), nullable=False),
    pa.field("status", pa.string(), nullable=False),  # ok | failed
    pa.field("code", pa.string()),  # failure code (see pipeline/errors.py), null when ok
    pa.field("message", pa.string()),
    pa.field("settings", pa.string(), nullable=False),  # fingerprint of the options a failure may depend on
    pa.field("extracted_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("extract_seconds", pa.float64(), nullable=False),
    pa.field("write_seconds", pa.float64(), nullable=False),
    pa.field("pages", pa.int32()),
    pa.field("rows", pa.struct([pa.field(name, pa.int32()) for name in TABLES])),  # rows written per table
])


@dataclass
class Entry:
    source_path: str
    doc_id: str | None
    sha256: str | None
    pipeline_version: str
    status: str
    code: str | None
    message: str | None
    settings: str
    extracted_at: datetime
    extract_seconds: float
    write_seconds: float
    pages: int | None
    rows: dict[str, int] | None


assert [f.name for f in fields(Entry)] == SCHEMA.names


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    """Entries by source path; empty when there is no manifest yet."""
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {}
    return {row["source_path"]: Entry(**row) for row in pq.read_table(path, schema=SCHEMA).to_pylist()}


def write_manifest(out_dir: Path, entries: dict[str, Entry]) -> None:
    """Replace the manifest atomically, rows sorted by path so that reruns diff cleanly."""
    table = pa.Table.from_pylist([asdict(entries[key]) for key in sorted(entries)], schema=SCHEMA)
    replace_file(Path(out_dir) / MANIFEST, lambda tmp: pq.write_table(table, tmp))
