"""The files of the output folder as they are, not as a run left them.

An archive's output folder is touched by other hands: files truncated by a full
disk, deleted, copied twice, stray notes saved into a table's folder. Everything
that reads the folder back (`validate`, `report`, the skip decision of
`extract`, a manifest rebuilt from the partitions) sees it through here: one
file at a time, each problem a readable line, never an exception that ends
the command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.write import PART_FILE, PARTITION_KEY, file_schema

PARTITION = re.compile(rf"{PARTITION_KEY}=([0-9a-f]{{16}})")
STRAY = "is not a file this pipeline writes"


@dataclass
class TableFiles:
    """A table's folder: the part file of each partition, partitions without one, and the rest."""

    parts: dict[str, Path] = field(default_factory=dict)  # doc_id -> its part file
    empty: list[str] = field(default_factory=list)  # doc_ids whose partition holds no part file
    stray: list[Path] = field(default_factory=list)


def relative(out_dir: Path, path: Path) -> str:
    return str(path.relative_to(out_dir))


def table_files(out_dir: Path, table: str) -> TableFiles:
    """What the folder of `table` holds. Names starting with `_` or `.` are skipped, as
    every Parquet reader skips them."""
    found = TableFiles()
    folder = Path(out_dir) / table
    if not folder.is_dir():
        return found
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        doc_id = PARTITION.fullmatch(entry.name)
        if not doc_id or not entry.is_dir() or entry.is_symlink():
            found.stray.append(entry)
            continue
        inside = sorted(p for p in entry.iterdir() if not p.name.startswith(("_", ".")))
        found.stray += [p for p in inside if p.name != PART_FILE]
        if entry / PART_FILE in inside and (entry / PART_FILE).is_file():
            found.parts[doc_id[1]] = entry / PART_FILE
        else:
            found.empty.append(doc_id[1])
    return found


def read_file(path: Path) -> pa.Table:
    """One part file with whatever columns it has; raises ValueError with a readable reason
    when it cannot be read."""
    try:
        return pq.ParquetFile(path).read()
    except Exception as err:  # truncated, not Parquet at all, unreadable: pyarrow raises several kinds
        raise ValueError(f"cannot be read ({type(err).__name__}: {str(err)[:200]})") from None


def read_part(path: Path, table: str) -> pa.Table:
    """One part file, checked against the table's schema; raises ValueError with a readable
    reason when it cannot be read or has another schema."""
    data = read_file(path)
    expected = file_schema(table)
    if not data.schema.equals(expected):
        raise ValueError(f"has schema {data.schema}, expected {expected}")
    return data


def part_rows(path: Path) -> int:
    """Rows of a part file by its footer alone; ValueError when it cannot be read."""
    try:
        return pq.read_metadata(path).num_rows
    except Exception as err:
        raise ValueError(f"cannot be read ({type(err).__name__}: {str(err)[:200]})") from None


def readable_parts(out_dir: Path, table: str, files: TableFiles, problems: list[str]) -> Iterator[tuple[str, pa.Table]]:
    """(doc_id, rows) of every part file of `files` that reads; a line in `problems` for
    each stray file and each part file that does not."""
    problems += [f"{relative(out_dir, p)} {STRAY}" for p in files.stray]
    for doc_id, path in files.parts.items():
        try:
            data = read_part(path, table)
        except ValueError as err:
            problems.append(f"{relative(out_dir, path)} {err}")
            continue
        yield doc_id, data


def read_good_parts(out_dir: Path, table: str) -> tuple[pa.Table, list[str]]:
    """The table from every part file that reads, `doc_id` a string column as readers see
    it, and a line for every file left out."""
    out_dir = Path(out_dir)
    problems: list[str] = []
    pieces = [
        data.append_column(PARTITION_KEY, pa.array([doc_id] * len(data), pa.string()))
        for doc_id, data in readable_parts(out_dir, table, table_files(out_dir, table), problems)
    ]
    schema = file_schema(table).append(pa.field(PARTITION_KEY, pa.string()))
    return (pa.concat_tables(pieces) if pieces else schema.empty_table()), problems


def document_problems(
    out_dir: Path, doc_id: str, rows: Mapping[str, int | None] | None, tables: list[str] | None = None
) -> list[str]:
    """What is wrong with the partitions of one document the manifest vouches for: a part
    file missing, unreadable, with rows the manifest did not record, or beside another."""
    out_dir = Path(out_dir)
    problems = []
    for table in tables or list(TABLES):
        partition = out_dir / table / f"{PARTITION_KEY}={doc_id}"
        part = partition / PART_FILE
        if not part.is_file():
            problems.append(f"{table}: the manifest's document {doc_id} has no part file")
            continue
        problems += [
            f"{relative(out_dir, p)} {STRAY}"
            for p in partition.iterdir()
            if p.name != PART_FILE and not p.name.startswith(("_", "."))
        ]
        try:
            found = part_rows(part)
        except ValueError as err:
            problems.append(f"{relative(out_dir, part)} {err}")
            continue
        expected = (rows or {}).get(table)
        if expected is not None and found != expected:
            problems.append(f"{table}: document {doc_id} has {found} rows where the manifest recorded {expected}")
    return problems
