"""The record of what became of every input file: `out/_manifest.parquet`.

One row per source path: its bytes (sha256, doc_id), the pipeline version
that last handled it, the outcome (status, code, message), when, how long it
took and how many rows it gave. A re-run reads it to skip what is already
done; an archive reads it to know what is in `out/` and what is not. The
leading underscore keeps it out of every reader's view of the tables, and it
is replaced atomically, so a killed run leaves the previous manifest whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from compendium_corpus.partitions import part_rows, read_part, table_files
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.write import PART_FILE, PARTITION_KEY, replace_file

MANIFEST = "_manifest.parquet"

SCHEMA = pa.schema(
    [
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
    ]
)


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
    rows: Mapping[str, int | None] | None  # None for a table a failed document did not write


assert [f.name for f in fields(Entry)] == SCHEMA.names


class ManifestDamaged(Exception):
    """The manifest file is there but cannot be read as a manifest."""


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    """Entries by source path; empty when there is no manifest yet; ManifestDamaged when
    the file is truncated, not Parquet, or of another schema."""
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {}
    try:
        rows = pq.ParquetFile(path).read().cast(SCHEMA).to_pylist()
    except Exception as err:  # pyarrow raises several kinds for a damaged file
        raise ManifestDamaged(f"{MANIFEST} cannot be read ({type(err).__name__}: {str(err)[:200]})") from None
    return {row["source_path"]: Entry(**row) for row in rows}


def rebuild_manifest(out_dir: Path) -> dict[str, Entry]:
    """Entries for the documents whose partitions are whole, from their `documents` rows,
    when the manifest itself is lost. The source path is not in the tables: each entry is
    keyed `<doc_id>/<file name>`, a relative path no real input has, which a run drops
    once it records the same bytes under their real path. Failures are not rebuilt (they
    are retried), nor are the settings (so a failure's skip never rests on a guess)."""
    out_dir = Path(out_dir)
    entries: dict[str, Entry] = {}
    for doc_id, part in table_files(out_dir, "documents").parts.items():
        try:
            [row] = read_part(part, "documents").to_pylist()
            rows = {table: part_rows(out_dir / table / f"{PARTITION_KEY}={doc_id}" / PART_FILE) for table in TABLES}
        except ValueError:
            continue  # not whole: the document is extracted again when its file comes by
        if row.get("status") == "failed":
            continue
        when = datetime.fromtimestamp(part.stat().st_mtime, UTC)
        key = f"{doc_id}/{row['source_file']}"
        entries[key] = Entry(
            key,
            doc_id,
            row["sha256"],
            row["pipeline_version"],
            "ok",
            None,
            "rebuilt from the partitions",
            "",
            when,
            0.0,
            0.0,
            row["page_count"],
            rows,
        )
    return entries


def rebuilt(entry: Entry) -> bool:
    return not entry.source_path.startswith("/")


def write_manifest(out_dir: Path, entries: dict[str, Entry]) -> None:
    """Replace the manifest atomically, rows sorted by path so that reruns diff cleanly."""
    table = pa.Table.from_pylist([asdict(entries[key]) for key in sorted(entries)], schema=SCHEMA)
    replace_file(Path(out_dir) / MANIFEST, lambda tmp: pq.write_table(table, tmp))
